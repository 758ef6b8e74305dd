import type { ReactNode } from 'react';
import { TextInput } from '@mantine/core';
import type { MantineSpacing } from '@mantine/core';

/** A list's search box: `type="search"` (Esc clears it), labelled, with a hint of what it matches. */
export function SearchField({
  label,
  placeholder,
  value,
  onChange,
  width,
  busy,
  mb,
}: {
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  /** A fixed width in a toolbar; without it the field is as wide as its container up to 420 px. */
  width?: number;
  /** Shown at the field's right while the list it filters reloads. */
  busy?: ReactNode;
  mb?: MantineSpacing;
}) {
  return (
    <TextInput
      type="search"
      label={label}
      placeholder={placeholder}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      rightSection={busy ?? null}
      w={width}
      maw={width === undefined ? 420 : undefined}
      mb={mb}
    />
  );
}
