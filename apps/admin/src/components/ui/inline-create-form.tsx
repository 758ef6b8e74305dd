import type { FormEvent, ReactNode } from 'react';
import { Alert, Button, Card, Group } from '@mantine/core';
import { errorMessage } from '../../lib/api-client.js';

/**
 * The one-line "create" form above a list (a key, a token): its fields, the submit button beside
 * them, and the failure under them. Enter submits even while the button is disabled, so `onSubmit`
 * checks what it needs itself.
 */
export function InlineCreateForm({
  label,
  submitLabel,
  pending,
  disabled,
  error,
  onSubmit,
  children,
}: {
  label: string;
  submitLabel: string;
  pending: boolean;
  disabled: boolean;
  error: unknown;
  onSubmit: () => void;
  children: ReactNode;
}) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <Card withBorder>
      <form onSubmit={submit} aria-label={label}>
        <Group align="flex-end">
          {children}
          <Button type="submit" loading={pending} disabled={disabled}>
            {submitLabel}
          </Button>
        </Group>
        {error ? (
          <Alert color="red" mt="sm" role="alert">
            {errorMessage(error)}
          </Alert>
        ) : null}
      </form>
    </Card>
  );
}
