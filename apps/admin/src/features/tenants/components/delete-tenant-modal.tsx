import { useState } from 'react';
import { Text, TextInput } from '@mantine/core';
import { FormModal } from '../../../components/ui/form-modal.js';
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
    <FormModal
      opened={slug !== null}
      onClose={close}
      title={`Delete tenant ${slug ?? ''}?`}
      error={del.error}
      submitLabel="Delete tenant"
      pending={del.isPending}
      disabled={typed !== slug}
      danger
      onSubmit={() => slug && typed === slug && del.mutate(slug, { onSuccess: close })}
    >
      <Text size="sm">
        This deletes the tenant&apos;s policy, all its versions and its API keys. Gateways using
        those keys will be refused. The audit log keeps the history.
      </Text>
      <TextInput
        label={`Type ${slug ?? ''} to confirm`}
        value={typed}
        onChange={(e) => setTyped(e.currentTarget.value)}
        data-autofocus
      />
    </FormModal>
  );
}
