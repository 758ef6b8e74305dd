import {
  Accordion,
  Badge,
  Button,
  Checkbox,
  Group,
  NumberInput,
  SegmentedControl,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import type { RouteRuleInput } from '@corsplane/contracts';
import type { PolicyDraft } from '../lib/policy-draft.js';
import { fromDraft } from '../lib/policy-draft.js';
import { scopedIssues, type IssuesByField } from '../lib/validation-by-field.js';
import { BELOW_INPUT, errorsOf, warningsOf } from './field-issues.js';
import { NameListField } from './name-list-field.js';

type Field = Exclude<keyof RouteRuleInput, 'path'>;

/** The fields a route may override, in the order of the policy form (SPEC §2.1). */
const FIELDS: ReadonlyArray<{ field: Field; label: string }> = [
  { field: 'origins', label: 'Origins' },
  { field: 'allowedMethods', label: 'Allowed methods' },
  { field: 'allowedHeaders', label: 'Allowed headers' },
  { field: 'exposedHeaders', label: 'Exposed headers' },
  { field: 'allowCredentials', label: 'Allow credentials' },
  { field: 'allowPrivateNetwork', label: 'Allow private network access' },
  { field: 'maxAgeSeconds', label: 'Max age' },
  { field: 'mode', label: 'Mode' },
];

interface Props {
  draft: PolicyDraft;
  issues: IssuesByField;
  readOnly: boolean;
  onChange: (routes: RouteRuleInput[]) => void;
}

/**
 * Per-route rules (SPEC §2.1): a list under the default, each a collapsible copy of the policy form
 * that shows only what the route overrides; ticking a field starts from the default's value.
 */
export function RoutesEditor({ draft, issues, readOnly, onChange }: Props) {
  const routes = draft.routes;
  const replace = (index: number, route: RouteRuleInput) =>
    onChange(routes.map((r, i) => (i === index ? route : r)));
  const defaults = fromDraft(draft);
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        The longest matching path decides: an exact path (<code>/webhooks/stripe</code>) or a prefix
        ending in <code>/*</code> (<code>/api/*</code>: <code>/api</code> and everything below). A
        route changes only the fields it overrides; the others follow the rules above.
      </Text>
      {routes.length > 0 && (
        <Accordion multiple variant="separated" chevronPosition="left">
          {routes.map((route, index) => {
            const at = scopedIssues(issues, `routes[${index}].`);
            const overridden = FIELDS.filter(({ field }) => field in route);
            return (
              <Accordion.Item key={index} value={String(index)}>
                <Accordion.Control aria-label={`Route ${route.path}`}>
                  <Group gap="xs">
                    <Text className="mono">{route.path || '(no path)'}</Text>
                    {overridden.map(({ field, label }) => (
                      <Badge key={field} variant="light" size="sm">
                        {label}
                      </Badge>
                    ))}
                    {at.all.errors.length > 0 && (
                      <Badge color="red" size="sm">
                        {at.all.errors.length} error{at.all.errors.length === 1 ? '' : 's'}
                      </Badge>
                    )}
                  </Group>
                </Accordion.Control>
                <Accordion.Panel>
                  <Stack>
                    <Group align="flex-end">
                      <TextInput
                        label="Path"
                        value={route.path}
                        readOnly={readOnly}
                        classNames={{ input: 'mono' }}
                        spellCheck={false}
                        error={errorsOf(at.at('path'))}
                        inputWrapperOrder={BELOW_INPUT}
                        onChange={(e) => replace(index, { ...route, path: e.currentTarget.value })}
                        style={{ flex: 1 }}
                      />
                      {!readOnly && (
                        <Button
                          variant="subtle"
                          color="red"
                          onClick={() => onChange(routes.filter((_, i) => i !== index))}
                        >
                          Remove route
                        </Button>
                      )}
                    </Group>
                    {FIELDS.map(({ field, label }) => (
                      <Stack key={field} gap={6}>
                        <Checkbox
                          label={`Override ${label.toLowerCase()}`}
                          checked={field in route}
                          disabled={readOnly}
                          onChange={(e) => {
                            const next: RouteRuleInput = { ...route };
                            if (e.currentTarget.checked)
                              (next as Record<string, unknown>)[field] = defaults[field];
                            else delete next[field];
                            replace(index, next);
                          }}
                        />
                        {field in route && (
                          <RouteField
                            field={field}
                            label={label}
                            route={route}
                            issues={at}
                            readOnly={readOnly}
                            onChange={(value) => replace(index, { ...route, [field]: value })}
                          />
                        )}
                      </Stack>
                    ))}
                  </Stack>
                </Accordion.Panel>
              </Accordion.Item>
            );
          })}
        </Accordion>
      )}
      {!readOnly && (
        <Group>
          <Button variant="light" onClick={() => onChange([...routes, { path: '/api/*' }])}>
            Add route
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** The editor of one overridden field (the same inputs as the default's form). */
function RouteField({
  field,
  label,
  route,
  issues,
  readOnly,
  onChange,
}: {
  field: Field;
  label: string;
  route: RouteRuleInput;
  issues: IssuesByField;
  readOnly: boolean;
  onChange: (value: unknown) => void;
}) {
  switch (field) {
    case 'origins': {
      const entries = route.origins ?? [];
      // Patterns as tags; an entry kept keeps its note and expiry.
      return (
        <NameListField
          label={label}
          help="Origin patterns for this route, as in the default's list."
          value={entries.map((o) => o.pattern)}
          issues={issues.list('origins')}
          readOnly={readOnly}
          onChange={(patterns) =>
            onChange(
              patterns.map((pattern) => entries.find((o) => o.pattern === pattern) ?? { pattern }),
            )
          }
        />
      );
    }
    case 'allowedMethods':
    case 'allowedHeaders':
    case 'exposedHeaders':
      return (
        <NameListField
          label={label}
          help="Replaces the default's list on this route."
          value={route[field] ?? []}
          issues={issues.list(field)}
          readOnly={readOnly}
          onChange={onChange}
        />
      );
    case 'allowCredentials':
    case 'allowPrivateNetwork':
      return (
        <Switch
          label={label}
          checked={route[field] ?? false}
          disabled={readOnly}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
      );
    case 'maxAgeSeconds':
      return (
        <NumberInput
          label="Max age (seconds)"
          description={warningsOf(issues.at('maxAgeSeconds'))}
          value={route.maxAgeSeconds ?? ''}
          disabled={readOnly}
          allowDecimal={false}
          onChange={(v) => onChange(v === '' ? null : Number(v))}
          error={errorsOf(issues.at('maxAgeSeconds'))}
          inputWrapperOrder={BELOW_INPUT}
          maw={240}
        />
      );
    case 'mode':
      return (
        <SegmentedControl
          aria-label="Route mode"
          value={route.mode ?? 'enforce'}
          disabled={readOnly}
          onChange={onChange}
          data={[
            { value: 'enforce', label: 'Enforce' },
            { value: 'report-only', label: 'Report-only' },
          ]}
        />
      );
  }
}
