import { Button, Group } from '@mantine/core';

/** A dialog's buttons: Cancel, then the action (red for a destructive one, green for a fix). */
export function DialogActions({
  confirmLabel,
  color,
  pending,
  onConfirm,
  onCancel,
}: {
  confirmLabel: string;
  color: 'red' | 'green';
  pending: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button color={color} loading={pending} onClick={onConfirm}>
        {confirmLabel}
      </Button>
    </Group>
  );
}
