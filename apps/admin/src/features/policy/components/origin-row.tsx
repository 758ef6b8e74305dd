import { memo, useState, type CSSProperties } from 'react';
import { Badge, Button, Group, Text, TextInput } from '@mantine/core';
import type { OriginEntry } from '@corsplane/contracts';
import { errorMessage } from '../../../lib/api-client.js';
import { isoToLocalInput, localInputToIso } from '../lib/policy-draft.js';
import { formatExpiry } from '../lib/format-expiry.js';

interface RowProps {
  entry: OriginEntry;
  /** 1-based position in the list as shown (with a search: among the matches). */
  position: number;
  readOnly: boolean;
  now: number;
  style: CSSProperties;
  index: number;
  measure: (el: HTMLElement | null) => void;
  onEdit: (pattern: string) => void;
  onRemove: (pattern: string) => void;
}

/**
 * One entry, read-only: plain text (cheap to render by the dozen while scrolling, and found by the
 * browser's find). Editing turns it into inputs (OriginEditRow).
 */
export const OriginRow = memo(function OriginRow({
  entry,
  position,
  readOnly,
  now,
  style,
  index,
  measure,
  onEdit,
  onRemove,
}: RowProps) {
  const expired = entry.expiresAt !== null && Date.parse(entry.expiresAt) <= now;
  return (
    <div
      role="row"
      className="origins-row"
      style={style}
      data-index={index}
      ref={measure}
      data-testid="origin-entry"
      aria-rowindex={position + 1}
    >
      <div role="cell" className="origins-cell origins-pattern mono">
        {entry.pattern}
      </div>
      <div role="cell" className="origins-cell origins-note">
        {entry.note ?? ''}
      </div>
      <div role="cell" className="origins-cell origins-expiry">
        {entry.expiresAt ? (
          <span title={entry.expiresAt}>
            {expired ? 'expired ' : 'until '}
            {formatExpiry(entry.expiresAt)}
          </span>
        ) : (
          ''
        )}
      </div>
      {!readOnly && (
        <div role="cell" className="origins-cell origins-actions">
          <button
            type="button"
            className="origins-action"
            aria-label={`Edit ${entry.pattern}`}
            onClick={() => onEdit(entry.pattern)}
          >
            Edit
          </button>
          <button
            type="button"
            className="origins-action origins-action-danger"
            aria-label={`Remove ${entry.pattern}`}
            onClick={() => onRemove(entry.pattern)}
          >
            Remove
          </button>
        </div>
      )}
    </div>
  );
});

interface EditProps {
  entry: OriginEntry;
  position: number;
  style: CSSProperties;
  index: number;
  measure: (el: HTMLElement | null) => void;
  saving: boolean;
  error: unknown;
  onSave: (patch: { note: string | null; expiresAt: string | null }) => void;
  onCancel: () => void;
}

/**
 * The entry being edited. Its inputs hold their own state: a keystroke re-renders this row only, never
 * the list. The pattern is the entry's identity (PATCH changes note and expiry; to change a pattern,
 * add the new one and remove the old).
 */
export function OriginEditRow({
  entry,
  position,
  style,
  index,
  measure,
  saving,
  error,
  onSave,
  onCancel,
}: EditProps) {
  const [note, setNote] = useState(entry.note ?? '');
  const [expiry, setExpiry] = useState(isoToLocalInput(entry.expiresAt));
  const submit = () => {
    const trimmed = note.trim();
    onSave({ note: trimmed === '' ? null : trimmed, expiresAt: localInputToIso(expiry) });
  };
  return (
    <div
      role="row"
      className="origins-row origins-row-editing"
      style={style}
      data-index={index}
      ref={measure}
      data-testid="origin-edit-row"
      aria-rowindex={position + 1}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
        if (e.key === 'Enter') submit();
      }}
    >
      <div role="cell" className="origins-cell origins-pattern mono">
        {entry.pattern}
        <Badge size="xs" variant="light" ml="xs">
          editing
        </Badge>
      </div>
      <div role="cell" className="origins-cell origins-note">
        <TextInput
          size="xs"
          aria-label={`Note for ${entry.pattern}`}
          placeholder="what is this origin?"
          value={note}
          maxLength={1000}
          onChange={(e) => setNote(e.currentTarget.value)}
          data-autofocus
          autoFocus
        />
      </div>
      <div role="cell" className="origins-cell origins-expiry">
        <TextInput
          size="xs"
          type="datetime-local"
          aria-label={`Expiry of ${entry.pattern} (your time zone)`}
          value={expiry}
          onChange={(e) => setExpiry(e.currentTarget.value)}
        />
      </div>
      <div role="cell" className="origins-cell origins-actions">
        <Group gap={4} wrap="nowrap">
          <Button size="compact-xs" loading={saving} onClick={submit}>
            Save
          </Button>
          <Button size="compact-xs" variant="default" onClick={onCancel} disabled={saving}>
            Cancel
          </Button>
        </Group>
      </div>
      {error ? (
        <Text size="xs" c="red" role="alert" className="origins-row-error">
          {errorMessage(error)}
        </Text>
      ) : null}
    </div>
  );
}
