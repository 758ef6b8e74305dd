import { useState, type FormEvent } from 'react';
import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { ApiError, errorMessage } from '../../../lib/api-client.js';
import { useLogin } from '../api/login.js';

export function SignInForm({ expired, onSignedIn }: { expired: boolean; onSignedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const login = useLogin();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ email: email.trim(), password }, { onSuccess: onSignedIn });
  };

  const failure = login.error
    ? login.error instanceof ApiError && login.error.status === 401
      ? 'Wrong email or password.'
      : errorMessage(login.error)
    : null;

  return (
    <form onSubmit={submit} noValidate aria-label="Sign in">
      <Stack>
        {expired && !failure && (
          <Alert color="yellow" variant="light" title="Session expired">
            Your session has ended. Sign in again to continue where you were.
          </Alert>
        )}
        {failure && (
          <Alert color="red" variant="light" role="alert" title="Sign-in failed">
            {failure}
          </Alert>
        )}
        <TextInput
          label="Email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          data-autofocus
          autoFocus
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        <Button type="submit" loading={login.isPending} disabled={!email || !password}>
          Sign in
        </Button>
      </Stack>
    </form>
  );
}
