import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { Center, Paper, Stack, Text, Title } from '@mantine/core';
import { SignInForm } from '../../features/auth/components/sign-in-form.js';
import { useMe } from '../../features/auth/api/get-me.js';
import { safeNext } from '../session.js';

export function SignInRoute() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get('next'));
  const expired = params.get('reason') === 'expired';
  const me = useMe();
  // Already signed in (another tab, or a reload): go straight on.
  if (me.data && !expired) return <Navigate to={next} replace />;
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={400} maw="100%">
        <Stack>
          <Stack gap={2}>
            <Title order={1} size="h2">
              corsplane
            </Title>
            <Text c="dimmed" size="sm">
              Sign in to manage your tenants&apos; CORS policies.
            </Text>
          </Stack>
          <SignInForm expired={expired} onSignedIn={() => navigate(next, { replace: true })} />
        </Stack>
      </Paper>
    </Center>
  );
}
