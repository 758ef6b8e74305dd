import { Alert, Badge, Button, Card, Group, Paper, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { ErrorState, LoadingState } from '../../../components/ui/states.js';
import { usePolicyEditor } from '../hooks/use-policy-editor.js';
import { ConflictDialog } from './conflict-dialog.js';
import { PolicyForm } from './policy-form.js';
import type { CandidateAction } from './policy-editor-page.js';
import { SaveDialog } from './save-dialog.js';

/** The policy's settings: the form, its save bar, the review and conflict dialogs (usePolicyEditor). */
export default function SettingsSection({
  slug,
  candidateAction,
}: {
  slug: string;
  candidateAction?: CandidateAction | undefined;
}) {
  const editor = usePolicyEditor(slug);
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
