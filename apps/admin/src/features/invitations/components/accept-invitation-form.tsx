import { useState, type FormEvent } from 'react';
import { Alert, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import type { InvitationPreview } from '@corsplane/contracts';
import { errorMessage } from '../../../lib/api-client.js';
import { useAcceptInvitation } from '../api/accept-invitation.js';

const MIN_LENGTH = 12;

/** The invitee's side: choose a password (the API rates its strength) and be signed in. */
export function AcceptInvitationForm({
  token,
  invitation,
  onAccepted,
}: {
  token: string;
  invitation: InvitationPreview;
  onAccepted: () => void;
}) {
  const accept = useAcceptInvitation();
  const [name, setName] = useState(invitation.name ?? '');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const tooShort = password.length > 0 && password.length < MIN_LENGTH;
  const mismatch = repeat.length > 0 && repeat !== password;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    accept.mutate({ token, password, name: name.trim() || null }, { onSuccess: onAccepted });
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Accept invitation">
      <Stack>
        <Text size="sm">
          You are invited as <strong>{invitation.email}</strong>. Choose a password to finish.
        </Text>
        {accept.error && (
          <Alert color="red" variant="light" role="alert" title="Could not accept the invitation">
            {errorMessage(accept.error)}
          </Alert>
        )}
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <PasswordInput
          label="Password"
          description={`At least ${MIN_LENGTH} characters; a few unrelated words work well.`}
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={tooShort ? `At least ${MIN_LENGTH} characters` : undefined}
          data-autofocus
          autoFocus
        />
        <PasswordInput
          label="Repeat password"
          autoComplete="new-password"
          required
          value={repeat}
          onChange={(e) => setRepeat(e.currentTarget.value)}
          error={mismatch ? 'The passwords differ' : undefined}
        />
        <Button
          type="submit"
          loading={accept.isPending}
          disabled={password.length < MIN_LENGTH || repeat !== password}
        >
          Set password and sign in
        </Button>
      </Stack>
    </form>
  );
}
