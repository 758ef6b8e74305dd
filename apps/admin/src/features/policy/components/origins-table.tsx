import { useEffect, useRef } from 'react';
import { ActionIcon, Button, Group, Table, Text, TextInput, Tooltip } from '@mantine/core';
import {
  isoToLocalInput,
  localInputToIso,
  originRow,
  type OriginRow,
} from '../lib/policy-draft.js';
import type { IssuesByField } from '../lib/validation-by-field.js';
import { BELOW_INPUT, errorsOf, warningsOf } from './field-issues.js';

interface Props {
  rows: OriginRow[];
  issues: IssuesByField;
  readOnly: boolean;
  onChange: (rows: OriginRow[]) => void;
  /** Row key to focus (a row just added). */
  focusKey?: string | null;
}

export function OriginsTable({ rows, issues, readOnly, onChange, focusKey }: Props) {
  const inputs = useRef(new Map<string, HTMLInputElement>());
  const lastAdded = useRef<string | null>(null);

  useEffect(() => {
    const key = lastAdded.current ?? focusKey;
    if (key) inputs.current.get(key)?.focus();
    lastAdded.current = null;
  }, [rows.length, focusKey]);

  const update = (key: string, patch: Partial<OriginRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const remove = (key: string) => onChange(rows.filter((r) => r.key !== key));
  const add = () => {
    const row = originRow();
    lastAdded.current = row.key;
    onChange([...rows, row]);
  };

  return (
    <>
      <Table.ScrollContainer minWidth={720}>
        <Table verticalSpacing="xs" aria-label="Allowed origins" data-testid="origins-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="44%">Pattern</Table.Th>
              <Table.Th>Note</Table.Th>
              <Table.Th w={220}>Expires</Table.Th>
              {!readOnly && (
                <Table.Th w={40}>
                  <span className="visually-hidden">Remove</span>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={4}>
                  <Text size="sm" c="dimmed" py="sm">
                    No origins: every cross-origin request is refused (deny-all).
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {rows.map((row, i) => {
              const pattern = issues.at(`origins[${i}].pattern`);
              const others = issues.at(`origins[${i}]`);
              const note = issues.at(`origins[${i}].note`);
              const expiry = issues.at(`origins[${i}].expiresAt`);
              const name = row.pattern || `row ${i + 1}`;
              return (
                <Table.Tr key={row.key} data-testid={`origin-row-${i}`}>
                  <Table.Td valign="top">
                    <TextInput
                      ref={(el) => {
                        if (el) inputs.current.set(row.key, el);
                        else inputs.current.delete(row.key);
                      }}
                      aria-label={`Origin pattern ${i + 1}`}
                      placeholder="https://app.example.com"
                      value={row.pattern}
                      readOnly={readOnly}
                      onChange={(e) => update(row.key, { pattern: e.currentTarget.value })}
                      error={errorsOf({
                        errors: [...pattern.errors, ...others.errors],
                        warnings: [],
                      })}
                      description={warningsOf(pattern)}
                      inputWrapperOrder={BELOW_INPUT}
                      classNames={{ input: 'mono' }}
                      spellCheck={false}
                      autoCapitalize="off"
                    />
                  </Table.Td>
                  <Table.Td valign="top">
                    <TextInput
                      aria-label={`Note for ${name}`}
                      placeholder="what is this origin?"
                      value={row.note}
                      readOnly={readOnly}
                      onChange={(e) => update(row.key, { note: e.currentTarget.value })}
                      error={errorsOf(note)}
                    />
                  </Table.Td>
                  <Table.Td valign="top">
                    <TextInput
                      type="datetime-local"
                      aria-label={`Expiry of ${name}`}
                      value={isoToLocalInput(row.expiresAt)}
                      readOnly={readOnly}
                      onChange={(e) =>
                        update(row.key, { expiresAt: localInputToIso(e.currentTarget.value) })
                      }
                      error={errorsOf(expiry)}
                      description={warningsOf(expiry)}
                      inputWrapperOrder={BELOW_INPUT}
                    />
                  </Table.Td>
                  {!readOnly && (
                    <Table.Td valign="top">
                      <Tooltip label="Remove">
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          size="lg"
                          aria-label={`Remove origin ${name}`}
                          onClick={() => remove(row.key)}
                        >
                          ×
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {!readOnly && (
        <Group mt="xs">
          <Button variant="light" size="xs" onClick={add}>
            Add origin
          </Button>
        </Group>
      )}
    </>
  );
}
