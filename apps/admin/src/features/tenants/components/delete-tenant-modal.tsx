import { useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { errorMessage } from '../../../lib/api-client.js';
import { useDeleteTenant } from '../api/delete-tenant.js';

/** Deleting drops the policy, its versions and keys: the user types the slug to confirm. */
export function DeleteTenantModal({ slug, onClose }: { slug: string | null; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const del = useDeleteTenant();
  const close = () => {
    setTyped('');
    del.reset();
    onClose();
  };
  return (
    <Modal opened={slug !== null} onClose={close} title={`Delete tenant ${slug ?? ''}?`}>
      <Stack>
        <Text size="sm">
          This deletes the tenant&apos;s policy, all its versions and its API keys. Gateways using
          those keys will be refused. The audit log keeps the history.
        </Text>
        {del.error && (
          <Alert color="red" role="alert">
            {errorMessage(del.error)}
          </Alert>
        )}
        <TextInput
          label={`Type ${slug ?? ''} to confirm`}
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button
            color="red"
            disabled={typed !== slug}
            loading={del.isPending}
            onClick={() => slug && del.mutate(slug, { onSuccess: close })}
          >
            Delete tenant
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
