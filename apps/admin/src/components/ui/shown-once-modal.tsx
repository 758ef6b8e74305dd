import type { ReactNode } from 'react';
import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';

/**
 * The one look at a new secret (a key, a token, an invitation link): corsplane keeps only its hash, so
 * the modal says so, offers a copy button and closes only on purpose.
 */
export function ShownOnceModal({
  title,
  what,
  secret,
  testId,
  warning,
  onClose,
  children,
  extra,
}: {
  title: string;
  /** What is being copied, e.g. "secret" or "token": used in the alert and the button. */
  what: string;
  /** The secret, or null while the modal is closed. */
  secret: string | null;
  testId: string;
  warning: string;
  onClose: () => void;
  /** A note under the buttons (how to use it). */
  children?: ReactNode;
  /** Blocks under the note (e.g. ready-to-paste snippets). */
  extra?: ReactNode;
}) {
  return (
    <Modal
      opened={secret !== null}
      onClose={onClose}
      title={title}
      size="lg"
      closeOnClickOutside={false}
    >
      {secret !== null && (
        <Stack>
          <Alert color="orange" variant="light" title={`Copy the ${what} now`}>
            {warning}
          </Alert>
          <Code block data-testid={testId} style={{ wordBreak: 'break-all' }}>
            {secret}
          </Code>
          <Group justify="space-between">
            <CopyButton value={secret}>
              {({ copied, copy }) => (
                <Button color={copied ? 'green' : 'indigo'} onClick={copy} variant="light">
                  {copied ? 'Copied' : `Copy ${what}`}
                </Button>
              )}
            </CopyButton>
            <Button onClick={onClose}>Done</Button>
          </Group>
          {children && (
            <Text size="xs" c="dimmed">
              {children}
            </Text>
          )}
          {extra}
        </Stack>
      )}
    </Modal>
  );
}
