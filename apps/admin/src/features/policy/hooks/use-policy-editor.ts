import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { useForm } from '@mantine/form';
import { schemaResolver } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { emptyPolicy, validatePolicy } from '@corsplane/policy';
import type { ApiIssue, PolicyInput } from '@corsplane/contracts';
import { ApiError } from '../../../lib/api-client.js';
import { useMe } from '../../auth/api/get-me.js';
import { canEditTenant } from '../../auth/lib/permissions.js';
import { versionsQueryOptions } from '../../versions/api/get-versions.js';
import { useOrigins } from '../api/get-origins.js';
import { policyQueryOptions, usePolicy, type PolicyWithEtag } from '../api/get-policy.js';
import { useUpdatePolicy } from '../api/update-policy.js';
import { clearStash, readStash, writeStash } from '../lib/draft-stash.js';
import { diffPolicies, type PolicyChange } from '../lib/policy-diff.js';
import { fromDraft, toDraft, withoutVersion, type PolicyDraft } from '../lib/policy-draft.js';
import { mergePolicies } from '../lib/policy-merge.js';
import { policySettingsSchema } from '../lib/policy-settings.js';
import { groupIssues, type IssuesByField } from '../lib/validation-by-field.js';
import type { Conflict } from '../components/conflict-dialog.js';

/** The settings form's values: a draft without origins (those are edited entry by entry). */
export type SettingsValues = Omit<PolicyDraft, 'origins'>;

const settingsValues = (policy: PolicyInput): SettingsValues => {
  const { origins: _origins, ...values } = toDraft({ ...policy, origins: [] });
  return values;
};

/** Before the settings read answers (the form is not shown until then). */
const EMPTY: SettingsValues = settingsValues(emptyPolicy());

const sameIssue = (a: ApiIssue, b: ApiIssue) => a.path === b.path && a.reason === b.reason;

export type PolicyConflict = Conflict & { latest_: PolicyWithEtag };

/**
 * The policy editor's state and actions, without markup: the settings form (@mantine/form, checked by
 * the contracts' schema and, as you type, by the engine), the stored version it started from, the
 * save (PUT with If-Match, see update-policy.ts) and the conflict when someone saved in between.
 * The origins are not part of it: OriginsPanel reads and writes them entry by entry.
 */
