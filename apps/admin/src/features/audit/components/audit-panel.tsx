import { Fragment, useState } from 'react';
import {
  Autocomplete,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Select,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { PageHeader } from '../../../components/ui/page-header.js';
import { ListTable } from '../../../components/ui/list-table.js';
import { EmptyState, ErrorState, LoadingState } from '../../../components/ui/states.js';
import { Time } from '../../../components/ui/time.js';
import { useTenants } from '../../tenants/index.js';
import { useAudit } from '../api/get-audit.js';
import { download, toCsv } from '../../../lib/csv.js';
import {
  AUDIT_CSV_HEADER,
  auditCsvRows,
  changesLabel,
  isSignInNoise,
} from '../lib/audit-labels.js';
import { ValueChanges } from './value-changes.js';

const ACTIONS = [
  'policy.update',
  'policy.restore',
  'tenant.create',
  'tenant.update',
  'tenant.delete',
  'key.create',
  'key.revoke',
  'user.create',
  'user.update',
  'user.delete',
  'auth.login',
  'auth.logout',
  'auth.token.create',
  'auth.token.revoke',
];

export function AuditPanel() {
  const tenants = useTenants();
  const [tenant, setTenant] = useState<string | null>(null);
  const [action, setAction] = useState<string | null>(null);
  const [actorInput, setActorInput] = useState('');
  const [actor] = useDebouncedValue(actorInput.trim(), 300);
  const [open, setOpen] = useState<string | null>(null);
  const [hideSignIns, setHideSignIns] = useState(true);
  const audit = useAudit({
    tenant: tenant ?? undefined,
    action: action ?? undefined,
    actor: actor || undefined,
  });
  const loaded = audit.data?.pages.flatMap((p) => p.items) ?? [];
  // Filtering for an auth action shows it whatever the checkbox says.
  const events =
    hideSignIns && !action?.startsWith('auth.log')
      ? loaded.filter((e) => !isSignInNoise(e))
      : loaded;
  const hidden = loaded.length - events.length;
  const actors = [...new Set(loaded.map((e) => e.actor.label))];

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change, who made it and when. Append-only."
      />
      <Card withBorder mb="md">
        <Group align="flex-end">
          <Select
            label="Tenant"
            placeholder="all tenants"
            clearable
            searchable
            data={(tenants.data?.items ?? []).map((t) => ({
              value: t.slug,
              label: `${t.name} (${t.slug})`,
            }))}
            value={tenant}
            onChange={setTenant}
            w={260}
          />
          <Autocomplete
            label="Actor"
            description="exact email or key name"
            placeholder="anyone"
            data={actors}
            value={actorInput}
            onChange={setActorInput}
            w={260}
          />
          <Select
            label="Action"
            placeholder="any action"
            clearable
            searchable
            data={ACTIONS}
            value={action}
            onChange={setAction}
            w={220}
          />
          <Checkbox
            label="Hide sign-ins and sign-outs"
            checked={hideSignIns}
            onChange={(e) => setHideSignIns(e.currentTarget.checked)}
            mb={8}
          />
          <Button
            variant="default"
            ml="auto"
            disabled={events.length === 0}
            onClick={() =>
              download('corsplane-audit.csv', toCsv(AUDIT_CSV_HEADER, auditCsvRows(events)))
            }
          >
            Export CSV
          </Button>
        </Group>
        {hidden > 0 && (
          <Text size="xs" c="dimmed" mt="xs" data-testid="hidden-sign-ins">
            {hidden} sign-in{hidden === 1 ? '' : 's'} hidden.
          </Text>
        )}
      </Card>
      <Card withBorder>
        {audit.isPending ? (
          <LoadingState label="Loading the audit log…" />
        ) : audit.error ? (
          <ErrorState error={audit.error} onRetry={() => void audit.refetch()} />
        ) : events.length === 0 ? (
          <EmptyState title="No events">
            Nothing matches these filters{hidden > 0 ? ' (sign-ins are hidden)' : ''}.
          </EmptyState>
        ) : (
          <Stack>
            <ListTable
              label="Audit events"
              columns={[
                'When',
                'Actor',
                'Action',
                'Tenant',
                'Note',
                { label: 'Details', hidden: true },
              ]}
              minWidth={720}
            >
              {events.map((e) => (
                <Fragment key={e.id}>
                  <Table.Tr data-testid="audit-row">
                    <Table.Td>
                      <Time iso={e.at} />
                    </Table.Td>
                    <Table.Td>
                      {e.actor.label}{' '}
                      {e.actor.type !== 'user' && (
                        <Badge size="xs" variant="light" color="gray">
                          {e.actor.type}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light">{e.action}</Badge>
                    </Table.Td>
                    <Table.Td className="mono">{e.tenant ?? '—'}</Table.Td>
                    <Table.Td data-testid="audit-note">{e.note ?? ''}</Table.Td>
                    <Table.Td ta="right">
                      <Button
                        size="xs"
                        variant="subtle"
                        aria-expanded={open === e.id}
                        aria-controls={`audit-${e.id}`}
                        aria-label={changesLabel(e, open === e.id)}
                        onClick={() => setOpen(open === e.id ? null : e.id)}
                      >
                        {open === e.id ? 'Hide changes' : 'Show changes'}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                  {open === e.id && (
                    <Table.Tr id={`audit-${e.id}`}>
                      <Table.Td colSpan={6} bg="gray.0">
                        <ValueChanges before={e.before} after={e.after} />
                        {e.requestId && (
                          <Text size="xs" c="dimmed" mt="xs">
                            request {e.requestId}
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              ))}
            </ListTable>
            {audit.hasNextPage && (
              <Group justify="center">
                <Button
                  variant="default"
                  loading={audit.isFetchingNextPage}
                  onClick={() => void audit.fetchNextPage()}
                >
                  Load older events
                </Button>
              </Group>
            )}
          </Stack>
        )}
      </Card>
    </>
  );
}
