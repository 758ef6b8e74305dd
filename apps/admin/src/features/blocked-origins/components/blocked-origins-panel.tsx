import { useMemo, useState } from 'react';
import {
  Badge,
  Button,
  Card,
  Group,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useNavigate } from 'react-router';
import { ListTable } from '../../../components/ui/list-table.js';
import { EmptyState, ErrorState, LoadingState } from '../../../components/ui/states.js';
import { Time } from '../../../components/ui/time.js';
import { useMe } from '../../auth/api/get-me.js';
import { canEditTenant } from '../../auth/lib/permissions.js';
import { suggestPatterns } from '../../policy/lib/suggest-patterns.js';
import { useBlockedOrigins } from '../api/get-blocked-origins.js';
import { useBlockedOriginsTimeline } from '../api/get-blocked-origins-timeline.js';
import { RANGES, windowFor, type RangeKey } from '../lib/time-buckets.js';
import { RefusalsChart, type Bar } from './refusals-chart.js';

export function BlockedOriginsPanel({ slug }: { slug: string }) {
  const me = useMe();
  const editable = canEditTenant(me.data, slug);
  const navigate = useNavigate();
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
            <TextInput
              label="Search origins"
              type="search"
              placeholder="part of an origin"
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              w={260}
            />
            <Stack gap={4}>
              <Text size="sm" fw={500} id="range-label">
                Time range
              </Text>
              <SegmentedControl
                aria-labelledby="range-label"
                value={range}
                onChange={(v) => setRange(v as RangeKey)}
                data={(Object.keys(RANGES) as RangeKey[]).map((k) => ({
                  value: k,
                  label: RANGES[k].label,
                }))}
              />
            </Stack>
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
            {list.data.items.map((row) => {
              const fits = suggestPatterns(row.origin);
              return (
                <Table.Tr key={`${row.origin} ${row.reason}`} data-testid="blocked-row">
                  <Table.Td className="mono">{row.origin}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color="red">
                      {row.reason}
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
                    {editable && fits.length > 0 && (
                      <Button
                        size="xs"
                        variant="light"
                        color="green"
                        aria-label={`Allow ${row.origin}`}
                        title={
                          fits.length > 1
                            ? `Also fits ${fits
                                .slice(1)
                                .map((f) => f.pattern)
                                .join(', ')}`
                            : undefined
                        }
                        onClick={() =>
                          void navigate(
                            `/tenants/${slug}/policy?allow=${encodeURIComponent(row.origin)}`,
                          )
                        }
                      >
                        Allow
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </ListTable>
        )}
      </Card>
    </Stack>
  );
}
