import { useEffect } from 'react';
import { Alert, Button, Group, List, Loader, Modal, Stack, Text } from '@mantine/core';
import type { PolicyInput } from '@corsplane/contracts';
import { ApiError, errorMessage } from '../../../lib/api-client.js';
import { useValidatePolicyOnServer } from '../api/validate-policy.js';
import type { PolicyChange } from '../lib/policy-diff.js';
import { describeIssue } from '../lib/issue-location.js';
import { PolicyChanges } from './policy-changes.js';

interface Props {
  opened: boolean;
  slug: string;
  fromVersion: number;
  changes: PolicyChange[];
  draft: PolicyInput;
  saving: boolean;
  saveError: unknown;
  onConfirm: () => void;
  onClose: () => void;
}

/** Review before saving: the diff against the stored version, and the server's dry-run verdict. */
export function SaveDialog({
  opened,
  slug,
  fromVersion,
  changes,
  draft,
  saving,
  saveError,
  onConfirm,
  onClose,
}: Props) {
  const check = useValidatePolicyOnServer();
  const { mutate, reset } = check;
  useEffect(() => {
    if (opened) mutate({ slug, policy: draft });
    else reset();
  }, [opened, slug, draft, mutate, reset]);

  const serverErrors = check.data?.errors ?? [];
  const serverWarnings = check.data?.warnings ?? [];
  return (
    <Modal opened={opened} onClose={onClose} title={`Save version ${fromVersion + 1}?`} size="lg">
      <Stack>
        <Text size="sm">Changes against version {fromVersion}, the one you started from:</Text>
        <PolicyChanges changes={changes} testId="save-diff" />
        {check.isPending && (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm" c="dimmed">
              Checking with the server…
            </Text>
          </Group>
        )}
        {check.error && <Alert color="red">Server check failed: {errorMessage(check.error)}</Alert>}
        {check.data && serverErrors.length > 0 && (
          <Alert color="red" title="The server refuses this policy" role="alert">
            <List size="sm">
              {serverErrors.map((e, i) => (
                <List.Item key={i}>{describeIssue(e, draft)}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        {check.data && serverErrors.length === 0 && serverWarnings.length > 0 && (
          <Alert color="orange" title="Accepted, with warnings">
            <List size="sm">
              {serverWarnings.map((w, i) => (
                <List.Item key={i}>{describeIssue(w, draft)}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        {check.data?.ok && serverWarnings.length === 0 && (
          <Text size="sm" c="green.8" data-testid="server-check-ok">
            The server validated this policy.
          </Text>
        )}
        {saveError !== null && saveError !== undefined && (
          <Alert color="red" role="alert">
            {errorMessage(saveError)}
            {saveError instanceof ApiError && saveError.details.length > 0 && (
              <List size="sm" mt="xs">
                {saveError.details.map((d, i) => (
                  <List.Item key={i}>{describeIssue(d, draft)}</List.Item>
                ))}
              </List>
            )}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Keep editing
          </Button>
          <Button
            onClick={onConfirm}
            loading={saving}
            disabled={changes.length === 0 || serverErrors.length > 0}
            data-autofocus
          >
            Save version {fromVersion + 1}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
