import type { ReactNode } from 'react';
import { Alert, Modal, Stack, Text } from '@mantine/core';
import { errorMessage } from '../../lib/api-client.js';
import { DialogActions } from './dialog-actions.js';

/** A destructive action's confirmation: what happens, the failure if it failed, Cancel and the action. */
export function ConfirmModal({
  opened,
  title,
  confirmLabel,
  pending,
  error,
  onConfirm,
  onCancel,
  children,
}: {
  opened: boolean;
  title: string;
  confirmLabel: string;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  return (
    <Modal opened={opened} onClose={onCancel} title={title}>
      <Stack>
        <Text size="sm">{children}</Text>
        {error ? <Alert color="red">{errorMessage(error)}</Alert> : null}
        <DialogActions
          confirmLabel={confirmLabel}
          color="red"
          pending={pending}
          onConfirm={onConfirm}
          onCancel={onCancel}
        />
      </Stack>
    </Modal>
  );
}
