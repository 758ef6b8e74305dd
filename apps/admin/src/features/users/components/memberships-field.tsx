import { ActionIcon, Button, Group, Select, Stack, Text } from '@mantine/core';
import type { Membership, TenantRole } from '@corsplane/contracts';
import { useTenants } from '../../tenants/index.js';

/** Tenant memberships as editable rows: tenant + role, add and remove. */
export function MembershipsField({
  value,
  onChange,
}: {
  value: Membership[];
  onChange: (v: Membership[]) => void;
}) {
  const tenants = useTenants();
  const options = (tenants.data?.items ?? []).map((t) => ({
    value: t.slug,
    label: `${t.name} (${t.slug})`,
  }));
  const used = new Set(value.map((m) => m.tenant));
  return (
    <Stack gap="xs" role="group" aria-labelledby="memberships-label">
      <Text size="sm" fw={500} id="memberships-label">
        Tenant memberships
      </Text>
      {value.length === 0 && (
        <Text size="xs" c="dimmed">
          None: the user sees only what a platform role gives.
        </Text>
      )}
      {value.map((m, i) => (
        <Group key={i} gap="xs" wrap="nowrap">
          <Select
            aria-label={`Tenant of membership ${i + 1}`}
            data={options.filter((o) => o.value === m.tenant || !used.has(o.value))}
            value={m.tenant || null}
            onChange={(t) =>
              onChange(value.map((x, j) => (j === i ? { ...x, tenant: t ?? '' } : x)))
            }
            searchable
            placeholder="tenant"
            style={{ flex: 1 }}
          />
          <Select
            aria-label={`Role on ${m.tenant || `membership ${i + 1}`}`}
            data={[
              { value: 'editor', label: 'editor' },
              { value: 'viewer', label: 'viewer' },
            ]}
            value={m.role}
            allowDeselect={false}
            onChange={(r) =>
              onChange(
                value.map((x, j) => (j === i ? { ...x, role: (r ?? 'viewer') as TenantRole } : x)),
              )
            }
            w={120}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            size="lg"
            aria-label={`Remove membership ${m.tenant || i + 1}`}
            onClick={() => onChange(value.filter((_, j) => j !== i))}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button
          size="xs"
          variant="light"
          onClick={() => onChange([...value, { tenant: '', role: 'viewer' }])}
        >
          Add membership
        </Button>
      </Group>
    </Stack>
  );
}
