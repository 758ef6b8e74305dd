import { Select } from '@mantine/core';
import type { PlatformRole } from '@corsplane/contracts';

const ROLE_OPTIONS = [
  { value: 'none', label: 'none (tenant memberships only)' },
  { value: 'viewer', label: 'platform viewer (read everything)' },
  { value: 'admin', label: 'platform admin (everything)' },
];

/** The platform role of a user or an invitation; null is "none" (tenant memberships only). */
export function PlatformRoleField({
  value,
  onChange,
}: {
  value: PlatformRole | null;
  onChange: (role: PlatformRole | null) => void;
}) {
  return (
    <Select
      label="Platform role"
      data={ROLE_OPTIONS}
      value={value ?? 'none'}
      onChange={(v) => onChange(v === 'admin' || v === 'viewer' ? v : null)}
      allowDeselect={false}
    />
  );
}
