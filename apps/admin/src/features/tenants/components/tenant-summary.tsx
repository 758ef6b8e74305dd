import { Badge, Table, Text } from '@mantine/core';
import type { Tenant } from '@corsplane/contracts';
import { Time } from '../../../components/ui/time.js';

/** Origin count, mode and last change of one tenant's current policy (from the tenant list itself). */
export function TenantSummaryCells({ tenant }: { tenant: Tenant }) {
  return (
    <>
      <Table.Td data-testid="origin-count">{tenant.originCount}</Table.Td>
      <Table.Td>
        <Badge color={tenant.mode === 'enforce' ? 'indigo' : 'orange'} variant="light">
          {tenant.mode}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          <Time iso={tenant.lastChangedAt} />{' '}
          <Text span c="dimmed" size="xs">
            {tenant.lastChangedBy ? `by ${tenant.lastChangedBy} ` : ''}(v{tenant.policyVersion})
          </Text>
        </Text>
      </Table.Td>
    </>
  );
}
