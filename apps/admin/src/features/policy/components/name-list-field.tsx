import { TagsInput } from '@mantine/core';
import type { FieldIssues } from '../lib/validation-by-field.js';
import { BELOW_INPUT, errorsOf, warningsOf } from './field-issues.js';

interface Props {
  label: string;
  help: string;
  value: string[];
  suggestions?: string[];
  issues: FieldIssues;
  readOnly: boolean;
  onChange: (v: string[]) => void;
}

/** A list of method or header names: type and press Enter (or comma) to add, Backspace to remove. */
export function NameListField({
  label,
  help,
  value,
  suggestions,
  issues,
  readOnly,
  onChange,
}: Props) {
  const warnings = warningsOf(issues);
  return (
    <TagsInput
      label={label}
      description={
        <>
          {help}
          {warnings && <> {warnings}</>}
        </>
      }
      value={value}
      data={suggestions}
      onChange={onChange}
      readOnly={readOnly}
      splitChars={[',', ' ']}
      acceptValueOnBlur
      clearable={!readOnly}
      error={errorsOf(issues)}
      inputWrapperOrder={BELOW_INPUT}
      placeholder={readOnly ? undefined : 'type a name, Enter to add'}
    />
  );
}
