import { useState } from 'react';
import { TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import {
  createInvitationSchema,
  type CreatedInvitation,
  type CreateInvitation,
  type Membership,
  type PlatformRole,
} from '@corsplane/contracts';
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
interface InviteValues {
  email: string;
  name: string;
  platformRole: PlatformRole | null;
  memberships: Membership[];
}

/** What the form holds as the API reads it: the email trimmed, an empty name as none. */
const toBody = (v: InviteValues): CreateInvitation => ({
  email: v.email.trim(),
  name: v.name.trim() || null,
  platformRole: v.platformRole,
  memberships: v.memberships,
});

const checkBody = schemaResolver(createInvitationSchema, { sync: true });

export function InviteUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateInvitation();
  // Checked by the API's own schema (the contracts' `createInvitationSchema`) over the body it gets.
  const form = useForm<InviteValues>({
    mode: 'controlled',
    initialValues: { email: '', name: '', platformRole: null, memberships: [] },
    validate: (values) => checkBody(toBody(values)),
    validateInputOnBlur: ['email'],
  });
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const values = form.getValues();
  // A membership row whose tenant is not picked yet is incomplete, not an error to show.
  const complete = values.memberships.every((m) => m.tenant);
  const valid = complete && createInvitationSchema.safeParse(toBody(values)).success;

  const submit = () => {
    if (!complete || form.validate().hasErrors) return;
    create.mutate(toBody(form.getValues()), { onSuccess: setCreated });
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
      disabled={!valid}
      onSubmit={submit}
    >
      <TextInput
        label="Email"
        type="email"
        required
        {...form.getInputProps('email')}
        data-autofocus
      />
      <TextInput label="Name" {...form.getInputProps('name')} />
      <PlatformRoleField
        value={values.platformRole}
        onChange={(v) => form.setFieldValue('platformRole', v)}
      />
      <MembershipsField
        value={values.memberships}
        onChange={(v) => form.setFieldValue('memberships', v)}
      />
    </FormModal>
  );
}
