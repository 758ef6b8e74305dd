import { Group, Table, Text } from '@mantine/core';
import type { CandidateImpact, ShadowDirection } from '@corsplane/contracts';
import { ListTable } from '../../../components/ui/list-table.js';
import { EmptyState } from '../../../components/ui/states.js';
import { Time } from '../../../components/ui/time.js';

export const DIRECTION_LABEL: Record<ShadowDirection, string> = {
  'would-block': 'would newly block',
  'would-allow': 'would newly allow',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One direction's total, as text that wraps on a phone (a badge would cut it). */
function Total({ color, testId, children }: { color: string; testId: string; children: string }) {
  return (
    <Text
      size="sm"
      fw={600}
      c={`${color}.8`}
      bg={`${color}.0`}
      px="sm"
      py={4}
      style={{ borderRadius: 4 }}
      data-testid={testId}
    >
      {children}
    </Text>
  );
}

/** The totals of an impact window: requests and distinct origins per direction. */
export function ImpactTotals({ impact }: { impact: CandidateImpact }) {
  const { totals: t } = impact;
  return (
    <Group gap="xs" data-testid="impact-totals">
      <Total color="red" testId="total-would-block">
        {`Would newly block: ${plural(t.wouldBlock, 'request')} from ${plural(t.wouldBlockOrigins, 'origin')}`}
      </Total>
      <Total color="green" testId="total-would-allow">
        {`Would newly allow: ${plural(t.wouldAllow, 'request')} from ${plural(t.wouldAllowOrigins, 'origin')}`}
      </Total>
    </Group>
  );
}

/** The impact rows: each origin the candidate would answer differently, most counted first. */
export function ImpactTable({ impact, limit }: { impact: CandidateImpact; limit?: number }) {
  const rows = limit === undefined ? impact.rows : impact.rows.slice(0, limit);
  if (rows.length === 0)
    return (
      <EmptyState title="No difference seen in this period">
        Requests that the candidate would answer differently from the live policy are counted here
        per origin and hour, as /resolve and the SDKs see them.
      </EmptyState>
    );
  return (
    <>
      <ListTable
        label="Candidate impact"
        columns={[
          'Origin',
          'Change',
          'Candidate reason',
          { label: 'Requests', align: 'right' },
          'First seen',
          'Last seen',
        ]}
        minWidth={760}
      >
        {rows.map((r) => (
          <Table.Tr key={`${r.origin} ${r.direction} ${r.reason}`} data-testid="impact-row">
            <Table.Td className="mono" style={{ wordBreak: 'break-all' }}>
              {r.origin}
            </Table.Td>
            <Table.Td>
              <Text size="sm" fw={600} c={r.direction === 'would-block' ? 'red.8' : 'green.8'}>
                {DIRECTION_LABEL[r.direction]}
              </Text>
            </Table.Td>
            <Table.Td className="mono">{r.reason}</Table.Td>
            <Table.Td ta="right">{r.count}</Table.Td>
            <Table.Td>
              <Time iso={r.firstSeen} />
            </Table.Td>
            <Table.Td>
              <Time iso={r.lastSeen} />
            </Table.Td>
          </Table.Tr>
        ))}
      </ListTable>
      {(impact.nextCursor !== null || rows.length < impact.rows.length) && (
        <Text size="xs" c="dimmed">
          The most counted origins are shown; the totals above cover every origin.
        </Text>
      )}
    </>
  );
}
