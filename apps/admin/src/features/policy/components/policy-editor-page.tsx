import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Badge, Button, Card, Group, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { validatePolicy } from '@corsplane/policy';
import type { ApiIssue } from '@corsplane/contracts';
import { ApiError } from '../../../lib/api-client.js';
import { ErrorState, LoadingState } from '../../../components/ui/states.js';
import { useMe } from '../../auth/api/get-me.js';
import { canEditTenant } from '../../auth/lib/permissions.js';
import { versionsQueryOptions } from '../../versions/api/get-versions.js';
import { policyQueryOptions, usePolicy, type PolicyWithEtag } from '../api/get-policy.js';
import { useUpdatePolicy } from '../api/update-policy.js';
import { clearStash, readStash, writeStash } from '../lib/draft-stash.js';
import { diffPolicies } from '../lib/policy-diff.js';
import {
  fromDraft,
  originRow,
  toDraft,
  withoutVersion,
  type PolicyDraft,
} from '../lib/policy-draft.js';
import { mergePolicies } from '../lib/policy-merge.js';
import { originKey } from '../lib/policy-diff.js';
import { suggestPatterns, type PatternSuggestion } from '../lib/suggest-patterns.js';
import { groupIssues } from '../lib/validation-by-field.js';
import { ConflictDialog, type Conflict } from './conflict-dialog.js';
import { PolicyForm } from './policy-form.js';
import { BaselineOrigins } from './baseline-origins.js';
import { SaveDialog } from './save-dialog.js';

interface Props {
  slug: string;
  /** A refused origin to add (from Blocked origins → Allow). */
  allowOrigin: string | null;
  onAllowConsumed: () => void;
}

interface AllowNotice {
  origin: string;
  rowKey: string | null;
  suggestions: PatternSuggestion[];
}

const sameIssue = (a: ApiIssue, b: ApiIssue) => a.path === b.path && a.reason === b.reason;

