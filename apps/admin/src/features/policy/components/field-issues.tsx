import { List, Text } from '@mantine/core';
import type { FieldIssues } from '../lib/validation-by-field.js';

/** Errors for an input's `error` prop: one line each (Mantine wires aria-invalid and aria-describedby). */
export function errorsOf(issues: FieldIssues) {
  if (issues.errors.length === 0) return undefined;
  if (issues.errors.length === 1) return issues.errors[0]?.text;
  return (
    <List size="xs" spacing={0}>
      {issues.errors.map((i, n) => (
        <List.Item key={n}>{i.text}</List.Item>
      ))}
    </List>
  );
}

/** Warnings go under the input as its description: accepted, but worth a look. */
export function warningsOf(issues: FieldIssues) {
  if (issues.warnings.length === 0) return undefined;
  return (
    <Text component="span" size="xs" c="orange.8" data-testid="field-warning">
      {issues.warnings.map((w) => `Warning: ${w.text}`).join(' · ')}
    </Text>
  );
}

export const BELOW_INPUT = ['label', 'input', 'description', 'error'] as (
  'label' | 'input' | 'description' | 'error'
)[];
