import { Button, Code, CopyButton, Group, Stack, Tabs } from '@mantine/core';
import { keySnippets } from '../lib/key-snippets.js';

/** curl, nginx and SDK snippets for a new key, with this service's real address. */
export function KeySnippets({ secret, tenant }: { secret: string; tenant: string | null }) {
  const snippets = keySnippets(window.location.origin, secret, tenant);
  const tabs = [
    { value: 'curl', label: 'curl', text: snippets.curl },
    { value: 'nginx', label: 'nginx', text: snippets.nginx },
    { value: 'sdk', label: 'Node SDK', text: snippets.sdk },
  ];
  return (
    <Tabs defaultValue="curl" aria-label="Use the key">
      <Tabs.List>
        {tabs.map((t) => (
          <Tabs.Tab key={t.value} value={t.value}>
            {t.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {tabs.map((t) => (
        <Tabs.Panel key={t.value} value={t.value} pt="xs">
          <Stack gap="xs">
            <Code
              block
              data-testid={`snippet-${t.value}`}
              style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
            >
              {t.text}
            </Code>
            <Group>
              <CopyButton value={t.text}>
                {({ copied, copy }) => (
                  <Button
                    size="xs"
                    variant="light"
                    color={copied ? 'green' : 'indigo'}
                    onClick={copy}
                  >
                    {copied ? 'Copied' : `Copy the ${t.label} snippet`}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}
