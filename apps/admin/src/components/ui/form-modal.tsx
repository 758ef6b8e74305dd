import type { FormEvent, ReactNode } from 'react';
import { Alert, Modal, Stack } from '@mantine/core';
import { errorMessage } from '../../lib/api-client.js';
import { DialogActions } from './dialog-actions.js';

/**
 * A dialog that is one form: the failure on top (where a screen reader announces it), the fields,
 * then Cancel and the submit button. Enter in a field submits even while the button is disabled,
 * so `onSubmit` checks what it needs itself.
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
          <DialogActions
            confirmLabel={submitLabel}
            color={danger ? 'red' : undefined}
            pending={pending}
            disabled={disabled}
            onCancel={onClose}
          />
        </Stack>
      </form>
    </Modal>
  );
}
