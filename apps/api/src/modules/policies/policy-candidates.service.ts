import { Injectable } from '@nestjs/common';
import type {
  CandidateImpact,
  CandidateImpactQuery,
  CandidateImpactTimeline,
  CandidateImpactTimelineQuery,
  CandidatePolicy,
  Policy,
  PolicyInput,
} from '@corsplane/contracts';
import { PrismaService, type Db } from '../../prisma/prisma.service.js';
import { AppError } from '../../common/errors/app-error.js';
import type { Actor } from '../../common/auth/principal.js';
import type { TenantRecord } from '../../common/auth/tenant-record.js';
import { decodeCursor, encodeCursor, pageOf } from '../../common/paging/page-cursor.js';
import { timelineWindow } from '../../common/time/timeline-window.js';
import { AuditService } from '../audit/audit.service.js';
import { JsonText } from '../audit/audit.repository.js';
import { ChangesService } from '../changes/changes.service.js';
import { PoliciesService } from './policies.service.js';
import { PolicyCandidatesRepository, type ImpactCursor } from './policy-candidates.repository.js';
import { staleVersionError } from './policy-document.js';

const HOUR_MS = 3_600_000;
/** The window of an impact asked for without `since`. */
const DEFAULT_IMPACT_WINDOW_MS = 7 * 24 * HOUR_MS;
const IMPACT_CURSOR = 'i';

const noCandidate = (tenant: TenantRecord) =>
  new AppError('not-found', `Tenant "${tenant.slug}" has no candidate policy`);

/**
 * Candidate policies (SPEC §3 shadow evaluation, §4.1): one per tenant, the same document and validation as the
 * policy, its own version (ETag) that only grows. Every write is one transaction with its audit row and the
 * change notification that makes every replica's resolve cache (and every SDK) pick the candidate up.
 */
