import { LabelledSegmented } from '../../../components/ui/labelled-segmented.js';
import { useMemo, useState } from 'react';
import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ApiError } from '../../../lib/api-client.js';
import { ConfirmModal } from '../../../components/ui/confirm-modal.js';
import { EmptyState, ErrorState, LoadingState } from '../../../components/ui/states.js';
import { Time } from '../../../components/ui/time.js';
import { canEditTenant, useMe } from '../../auth/index.js';
// The blocked-origins page's chart and windows, reused as they are.
import {
  RANGES,
  RefusalsChart,
  windowFor,
  type Bar,
  type RangeKey,
} from '../../blocked-origins/index.js';
import { useCandidate, type CandidateWithEtag } from '../api/get-candidate.js';
import { useCandidateImpact } from '../api/get-candidate-impact.js';
import { useCandidateImpactTimeline } from '../api/get-candidate-impact-timeline.js';
import { useDeleteCandidate } from '../api/delete-candidate.js';
import { useLivePolicy } from '../api/get-live-policy.js';
import { usePromoteCandidate } from '../api/promote-candidate.js';
import { candidateKeys } from '../api/query-keys.js';
import { candidateDiff } from '../lib/candidate-diff.js';
import { CandidateUpload } from './candidate-upload.js';
import { ImpactTable, ImpactTotals } from './candidate-impact.js';
import { DiffList } from './diff-list.js';
import { PromoteDialog } from './promote-dialog.js';

/** The impact's windows, labelled short enough for a phone's width. */
const RANGE_LABELS: Record<RangeKey, string> = {
  '24h': '24 hours',
  '7d': '7 days',
  '30d': '30 days',
};

/** Rows of the impact table (the API pages them; the totals cover the whole window). */
const IMPACT_ROWS = 200;

/**
 * A tenant's candidate policy (SPEC §3 shadow evaluation, §4.1): the diff against live, the impact
 * seen so far (table and chart), Promote and Discard; or, when there is none, how to make one.
 */
export function CandidatePage({ slug }: { slug: string }) {
  const me = useMe();
  const editable = canEditTenant(me.data, slug);
  const candidate = useCandidate(slug);
  if (candidate.isPending) return <LoadingState label="Loading the candidate…" />;
  if (candidate.error)
    return <ErrorState error={candidate.error} onRetry={() => void candidate.refetch()} />;
  if (candidate.data === null)
    return (
      <Stack>
        <Card withBorder>
          <EmptyState title="No candidate policy">
            A candidate is evaluated beside the live policy without answering any request: every
            decision it would make differently is counted here, so you can see whom a change would
            block before it is live. Save one from the policy editor (“Save as candidate”) or paste
            a whole document below.
          </EmptyState>
          <Group justify="center">
            <Button component={Link} to={`/tenants/${slug}/policy`} variant="light">
              Open the policy editor
            </Button>
          </Group>
        </Card>
        {editable && (
          <Card withBorder>
            <Title order={3} size="h4" mb="sm">
              Set a candidate from JSON
            </Title>
            <CandidateUpload slug={slug} candidateEtag={null} />
          </Card>
        )}
      </Stack>
    );
  return <CandidateDetails slug={slug} editable={editable} current={candidate.data} />;
}

