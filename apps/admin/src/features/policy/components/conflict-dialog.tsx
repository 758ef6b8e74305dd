import { Alert, Button, Group, List, Modal, Stack, Text, Title } from '@mantine/core';
import type { PolicyVersionSummary } from '@corsplane/contracts';
import { Time } from '../../../components/ui/time.js';
import type { MergeResult } from '../lib/policy-merge.js';
import { PolicyChanges } from './policy-changes.js';

export interface Conflict {
  baseVersion: number;
  theirVersion: number;
  latest: PolicyVersionSummary | null;
  merge: MergeResult;
}

interface Props {
  conflict: Conflict | null;
  onKeepBoth: () => void;
  onDiscardMine: () => void;
  onClose: () => void;
}

/** A 412 explained: who saved what in between, and a merge that keeps both edits for review. */
export function ConflictDialog({ conflict, onKeepBoth, onDiscardMine, onClose }: Props) {
  if (!conflict) return null;
  const { merge, latest } = conflict;
  return (
    <Modal
      opened
      onClose={onClose}
      title="Someone else saved this policy while you were editing"
      size="xl"
    >
      <Stack>
        <Alert color="orange" variant="light" data-testid="conflict-explanation">
          You started from version {conflict.baseVersion}.{' '}
          {latest ? (
            <>
              {latest.actor} saved version {conflict.theirVersion} <Time iso={latest.createdAt} />.
            </>
          ) : (
            <>The policy is now at version {conflict.theirVersion}.</>
          )}{' '}
          Nothing was saved and your edits are still here.
        </Alert>
        <Stack gap={4}>
          <Title order={4}>
            Their changes (version {conflict.baseVersion} → {conflict.theirVersion})
          </Title>
          <PolicyChanges changes={merge.theirChanges} testId="their-changes" />
        </Stack>
        <Stack gap={4}>
          <Title order={4}>Your changes</Title>
          <PolicyChanges changes={merge.myChanges} testId="my-changes" />
        </Stack>
        {merge.conflicts.length > 0 && (
          <Alert color="red" title="Both of you changed the same thing">
            <List size="sm">
              {merge.conflicts.map((c, i) => (
                <List.Item key={i}>{c}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        <Text size="sm">
          <b>Keep both</b> puts your changes on top of version {conflict.theirVersion}; review the
          result and save again.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" color="red" onClick={onDiscardMine}>
            Discard mine, load version {conflict.theirVersion}
          </Button>
          <Button onClick={onKeepBoth} data-autofocus>
            Keep both and review
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
