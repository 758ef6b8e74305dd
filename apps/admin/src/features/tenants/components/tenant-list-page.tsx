import { useState } from 'react';
import { Anchor, Button, Card, Group, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Link, useNavigate } from 'react-router';
import { ListTable, RowAction } from '../../../components/ui/list-table.js';
import { PageHeader } from '../../../components/ui/page-header.js';
import { EmptyState, ErrorState, LoadingState } from '../../../components/ui/states.js';
import { useMe } from '../../auth/api/get-me.js';
import { isPlatformAdmin } from '../../auth/lib/permissions.js';
import { useTenantPages } from '../api/get-tenants.js';
import { CreateTenantModal } from './create-tenant-modal.js';
import { DeleteTenantModal } from './delete-tenant-modal.js';
import { TenantSummaryCells } from './tenant-summary.js';

/** Typing pauses this long before the API is asked (one request per pause, not per keystroke). */
const SEARCH_DEBOUNCE_MS = 250;

/**
 * The tenant list: the API searches (slug and name) and pages it (cursor, SPEC §4.1), so a platform with
 * thousands of tenants costs one page per "Load more", not one list of everything.
 */
export function TenantListPage() {
  const me = useMe();
  const admin = isPlatformAdmin(me.data);
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const tenants = useTenantPages(q);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);

  const rows = tenants.data?.pages.flatMap((p) => p.items) ?? [];

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
              ? `Nothing matches “${q}”.`
              : admin
                ? 'Create the first tenant to start managing its CORS policy.'
                : 'Ask a platform admin to add you to a tenant.'}
          </EmptyState>
        ) : (
          <>
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
            <Group justify="space-between" mt="sm">
              <Text size="sm" c="dimmed" data-testid="tenant-count">
                {rows.length} tenant{rows.length === 1 ? '' : 's'} shown
                {tenants.hasNextPage ? ', more below' : ''}
              </Text>
              {tenants.hasNextPage && (
                <Button
                  variant="default"
                  size="xs"
                  loading={tenants.isFetchingNextPage}
                  onClick={() => void tenants.fetchNextPage()}
                >
                  Load more
                </Button>
              )}
            </Group>
          </>
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
