import { useState } from 'react';
import { Anchor, Button, Card, Table, Text, TextInput } from '@mantine/core';
import { ListTable, RowAction } from '../../components/ui/list-table.js';
import { Link, useNavigate } from 'react-router';
import { PageHeader } from '../../components/ui/page-header.js';
import { EmptyState, ErrorState, LoadingState } from '../../components/ui/states.js';
import { useMe } from '../../features/auth/index.js';
import { isPlatformAdmin } from '../../features/auth/index.js';
import { useTenants } from '../../features/tenants/index.js';
import { CreateTenantModal } from '../../features/tenants/index.js';
import { DeleteTenantModal } from '../../features/tenants/index.js';
import { TenantSummaryCells } from '../../features/tenants/index.js';

export function TenantsRoute() {
  const tenants = useTenants();
  const me = useMe();
  const admin = isPlatformAdmin(me.data);
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);

  const q = search.trim().toLowerCase();
  const rows = (tenants.data?.items ?? []).filter(
    (t) => !q || t.slug.includes(q) || t.name.toLowerCase().includes(q),
  );

  return (
    <>
      <PageHeader
        title="Tenants"
        description="Each tenant has one CORS policy, versioned."
        actions={admin && <Button onClick={() => setCreating(true)}>New tenant</Button>}
      />
      <Card withBorder>
        <TextInput
          label="Search tenants"
          placeholder="slug or name"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          mb="md"
          maw={360}
          type="search"
        />
        {tenants.isPending ? (
          <LoadingState label="Loading tenants…" />
        ) : tenants.error ? (
          <ErrorState error={tenants.error} onRetry={() => void tenants.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState title={q ? 'No tenant matches' : 'No tenants yet'}>
            {q
              ? `Nothing matches “${search}”.`
              : admin
                ? 'Create the first tenant to start managing its CORS policy.'
                : 'Ask a platform admin to add you to a tenant.'}
          </EmptyState>
        ) : (
          <ListTable
            label="Tenants"
            columns={[
              'Tenant',
              'Origins',
              'Mode',
              'Last change',
              admin && { label: 'Actions', hidden: true },
            ]}
            spacing="sm"
            highlightOnHover
          >
            {rows.map((t) => (
              <Table.Tr key={t.id} data-testid={`tenant-row-${t.slug}`}>
                <Table.Td>
                  <Anchor component={Link} to={`/tenants/${t.slug}/policy`} fw={600}>
                    {t.name}
                  </Anchor>
                  <Text size="xs" c="dimmed" className="mono">
                    {t.slug}
                  </Text>
                </Table.Td>
                <TenantSummaryCells tenant={t} />
                {admin && (
                  <Table.Td ta="right">
                    <RowAction
                      label={`Delete tenant ${t.slug}`}
                      onClick={() => setDeleting(t.slug)}
                      danger
                    >
                      Delete
                    </RowAction>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </ListTable>
        )}
      </Card>
      <CreateTenantModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(slug) => void navigate(`/tenants/${slug}/policy`)}
      />
      <DeleteTenantModal slug={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}
