import { Alert, Group, Badge, Stack, Text } from '@mantine/core';
import { PolicyChanges } from '../../policy/index.js';
import { DIFF_LINES_SHOWN, type CandidateDiff } from '../lib/candidate-diff.js';

/** The candidate's diff against live: counts, then the first lines (a long origin list is cut). */
export function DiffList({ diff, testId }: { diff: CandidateDiff; testId: string }) {
  const shown = diff.changes.slice(0, DIFF_LINES_SHOWN);
  const more = diff.changes.length - shown.length;
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Badge color="green" variant="light">
          {diff.added} origin{diff.added === 1 ? '' : 's'} added
        </Badge>
        <Badge color="red" variant="light">
          {diff.removed} origin{diff.removed === 1 ? '' : 's'} removed
        </Badge>
        <Badge color="yellow" variant="light">
          {diff.settingsChanged} setting change{diff.settingsChanged === 1 ? '' : 's'}
        </Badge>
      </Group>
      <PolicyChanges
        changes={shown}
        testId={testId}
        empty={
          diff.routesChanged
            ? 'Only per-route rules differ.'
            : 'The candidate is the same as the live policy.'
        }
      />
      {more > 0 && (
        <Text size="sm" c="dimmed">
          …and {more.toLocaleString()} more change{more === 1 ? '' : 's'}.
        </Text>
      )}
      {diff.routesChanged && (
        <Alert color="yellow" variant="light">
          Per-route rules differ too (compare them in the candidate document).
        </Alert>
      )}
    </Stack>
  );
}
