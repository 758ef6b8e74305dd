import type { AuditEvent } from '@corsplane/contracts';
import { formatUtc } from '../../../lib/format-time.js';

/** Sign-ins and sign-outs: hidden by default, so the changes are what the log shows first. */
export const isSignInNoise = (e: Pick<AuditEvent, 'action'>) =>
  e.action === 'auth.login' || e.action === 'auth.logout';

const versionOf = (value: unknown): number | null =>
  value !== null &&
  typeof value === 'object' &&
  typeof (value as { version?: unknown }).version === 'number'
    ? (value as { version: number }).version
    : null;

/** A name for the row's button that says which change it opens ("Show changes to v12"), never one for all. */
export function changesLabel(e: AuditEvent, open: boolean): string {
  const verb = open ? 'Hide changes' : 'Show changes';
  const version = versionOf(e.after);
  if (version !== null && e.action.startsWith('policy.'))
    return `${verb} to v${version}${e.tenant ? ` of ${e.tenant}` : ''}`;
  const what = e.target?.id ? `${e.action} ${e.target.id}` : e.action;
  return `${verb}: ${what}${e.tenant ? ` (${e.tenant})` : ''}, ${formatUtc(e.at)}`;
}

export const AUDIT_CSV_HEADER = [
  'at',
  'actor',
  'actorType',
  'action',
  'tenant',
  'target',
  'note',
  'requestId',
];

export function auditCsvRows(events: AuditEvent[]) {
  return events.map((e) => [
    e.at,
    e.actor.label,
    e.actor.type,
    e.action,
    e.tenant,
    e.target ? `${e.target.type}:${e.target.id ?? ''}` : null,
    e.note,
    e.requestId,
  ]);
}
