import { useState } from 'react';
import { TextInput } from '@mantine/core';
import { slugSchema } from '@corsplane/contracts';
import { FormModal } from '../../../components/ui/form-modal.js';
import { useCreateTenant } from '../api/create-tenant.js';

export function CreateTenantModal({
  opened,
  onClose,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (slug: string) => void;
}) {
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const create = useCreateTenant();
  const slugCheck = slugSchema.safeParse(slug);
  const slugError =
    touched && slug && !slugCheck.success ? slugCheck.error.issues[0]?.message : undefined;

  const close = () => {
    setSlug('');
    setName('');
    setTouched(false);
    create.reset();
    onClose();
  };
  const submit = () => {
    setTouched(true);
    if (!slugCheck.success || !name.trim()) return;
    create.mutate(
      { slug, name: name.trim() },
      {
        onSuccess: (t) => {
          close();
          onCreated(t.slug);
        },
      },
    );
  };

  return (
    <FormModal
      opened={opened}
      onClose={close}
      title="New tenant"
      error={create.error}
      submitLabel="Create tenant"
      pending={create.isPending}
      disabled={!slugCheck.success || !name.trim()}
      onSubmit={submit}
    >
      <TextInput
        label="Slug"
        description="Stable identifier used by gateways and keys; lower-case letters, digits and hyphens."
        value={slug}
        onChange={(e) => setSlug(e.currentTarget.value.toLowerCase())}
        onBlur={() => setTouched(true)}
        error={slugError}
        required
        data-autofocus
      />
      <TextInput
        label="Name"
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        required
      />
    </FormModal>
  );
}
