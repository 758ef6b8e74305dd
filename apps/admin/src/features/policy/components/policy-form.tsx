import {
  Card,
  Checkbox,
  NumberInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import type { PolicyDraft } from '../lib/policy-draft.js';
import type { IssuesByField } from '../lib/validation-by-field.js';
import { BELOW_INPUT, errorsOf, warningsOf } from './field-issues.js';
import { NameListField } from './name-list-field.js';
import { RoutesEditor } from './routes-editor.js';

interface Props {
  draft: PolicyDraft;
  issues: IssuesByField;
  readOnly: boolean;
  onChange: (draft: PolicyDraft) => void;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const HEADERS = [
  'content-type',
  'authorization',
  'x-requested-with',
  'x-request-id',
  'accept',
  'cache-control',
  '*',
];

/**
 * The policy's settings: methods, headers, credentials, mode, max age, routes. The origins are not here:
 * they are edited one entry at a time in OriginsPanel (`draft.origins` stays empty).
 */
export function PolicyForm({ draft, issues, readOnly, onChange }: Props) {
  const set = <K extends keyof PolicyDraft>(k: K, v: PolicyDraft[K]) =>
    onChange({ ...draft, [k]: v });
  const maxAge = issues.at('maxAgeSeconds');
  const mode = issues.at('mode');
  return (
    <Stack>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Requests
        </Title>
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <NameListField
            label="Allowed methods"
            help="GET, HEAD and POST need no listing."
            value={draft.allowedMethods}
            suggestions={METHODS}
            issues={issues.list('allowedMethods')}
            readOnly={readOnly}
            onChange={(v) => set('allowedMethods', v)}
          />
          <NameListField
            label="Allowed headers"
            help="Request headers scripts may send; * never covers authorization."
            value={draft.allowedHeaders}
            suggestions={HEADERS}
            issues={issues.list('allowedHeaders')}
            readOnly={readOnly}
            onChange={(v) => set('allowedHeaders', v)}
          />
          <NameListField
            label="Exposed headers"
            help="Response headers scripts may read."
            value={draft.exposedHeaders}
            suggestions={['x-request-id', 'etag', 'link', '*']}
            issues={issues.list('exposedHeaders')}
            readOnly={readOnly}
            onChange={(v) => set('exposedHeaders', v)}
          />
        </SimpleGrid>
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Behaviour
        </Title>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <Stack gap="md">
            <Switch
              label="Allow credentials"
              description="Cookies and Authorization headers on cross-origin requests (Access-Control-Allow-Credentials)."
              checked={draft.allowCredentials}
              disabled={readOnly}
              onChange={(e) => set('allowCredentials', e.currentTarget.checked)}
            />
            <Switch
              label="Allow private network access"
              description="Answer Access-Control-Request-Private-Network preflights."
              checked={draft.allowPrivateNetwork}
              disabled={readOnly}
              onChange={(e) => set('allowPrivateNetwork', e.currentTarget.checked)}
            />
            <Stack gap={4}>
              <Text size="sm" fw={500} id="mode-label">
                Mode
              </Text>
              <SegmentedControl
                aria-labelledby="mode-label"
                value={draft.mode}
                disabled={readOnly}
                onChange={(v) => set('mode', v as PolicyDraft['mode'])}
                data={[
                  { value: 'enforce', label: 'Enforce' },
                  { value: 'report-only', label: 'Report-only' },
                ]}
              />
              <Text size="xs" c="dimmed">
                Report-only evaluates and records refusals but lets every request through, without
                credentials for origins it would refuse.
              </Text>
              {mode.errors.length > 0 && (
                <Text size="xs" c="red">
                  {mode.errors[0]?.text}
                </Text>
              )}
            </Stack>
          </Stack>
          <Stack gap="xs">
            <NumberInput
              label="Max age (seconds)"
              description={<>How long browsers may cache a preflight. {warningsOf(maxAge)}</>}
              value={draft.maxAgeSeconds ?? ''}
              disabled={readOnly || draft.maxAgeSeconds === null}
              allowDecimal={false}
              onChange={(v) => set('maxAgeSeconds', v === '' ? 0 : Number(v))}
              error={errorsOf(maxAge)}
              inputWrapperOrder={BELOW_INPUT}
              maw={240}
            />
            <Checkbox
              label="Do not send Access-Control-Max-Age"
              checked={draft.maxAgeSeconds === null}
              disabled={readOnly}
              onChange={(e) => set('maxAgeSeconds', e.currentTarget.checked ? null : 600)}
            />
          </Stack>
        </SimpleGrid>
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Routes
        </Title>
        <RoutesEditor
          draft={draft}
          issues={issues}
          readOnly={readOnly}
          onChange={(routes) => set('routes', routes)}
        />
      </Card>
    </Stack>
  );
}
