import { useState } from 'react';
import { Card, Code, NumberInput, Stack, Table, TextInput, Title } from '@mantine/core';
import type { AdminToken, CreatedAdminToken } from '@corsplane/contracts';
import { ListTable, RevokeCell, StatusCell, TimeCell } from '../../../components/ui/list-table.js';
import { EmptyState, QueryStates } from '../../../components/ui/states.js';
import { InlineCreateForm } from '../../../components/ui/inline-create-form.js';
import { ConfirmModal } from '../../../components/ui/confirm-modal.js';
import { ShownOnceModal } from '../../../components/ui/shown-once-modal.js';
import { Time } from '../../../components/ui/time.js';
import { useCreateToken } from '../api/create-token.js';
import { useTokens } from '../api/get-tokens.js';
import { useRevokeToken } from '../api/revoke-token.js';

const DEFAULT_DAYS = 30;

function isLive(t: AdminToken): boolean {
  return !t.revokedAt && Date.parse(t.expiresAt) > Date.now();
}

/** Your admin API tokens: create one for a script (shown once), see when each expires, revoke. */
export function AdminTokensPanel() {
  const tokens = useTokens();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [name, setName] = useState('');
  const [days, setDays] = useState<number>(DEFAULT_DAYS);
  const [created, setCreated] = useState<CreatedAdminToken | null>(null);
  const [revoking, setRevoking] = useState<AdminToken | null>(null);
  const prefixOf = new Map(tokens.data?.items.map((t) => [t.id, t.prefix]) ?? []);

  const submit = () => {
    if (!name.trim()) return;
    create.mutate(
      { name: name.trim(), expiresInDays: days },
      { onSuccess: (t) => (setCreated(t), setName('')) },
    );
  };

  return (
    <Stack>
      <Title order={2}>Admin tokens</Title>
      <InlineCreateForm
        label="Create API token"
        submitLabel="Create token"
        pending={create.isPending}
        disabled={!name.trim()}
        error={create.error}
        onSubmit={submit}
      >
        <TextInput
          label="New token name"
          description="What uses it, e.g. “terraform in CI”."
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          w={320}
        />
        <NumberInput
          label="Expires in (days)"
          description="Every token expires."
          min={1}
          value={days}
          onChange={(v) => setDays(typeof v === 'number' ? v : DEFAULT_DAYS)}
          w={160}
        />
      </InlineCreateForm>
      <Card withBorder>
        <QueryStates
          query={tokens}
          loadingLabel="Loading tokens…"
          isEmpty={(d) => d.items.length === 0}
          empty={
            <EmptyState title="No tokens yet">
              Scripts call the admin API with <Code>Authorization: Bearer &lt;token&gt;</Code>,
              acting with your roles. Create one above.
            </EmptyState>
          }
        >
          {(data) => (
            <ListTable
              label="API tokens"
              columns={[
                'Prefix',
                'Name',
                'Created',
                'Expires',
                'Last used',
                'Minted by',
                'Status',
                { label: 'Actions', hidden: true },
              ]}
            >
              {data.items.map((t) => (
                <Table.Tr key={t.id} data-testid={`token-row-${t.prefix}`}>
                  <Table.Td className="mono">{t.prefix}…</Table.Td>
                  <Table.Td>{t.name}</Table.Td>
                  <TimeCell iso={t.createdAt} />
                  <TimeCell iso={t.expiresAt} />
                  <TimeCell iso={t.lastUsedAt} never="never" />
                  <Table.Td className="mono">
                    {t.parentId ? `${prefixOf.get(t.parentId) ?? 'a token'}…` : 'console'}
                  </Table.Td>
                  <StatusCell
                    active={isLive(t)}
                    inactiveLabel={t.revokedAt ? 'revoked' : 'expired'}
                  />
                  <RevokeCell
                    label={`Revoke token ${t.prefix}`}
                    show={!t.revokedAt}
                    onRevoke={() => setRevoking(t)}
                  />
                </Table.Tr>
              ))}
            </ListTable>
          )}
        </QueryStates>
      </Card>
      <ShownOnceModal
        title="Token created"
        what="token"
        secret={created?.token ?? null}
        testId="new-token-secret"
        warning="It is shown only this once; corsplane keeps only its hash."
        onClose={() => setCreated(null)}
      >
        Expires <Time iso={created?.expiresAt} />. Tokens it creates expire with it at the latest,
        and are revoked with it.
      </ShownOnceModal>
      <ConfirmModal
        opened={revoking !== null}
        title={`Revoke token ${revoking?.prefix ?? ''}…?`}
        confirmLabel="Revoke token"
        pending={revoke.isPending}
        error={revoke.error}
        onCancel={() => (setRevoking(null), revoke.reset())}
        onConfirm={() =>
          revoking && revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) })
        }
      >
        Scripts using “{revoking?.name}” get 401 from now on, and so do the tokens created with it.
        This cannot be undone.
      </ConfirmModal>
    </Stack>
  );
}
