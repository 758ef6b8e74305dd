import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { ListTable, RowAction, StatusBadge } from '../../../components/ui/list-table.js';
import type { User } from '@corsplane/contracts';
import { errorMessage } from '../../../lib/api-client.js';
import { PageHeader } from '../../../components/ui/page-header.js';
import { EmptyState, ErrorState, LoadingState } from '../../../components/ui/states.js';
import { useMe } from '../../auth/index.js';
import { InviteUserModal } from '../../invitations/index.js';
import { PendingInvitations } from '../../invitations/index.js';
import { useDeleteUser } from '../api/delete-user.js';
import { useUsers } from '../api/get-users.js';
import { UserFormModal } from './user-form-modal.js';

export function UsersPanel() {
  const users = useUsers();
  const me = useMe();
  const del = useDeleteUser();
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [deleting, setDeleting] = useState<User | null>(null);
  const [inviting, setInviting] = useState(false);

  return (
    <>
      <PageHeader
        title="Users"
        description="Platform roles and tenant memberships."
        actions={
          <Group gap="xs">
            <Button variant="light" onClick={() => setInviting(true)}>
              Invite
            </Button>
            <Button onClick={() => setEditing('new')}>New user</Button>
          </Group>
        }
      />
      <Card withBorder>
        {users.isPending ? (
          <LoadingState label="Loading users…" />
        ) : users.error ? (
          <ErrorState error={users.error} onRetry={() => void users.refetch()} />
        ) : users.data.items.length === 0 ? (
          <EmptyState title="No users" />
        ) : (
          <ListTable
            label="Users"
            columns={[
              'User',
              'Platform role',
              'Tenant memberships',
              'Status',
              { label: 'Actions', hidden: true },
            ]}
            minWidth={720}
            highlightOnHover
          >
            {users.data.items.map((u) => (
              <Table.Tr key={u.id} data-testid={`user-row-${u.email}`}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {u.email}
                  </Text>
                  {u.name && (
                    <Text size="xs" c="dimmed">
                      {u.name}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {u.platformRole ? <Badge variant="light">{u.platformRole}</Badge> : '—'}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {u.memberships.length === 0
                      ? '—'
                      : u.memberships.map((m) => (
                          <Badge
                            key={m.tenant}
                            variant="outline"
                            color={m.role === 'editor' ? 'indigo' : 'gray'}
                            tt="none"
                          >
                            {m.tenant}: {m.role}
                          </Badge>
                        ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <StatusBadge active={!u.disabled} inactiveLabel="disabled" />
                </Table.Td>
                <Table.Td ta="right">
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <RowAction label={`Edit ${u.email}`} onClick={() => setEditing(u)}>
                      Edit
                    </RowAction>
                    {u.id !== me.data?.id && (
                      <RowAction label={`Delete ${u.email}`} onClick={() => setDeleting(u)} danger>
                        Delete
                      </RowAction>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </ListTable>
        )}
      </Card>
      <PendingInvitations />
      {inviting && <InviteUserModal opened onClose={() => setInviting(false)} />}
      {editing !== null && (
        <UserFormModal
          key={editing === 'new' ? 'new' : editing.id}
          user={editing === 'new' ? null : editing}
          opened
          onClose={() => setEditing(null)}
        />
      )}
      <Modal
        opened={deleting !== null}
        onClose={() => (setDeleting(null), del.reset())}
        title={`Delete ${deleting?.email ?? ''}?`}
      >
        <Stack>
          <Text size="sm">
            The user is signed out and can no longer sign in. The audit log keeps their history.
          </Text>
          {del.error && <Alert color="red">{errorMessage(del.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => (setDeleting(null), del.reset())}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={del.isPending}
              onClick={() =>
                deleting && del.mutate(deleting.id, { onSuccess: () => setDeleting(null) })
              }
            >
              Delete user
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
