import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { PolicyInput } from '@corsplane/contracts';
import { Alert, Badge, Button, Card, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link } from 'react-router';
import { errorMessage } from '../../../lib/api-client.js';
import { ErrorState, LoadingState } from '../../../components/ui/states.js';
import { useAddOrigin } from '../api/origin-writes.js';
import { usePolicyEditor, type PolicyEditor } from '../hooks/use-policy-editor.js';
import { suggestPatterns, type PatternSuggestion } from '../lib/suggest-patterns.js';
import { BaselineOrigins } from './baseline-origins.js';
import { ConflictDialog } from './conflict-dialog.js';
import { OriginsPanel } from './origins-panel.js';
import { PolicyForm } from './policy-form.js';
import { SaveDialog } from './save-dialog.js';

interface Props {
  slug: string;
  /** A refused origin to add (from Blocked origins → Allow). */
  allowOrigin: string | null;
  onAllowConsumed: () => void;
  /**
   * Beside "Review and save": the route puts the candidate feature's "Save as candidate" here (features
   * do not import one another's components), given the edited settings and whether saving is possible.
   */
  candidateAction?: (settings: PolicyInput | null, disabled: boolean) => ReactNode;
}

/**
 * The policy editor: the origins (paged, searched and written entry by entry) render at once; the
 * settings form appears when the settings read answers. State and actions live in usePolicyEditor.
 */
export function PolicyEditorPage({ slug, allowOrigin, onAllowConsumed, candidateAction }: Props) {
  const editor = usePolicyEditor(slug);
  if (!editor.ready) return <LoadingState label="Checking your access…" />;
  return (
    <Stack>
      {editor.readOnly && (
        <Alert color="gray" variant="light" title="Read-only" data-testid="read-only-notice">
          You can read this policy but not change it: editing needs the editor role on this tenant
          or the platform admin role.
        </Alert>
      )}
      <AllowNotice
        slug={slug}
        readOnly={editor.readOnly}
        allowOrigin={allowOrigin}
        onAllowConsumed={onAllowConsumed}
      />
      <OriginsPanel
        slug={slug}
        readOnly={editor.readOnly}
        total={editor.query.data?.originCount ?? null}
      />
      <SettingsSection editor={editor} candidateAction={candidateAction} />
      <BaselineOrigins slug={slug} />
    </Stack>
  );
}

function SettingsSection({
  editor,
  candidateAction,
}: {
  editor: PolicyEditor;
  candidateAction: Props['candidateAction'];
}) {
  const { query, base, draft, doc, issues, readOnly, dirty, changes } = editor;
  if (query.error && !draft)
    return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (!draft || !base || !doc) return <LoadingState label="Loading policy settings…" />;
  return (
    <>
      {editor.restored && dirty && (
        <Alert color="blue" variant="light" withCloseButton onClose={editor.dismissRestored}>
          Your unsaved changes from earlier in this tab were restored.
        </Alert>
      )}
      {editor.stale && !dirty && (
        <Alert color="blue" variant="light">
          A newer version ({query.data?.policy.version}) was saved.{' '}
          <Button size="compact-xs" variant="light" onClick={editor.loadLatest}>
            Load it
          </Button>
        </Alert>
      )}
      {editor.serverIssues.length > 0 && (
        <Alert color="red" role="alert" title="The server refused the policy">
          Each problem is shown beside its field below.
        </Alert>
      )}
      <Paper withBorder p="sm" pos="sticky" top={64} style={{ zIndex: 5 }} shadow="xs">
        <Group justify="space-between">
          <Group gap="sm">
            <Title order={3} size="h5">
              Settings
            </Title>
            <Text size="sm">
              Version <b data-testid="policy-version">{base.policy.version}</b>
            </Text>
            <Badge
              color={issues.errorCount ? 'red' : 'green'}
              variant="light"
              data-testid="error-count"
            >
              {issues.errorCount} error{issues.errorCount === 1 ? '' : 's'}
            </Badge>
            {issues.warningCount > 0 && (
              <Badge color="orange" variant="light">
                {issues.warningCount} warning{issues.warningCount === 1 ? '' : 's'}
              </Badge>
            )}
            {dirty && (
              <Badge color="indigo" variant="light" data-testid="unsaved-count">
                {changes.length} unsaved change{changes.length === 1 ? '' : 's'}
              </Badge>
            )}
          </Group>
          <Group gap="xs">
            <Button component={Link} to={`/tenants/${editor.slug}/test`} variant="subtle" size="sm">
              Test an origin
            </Button>
            {!readOnly && (
              <>
                <Button variant="default" size="sm" disabled={!dirty} onClick={editor.discard}>
                  Discard changes
                </Button>
                <Button
                  size="sm"
                  disabled={!dirty || issues.errorCount > 0}
                  onClick={editor.openSave}
                >
                  Review and save
                </Button>
                {candidateAction?.(doc, !dirty || issues.errorCount > 0)}
              </>
            )}
          </Group>
        </Group>
      </Paper>
      <Card p={0} bg="transparent">
        <PolicyForm draft={draft} issues={issues} readOnly={readOnly} onChange={editor.setDraft} />
      </Card>
      <SaveDialog
        opened={editor.saveOpen}
        slug={editor.slug}
        fromVersion={base.policy.version}
        changes={changes}
        draft={doc}
        saving={editor.saving}
        saveError={editor.saveError}
        onConfirm={editor.save}
        onClose={editor.closeSave}
      />
      <ConflictDialog
        conflict={editor.conflict}
        onClose={editor.closeConflict}
        onKeepBoth={editor.keepBoth}
        onDiscardMine={editor.discardMine}
      />
    </>
  );
}

