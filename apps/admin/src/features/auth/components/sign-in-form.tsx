import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { loginSchema, type Login } from '@corsplane/contracts';
import { ApiError, errorMessage } from '../../../lib/api-client.js';
import { useLogin } from '../api/login.js';

export function SignInForm({ expired, onSignedIn }: { expired: boolean; onSignedIn: () => void }) {
  const login = useLogin();
  // The API's own schema (the contracts' `loginSchema`): it trims the email, as the server does.
  const form = useForm<Login>({
    mode: 'controlled',
    initialValues: { email: '', password: '' },
    validate: schemaResolver(loginSchema, { sync: true }),
  });
  const parsed = loginSchema.safeParse(form.getValues());

  const submit = form.onSubmit(() => {
    if (parsed.success) login.mutate(parsed.data, { onSuccess: onSignedIn });
  });

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
          {...form.getInputProps('email')}
          data-autofocus
          autoFocus
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          required
          {...form.getInputProps('password')}
        />
        <Button type="submit" loading={login.isPending} disabled={!parsed.success}>
          Sign in
        </Button>
      </Stack>
    </form>
  );
}
