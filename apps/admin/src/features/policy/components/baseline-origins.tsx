import { Badge, Card, Group, Table, Text, Title } from '@mantine/core';
import { useTenantBaseline } from '../api/get-tenant-baseline.js';

/**
 * The platform baseline's entries as they apply to this tenant: part of its effective policy, shown
 * read-only (tenants cannot remove them; platform admins edit them on the platform page).
 */
export function BaselineOrigins({ slug }: { slug: string }) {
  const baseline = useTenantBaseline(slug);
  const rows = baseline.data?.origins ?? [];
  if (rows.length === 0) return null;
  return (
    <Card withBorder data-testid="baseline-origins">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4">
          Platform baseline
        </Title>
        <Badge variant="light" color="gray">
          read-only
        </Badge>
      </Group>
      <Text size="xs" c="dimmed" mb="xs">
        Every tenant includes these origins. Only platform admins change them.
      </Text>
      <Table verticalSpacing="xs" aria-label="Platform baseline origins">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="44%">Pattern</Table.Th>
            <Table.Th>Note</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.pattern}>
              <Table.Td>
                <code>{row.pattern}</code>
                {row.template !== row.pattern && (
                  <Text size="xs" c="dimmed">
                    from <code>{row.template}</code>
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{row.note ?? ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