interface AllowProps {
  slug: string;
  readOnly: boolean;
  allowOrigin: string | null;
  onAllowConsumed: () => void;
}

/**
 * Blocked origins → Allow: the refused origin and the patterns it fits, each added with one click
 * through the single-origin API (a new version at once; nothing else of the policy is touched).
 */
function AllowNotice({ slug, readOnly, allowOrigin, onAllowConsumed }: AllowProps) {
  const [notice, setNotice] = useState<{ origin: string; suggestions: PatternSuggestion[] } | null>(
    null,
  );
  const add = useAddOrigin();
  const handled = useRef<string | null>(null);
  useEffect(() => {
    if (!allowOrigin || handled.current === allowOrigin) return;
    handled.current = allowOrigin;
    setNotice({ origin: allowOrigin, suggestions: suggestPatterns(allowOrigin) });
    onAllowConsumed();
  }, [allowOrigin, onAllowConsumed]);
  if (!notice) return null;
  return (
    <Alert
      color="indigo"
      variant="light"
      title={`Allow ${notice.origin}`}
      withCloseButton
      onClose={() => setNotice(null)}
      data-testid="allow-notice"
    >
      {readOnly ? (
        <Text size="sm">You cannot edit this policy.</Text>
      ) : notice.suggestions.length === 0 ? (
        <Text size="sm">This origin is malformed and cannot be allowed as such.</Text>
      ) : (
        <Stack gap="xs">
          <Text size="sm">Add it, or a pattern it fits (a new version is saved at once):</Text>
          <Group gap="xs">
            {notice.suggestions.map((s) => (
              <Button
                key={s.pattern}
                size="xs"
                variant="default"
                title={s.label}
                loading={add.isPending && add.variables?.entry.pattern === s.pattern}
                onClick={() =>
                  add.mutate(
                    { slug, entry: { pattern: s.pattern, note: 'allowed from blocked origins' } },
                    {
                      onSuccess: (r) => {
                        notifications.show({
                          color: 'green',
                          message: `${r.entry.pattern} added: version ${r.version} is live.`,
                        });
                        setNotice(null);
                      },
                    },
                  )
                }
              >
                Add {s.pattern}
              </Button>
            ))}
          </Group>
          {add.error ? (
            <Text size="sm" c="red" role="alert">
              {errorMessage(add.error)}
            </Text>
          ) : null}
        </Stack>
      )}
    </Alert>
  );
}
