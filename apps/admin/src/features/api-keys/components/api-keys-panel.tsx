import { useState } from 'react';
import { Card, Code, Stack, Table, TextInput, Title } from '@mantine/core';
import type { ApiKey, CreatedApiKey } from '@corsplane/contracts';
import { ListTable, RevokeCell, StatusCell, TimeCell } from '../../../components/ui/list-table.js';
import { EmptyState, QueryStates } from '../../../components/ui/states.js';
import { InlineCreateForm } from '../../../components/ui/inline-create-form.js';
import { ConfirmModal } from '../../../components/ui/confirm-modal.js';
import { ShownOnceModal } from '../../../components/ui/shown-once-modal.js';
import { useMe } from '../../auth/index.js';
import { canEditTenant, isPlatformAdmin } from '../../auth/index.js';
import type { KeyScope } from '../api/keys.js';
import { useCreateKey } from '../api/create-key.js';
import { useKeys } from '../api/get-keys.js';
import { useRevokeKey } from '../api/revoke-key.js';
import { KeySnippets } from './key-snippets.js';

/** A tenant's keys (`scope` = its slug), or the platform keys (`scope` null: platform admins write them). */
export function ApiKeysPanel({ scope }: { scope: KeyScope }) {
  const keys = useKeys(scope);
  const me = useMe();
  const editable = scope === null ? isPlatformAdmin(me.data) : canEditTenant(me.data, scope);
  const create = useCreateKey();
  const revoke = useRevokeKey();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  const submit = () => {
    if (!name.trim()) return;
    create.mutate({ scope, name: name.trim() }, { onSuccess: (k) => (setCreated(k), setName('')) });
  };

  return (
    <Stack>
      {editable && (
        <InlineCreateForm
          label="Create API key"
          submitLabel="Create key"
          pending={create.isPending}
          disabled={!name.trim()}
          error={create.error}
          onSubmit={submit}
        >
          <TextInput
            label="New key name"
            description="Who uses it, e.g. “edge gateway eu-west”."
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            w={360}
          />
        </InlineCreateForm>
      )}
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          {scope === null ? 'Platform keys for /resolve' : 'Keys for /resolve'}
        </Title>
        <QueryStates
          query={keys}
          loadingLabel="Loading keys…"
          isEmpty={(d) => d.items.length === 0}
          empty={
            <EmptyState title="No keys yet">
              {scope === null
                ? 'A platform key resolves for any tenant it names (tenant=<slug>). Create one above.'
                : 'Gateways and the SDK call /resolve with a tenant key. Create one above.'}
            </EmptyState>
          }
        >
          {(data) => (
            <ListTable
              label="API keys"
              columns={[
                'Prefix',
                'Name',
                'Created',
                'Last used',
                'Status',
                { label: 'Actions', hidden: true },
              ]}
            >
              {data.items.map((k) => (
                <Table.Tr key={k.id} data-testid={`key-row-${k.prefix}`}>
                  <Table.Td className="mono">{k.prefix}…</Table.Td>
                  <Table.Td>{k.name}</Table.Td>
                  <TimeCell iso={k.createdAt} />
                  <TimeCell iso={k.lastUsedAt} never="never" />
                  <StatusCell active={!k.revokedAt} inactiveLabel="revoked" />
                  <RevokeCell
                    label={`Revoke key ${k.prefix}`}
                    show={editable && !k.revokedAt}
                    onRevoke={() => setRevoking(k)}
                  />
                </Table.Tr>
              ))}
            </ListTable>
          )}
        </QueryStates>
      </Card>
      <ShownOnceModal
        title="Key created"
        what="secret"
        secret={created?.secret ?? null}
        testId="new-key-secret"
        warning="It is shown only this once; corsplane keeps only its hash. Lose it and you create a new key."
        onClose={() => setCreated(null)}
        extra={
          created && (
            <KeySnippets secret={created.secret} tenant={scope === null ? 'TENANT_SLUG' : null} />
          )
        }
      >
        Use it as <Code>Authorization: Bearer {created?.prefix}…</Code> on <Code>GET /resolve</Code>
        .
      </ShownOnceModal>
      <ConfirmModal
        opened={revoking !== null}
        title={`Revoke key ${revoking?.prefix ?? ''}…?`}
        confirmLabel="Revoke key"
        pending={revoke.isPending}
        error={revoke.error}
        onCancel={() => (setRevoking(null), revoke.reset())}
        onConfirm={() =>
          revoking &&
          revoke.mutate({ scope, id: revoking.id }, { onSuccess: () => setRevoking(null) })
        }
      >
        Callers using “{revoking?.name}” get 401 from /resolve from now on. This cannot be undone.
      </ConfirmModal>
    </Stack>
  );
}
