import { useState } from 'react';
import { Badge, Card, Group, Table, Text, Title } from '@mantine/core';
import type { Invitation } from '@corsplane/contracts';
import { ConfirmModal } from '../../../components/ui/confirm-modal.js';
import { ListTable, RevokeCell, TimeCell } from '../../../components/ui/list-table.js';
import { ErrorState, LoadingState } from '../../../components/ui/states.js';
import { useInvitations } from '../api/get-invitations.js';
import { useRevokeInvitation } from '../api/revoke-invitation.js';

/** Invitations not yet used, revoked or expired, each with Revoke. Hidden while there are none. */
export function PendingInvitations() {
  const invitations = useInvitations();
  const revoke = useRevokeInvitation();
  const [revoking, setRevoking] = useState<Invitation | null>(null);

  if (invitations.isPending) return <LoadingState label="Loading invitations…" />;
  if (invitations.error)
    return <ErrorState error={invitations.error} onRetry={() => void invitations.refetch()} />;
  if (invitations.data.items.length === 0) return null;
  return (
    <Card withBorder mt="md">
      <Title order={2} size="h4" mb="sm">
        Pending invitations
      </Title>
      <ListTable
        label="Pending invitations"
        columns={['Email', 'Grants', 'Invited by', 'Expires', { label: 'Actions', hidden: true }]}
        minWidth={720}
      >
        {invitations.data.items.map((i) => (
          <Table.Tr key={i.id} data-testid={`invitation-row-${i.email}`}>
            <Table.Td>
              <Text size="sm" fw={500}>
                {i.email}
              </Text>
            </Table.Td>
            <Table.Td>
              <Group gap={4}>
                {i.platformRole && <Badge variant="light">{i.platformRole}</Badge>}
                {i.memberships.map((m) => (
                  <Badge key={m.tenant} variant="outline" tt="none">
                    {m.tenant}: {m.role}
                  </Badge>
                ))}
                {!i.platformRole && i.memberships.length === 0 && '—'}
              </Group>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{i.createdBy}</Text>
            </Table.Td>
            <TimeCell iso={i.expiresAt} />
            <RevokeCell
              label={`Revoke invitation for ${i.email}`}
              onRevoke={() => setRevoking(i)}
            />
          </Table.Tr>
        ))}
      </ListTable>
      <ConfirmModal
        opened={revoking !== null}
        title={`Revoke the invitation for ${revoking?.email ?? ''}?`}
        confirmLabel="Revoke invitation"
        pending={revoke.isPending}
        error={revoke.error}
        onConfirm={() =>
          revoking &&
          revoke.mutate(revoking.id, { onSuccess: () => (setRevoking(null), revoke.reset()) })
        }
        onCancel={() => (setRevoking(null), revoke.reset())}
      >
        The link stops working at once. You can invite the same email again.
      </ConfirmModal>
    </Card>
  );
}
