import { Anchor, Badge, Breadcrumbs, Group, Tabs, Text, Title } from '@mantine/core';
import { Link, Outlet, useLocation, useParams } from 'react-router';
import { ApiError } from '../../lib/api-client.js';
import { ErrorState, LoadingState } from '../../components/ui/states.js';
import { canEditTenant, useMe } from '../../features/auth/index.js';
import { useCandidate } from '../../features/candidate/index.js';
import { useTenant } from '../../features/tenants/index.js';

const TABS = [
  { value: 'policy', label: 'Policy' },
  { value: 'test', label: 'Test an origin' },
  { value: 'blocked', label: 'Blocked origins' },
  { value: 'versions', label: 'Versions' },
  { value: 'keys', label: 'API keys' },
];

export function useSlug(): string {
  const { slug } = useParams();
  if (!slug) throw new Error('route without :slug');
  return slug;
}

export function TenantLayout() {
  const slug = useSlug();
  const tenant = useTenant(slug);
  const me = useMe();
  const location = useLocation();
  const active = location.pathname.split('/')[3] ?? 'policy';
  // The Candidate tab shows while the tenant has one (or while its page is open, to make one).
  const candidate = useCandidate(slug);
  const tabs =
    candidate.data || active === 'candidate'
      ? [...TABS.slice(0, 2), { value: 'candidate', label: 'Candidate' }, ...TABS.slice(2)]
      : TABS;

  if (tenant.isPending) return <LoadingState label="Loading tenant…" />;
  if (tenant.error) {
    const missing = tenant.error instanceof ApiError && tenant.error.status === 404;
    return (
      <ErrorState
        title={missing ? `Tenant “${slug}” not found` : 'Could not load the tenant'}
        error={tenant.error}
        onRetry={missing ? undefined : () => void tenant.refetch()}
      />
    );
  }
  const editable = canEditTenant(me.data, slug);
  return (
    <>
      <Breadcrumbs mb="xs">
        <Anchor component={Link} to="/tenants" size="sm">
          Tenants
        </Anchor>
        <Text size="sm">{tenant.data.slug}</Text>
      </Breadcrumbs>
      <Group gap="sm" mb="md">
        <Title order={2}>{tenant.data.name}</Title>
        {!editable && (
          <Badge color="gray" variant="light" data-testid="read-only-badge">
            read-only
          </Badge>
        )}
      </Group>
      {/* Tabs as links: each opens in a new tab, can be copied, and shows its address on hover. */}
      <Tabs value={active} mb="md" keepMounted={false}>
        <Tabs.List style={{ flexWrap: 'nowrap', overflowX: 'auto' }}>
          {tabs.map((t) => (
            <Tabs.Tab
              key={t.value}
              value={t.value}
              renderRoot={(props) => <Link {...props} to={`/tenants/${slug}/${t.value}`} />}
            >
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Outlet />
    </>
  );
}
