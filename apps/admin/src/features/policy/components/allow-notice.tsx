import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../../../lib/api-client.js';
import { useAddOrigin } from '../api/origin-writes.js';
import { suggestPatterns, type PatternSuggestion } from '../lib/suggest-patterns.js';

interface AllowProps {
  slug: string;
  readOnly: boolean;
  allowOrigin: string | null;
  onAllowConsumed: () => void;
}

/**
 * Blocked origins → Allow: the refused origin and the patterns it fits, each added with one click
 * through the single-origin API (a new version at once; nothing else of the policy is touched).
 */
export default function AllowNotice({ slug, readOnly, allowOrigin, onAllowConsumed }: AllowProps) {
  const [notice, setNotice] = useState<{ origin: string; suggestions: PatternSuggestion[] } | null>(
    null,
  );
  const add = useAddOrigin();
  const handled = useRef<string | null>(null);
  useEffect(() => {
    if (!allowOrigin || handled.current === allowOrigin) return;
    handled.current = allowOrigin;
    setNotice({ origin: allowOrigin, suggestions: suggestPatterns(allowOrigin) });
    onAllowConsumed();
  }, [allowOrigin, onAllowConsumed]);
  if (!notice) return null;
  return (
    <Alert
      color="indigo"
      variant="light"
      title={`Allow ${notice.origin}`}
      withCloseButton
      onClose={() => setNotice(null)}
      data-testid="allow-notice"
    >
      {readOnly ? (
        <Text size="sm">You cannot edit this policy.</Text>
      ) : notice.suggestions.length === 0 ? (
        <Text size="sm">This origin is malformed and cannot be allowed as such.</Text>
      ) : (
        <Stack gap="xs">
          <Text size="sm">Add it, or a pattern it fits (a new version is saved at once):</Text>
          <Group gap="xs">
            {notice.suggestions.map((s) => (
              <Button
                key={s.pattern}
                size="xs"
                variant="default"
                title={s.label}
                loading={add.isPending && add.variables?.entry.pattern === s.pattern}
                onClick={() =>
                  add.mutate(
                    { slug, entry: { pattern: s.pattern, note: 'allowed from blocked origins' } },
                    {
                      onSuccess: (r) => {
                        notifications.show({
                          color: 'green',
                          message: `${r.entry.pattern} added: version ${r.version} is live.`,
                        });
                        setNotice(null);
                      },
                    },
                  )
                }
              >
                Add {s.pattern}
              </Button>
            ))}
          </Group>
          {add.error ? (
            <Text size="sm" c="red" role="alert">
              {errorMessage(add.error)}
            </Text>
          ) : null}
        </Stack>
      )}
    </Alert>
  );
}