export function PolicyEditorPage({ slug, allowOrigin, onAllowConsumed }: Props) {
  const me = useMe();
  const readOnly = !canEditTenant(me.data, slug);
  const query = usePolicy(slug);
  const qc = useQueryClient();
  const update = useUpdatePolicy();
  const [base, setBase] = useState<PolicyWithEtag | null>(null);
  const [draft, setDraftState] = useState<PolicyDraft | null>(null);
  const [serverIssues, setServerIssues] = useState<ApiIssue[]>([]);
  const [saveOpen, setSaveOpen] = useState(false);
  const [conflict, setConflict] = useState<(Conflict & { latest_: PolicyWithEtag }) | null>(null);
  const [allowNotice, setAllowNotice] = useState<AllowNotice | null>(null);
  const [restored, setRestored] = useState(false);

  const setDraft = (d: PolicyDraft) => {
    setDraftState(d);
    setServerIssues([]);
  };

  // Start from the stored policy, or from this tab's unsaved draft (kept across a sign-in or a tab switch).
  useEffect(() => {
    if (!query.data || base) return;
    const stash = readOnly ? null : readStash(slug);
    if (stash) {
      setBase(stash.base);
      setDraftState(stash.draft);
      setRestored(true);
    } else {
      setBase(query.data);
      setDraftState(toDraft(query.data.policy));
    }
  }, [query.data, base, slug, readOnly]);

  const doc = useMemo(() => (draft ? fromDraft(draft) : null), [draft]);
  const changes = useMemo(
    () => (base && doc ? diffPolicies(withoutVersion(base.policy), doc) : []),
    [base, doc],
  );
  const dirty = changes.length > 0;

  useEffect(() => {
    if (!base || !draft || readOnly) return;
    if (dirty) writeStash(slug, { base, draft });
    else clearStash(slug);
  }, [base, draft, dirty, slug, readOnly]);

  // As-you-type validation with the same engine as the server; deferred so typing stays smooth.
  const deferredDoc = useDeferredValue(doc);
  const local = useMemo(() => (deferredDoc ? validatePolicy(deferredDoc) : null), [deferredDoc]);
  const issues = useMemo(() => {
    const errors: ApiIssue[] = [...(local?.errors ?? [])];
    for (const s of serverIssues) if (!errors.some((e) => sameIssue(e, s))) errors.push(s);
    return groupIssues(errors, local?.warnings ?? []);
  }, [local, serverIssues]);

  // Blocked origins → Allow: add the exact origin once the policy is loaded, and offer the wildcards it fits.
  const allowHandled = useRef<string | null>(null);
  useEffect(() => {
    if (!allowOrigin || !draft || allowHandled.current === allowOrigin) return;
    allowHandled.current = allowOrigin;
    const suggestions = suggestPatterns(allowOrigin);
    const first = suggestions[0];
    let rowKey: string | null = null;
    if (first && !readOnly) {
      const existing = draft.origins.find((o) => originKey(o.pattern) === originKey(first.pattern));
      if (existing) rowKey = existing.key;
      else {
        const row = originRow(first.pattern, 'allowed from blocked origins');
        rowKey = row.key;
        setDraft({ ...draft, origins: [...draft.origins, row] });
      }
    }
    setAllowNotice({ origin: allowOrigin, rowKey, suggestions });
    onAllowConsumed();
  }, [allowOrigin, draft, readOnly, onAllowConsumed]);

  const applySuggestion = (pattern: string) => {
    if (!draft || !allowNotice?.rowKey) return;
    setDraft({
      ...draft,
      origins: draft.origins.map((o) => (o.key === allowNotice.rowKey ? { ...o, pattern } : o)),
    });
  };

  const openConflict = async () => {
    if (!base || !doc) return;
    const latest = await qc.fetchQuery({ ...policyQueryOptions(slug), staleTime: 0 });
    const versions = await qc
      .fetchQuery({ ...versionsQueryOptions(slug, 1), staleTime: 0 })
      .catch(() => null);
    setConflict({
      baseVersion: base.policy.version,
      theirVersion: latest.policy.version,
      latest: versions?.items[0] ?? null,
      merge: mergePolicies(withoutVersion(base.policy), doc, withoutVersion(latest.policy)),
      latest_: latest,
    });
  };

  const save = () => {
    if (!base || !doc) return;
    update.mutate(
      { slug, policy: doc, ifMatch: base.etag },
      {
        onSuccess: (saved) => {
          setSaveOpen(false);
          clearStash(slug);
          setBase(saved);
          setDraft(toDraft(saved.policy));
          setAllowNotice(null);
          notifications.show({
            color: 'green',
            title: 'Policy saved',
            message: `Version ${saved.policy.version} is live.`,
          });
        },
        onError: (e) => {
          if (e instanceof ApiError && e.status === 412) {
            setSaveOpen(false);
            void openConflict();
          } else if (e instanceof ApiError && e.status === 422) {
            setSaveOpen(false);
            setServerIssues(e.details);
          }
        },
      },
    );
  };

  const discard = () => {
    if (!base) return;
    clearStash(slug);
    setDraft(toDraft(base.policy));
    setAllowNotice(null);
    setRestored(false);
  };

  if (query.isPending || (!draft && !query.error)) return <LoadingState label="Loading policy…" />;
  if (query.error && !draft)
    return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (!draft || !base || !doc) return null;

  const stale = query.data && query.data.policy.version !== base.policy.version;
  return (
    <Stack>
      {readOnly && (
        <Alert color="gray" variant="light" title="Read-only" data-testid="read-only-notice">
          You can read this policy but not change it: editing needs the editor role on this tenant
          or the platform admin role.
        </Alert>
      )}
      {restored && dirty && (
        <Alert color="blue" variant="light" withCloseButton onClose={() => setRestored(false)}>
          Your unsaved changes from earlier in this tab were restored.
        </Alert>
      )}
      {allowNotice && (
        <Alert
          color="indigo"
          variant="light"
          title={`Allow ${allowNotice.origin}`}
          withCloseButton
          onClose={() => setAllowNotice(null)}
          data-testid="allow-notice"
        >
          {readOnly ? (
            <Text size="sm">You cannot edit this policy.</Text>
          ) : allowNotice.suggestions.length === 0 ? (
            <Text size="sm">This origin is malformed and cannot be allowed as such.</Text>
          ) : (
            <Stack gap="xs">
              <Text size="sm">
                An origin row was added below. Review it, then save. Or allow more with a pattern it
                fits:
              </Text>
              <Group gap="xs">
                {allowNotice.suggestions.map((s) => (
                  <Button
                    key={s.pattern}
                    size="xs"
                    variant="default"
                    onClick={() => applySuggestion(s.pattern)}
                    title={s.label}
                  >
                    {s.pattern}
                  </Button>
                ))}
              </Group>
            </Stack>
          )}
        </Alert>
      )}
      {stale && !dirty && (
        <Alert color="blue" variant="light">
          A newer version ({query.data?.policy.version}) was saved.{' '}
          <Button
            size="compact-xs"
            variant="light"
            onClick={() =>
              query.data && (setBase(query.data), setDraft(toDraft(query.data.policy)))
            }
          >
            Load it
          </Button>
        </Alert>
      )}
      {serverIssues.length > 0 && (
        <Alert color="red" role="alert" title="The server refused the policy">
          Each problem is shown beside its field below.
        </Alert>
      )}
      <Paper withBorder p="sm" pos="sticky" top={64} style={{ zIndex: 5 }} shadow="xs">
        <Group justify="space-between">
          <Group gap="sm">
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
            <Button component={Link} to={`/tenants/${slug}/test`} variant="subtle" size="sm">
              Test an origin
            </Button>
            {!readOnly && (
              <>
                <Button variant="default" size="sm" disabled={!dirty} onClick={discard}>
                  Discard changes
                </Button>
                <Button
                  size="sm"
                  disabled={!dirty || issues.errorCount > 0}
                  onClick={() => setSaveOpen(true)}
                >
                  Review and save
                </Button>
              </>
            )}
          </Group>
        </Group>
      </Paper>
      <Card p={0} bg="transparent">
        <PolicyForm
          draft={draft}
          issues={issues}
          readOnly={readOnly}
          onChange={setDraft}
          focusOriginKey={allowNotice?.rowKey ?? null}
        />
      </Card>
      <BaselineOrigins slug={slug} />
      <SaveDialog
        opened={saveOpen}
        slug={slug}
        fromVersion={base.policy.version}
        changes={changes}
        draft={doc}
        saving={update.isPending}
        saveError={
          update.error &&
          !(update.error instanceof ApiError && [412, 422].includes(update.error.status))
            ? update.error
            : null
        }
        onConfirm={save}
        onClose={() => {
          setSaveOpen(false);
          update.reset();
        }}
      />
      <ConflictDialog
        conflict={conflict}
        onClose={() => setConflict(null)}
        onKeepBoth={() => {
          if (!conflict) return;
          setBase(conflict.latest_);
          setDraft(toDraft(conflict.merge.merged));
          setConflict(null);
          update.reset();
        }}
        onDiscardMine={() => {
          if (!conflict) return;
          clearStash(slug);
          setBase(conflict.latest_);
          setDraft(toDraft(conflict.latest_.policy));
          setConflict(null);
          update.reset();
        }}
      />
    </Stack>
  );
}
