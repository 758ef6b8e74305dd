import { useState } from 'react';
import { TextInput } from '@mantine/core';
import type { CreatedInvitation, Membership, PlatformRole } from '@corsplane/contracts';
import { FormModal } from '../../../components/ui/form-modal.js';
import { ShownOnceModal } from '../../../components/ui/shown-once-modal.js';
import { Time } from '../../../components/ui/time.js';
import { MembershipsField } from '../../users/index.js';
import { PlatformRoleField } from '../../users/index.js';
import { useCreateInvitation } from '../api/create-invitation.js';

/**
 * Invite a user: email, platform role and memberships (as for a new user, without a password); then the
 * one-time link, shown once with a copy button. The invitee chooses their own password.
 */
export function InviteUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateInvitation();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<PlatformRole | null>(null);
  const [memberships, setMemberships] = useState<Membership[]>([]);
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const complete = memberships.every((m) => m.tenant);

  const submit = () => {
    if (!complete || !email.trim()) return;
    create.mutate(
      {
        email: email.trim(),
        name: name.trim() || null,
        platformRole: role,
        memberships,
      },
      { onSuccess: setCreated },
    );
  };

  if (created)
    return (
      <ShownOnceModal
        title={`Invitation for ${created.email}`}
        what="link"
        secret={created.link}
        testId="invitation-link"
        warning="Send this link to the invitee. It is shown only this once (corsplane keeps only its hash) and works once."
        onClose={onClose}
      >
        Expires <Time iso={created.expiresAt} />. Opening it, the invitee chooses a password and is
        signed in with the role and memberships you picked.
      </ShownOnceModal>
    );

  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      title="Invite a user"
      size="lg"
      error={create.error}
      submitLabel="Create invitation link"
      pending={create.isPending}
      disabled={!complete || !email.trim()}
      onSubmit={submit}
    >
      <TextInput
        label="Email"
        type="email"
        required
        value={email}
        onChange={(e) => setEmail(e.currentTarget.value)}
        data-autofocus
      />
      <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
      <PlatformRoleField value={role} onChange={setRole} />
      <MembershipsField value={memberships} onChange={setMemberships} />
    </FormModal>
  );
}
