import { Badge, Loader, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Time } from '../../../components/ui/time.js';
import { versionsQueryOptions } from '../../versions/api/get-versions.js';

/** Origin count, mode and last change of one tenant, from its newest policy version. */
export function TenantSummaryCells({ slug }: { slug: string }) {
  const latest = useQuery(versionsQueryOptions(slug, 1));
  if (latest.isPending)
    return (
      <Table.Td colSpan={3}>
        <Loader size="xs" aria-label={`Loading ${slug}`} />
      </Table.Td>
    );
  const v = latest.data?.items[0];
  if (latest.error || !v)
    return (
      <Table.Td colSpan={3}>
        <Text size="sm" c="dimmed">
          unavailable
        </Text>
      </Table.Td>
    );
  return (
    <>
      <Table.Td data-testid="origin-count">{v.policy.origins.length}</Table.Td>
      <Table.Td>
        <Badge color={v.policy.mode === 'enforce' ? 'indigo' : 'orange'} variant="light">
          {v.policy.mode}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          <Time iso={v.createdAt} />{' '}
          <Text span c="dimmed" size="xs">
            by {v.actor} (v{v.version})
          </Text>
        </Text>
      </Table.Td>
    </>
  );
}
