import { Code, Stack, Table, Text } from '@mantine/core';
import type { PolicyInput } from '@corsplane/contracts';
import { diffValues } from '../../../lib/value-diff.js';
import { PolicyChanges } from '../../policy/index.js';
import { diffPolicies } from '../../policy/index.js';
import { withoutVersion } from '../../policy/index.js';

const isPolicy = (v: unknown): v is PolicyInput =>
  typeof v === 'object' &&
  v !== null &&
  Array.isArray((v as PolicyInput).origins) &&
  Array.isArray((v as PolicyInput).allowedMethods);

const show = (v: unknown) => (v === undefined ? '' : JSON.stringify(v));

/** An audit event's before/after: a policy diff for policy changes, a field-by-field diff otherwise. */
export function ValueChanges({ before, after }: { before: unknown; after: unknown }) {
  if (isPolicy(before) && isPolicy(after)) {
    return (
      <PolicyChanges
        changes={diffPolicies(withoutVersion(before), withoutVersion(after))}
        testId="audit-diff"
      />
    );
  }
  const changes = diffValues(before, after);
  if (changes.length === 0)
    return (
      <Text size="sm" c="dimmed" data-testid="audit-diff">
        No recorded field changes.
      </Text>
    );
  return (
    <Stack gap="xs" data-testid="audit-diff">
      <Table withTableBorder verticalSpacing={4} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Field</Table.Th>
            <Table.Th>Before</Table.Th>
            <Table.Th>After</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {changes.map((c) => (
            <Table.Tr
              key={c.path}
              className={
                c.kind === 'added'
                  ? 'diff-added'
                  : c.kind === 'removed'
                    ? 'diff-removed'
                    : 'diff-changed'
              }
            >
              <Table.Td className="mono">{c.path || '(value)'}</Table.Td>
              <Table.Td>
                <Code>{show(c.before)}</Code>
              </Table.Td>
              <Table.Td>
                <Code>{show(c.after)}</Code>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
