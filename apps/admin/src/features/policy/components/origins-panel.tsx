import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Anchor, Button, Card, Group, Loader, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ConfirmModal } from '../../../components/ui/confirm-modal.js';
import { SearchField } from '../../../components/ui/search-field.js';
import { errorMessage } from '../../../lib/api-client.js';
import { originsQueryOptions } from '../api/get-origins.js';
import { exportUrl } from '../api/import-origins.js';
import { useAddOrigin, useDeleteOrigin, usePatchOrigin } from '../api/origin-writes.js';
import { ImportDialog, type ImportMode } from './import-dialog.js';
import { OriginEditRow, OriginRow } from './origin-row.js';
import './origins-list.css';

/** Row height before measuring (a read-only row); editing rows are measured. */
const ROW_HEIGHT = 40;
/** Typing pauses this long before the API searches (one request per pause). */
const SEARCH_DEBOUNCE_MS = 250;
/** jsdom has no layout: the list assumes this viewport until the browser measures one. */
const INITIAL_RECT = { width: 1000, height: 560 };

interface Props {
  slug: string;
  readOnly: boolean;
  /** Entries in the live policy (from the settings read), or null before it answers. */
  total: number | null;
}

/**
 * The tenant's origins, read from the paged origin-entries API (SPEC §4.1) as the list scrolls, in a
 * virtualized list: a 100,000-entry policy renders a screenful of rows, never the whole document.
 * Search runs on the server. Writes go one entry at a time (POST/PATCH/DELETE, no If-Match: they
 * commute), each a version of its own.
 */
