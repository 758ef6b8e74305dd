import { AppShell, Badge, Burger, Button, Container, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../../lib/api-client.js';
import { ErrorState, LoadingState } from '../../components/ui/states.js';
import { useMe } from '../../features/auth/index.js';
import { useLogout } from '../../features/auth/index.js';
import { isPlatformAdmin } from '../../features/auth/index.js';
import { signInPath } from '../session.js';

export function AppLayout() {
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const logout = useLogout();
  const [opened, { toggle }] = useDisclosure();

  if (me.isPending) return <LoadingState label="Checking your session…" />;
  if (me.error) {
    if (me.error instanceof ApiError && me.error.status === 401) {
      return <Navigate to={signInPath(location.pathname + location.search)} replace />;
    }
    return (
      <Container py="xl">
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      </Container>
    );
  }
  const user = me.data;
  const role = user.platformRole
    ? `platform ${user.platformRole}`
    : `${user.memberships.length} tenant${user.memberships.length === 1 ? '' : 's'}`;
  const links = [
    { to: '/tenants', label: 'Tenants' },
    { to: '/audit', label: 'Audit log' },
    { to: '/tokens', label: 'Admin tokens' },
    ...(user.platformRole
      ? [
          { to: '/platform/policy', label: 'Platform baseline' },
          { to: '/platform/keys', label: 'Platform keys' },
        ]
      : []),
    ...(isPlatformAdmin(user) ? [{ to: '/users', label: 'Users' }] : []),
  ];

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        {/* nowrap + hiding the secondary parts below `sm`: at 390 px "Sign out" never overlaps the page. */}
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Text
              fw={700}
              size="lg"
              component={Link}
              to="/tenants"
              c="indigo.7"
              style={{ textDecoration: 'none' }}
            >
              corsplane
            </Text>
            <Badge variant="light" color="gray" visibleFrom="sm">
              console
            </Badge>
          </Group>
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <Text size="sm" data-testid="signed-in-as" truncate="end" maw={{ base: 96, sm: 280 }}>
              {user.email}
            </Text>
            <Badge variant="outline" visibleFrom="sm">
              {role}
            </Badge>
            <Button
              variant="subtle"
              size="xs"
              style={{ flexShrink: 0 }}
              loading={logout.isPending}
              onClick={() =>
                logout.mutate(undefined, {
                  onSettled: () => void navigate('/sign-in', { replace: true }),
                })
              }
            >
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        {links.map((l) => (
          <NavLink
            key={l.to}
            component={Link}
            to={l.to}
            label={l.label}
            active={location.pathname.startsWith(l.to)}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Container size="xl" px={0}>
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