function CandidateDetails({
  slug,
  editable,
  current,
}: {
  slug: string;
  editable: boolean;
  current: CandidateWithEtag;
}) {
  const qc = useQueryClient();
  const live = useLivePolicy(slug);
  const [range, setRange] = useState<RangeKey>('24h');
  const win = useMemo(() => windowFor(range), [range]);
  const impact = useCandidateImpact(slug, {
    since: win.since,
    until: win.until,
    limit: IMPACT_ROWS,
  });
  // The whole chart is one request; until it answers, empty bars at the expected places.
  const timeline = useCandidateImpactTimeline(slug, {
    since: win.since,
    until: win.until,
    bucket: win.bucket,
  });
  const counted = timeline.data?.bucket === win.bucket ? timeline.data.buckets : null;
  const bars: Bar[] = counted
    ? counted.map((b) => ({ start: b.start, count: b.wouldBlock }))
    : win.starts.map((start) => ({ start, count: undefined }));
  const allowBars = counted?.reduce((n, b) => n + b.wouldAllow, 0) ?? 0;

  const { candidate, etag } = current;
  const diff = useMemo(
    () => (live.data ? candidateDiff(live.data.policy, candidate) : null),
    [live.data, candidate],
  );

  const promote = usePromoteCandidate((p) =>
    notifications.show({
      color: 'green',
      title: 'Candidate promoted',
      message: `Version ${p.version} is live.`,
    }),
  );
  const discard = useDeleteCandidate(() =>
    notifications.show({ color: 'gray', message: 'The candidate was discarded.' }),
  );
  const [promoteOpen, setPromoteOpen] = useState(false);
  const [discardOpen, setDiscardOpen] = useState(false);
  const [note, setNote] = useState('');

  const refresh = () => qc.invalidateQueries({ queryKey: candidateKeys.all(slug) });
  const doPromote = () => {
    if (!live.data) return;
    promote.mutate(
      {
        slug,
        liveEtag: live.data.etag,
        candidateVersion: candidate.version,
        ...(note.trim() ? { note: note.trim() } : {}),
      },
      {
        // Stale: reload what the dialog shows, so a second click promotes what is now on screen.
        onError: (e) => {
          if (e instanceof ApiError && e.status === 412) void refresh();
        },
      },
    );
  };

  return (
    <Stack>
      <Card withBorder>
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            <Group gap="xs">
              <Title order={3} size="h4">
                Candidate version <span data-testid="candidate-version">{candidate.version}</span>
              </Title>
              <Badge color="indigo" variant="light">
                shadow evaluation
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              Saved by {candidate.actor} <Time iso={candidate.updatedAt} />
              {candidate.note ? ` · “${candidate.note}”` : ''}. Live is version{' '}
              {live.data?.policy.version ?? '…'}: only the live policy answers requests.
            </Text>
          </Stack>
          {editable && (
            <Group gap="xs">
              <Button
                variant="default"
                color="red"
                onClick={() => setDiscardOpen(true)}
                data-testid="discard-candidate"
              >
                Discard
              </Button>
              <Button
                color="indigo"
                disabled={!diff}
                onClick={() => {
                  promote.reset();
                  setPromoteOpen(true);
                }}
              >
                Promote…
              </Button>
            </Group>
          )}
        </Group>
      </Card>

      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Changes against live
        </Title>
        {live.error ? (
          <ErrorState error={live.error} onRetry={() => void live.refetch()} />
        ) : !diff ? (
          <LoadingState label="Comparing with the live policy…" />
        ) : (
          <DiffList diff={diff} testId="candidate-diff" />
        )}
      </Card>

      <Card withBorder>
        <Group justify="space-between" align="flex-end" mb="sm">
          <Title order={3} size="h4">
            Impact
          </Title>
          <Group align="flex-end">
            <LabelledSegmented
              id="impact-range-label"
              label="Time range"
              value={range}
              onChange={setRange}
              data={(Object.keys(RANGE_LABELS) as RangeKey[]).map((k) => ({
                value: k,
                label: RANGE_LABELS[k],
              }))}
            />
            <Button variant="default" onClick={() => void refresh()}>
              Refresh
            </Button>
          </Group>
        </Group>
        <Stack>
          <Text size="sm" fw={500}>
            Requests the candidate would newly block, per {win.bucket === 'hour' ? 'hour' : 'day'}
            {allowBars > 0 ? ` (it would also newly allow ${allowBars})` : ''}
          </Text>
          <RefusalsChart
            bars={bars}
            bucket={win.bucket}
            loading={timeline.isPending || timeline.isPlaceholderData}
          />
          {impact.error ? (
            <ErrorState error={impact.error} onRetry={() => void impact.refetch()} />
          ) : !impact.data ? (
            <LoadingState label="Loading the impact…" />
          ) : (
            <>
              <ImpactTotals impact={impact.data} />
              <ImpactTable impact={impact.data} />
            </>
          )}
        </Stack>
      </Card>

      {editable && (
        <Card withBorder>
          <Title order={3} size="h4" mb="sm">
            Replace the candidate with a JSON document
          </Title>
          <CandidateUpload slug={slug} candidateEtag={etag} />
        </Card>
      )}

      {diff && live.data && (
        <PromoteDialog
          opened={promoteOpen}
          liveVersion={live.data.policy.version}
          candidateVersion={candidate.version}
          diff={diff}
          impact={impact.data}
          windowLabel={RANGES[range].label.toLowerCase()}
          note={note}
          onNoteChange={setNote}
          pending={promote.isPending}
          error={promote.error}
          onConfirm={doPromote}
          onClose={() => setPromoteOpen(false)}
        />
      )}
      <ConfirmModal
        opened={discardOpen}
        title={`Discard candidate version ${candidate.version}?`}
        confirmLabel="Discard the candidate"
        pending={discard.isPending}
        error={
          discard.error instanceof ApiError && discard.error.status === 412
            ? new Error(
                'The candidate changed since this page loaded: reload it before discarding.',
              )
            : discard.error
        }
        onConfirm={() => discard.mutate({ slug, etag })}
        onCancel={() => setDiscardOpen(false)}
      >
        Shadow evaluation stops and the impact counted so far is no longer shown. The live policy is
        not changed.
      </ConfirmModal>
      {!editable && (
        <Alert color="gray" variant="light">
          You can read this candidate but not promote, discard or replace it.
        </Alert>
      )}
    </Stack>
  );
}
