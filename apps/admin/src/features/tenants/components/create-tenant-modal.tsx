import { TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { createTenantSchema, type CreateTenant } from '@corsplane/contracts';
import { FormModal } from '../../../components/ui/form-modal.js';
import { useCreateTenant } from '../api/create-tenant.js';

/** New tenant: slug and name, checked with the API's own schema (the contracts' `createTenantSchema`). */
export function CreateTenantModal({
  opened,
  onClose,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (slug: string) => void;
}) {
  const create = useCreateTenant();
  const form = useForm<CreateTenant>({
    mode: 'controlled',
    initialValues: { slug: '', name: '' },
    validate: schemaResolver(createTenantSchema, { sync: true }),
    validateInputOnBlur: true,
  });
  const parsed = createTenantSchema.safeParse(form.getValues());

  const close = () => {
    form.reset();
    create.reset();
    onClose();
  };
  const submit = () => {
    if (form.validate().hasErrors || !parsed.success) return;
    create.mutate(parsed.data, {
      onSuccess: (t) => {
        close();
        onCreated(t.slug);
      },
    });
  };

  return (
    <FormModal
      opened={opened}
      onClose={close}
      title="New tenant"
      error={create.error}
      submitLabel="Create tenant"
      pending={create.isPending}
      disabled={!parsed.success}
      onSubmit={submit}
    >
      <TextInput
        label="Slug"
        description="Stable identifier used by gateways and keys; lower-case letters, digits and hyphens."
        {...form.getInputProps('slug')}
        onChange={(e) => form.setFieldValue('slug', e.currentTarget.value.toLowerCase())}
        required
        data-autofocus
      />
      <TextInput label="Name" {...form.getInputProps('name')} required />
    </FormModal>
  );
}