export function OriginsPanel({ slug, readOnly, total }: Props) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const list = useInfiniteQuery({
    ...originsQueryOptions(slug, q),
    placeholderData: keepPreviousData,
  });
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const [editing, setEditing] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [importMode, setImportMode] = useState<ImportMode | null>(null);
  const patch = usePatchOrigin();
  const remove = useDeleteOrigin();
  // One clock per render of the list, so rows agree on what "expired" means.
  const now = Date.now();

  const scrollRef = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const virtualizer = useVirtualizer({
    count: items.length + (hasNextPage ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    initialRect: INITIAL_RECT,
    getItemKey: (i) => items[i]?.pattern ?? '…more',
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems.at(-1)?.index ?? -1;
  // The next page loads when the loader row scrolls into view.
  useEffect(() => {
    if (lastIndex >= items.length - 1 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [lastIndex, items.length, hasNextPage, isFetchingNextPage, fetchNextPage]);
  // A new search starts at the top.
  useEffect(() => {
    scrollRef.current?.scrollTo?.({ top: 0 });
  }, [q]);

  const onEdit = useCallback(
    (pattern: string) => {
      patch.reset();
      setEditing(pattern);
    },
    [patch],
  );
  const onRemove = useCallback(
    (pattern: string) => {
      remove.reset();
      setRemoving(pattern);
    },
    [remove],
  );

  const shown = items.length;
  const countText = q
    ? `${shown}${hasNextPage ? '+' : ''} match${shown === 1 && !hasNextPage ? '' : 'es'} for “${q}”`
    : total === null
      ? `${shown}${hasNextPage ? '+' : ''} origins`
      : `${total.toLocaleString('en-US')} origin${total === 1 ? '' : 's'}`;

  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Group gap="sm">
          <Title order={3} size="h4">
            Origins
          </Title>
          <Text size="sm" c="dimmed" data-testid="origin-count" aria-live="polite">
            {countText}
          </Text>
        </Group>
        <Group gap="xs">
          {!readOnly && (
            <>
              <Button size="xs" variant="light" onClick={() => setImportMode('paste')}>
                Paste a list
              </Button>
              <Button size="xs" variant="light" onClick={() => setImportMode('csv')}>
                Import CSV
              </Button>
            </>
          )}
          <Anchor href={exportUrl(slug, 'json')} size="sm" download>
            Export JSON
          </Anchor>
          <Anchor href={exportUrl(slug, 'csv')} size="sm" download>
            Export CSV
          </Anchor>
        </Group>
      </Group>
      <Text size="xs" c="dimmed" mb="sm">
        exact <code>https://app.acme.com</code> · subdomains <code>https://*.acme.com</code> · any
        port <code>http://localhost:*</code> · <code>null</code> · <code>*</code>
      </Text>
      {!readOnly && <AddOriginForm slug={slug} onAdded={(p) => setSearch(p)} />}
      <SearchField
        label="Search origins"
        placeholder="part of a pattern or a note"
        value={search}
        onChange={setSearch}
        busy={list.isFetching && !list.isFetchingNextPage ? <Loader size="xs" /> : null}
        mb="xs"
      />
      {list.error ? (
        <Alert color="red" role="alert">
          Could not load the origins: {errorMessage(list.error)}{' '}
          <Button size="compact-xs" variant="light" onClick={() => void list.refetch()}>
            Retry
          </Button>
        </Alert>
      ) : (
        <div
          role="table"
          aria-label="Allowed origins"
          aria-rowcount={q || total === null ? -1 : total + 1}
          className={readOnly ? 'origins-readonly' : undefined}
          data-testid="origins-table"
        >
          <div role="row" className="origins-head" aria-rowindex={1}>
            <div role="columnheader">Pattern</div>
            <div role="columnheader">Note</div>
            <div role="columnheader">Expires (UTC)</div>
            {!readOnly && (
              <div role="columnheader">
                <span className="visually-hidden">Actions</span>
              </div>
            )}
          </div>
          <div ref={scrollRef} className="origins-scroll" data-testid="origins-scroll">
            {list.isPending ? (
              <Group p="sm" gap="xs">
                <Loader size="xs" />
                <Text size="sm" c="dimmed">
                  Loading origins…
                </Text>
              </Group>
            ) : items.length === 0 ? (
              <Text size="sm" c="dimmed" p="sm">
                {q
                  ? `No origin matches “${q}”.`
                  : 'No origins: every cross-origin request is refused (deny-all).'}
              </Text>
            ) : (
              <div
                style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
                role="rowgroup"
              >
                {virtualItems.map((v) => {
                  const entry = items[v.index];
                  const style = { transform: `translateY(${v.start}px)` };
                  if (!entry)
                    return (
                      <div
                        key={v.key}
                        role="row"
                        className="origins-row"
                        style={style}
                        data-index={v.index}
                        ref={virtualizer.measureElement}
                      >
                        <div role="cell">
                          <Text size="sm" c="dimmed">
                            Loading more…
                          </Text>
                        </div>
                      </div>
                    );
                  return entry.pattern === editing && !readOnly ? (
                    <OriginEditRow
                      key={v.key}
                      entry={entry}
                      position={v.index + 1}
                      style={style}
                      index={v.index}
                      measure={virtualizer.measureElement}
                      saving={patch.isPending}
                      error={patch.error}
                      onCancel={() => setEditing(null)}
                      onSave={(body) =>
                        patch.mutate(
                          { slug, pattern: entry.pattern, patch: body },
                          {
                            onSuccess: (r) => {
                              setEditing(null);
                              notifications.show({
                                color: 'green',
                                message: `${entry.pattern} saved: version ${r.version} is live.`,
                              });
                            },
                          },
                        )
                      }
                    />
                  ) : (
                    <OriginRow
                      key={v.key}
                      entry={entry}
                      position={v.index + 1}
                      readOnly={readOnly}
                      now={now}
                      style={style}
                      index={v.index}
                      measure={virtualizer.measureElement}
                      onEdit={onEdit}
                      onRemove={onRemove}
                    />
                  );
                })}
              </div>
            )}
          </div>
        </div>
      )}
      <ConfirmModal
        opened={removing !== null}
        title="Remove this origin?"
        confirmLabel="Remove"
        pending={remove.isPending}
        error={remove.error}
        onCancel={() => setRemoving(null)}
        onConfirm={() =>
          removing &&
          remove.mutate(
            { slug, pattern: removing },
            {
              onSuccess: (r) => {
                notifications.show({
                  color: 'green',
                  message: `${removing} removed: version ${r.version} is live.`,
                });
                setRemoving(null);
              },
            },
          )
        }
      >
        {removing} will be refused from the next version on (a new version is saved now).
      </ConfirmModal>
      <ImportDialog slug={slug} mode={importMode} onClose={() => setImportMode(null)} />
    </Card>
  );
}

/** Add one entry (POST …/policy/origins): the server validates it against the policy and saves it. */
function AddOriginForm({ slug, onAdded }: { slug: string; onAdded: (pattern: string) => void }) {
  const add = useAddOrigin();
  const [pattern, setPattern] = useState('');
  const [note, setNote] = useState('');
  const submit = () => {
    if (!pattern.trim()) return;
    add.mutate(
      { slug, entry: { pattern: pattern.trim(), note: note.trim() || null } },
      {
        onSuccess: (r) => {
          notifications.show({
            color: 'green',
            message: `${r.entry.pattern} added: version ${r.version} is live.`,
          });
          setPattern('');
          setNote('');
          onAdded(r.entry.pattern);
        },
      },
    );
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Group align="flex-start" gap="xs" mb="sm" wrap="wrap">
        <TextInput
          size="sm"
          label="New origin"
          placeholder="https://app.example.com"
          classNames={{ input: 'mono' }}
          value={pattern}
          onChange={(e) => {
            setPattern(e.currentTarget.value);
            if (add.error) add.reset();
          }}
          error={add.error ? errorMessage(add.error) : undefined}
          spellCheck={false}
          autoCapitalize="off"
          w={340}
        />
        <TextInput
          size="sm"
          label="Note"
          placeholder="optional"
          value={note}
          maxLength={1000}
          onChange={(e) => setNote(e.currentTarget.value)}
          w={240}
        />
        <Button type="submit" size="sm" mt={25} loading={add.isPending} disabled={!pattern.trim()}>
          Add origin
        </Button>
      </Group>
    </form>
  );
}
