import { Inject, Injectable } from '@nestjs/common';
import type {
  AddOrigin,
  ImportLineError,
  ImportResult,
  OriginDeleteResult,
  OriginEntry,
  OriginList,
  OriginsQuery,
  OriginWriteResult,
  PatchOrigin,
} from '@corsplane/contracts';
import { MAX_POLICY_ORIGINS, validatePolicy } from '@corsplane/policy';
import { PrismaService, type Db } from '../../prisma/prisma.service.js';
import { ENV, type Env } from '../../config/env.schema.js';
import { AppError } from '../../common/errors/app-error.js';
import type { Actor } from '../../common/auth/principal.js';
import type { TenantRecord } from '../../common/auth/tenant-record.js';
import { decodeCursor, encodeCursor, pageOf } from '../../common/paging/page-cursor.js';
import { AuditService } from '../audit/audit.service.js';
import { ChangesService } from '../changes/changes.service.js';
import { parseImport, type ImportFormat, type ImportLine } from './origin-import.parser.js';
import { canonicalEntry } from './policy-document.js';
import { PolicyOriginsRepository, type PolicyHead } from './policy-origins.repository.js';
import type { VersionDelta } from './policy-version-chain.js';

/** An import of 100,000 lines inserts them and snapshots a 15 MB version in one transaction: Prisma's 5 s is short. */
const IMPORT_TRANSACTION = { maxWait: 10_000, timeout: 120_000 } as const;
/** Single-origin writes queue on the tenant's head lock: a burst of them waits its turn, not 2 s. */
const SINGLE_WRITE_TRANSACTION = { maxWait: 30_000, timeout: 60_000 } as const;

const ORIGINS_CURSOR = 'o';

/** The entry as the engine normalises it under the policy's flags, or the engine's issues. */
function checkEntry(
  head: Pick<PolicyHead, 'allowCredentials' | 'allowPrivateNetwork'>,
  entry: unknown,
): { entry: OriginEntry } | { issues: ReturnType<typeof validatePolicy>['errors'] } {
  const result = validatePolicy({
    origins: [entry],
    allowCredentials: head.allowCredentials,
    allowPrivateNetwork: head.allowPrivateNetwork,
  });
  const normalised = result.policy?.origins[0];
  if (!result.ok || !normalised) return { issues: result.errors };
  return { entry: canonicalEntry(normalised) };
}

/** Rolls an import's transaction back and carries its report out. */
class ImportRefused extends Error {
  constructor(readonly result: ImportResult) {
    super('import refused');
  }
}

/**
 * One origin at a time, bulk import, export and paging of a tenant's live policy (SPEC §4.1). Every write is
 * one transaction: head bump (row lock), entries, version row (a delta naming the one entry, or a snapshot:
 * policy-version-chain.ts), audit row, change notification (the same NOTIFY as a PUT, so /resolve caches and
 * SDK streams follow).
 */
