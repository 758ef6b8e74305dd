import { Alert, Button, Group, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import type { CandidateImpact } from '@corsplane/contracts';
import { ApiError, errorMessage } from '../../../lib/api-client.js';
import type { CandidateDiff } from '../lib/candidate-diff.js';
import { DiffList } from './diff-list.js';
import { ImpactTable, ImpactTotals } from './candidate-impact.js';

interface Props {
  opened: boolean;
  liveVersion: number;
  candidateVersion: number;
  diff: CandidateDiff;
  impact: CandidateImpact | undefined;
  windowLabel: string;
  note: string;
  onNoteChange: (note: string) => void;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}

/**
 * Promote's confirmation: what changes (the diff against the live version it was computed from) and
 * whom it affects (the impact over the window on the page), then one POST under If-Match of that live
 * version. A 412 means the live policy or the candidate moved since: nothing was promoted.
 */
export function PromoteDialog(p: Props) {
  const stale = p.error instanceof ApiError && p.error.status === 412;
  return (
    <Modal
      opened={p.opened}
      onClose={p.onClose}
      title={`Promote candidate version ${p.candidateVersion}?`}
      size="xl"
    >
      <Stack>
        <Text size="sm">
          The candidate replaces live version {p.liveVersion} as version {p.liveVersion + 1}, and
          shadow evaluation stops. Changes against version {p.liveVersion}:
        </Text>
        <DiffList diff={p.diff} testId="promote-diff" />
        <Title order={4} size="h5">
          Impact seen ({p.windowLabel})
        </Title>
        {p.impact ? (
          <>
            <ImpactTotals impact={p.impact} />
            <ImpactTable impact={p.impact} limit={10} />
          </>
        ) : (
          <Text size="sm" c="dimmed">
            The impact is still loading.
          </Text>
        )}
        <TextInput
          label="Change note (optional)"
          value={p.note}
          onChange={(e) => p.onNoteChange(e.currentTarget.value)}
          maxLength={500}
        />
        {stale ? (
          <Alert
            color="orange"
            role="alert"
            title="Nothing was promoted"
            data-testid="promote-stale"
          >
            The live policy or the candidate changed since you reviewed them (someone saved, or
            promoted or replaced the candidate). The diff and the impact have been reloaded: review
            them again, then promote.
          </Alert>
        ) : p.error ? (
          <Alert color="red" role="alert">
            {errorMessage(p.error)}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={p.onClose}>
            Cancel
          </Button>
          <Button color="indigo" loading={p.pending} onClick={p.onConfirm} data-autofocus>
            Promote to version {p.liveVersion + 1}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
