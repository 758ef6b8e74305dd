import { Button, Stack, Text, Title } from '@mantine/core';
import { useRouteError } from 'react-router';

/**
 * Chromium, Firefox and Safari word a failed `import()` of a page chunk differently. After a
 * redeploy an open tab asks for chunks whose hashed names no longer exist (they answer 404).
 */
const CHUNK_LOAD_FAILURES = [
  'failed to fetch dynamically imported module',
  'error loading dynamically imported module',
  'importing a module script failed',
];

export function isChunkLoadError(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  const message = error.message.toLowerCase();
  return CHUNK_LOAD_FAILURES.some((text) => message.includes(text));
}

/** A page that failed to load or render: say what happened and offer the way out. */
export function RouteError() {
  const error = useRouteError();
  const stale = isChunkLoadError(error);
  return (
    <Stack align="center" py="xl" role="alert">
      <Title order={2}>{stale ? 'The console was updated' : 'This page failed'}</Title>
      <Text c="dimmed" ta="center" maw={520}>
        {stale
          ? 'A newer version was deployed while this tab was open. Reload to get it.'
          : error instanceof Error
            ? error.message
            : 'An unexpected error stopped this page.'}
      </Text>
      <Button onClick={() => window.location.reload()}>Reload</Button>
    </Stack>
  );
}
