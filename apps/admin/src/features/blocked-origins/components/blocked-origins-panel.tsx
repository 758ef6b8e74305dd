import { useMemo, useState } from 'react';
import { Badge, Button, Card, Group, Stack, Table, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { BlockedOrigin } from '@corsplane/contracts';
import { LabelledSegmented } from '../../../components/ui/labelled-segmented.js';
import { ListTable } from '../../../components/ui/list-table.js';
import { SearchField } from '../../../components/ui/search-field.js';
import { EmptyState, ErrorState, LoadingState } from '../../../components/ui/states.js';
import { Time } from '../../../components/ui/time.js';
import { useMe } from '../../auth/index.js';
import { canEditTenant } from '../../auth/index.js';
import { useBlockedOrigins } from '../api/get-blocked-origins.js';
import { useBlockedOriginsTimeline } from '../api/get-blocked-origins-timeline.js';
import { RANGES, windowFor, type RangeKey } from '../lib/time-buckets.js';
import { AllowFixModal } from './allow-fix-modal.js';
import { RefusalsChart, type Bar } from './refusals-chart.js';

/** The refused names beside the reason, as a person would say it: "header-not-allowed: x-trace". */
const reasonLabel = (row: BlockedOrigin) =>
  row.refusedName ? `${row.reason}: ${row.refusedName}` : row.reason;

export function BlockedOriginsPanel({ slug }: { slug: string }) {
  const me = useMe();
  const editable = canEditTenant(me.data, slug);
  const [fixing, setFixing] = useState<BlockedOrigin | null>(null);
  const [range, setRange] = useState<RangeKey>('24h');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  // Recomputed when the range changes, not on every render, so query keys stay stable.
  const win = useMemo(() => windowFor(range), [range]);
  const { since, until, bucket } = win;
  const list = useBlockedOrigins(slug, { since, until, q: q || undefined, limit: 200 });
  // The whole chart is one request; until it answers, empty bars at the expected places.
  const timeline = useBlockedOriginsTimeline(slug, { since, until, bucket, q: q || undefined });
  const bars: Bar[] =
    timeline.data && timeline.data.bucket === bucket
      ? timeline.data.buckets
      : win.starts.map((start) => ({ start, count: undefined }));

  return (
    <Stack>
      <Card withBorder>
        <Group justify="space-between" mb="sm" align="flex-end">
          <Title order={3} size="h4">
            Refusals over time
          </Title>
          <Group align="flex-end">
            <SearchField
              label="Search origins"
              placeholder="part of an origin"
              value={search}
              onChange={setSearch}
              width={260}
            />
            <LabelledSegmented
              id="range-label"
              label="Time range"
              value={range}
              onChange={setRange}
              data={(Object.keys(RANGES) as RangeKey[]).map((k) => ({
                value: k,
                label: RANGES[k].label,
              }))}
            />
          </Group>
        </Group>
        {timeline.error ? (
          <ErrorState
            title="Could not load the chart"
            error={timeline.error}
            onRetry={() => void timeline.refetch()}
          />
        ) : (
          <RefusalsChart
            bars={bars}
            bucket={bucket}
            loading={timeline.isPending || timeline.isPlaceholderData}
          />
        )}
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Blocked origins
        </Title>
        {list.isPending ? (
          <LoadingState label="Loading blocked origins…" />
        ) : list.error ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <EmptyState title={q ? 'No blocked origin matches' : 'Nothing blocked in this period'}>
            Origins refused by /resolve and the SDK show up here, counted per hour.
          </EmptyState>
        ) : (
          <ListTable
            label="Blocked origins"
            columns={[
              'Origin',
              'Reason',
              { label: 'Count', align: 'right' },
              'First seen',
              'Last seen',
              { label: 'Actions', hidden: true },
            ]}
            minWidth={720}
            highlightOnHover
          >
            {list.data.items.map((row) => (
              <Table.Tr
                key={`${row.origin} ${row.reason}`}
                data-testid="blocked-row"
                style={row.allowedInVersion !== null ? { opacity: 0.6 } : undefined}
              >
                <Table.Td className="mono">{row.origin}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color="red" tt="none">
                    {reasonLabel(row)}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right">{row.count}</Table.Td>
                <Table.Td>
                  <Time iso={row.firstSeen} />
                </Table.Td>
                <Table.Td>
                  <Time iso={row.lastSeen} />
                </Table.Td>
                <Table.Td ta="right">
                  {row.allowedInVersion !== null ? (
                    <Badge variant="light" color="green" data-testid="allowed-now" tt="none">
                      Allowed now (v{row.allowedInVersion})
                    </Badge>
                  ) : (
                    editable &&
                    row.reason !== 'malformed-origin' && (
                      <Button
                        size="xs"
                        variant="light"
                        color="green"
                        aria-label={`Allow ${row.origin} (${reasonLabel(row)})`}
                        onClick={() => setFixing(row)}
                      >
                        Allow
                      </Button>
                    )
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </ListTable>
        )}
      </Card>
      {fixing && <AllowFixModal slug={slug} row={fixing} onClose={() => setFixing(null)} />}
    </Stack>
  );
}