@Injectable()
export class PolicyCandidatesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly candidates: PolicyCandidatesRepository,
    private readonly policies: PoliciesService,
    private readonly audit: AuditService,
    private readonly changes: ChangesService,
  ) {}

  async get(tenant: TenantRecord): Promise<CandidatePolicy> {
    const row = await this.candidates.get(tenant.id);
    if (!row || row.document === null) throw noCandidate(tenant);
    return {
      ...row.document,
      version: row.version,
      updatedAt: row.updatedAt.toISOString(),
      actor: row.actorLabel,
      note: row.note,
    };
  }

  /**
   * Creates or replaces the candidate. Replacing needs `If-Match` (428 without, 412 when stale); creating
   * needs none (an `If-Match` then is stale: someone deleted or promoted the candidate meanwhile).
   */
  async put(
    tenant: TenantRecord,
    input: PolicyInput,
    expected: number | undefined,
    actor: Actor,
    note: string | null,
  ): Promise<CandidatePolicy> {
    const { version: _readOnly, ...doc } = input;
    const next = this.policies.validOrThrow(doc);
    await this.prisma.$transaction(
      async (tx) => {
        const row = await this.candidates.lock(tenant.id, tx);
        const current = row?.hasDocument ? row.version : null;
        if (expected === undefined && current !== null)
          throw new AppError(
            'precondition-required',
            'If-Match is required to replace a candidate: send the ETag of the candidate you edited',
          );
        if (expected !== undefined && current !== expected)
          throw staleVersionError('candidate', row?.version ?? 0, expected);
        // Read before the write: the row is updated in place (unlike a policy's immutable version rows).
        const before = current === null ? null : await this.candidates.get(tenant.id, tx);
        const version = (row?.version ?? 0) + 1;
        const json = await this.candidates.write(tx, tenant.id, version, next, {
          actorLabel: actor.label,
          note,
        });
        await this.audit.record(tx, actor, {
          action: 'policy.candidate.update',
          tenant,
          target: { type: 'policy-candidate', id: String(version) },
          note,
          before: before?.document ? { ...before.document, version: before.version } : null,
          after: new JsonText(`${(json as string).slice(0, -1)},"version":${version}}`),
        });
        await this.announce(tx, tenant, version);
      },
      { maxWait: 10_000, timeout: 120_000 },
    );
    return this.get(tenant);
  }

  /** Discards the candidate (`If-Match` optional: when sent it must be current); the version it moved to. */
  remove(
    tenant: TenantRecord,
    expected: number | undefined,
    actor: Actor,
    note: string | null,
  ): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const row = await this.candidates.lock(tenant.id, tx);
      if (!row?.hasDocument) throw noCandidate(tenant);
      if (expected !== undefined && expected !== row.version)
        throw staleVersionError('candidate', row.version, expected);
      // Evaluated by the audit insert, which runs before the candidate is cleared.
      const before = this.candidates.documentJsonSql(tenant.id);
      await this.audit.record(tx, actor, {
        action: 'policy.candidate.delete',
        tenant,
        target: { type: 'policy-candidate', id: String(row.version) },
        note,
        before,
        after: null,
      });
      await this.clear(tx, tenant, row.version + 1, actor, note);
      return row.version + 1;
    });
  }

  /**
   * The candidate becomes live: `If-Match` names the live version (412 when stale), `candidateVersion` (optional)
   * the candidate reviewed (412 when it changed). One new live version, one audit row, the candidate cleared.
   */
  async promote(
    tenant: TenantRecord,
    expectedLive: number,
    body: { note?: string | undefined; candidateVersion?: number | undefined },
    actor: Actor,
  ): Promise<Policy> {
    const note = body.note ?? null;
    return this.prisma.$transaction(
      async (tx) => {
        const row = await this.candidates.lock(tenant.id, tx);
        if (!row?.hasDocument) throw noCandidate(tenant);
        if (body.candidateVersion !== undefined && body.candidateVersion !== row.version)
          throw staleVersionError('candidate', row.version, body.candidateVersion);
        const stored = await this.candidates.get(tenant.id, tx);
        // Validated again: the rules may have changed since it was saved.
        const doc = this.policies.validOrThrow(stored?.document);
        const live = await this.policies.promote(tx, tenant, expectedLive, doc, actor, note);
        await this.clear(tx, tenant, row.version + 1, actor, note, live.version);
        return live;
      },
      { maxWait: 10_000, timeout: 120_000 },
    );
  }

  private async clear(
    tx: Db,
    tenant: TenantRecord,
    version: number,
    actor: Actor,
    note: string | null,
    liveVersion?: number,
  ): Promise<void> {
    await this.candidates.write(tx, tenant.id, version, null, { actorLabel: actor.label, note });
    await this.announce(tx, tenant, version, liveVersion);
  }

  /** A candidate change reaches the caches and the change streams like a policy change (SPEC §5). */
  private async announce(
    tx: Db,
    tenant: TenantRecord,
    candidateVersion: number,
    liveVersion?: number,
  ): Promise<void> {
    const version = liveVersion ?? (await this.policies.getCurrentVersion(tenant.id, tx));
    await this.changes.publish(tx, {
      kind: 'policy',
      tenantId: tenant.id,
      slug: tenant.slug,
      ...(version === null ? {} : { version }),
      candidateVersion,
    });
  }

  /** The shadow differences over a window (SPEC §4.1): rows most counted first (paged) and totals. */
  async impact(tenant: TenantRecord, q: CandidateImpactQuery): Promise<CandidateImpact> {
    const untilMs = q.until ? Date.parse(q.until) : Date.now();
    const sinceMs = q.since ? Date.parse(q.since) : untilMs - DEFAULT_IMPACT_WINDOW_MS;
    // Counts are kept per hour: the hour holding `since` is counted whole.
    const since = new Date(sinceMs - (sinceMs % HOUR_MS));
    const until = new Date(untilMs);
    const after = q.cursor === undefined ? undefined : impactCursor(q.cursor);
    const [rows, totals] = await Promise.all([
      this.candidates.impact(tenant.id, { since, until, limit: q.limit + 1, after }),
      this.candidates.impactTotals(tenant.id, { since, until }),
    ]);
    const { items, more } = pageOf(rows, q.limit);
    const last = items.at(-1);
    return {
      since: since.toISOString(),
      until: until.toISOString(),
      rows: items.map((r) => ({
        ...r,
        firstSeen: r.firstSeen.toISOString(),
        lastSeen: r.lastSeen.toISOString(),
      })),
      nextCursor:
        more && last
          ? encodeCursor(
              IMPACT_CURSOR,
              JSON.stringify([last.count, last.direction, last.reason, last.origin]),
            )
          : null,
      totals: {
        wouldBlock: totals['would-block'].count,
        wouldAllow: totals['would-allow'].count,
        wouldBlockOrigins: totals['would-block'].origins,
        wouldAllowOrigins: totals['would-allow'].origins,
      },
    };
  }

  /** The shadow differences per hour or UTC day over a window, zero-filled: the candidate page's chart. */
  async impactTimeline(
    tenant: TenantRecord,
    q: CandidateImpactTimelineQuery,
  ): Promise<CandidateImpactTimeline> {
    const { from, to, until } = timelineWindow(q);
    const rows = await this.candidates.impactTimeline(tenant.id, {
      bucket: q.bucket,
      from,
      to,
      until,
    });
    return {
      bucket: q.bucket,
      since: from.toISOString(),
      until: until.toISOString(),
      buckets: rows.map((r) => ({ ...r, start: r.start.toISOString() })),
    };
  }
}

function impactCursor(cursor: string): ImpactCursor {
  let key: unknown;
  try {
    key = JSON.parse(decodeCursor(IMPACT_CURSOR, cursor));
  } catch (e) {
    if (e instanceof AppError) throw e;
    key = null;
  }
  if (
    Array.isArray(key) &&
    key.length === 4 &&
    Number.isSafeInteger(key[0]) &&
    typeof key[1] === 'string' &&
    typeof key[2] === 'string' &&
    typeof key[3] === 'string'
  )
    return { count: key[0] as number, direction: key[1], reason: key[2], origin: key[3] };
  throw new AppError('bad-request', 'cursor must be the nextCursor of a previous page');
}
