import { Button, Group } from '@mantine/core';

/**
 * A dialog's buttons: Cancel, then the action (red for a destructive one, green for a fix). Without
 * `onConfirm` the action is the submit button of the form around it.
 */
export function DialogActions({
  confirmLabel,
  color,
  pending,
  disabled = false,
  onConfirm,
  onCancel,
}: {
  confirmLabel: string;
  color?: 'red' | 'green';
  pending: boolean;
  disabled?: boolean;
  onConfirm?: () => void;
  onCancel: () => void;
}) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button
        type={onConfirm ? 'button' : 'submit'}
        color={color}
        loading={pending}
        disabled={disabled}
        onClick={onConfirm}
      >
        {confirmLabel}
      </Button>
    </Group>
  );
}
