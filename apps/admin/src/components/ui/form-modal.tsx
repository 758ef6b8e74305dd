import type { FormEvent, ReactNode } from 'react';
import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { errorMessage } from '../../lib/api-client.js';

/** A form's buttons in a dialog: Cancel, then the submit button (red for a destructive one). */
export function FormActions({
  submitLabel,
  pending,
  disabled,
  danger = false,
  onCancel,
}: {
  submitLabel: string;
  pending: boolean;
  disabled: boolean;
  danger?: boolean;
  onCancel: () => void;
}) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button
        type="submit"
        color={danger ? 'red' : undefined}
        loading={pending}
        disabled={disabled}
      >
        {submitLabel}
      </Button>
    </Group>
  );
}

/**
 * A dialog that is one form: the failure on top (where a screen reader announces it), the fields,
 * then Cancel and the submit button. Enter in a field submits, so the submit button is a real one.
 */
export function FormModal({
  opened,
  title,
  size,
  formLabel = title,
  error,
  submitLabel,
  pending,
  disabled,
  danger,
  onSubmit,
  onClose,
  children,
}: {
  opened: boolean;
  title: string;
  size?: string;
  /** The form's accessible name, when the title names the record ("Edit a@b.c") rather than the form. */
  formLabel?: string;
  error: unknown;
  submitLabel: string;
  pending: boolean;
  disabled: boolean;
  danger?: boolean;
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={title} size={size}>
      <form onSubmit={submit} aria-label={formLabel}>
        <Stack>
          {error ? (
            <Alert color="red" role="alert">
              {errorMessage(error)}
            </Alert>
          ) : null}
          {children}
          <FormActions
            submitLabel={submitLabel}
            pending={pending}
            disabled={disabled}
            danger={danger}
            onCancel={onClose}
          />
        </Stack>
      </form>
    </Modal>
  );
}
