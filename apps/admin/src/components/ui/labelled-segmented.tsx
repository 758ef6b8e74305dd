import { SegmentedControl, Stack, Text } from '@mantine/core';

/**
 * A SegmentedControl with a visible label above it, tied by `aria-labelledby`: Mantine's control
 * has no `label` prop of its own, and an unnamed radio group is an accessibility error.
 */
export function LabelledSegmented<T extends string>({
  id,
  label,
  value,
  onChange,
  data,
}: {
  id: string;
  label: string;
  value: T;
  onChange: (value: T) => void;
  data: readonly { value: T; label: string }[];
}) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id={id}>
        {label}
      </Text>
      <SegmentedControl
        aria-labelledby={id}
        value={value}
        onChange={(v) => onChange(v as T)}
        data={[...data]}
      />
    </Stack>
  );
}
