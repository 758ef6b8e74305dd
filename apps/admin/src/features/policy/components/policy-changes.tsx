import { Badge, Group, Stack, Text } from '@mantine/core';
import { describeChange, type PolicyChange } from '../lib/policy-diff.js';

const TONE: Record<PolicyChange['kind'], { color: string; label: string; cls: string }> = {
  'origin-added': { color: 'green', label: 'added', cls: 'diff-added' },
  'list-added': { color: 'green', label: 'added', cls: 'diff-added' },
  'origin-removed': { color: 'red', label: 'removed', cls: 'diff-removed' },
  'list-removed': { color: 'red', label: 'removed', cls: 'diff-removed' },
  'origin-changed': { color: 'yellow', label: 'changed', cls: 'diff-changed' },
  'scalar-changed': { color: 'yellow', label: 'changed', cls: 'diff-changed' },
};

/** A policy diff as a list of coloured lines (+ added, - removed, ~ changed). */
export function PolicyChanges({
  changes,
  empty = 'No differences.',
  testId = 'policy-changes',
}: {
  changes: PolicyChange[];
  empty?: string;
  testId?: string;
}) {
  if (changes.length === 0)
    return (
      <Text size="sm" c="dimmed" data-testid={testId}>
        {empty}
      </Text>
    );
  return (
    <Stack
      gap={4}
      data-testid={testId}
      component="ul"
      style={{ listStyle: 'none', padding: 0, margin: 0 }}
    >
      {changes.map((c, i) => {
        const tone = TONE[c.kind];
        return (
          <Group
            key={i}
            gap="xs"
            wrap="nowrap"
            component="li"
            className={tone.cls}
            px="xs"
            py={2}
            style={{ borderRadius: 4 }}
          >
            <Badge size="xs" color={tone.color} variant="light" w={80}>
              {tone.label}
            </Badge>
            <Text size="sm" className="mono" style={{ wordBreak: 'break-all' }}>
              {describeChange(c)}
            </Text>
          </Group>
        );
      })}
    </Stack>
  );
}