@Injectable()
export class PolicyOriginsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly origins: PolicyOriginsRepository,
    private readonly audit: AuditService,
    private readonly changes: ChangesService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async page(tenant: TenantRecord, q: OriginsQuery): Promise<OriginList> {
    const head = await this.origins.readHead(tenant.id);
    if (!head) throw new AppError('not-found', `Tenant "${tenant.slug}" has no policy`);
    const after =
      q.cursor === undefined ? undefined : Number(decodeCursor(ORIGINS_CURSOR, q.cursor));
    if (after !== undefined && !Number.isSafeInteger(after))
      throw new AppError('bad-request', 'cursor must be the nextCursor of a previous page');
    const rows = await this.origins.page(tenant.id, {
      q: q.q,
      afterPosition: after,
      limit: q.limit,
    });
    const { items, more } = pageOf(rows, q.limit);
    const last = items.at(-1);
    return {
      items: items.map(({ position: _position, ...entry }) => entry),
      version: head.version,
      nextCursor: more && last ? encodeCursor(ORIGINS_CURSOR, String(last.position)) : null,
    };
  }

  async add(
    tenant: TenantRecord,
    input: AddOrigin,
    actor: Actor,
    note: string | null,
  ): Promise<OriginWriteResult> {
    return this.prisma.$transaction(async (tx) => {
      const head = await this.lockHead(tx, tenant);
      const checked = checkEntry(head, input);
      if ('issues' in checked) throw entryInvalid(checked.issues);
      const { entry } = checked;
      if (head.originCount >= MAX_POLICY_ORIGINS) throw tooManyOrigins(head.originCount + 1);
      if ((await this.origins.append(tx, tenant.id, JSON.stringify([entry]))) === 0)
        throw new AppError('conflict', `"${entry.pattern}" is already listed`);
      await this.writeVersion(tx, tenant, head, actor, note, { added: [entry] });
      await this.record(
        tx,
        tenant,
        head.version,
        actor,
        note,
        'policy.origin.add',
        entry.pattern,
        null,
        entry,
      );
      return { version: head.version, entry };
    }, SINGLE_WRITE_TRANSACTION);
  }

  async patch(
    tenant: TenantRecord,
    pattern: string,
    input: PatchOrigin,
    actor: Actor,
    note: string | null,
  ): Promise<OriginWriteResult> {
    return this.prisma.$transaction(async (tx) => {
      const head = await this.lockHead(tx, tenant);
      const before = await this.listed(tx, tenant, pattern);
      const checked = checkEntry(head, {
        pattern: before.pattern,
        note: input.note === undefined ? before.note : input.note,
        expiresAt: input.expiresAt === undefined ? before.expiresAt : input.expiresAt,
      });
      if ('issues' in checked) throw entryInvalid(checked.issues);
      const { entry } = checked;
      await this.origins.updateEntry(tx, tenant.id, entry);
      await this.writeVersion(tx, tenant, head, actor, note, { changed: [entry] });
      await this.record(
        tx,
        tenant,
        head.version,
        actor,
        note,
        'policy.origin.update',
        entry.pattern,
        before,
        entry,
      );
      return { version: head.version, entry };
    }, SINGLE_WRITE_TRANSACTION);
  }

  async remove(
    tenant: TenantRecord,
    pattern: string,
    actor: Actor,
    note: string | null,
  ): Promise<OriginDeleteResult> {
    return this.prisma.$transaction(async (tx) => {
      const head = await this.lockHead(tx, tenant);
      const before = await this.listed(tx, tenant, pattern);
      await this.origins.deleteEntry(tx, tenant.id, before.pattern);
      await this.writeVersion(tx, tenant, head, actor, note, { removed: [before.pattern] });
      await this.record(
        tx,
        tenant,
        head.version,
        actor,
        note,
        'policy.origin.delete',
        before.pattern,
        before,
        null,
      );
      return { version: head.version };
    }, SINGLE_WRITE_TRANSACTION);
  }

  /**
   * All or nothing: every line is checked (engine rules under the policy's flags, the 100,000 limit), and any
   * bad line refuses the whole import with one error per line. Lines already listed, or repeated in the
   * import, are `unchanged` (an import adds; PATCH edits). An import that adds nothing makes no version.
   */
  async import(
    tenant: TenantRecord,
    format: ImportFormat,
    body: unknown,
    dryRun: boolean,
    actor: Actor,
    note: string | null,
  ): Promise<ImportResult> {
    const parsed = parseImport(format, body);
    if (dryRun) {
      const head = await this.origins.readHead(tenant.id);
      if (!head) throw new AppError('not-found', `Tenant "${tenant.slug}" has no policy`);
      return (
        await this.plan(this.prisma, tenant, head, parsed, { dryRun: true, live: head.version })
      ).result;
    }
    try {
      return await this.prisma.$transaction(async (tx) => {
        const head = await this.lockHead(tx, tenant);
        // Refused or empty, the transaction rolls back: the live version stays the one before the bump.
        const live = head.version - 1;
        const { result, added } = await this.plan(tx, tenant, head, parsed, {
          dryRun: false,
          live,
        });
        if (result.errors.length > 0 || added.length === 0) throw new ImportRefused(result);
        await this.origins.append(tx, tenant.id, JSON.stringify(added));
        // A bulk write: a snapshot, so reads never replay a 100,000-entry delta.
        await this.origins.writeSnapshot(tx, tenant.id, this.meta(head, actor, note));
        await this.record(tx, tenant, head.version, actor, note, 'policy.import', null, null, {
          added: added.length,
          unchanged: result.unchanged,
          version: head.version,
        });
        return { ...result, version: head.version };
      }, IMPORT_TRANSACTION);
    } catch (e) {
      if (e instanceof ImportRefused) return e.result;
      throw e;
    }
  }

  /** What an import would do against `head`: the entries it adds, and the report. */
  private async plan(
    db: Db,
    tenant: TenantRecord,
    head: PolicyHead,
    parsed: { lines: ImportLine[]; errors: ImportLineError[] },
    o: { dryRun: boolean; live: number },
  ): Promise<{ result: ImportResult; added: OriginEntry[] }> {
    const errors = [...parsed.errors];
    const candidates: OriginEntry[] = [];
    for (const { line, entry } of parsed.lines) {
      const checked = checkEntry(head, entry);
      if ('entry' in checked) {
        candidates.push(checked.entry);
        continue;
      }
      for (const issue of checked.issues)
        errors.push({
          line,
          value: issue.value,
          reason: issue.reason,
          message: `line ${line}: ${issue.message.replace(/^origins\[0\]\.?/, '')}`,
        });
    }
    errors.sort((a, b) => a.line - b.line);
    const listed = await this.origins.listedAmong(
      db,
      tenant.id,
      candidates.map((c) => c.pattern),
    );
    const seen = new Set<string>();
    const added = candidates.filter((c) => {
      if (listed.has(c.pattern) || seen.has(c.pattern)) return false;
      seen.add(c.pattern);
      return true;
    });
    if (errors.length === 0 && head.originCount + added.length > MAX_POLICY_ORIGINS)
      throw tooManyOrigins(head.originCount + added.length);
    const ok = errors.length === 0;
    return {
      result: {
        added: ok ? added.length : 0,
        unchanged: ok ? candidates.length - added.length : 0,
        errors,
        dryRun: o.dryRun,
        version: o.live,
      },
      added,
    };
  }

  private async lockHead(tx: Db, tenant: TenantRecord): Promise<PolicyHead> {
    const head = await this.origins.bumpHead(tx, tenant.id);
    if (!head) throw new AppError('not-found', `Tenant "${tenant.slug}" has no policy`);
    return head;
  }

  private async listed(tx: Db, tenant: TenantRecord, pattern: string): Promise<OriginEntry> {
    const entry = await this.origins.findEntry(tx, tenant.id, pattern);
    if (!entry)
      throw new AppError(
        'not-found',
        `"${pattern}" is not listed in the policy of "${tenant.slug}"`,
      );
    return entry;
  }

  /** A delta version row, or a snapshot when the chain is full (see PolicyOriginsRepository.writeDelta). */
  private async writeVersion(
    tx: Db,
    tenant: TenantRecord,
    head: PolicyHead,
    actor: Actor,
    note: string | null,
    delta: VersionDelta,
  ): Promise<void> {
    const meta = this.meta(head, actor, note);
    const interval = this.env.POLICY_SNAPSHOT_INTERVAL;
    if (!(await this.origins.writeDelta(tx, tenant.id, meta, delta, interval)))
      await this.origins.writeSnapshot(tx, tenant.id, meta);
  }

  private meta(head: PolicyHead, actor: Actor, note: string | null) {
    return { version: head.version, actorLabel: actor.label, note };
  }

  private async record(
    tx: Db,
    tenant: TenantRecord,
    version: number,
    actor: Actor,
    note: string | null,
    action: string,
    pattern: string | null,
    before: unknown,
    after: unknown,
  ): Promise<void> {
    await this.audit.record(tx, actor, {
      action,
      tenant,
      target:
        pattern === null
          ? { type: 'policy', id: String(version) }
          : { type: 'origin', id: pattern },
      before,
      after: after === null ? null : { ...(after as object), version },
      note,
    });
    await this.changes.publish(tx, {
      kind: 'policy',
      tenantId: tenant.id,
      slug: tenant.slug,
      version,
    });
  }
}

function entryInvalid(issues: ReturnType<typeof validatePolicy>['errors']): AppError {
  const first = issues[0];
  return new AppError(
    'policy-invalid',
    first ? first.message.replace(/^origins\[0\]\.?/, 'origin ') : 'The origin entry is invalid',
    issues.map((i) => ({ ...i, path: i.path.replace(/^origins\[0\]\.?/, '') || 'entry' })),
  );
}

function tooManyOrigins(count: number): AppError {
  return new AppError(
    'policy-invalid',
    `The policy would hold ${count.toLocaleString('en-US')} origins; a policy holds at most ${MAX_POLICY_ORIGINS.toLocaleString('en-US')} (SPEC §2.3)`,
    [{ path: 'origins', value: count, reason: 'too-many-origins', message: 'too many origins' }],
  );
}