export function usePolicyEditor(slug: string) {
  const me = useMe();
  const readOnly = !canEditTenant(me.data, slug);
  // After the first page of origins (see PolicyEditorPage): the settings read carries every origin.
  const firstPage = useOrigins(slug, '');
  const query = usePolicy(slug, !firstPage.isPending);
  const qc = useQueryClient();
  const update = useUpdatePolicy();
  const [base, setBase] = useState<PolicyWithEtag | null>(null);
  const [serverIssues, setServerIssues] = useState<ApiIssue[]>([]);
  const [saveOpen, setSaveOpen] = useState(false);
  const [conflict, setConflict] = useState<PolicyConflict | null>(null);
  const [restored, setRestored] = useState(false);
  const form = useForm<SettingsValues>({
    mode: 'controlled',
    initialValues: EMPTY,
    validate: schemaResolver(policySettingsSchema, { sync: true }),
  });

  const draft: PolicyDraft | null = useMemo(
    () => (base ? { ...form.values, origins: [] } : null),
    [base, form.values],
  );
  const setDraft = (d: PolicyDraft) => {
    const { origins: _origins, ...values } = d;
    form.setValues(values);
    setServerIssues([]);
  };
  const startFrom = (b: PolicyWithEtag, values = settingsValues(b.policy)) => {
    setBase(b);
    form.setInitialValues(settingsValues(b.policy));
    form.setValues(values);
    setServerIssues([]);
  };

  // Start from the stored settings, or from this tab's unsaved draft (kept across a sign-in or a tab switch).
  useEffect(() => {
    if (!query.data || base) return;
    const stash = readOnly ? null : readStash(slug);
    if (stash && stash.base.originCount !== undefined) {
      const { origins: _o, ...values } = stash.draft;
      startFrom(stash.base, values);
      setRestored(true);
    } else startFrom(query.data);
  }, [query.data, base, slug, readOnly]);

  const doc = useMemo(() => (draft ? fromDraft(draft) : null), [draft]);
  const changes: PolicyChange[] = useMemo(
    () => (base && doc ? diffPolicies(withoutVersion(base.policy), doc) : []),
    [base, doc],
  );
  // Route edits are not in the diff yet (policy-diff.ts compares the top-level fields only).
  const dirty = changes.length > 0;

  useEffect(() => {
    if (!base || !draft || readOnly) return;
    if (dirty) writeStash(slug, { base, draft });
    else clearStash(slug);
  }, [base, draft, dirty, slug, readOnly]);

  // As-you-type validation with the same engine as the server; deferred so typing stays smooth. The
  // settings alone are small: the origins are checked by the server entry by entry.
  const deferredDoc = useDeferredValue(doc);
  const local = useMemo(() => (deferredDoc ? validatePolicy(deferredDoc) : null), [deferredDoc]);
  const issues: IssuesByField = useMemo(() => {
    const errors: ApiIssue[] = [...(local?.errors ?? [])];
    for (const s of serverIssues) if (!errors.some((e) => sameIssue(e, s))) errors.push(s);
    return groupIssues(errors, local?.warnings ?? []);
  }, [local, serverIssues]);

  // Single-origin writes and imports make new versions without touching the settings: follow them.
  const latest = query.data;
  useEffect(() => {
    if (!latest || !base || latest.etag === base.etag) return;
    if (!dirty || sameSettingsDoc(latest, base)) {
      setBase(latest);
      if (!dirty) startFrom(latest);
    }
  }, [latest]);

  const openConflict = async () => {
    if (!base || !doc) return;
    const fresh = await qc.fetchQuery({ ...policyQueryOptions(slug), staleTime: 0 });
    const versions = await qc
      .fetchQuery({ ...versionsQueryOptions(slug, 1), staleTime: 0 })
      .catch(() => null);
    setConflict({
      baseVersion: base.policy.version,
      theirVersion: fresh.policy.version,
      latest: versions?.items[0] ?? null,
      merge: mergePolicies(withoutVersion(base.policy), doc, withoutVersion(fresh.policy)),
      latest_: fresh,
    });
  };

  const save = () => {
    if (!base || !doc || form.validate().hasErrors) return;
    update.mutate(
      { slug, policy: doc, base },
      {
        onSuccess: (saved) => {
          setSaveOpen(false);
          clearStash(slug);
          startFrom(saved);
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
    startFrom(base);
    setRestored(false);
  };

  const keepBoth = () => {
    if (!conflict) return;
    const merged = toDraft(conflict.merge.merged);
    startFrom(conflict.latest_);
    setDraft(merged);
    setConflict(null);
    update.reset();
  };
  const discardMine = () => {
    if (!conflict) return;
    clearStash(slug);
    startFrom(conflict.latest_);
    setConflict(null);
    update.reset();
  };

  const loadLatest = () => latest && startFrom(latest);
  const stale =
    latest !== undefined && base !== null && latest.policy.version !== base.policy.version;

  return {
    slug,
    /** The session is known (in the console it always is: the shell checks it first). */
    ready: me.data !== undefined,
    readOnly,
    query,
    form,
    base,
    draft,
    doc,
    changes,
    dirty,
    issues,
    serverIssues,
    restored,
    dismissRestored: () => setRestored(false),
    stale,
    loadLatest,
    setDraft,
    saveOpen,
    openSave: () => setSaveOpen(true),
    closeSave: () => {
      setSaveOpen(false);
      update.reset();
    },
    save,
    saving: update.isPending,
    saveError:
      update.error &&
      !(update.error instanceof ApiError && [412, 422].includes(update.error.status))
        ? update.error
        : null,
    discard,
    conflict,
    closeConflict: () => setConflict(null),
    keepBoth,
    discardMine,
  };
}

export type PolicyEditor = ReturnType<typeof usePolicyEditor>;

function sameSettingsDoc(a: PolicyWithEtag, b: PolicyWithEtag): boolean {
  const { version: _va, ...sa } = a.policy;
  const { version: _vb, ...sb } = b.policy;
  return JSON.stringify(sa) === JSON.stringify(sb);
}
