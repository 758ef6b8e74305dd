import type { ReactNode } from 'react';
import { Badge, Button, Table } from '@mantine/core';
import type { MantineSpacing } from '@mantine/core';
import { Time } from './time.js';

/**
 * A column heading. A `hidden` one is read by screen readers only: the column of row actions has
 * no visible heading, but a table header cell without a name is an accessibility error.
 */
export type ListColumn = string | { label: string; hidden?: boolean; align?: 'right' };

/** The console's list tables: labelled, horizontally scrollable, one header row, rows as children. */
export function ListTable({
  label,
  columns,
  minWidth = 640,
  spacing = 'xs',
  highlightOnHover = false,
  children,
}: {
  label: string;
  columns: readonly (ListColumn | false)[];
  minWidth?: number;
  spacing?: MantineSpacing;
  highlightOnHover?: boolean;
  children: ReactNode;
}) {
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table verticalSpacing={spacing} aria-label={label} highlightOnHover={highlightOnHover}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => {
              if (column === false) return null;
              const {
                label: text,
                hidden = false,
                align,
              } = typeof column === 'string' ? { label: column } : column;
              return (
                <Table.Th key={text} ta={align}>
                  {hidden ? <span className="visually-hidden">{text}</span> : text}
                </Table.Th>
              );
            })}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Green while something is usable (a key, a user), red once it is not. */
export function StatusBadge({ active, inactiveLabel }: { active: boolean; inactiveLabel: string }) {
  return (
    <Badge color={active ? 'green' : 'red'} variant="light">
      {active ? 'active' : inactiveLabel}
    </Badge>
  );
}

/** A button in a row's actions cell; `label` names the row too, since the text alone repeats. */
export function RowAction({
  label,
  onClick,
  danger = false,
  variant = 'subtle',
  children,
}: {
  label: string;
  onClick: () => void;
  danger?: boolean;
  variant?: 'subtle' | 'light';
  children: ReactNode;
}) {
  return (
    <Button
      size="xs"
      variant={variant}
      color={danger ? 'red' : undefined}
      onClick={onClick}
      aria-label={label}
    >
      {children}
    </Button>
  );
}

/** A cell with a moment ("3 minutes ago", exact on hover), or `never` when there is none yet. */
export function TimeCell({ iso, never = '—' }: { iso: string | null | undefined; never?: string }) {
  return <Table.Td>{iso ? <Time iso={iso} /> : never}</Table.Td>;
}

/** The status column's cell: {@link StatusBadge}. */
export function StatusCell(props: { active: boolean; inactiveLabel: string }) {
  return (
    <Table.Td>
      <StatusBadge {...props} />
    </Table.Td>
  );
}

/**
 * The actions cell of a revocable row (a token, a key, an invitation): a red Revoke button named
 * after the row, or nothing once the row cannot be revoked (already revoked, or a read-only viewer).
 */
export function RevokeCell({
  label,
  show = true,
  onRevoke,
}: {
  label: string;
  show?: boolean;
  onRevoke: () => void;
}) {
  return (
    <Table.Td ta="right">
      {show && (
        <RowAction label={label} onClick={onRevoke} danger>
          Revoke
        </RowAction>
      )}
    </Table.Td>
  );
}
