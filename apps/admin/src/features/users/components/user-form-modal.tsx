import { useState } from 'react';
import { PasswordInput, Switch, TextInput } from '@mantine/core';
import type { Membership, PlatformRole, User } from '@corsplane/contracts';
import { FormModal } from '../../../components/ui/form-modal.js';
import { useCreateUser } from '../api/create-user.js';
import { useUpdateUser } from '../api/update-user.js';
import { MembershipsField } from './memberships-field.js';
import { PlatformRoleField } from './platform-role-field.js';

/** Create a user (user === null) or edit one: name, platform role, memberships, password, disabled. */
export function UserFormModal({
  user,
  opened,
  onClose,
}: {
  user: User | null;
  opened: boolean;
  onClose: () => void;
}) {
  const create = useCreateUser();
  const update = useUpdateUser();
  const [email, setEmail] = useState(user?.email ?? '');
  const [name, setName] = useState(user?.name ?? '');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<PlatformRole | null>(user?.platformRole ?? null);
  const [memberships, setMemberships] = useState<Membership[]>(user?.memberships ?? []);
  const [disabled, setDisabled] = useState(user?.disabled ?? false);
  const pending = create.isPending || update.isPending;
  const error = create.error ?? update.error;
  const passwordError = password && password.length < 12 ? 'At least 12 characters' : undefined;
  const complete = memberships.every((m) => m.tenant);

  const incomplete = !complete || !!passwordError || (!user && (!email.trim() || !password));

  const submit = () => {
    if (incomplete) return;
    const platformRole = role;
    if (user) {
      update.mutate(
        {
          id: user.id,
          body: {
            name: name.trim() || null,
            platformRole,
            memberships,
            disabled,
            ...(password ? { password } : {}),
          },
        },
        { onSuccess: onClose },
      );
    } else {
      create.mutate(
        { email: email.trim(), name: name.trim() || null, password, platformRole, memberships },
        { onSuccess: onClose },
      );
    }
  };

  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      title={user ? `Edit ${user.email}` : 'New user'}
      formLabel={user ? 'Edit user' : 'New user'}
      size="lg"
      error={error}
      submitLabel={user ? 'Save user' : 'Create user'}
      pending={pending}
      disabled={incomplete}
      onSubmit={submit}
    >
      {!user && (
        <TextInput
          label="Email"
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          data-autofocus
        />
      )}
      <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
      <PasswordInput
        label={user ? 'New password' : 'Initial password'}
        description={
          user
            ? 'Leave empty to keep the current one; a new one signs the user out.'
            : 'Share it with the user through a safe channel.'
        }
        required={!user}
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        error={passwordError}
        autoComplete="new-password"
      />
      <PlatformRoleField value={role} onChange={setRole} />
      <MembershipsField value={memberships} onChange={setMemberships} />
      {user && (
        <Switch
          label="Disabled (cannot sign in)"
          checked={disabled}
          onChange={(e) => setDisabled(e.currentTarget.checked)}
        />
      )}
    </FormModal>
  );
}
