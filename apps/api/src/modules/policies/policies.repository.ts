import { Injectable } from '@nestjs/common';
import { PolicyMode, Prisma } from '../../generated/prisma/client.js';
import { PrismaService, type Db } from '../../prisma/prisma.service.js';
import { JsonText } from '../audit/audit.repository.js';
import { routesField, type CanonicalPolicy } from './policy-document.js';
import { rebuildVersion, type ChainRow, type VersionDelta } from './policy-version-chain.js';

const toDbMode = (m: CanonicalPolicy['mode']) =>
  m === 'report-only' ? PolicyMode.report_only : PolicyMode.enforce;
const fromDbMode = (m: PolicyMode): CanonicalPolicy['mode'] =>
  m === PolicyMode.report_only ? 'report-only' : 'enforce';

function columns(doc: CanonicalPolicy) {
  return {
    mode: toDbMode(doc.mode),
    allowedMethods: doc.allowedMethods,
    allowedHeaders: doc.allowedHeaders,
    exposedHeaders: doc.exposedHeaders,
    allowCredentials: doc.allowCredentials,
    maxAgeSeconds: doc.maxAgeSeconds,
    allowPrivateNetwork: doc.allowPrivateNetwork,
    routes: (doc.routes ?? []) as Prisma.InputJsonValue,
    originCount: doc.origins.length,
  };
}

export interface StoredVersion {
  version: number;
  document: CanonicalPolicy;
  source: 'create' | 'update' | 'restore' | 'promote';
  restoredFromVersion: number | null;
  actorLabel: string;
  /** The writer's change note (SPEC §4.1). */
  note: string | null;
  createdAt: Date;
}

/** A version as the versions list shows it: its record and how many origins it has, not its document. */
export type VersionSummary = Omit<StoredVersion, 'document'> & { originCount: number };

/** Every policy query; each method takes the tenant id first. */
@Injectable()
export class PoliciesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The tenant's current policy (policy row + its origin entries in document order). */
  async getCurrent(
    tenantId: string,
    db: Db = this.prisma,
  ): Promise<{ version: number; document: CanonicalPolicy } | null> {
    const row = await db.policy.findUnique({ where: { tenantId } });
    if (!row) return null;
    const origins = await db.originEntry.findMany({
      where: { tenantId },
      orderBy: { position: 'asc' },
    });
    return {
      version: row.version,
      document: {
        mode: fromDbMode(row.mode),
        origins: origins.map((o) => ({
          pattern: o.pattern,
          note: o.note,
          expiresAt: o.expiresAt?.toISOString() ?? null,
        })),
        allowedMethods: row.allowedMethods,
        allowedHeaders: row.allowedHeaders,
        exposedHeaders: row.exposedHeaders,
        allowCredentials: row.allowCredentials,
        maxAgeSeconds: row.maxAgeSeconds,
        allowPrivateNetwork: row.allowPrivateNetwork,
        ...routesField(row.routes),
      },
    };
  }

  async currentVersion(tenantId: string, db: Db = this.prisma): Promise<number | null> {
    const row = await db.policy.findUnique({ where: { tenantId }, select: { version: true } });
    return row?.version ?? null;
  }

  /** Version 1: the policy row, its origin entries and the version row (see writeDocument). */
  async insertInitial(
    db: Db,
    tenantId: string,
    doc: CanonicalPolicy,
    v: Omit<StoredVersion, 'createdAt' | 'document' | 'version'>,
  ): Promise<string> {
    await db.policy.create({ data: { tenantId, version: 1, ...columns(doc) } });
    return this.writeDocument(db, tenantId, doc, { ...v, version: 1 });
  }

  /**
   * Moves the policy row from `expected` to `expected + 1` only if it is still at `expected`. The row lock makes
   * a concurrent writer with the same expectation wait, re-check and find 0 rows: exactly one of them wins.
   * The winner then writes the document with writeDocument.
   */
  async updateIfVersion(
    db: Db,
    tenantId: string,
    expected: number,
    doc: CanonicalPolicy,
  ): Promise<boolean> {
    const { count } = await db.policy.updateMany({
      where: { tenantId, version: expected },
      data: { version: expected + 1, ...columns(doc) },
    });
    return count === 1;
  }

  /**
   * Appends the immutable version row, a snapshot (policy-version-chain.ts: whole-policy writes always store
   * one), and brings the origin entries in line with it, in ONE statement whatever the number of origins
   * (`policies.origin_count` is set by updateIfVersion/insertInitial from the same document). The document is serialised once (the returned JSON text, reused for the audit row)
   * and sent once; PostgreSQL expands the entries from the version's JSONB. Entries are diffed, not replaced:
   * origins no longer listed are deleted, new ones inserted, and a kept one is rewritten only if its position,
   * note or expiry changed, so an edit of one origin in a 1,000-origin policy writes a handful of rows. (It used
   * to be deleteMany + createMany + create through the ORM's query compiler: ~250 ms of CPU for 1,000 origins.)
   */
  async writeDocument(
    db: Db,
    tenantId: string,
    doc: CanonicalPolicy,
    v: Omit<StoredVersion, 'createdAt' | 'document'>,
  ): Promise<string> {
    const json = JSON.stringify(doc);
    await db.$executeRaw`WITH v AS (
  INSERT INTO policy_versions (id, tenant_id, version, document, source, restored_from_version, actor_label,
    note)
  VALUES (gen_random_uuid(), ${tenantId}::uuid, ${v.version}::int, ${json}::jsonb, ${v.source},
    ${v.restoredFromVersion}::int, ${v.actorLabel}, ${v.note})
  RETURNING document
), e AS (
  SELECT (x.ord - 1)::int AS position, x.o->>'pattern' AS pattern, x.o->>'note' AS note,
    (x.o->>'expiresAt')::timestamptz AS expires_at
  FROM v, jsonb_array_elements(v.document->'origins') WITH ORDINALITY AS x(o, ord)
), gone AS (
  DELETE FROM origin_entries o WHERE o.tenant_id = ${tenantId}::uuid
    AND NOT EXISTS (SELECT 1 FROM e WHERE e.pattern = o.pattern)
)
INSERT INTO origin_entries (id, tenant_id, position, pattern, note, expires_at)
SELECT gen_random_uuid(), ${tenantId}::uuid, e.position, e.pattern, e.note, e.expires_at FROM e
ON CONFLICT (tenant_id, pattern) DO UPDATE
  SET position = EXCLUDED.position, note = EXCLUDED.note, expires_at = EXCLUDED.expires_at
  WHERE (origin_entries.position, origin_entries.note, origin_entries.expires_at)
    IS DISTINCT FROM (EXCLUDED.position, EXCLUDED.note, EXCLUDED.expires_at)`;
    return json;
  }

  /**
   * The stored version as the API shows it (document + version), for an audit row's `before`: a snapshot is
   * read by PostgreSQL itself (Node never parses it), a delta is rebuilt from its chain.
   */
  async versionJson(db: Db, tenantId: string, version: number): Promise<Prisma.Sql | JsonText> {
    const row = await db.policyVersion.findUnique({
      where: { tenantId_version: { tenantId, version } },
      select: { snapshotVersion: true },
    });
    if (row && row.snapshotVersion !== null) {
      const stored = await this.getVersion(tenantId, version, db);
      if (stored) return new JsonText(JSON.stringify({ ...stored.document, version }));
    }
    return Prisma.sql`(SELECT document || jsonb_build_object('version', version) FROM policy_versions
  WHERE tenant_id = ${tenantId}::uuid AND version = ${version}::int)`;
  }

  /** Version `version`, rebuilt from its chain (policy-version-chain.ts): its snapshot and the deltas after it. */
  async getVersion(
    tenantId: string,
    version: number,
    db: Db = this.prisma,
  ): Promise<StoredVersion | null> {
    const head = await db.policyVersion.findUnique({
      where: { tenantId_version: { tenantId, version } },
      select: { snapshotVersion: true },
    });
    if (!head) return null;
    const rows = await this.chainRows(db, tenantId, head.snapshotVersion ?? version, version);
    const last = rows.at(-1);
    return last ? { ...meta(last), document: rebuildVersion(rows.map(toChainRow)) } : null;
  }

  /**
   * One page of versions, newest first, with each one's number of origins but not its document (a page of a
   * 100,000-origin tenant's documents would be hundreds of megabytes). PostgreSQL counts without sending a
   * document: a snapshot's origins, plus each later delta of its chain's adds minus removes (a delta adds only
   * patterns not listed and removes only listed ones: policy-version-chain.ts).
   */
  async listVersions(tenantId: string, limit: number, before?: number): Promise<VersionSummary[]> {
    const page = await this.prisma.policyVersion.findMany({
      where: { tenantId, ...(before ? { version: { lt: before } } : {}) },
      orderBy: { version: 'desc' },
      take: limit,
      select: { version: true, snapshotVersion: true },
    });
    const newest = page[0];
    if (!newest) return [];
    const from = Math.min(...page.map((r) => r.snapshotVersion ?? r.version));
    const oldest = page.at(-1)?.version ?? newest.version;
    const rows = await this.prisma.$queryRaw<SummaryRow[]>`
      SELECT * FROM (
        SELECT version, source, restored_from_version AS "restoredFromVersion", actor_label AS "actorLabel",
          note, created_at AS "createdAt",
          (SUM(CASE WHEN document IS NOT NULL THEN jsonb_array_length(document->'origins')
                    ELSE COALESCE(jsonb_array_length(delta->'added'), 0)
                       - COALESCE(jsonb_array_length(delta->'removed'), 0) END)
             OVER (PARTITION BY COALESCE(snapshot_version, version) ORDER BY version))::int AS "originCount"
        FROM policy_versions
        WHERE tenant_id = ${tenantId}::uuid AND version BETWEEN ${from}::int AND ${newest.version}::int
      ) counted
      WHERE version >= ${oldest}::int
      ORDER BY version DESC`;
    return rows.map((r) => ({ ...meta(r), originCount: r.originCount }));
  }

  private chainRows(db: Db, tenantId: string, from: number, to: number) {
    return db.policyVersion.findMany({
      where: { tenantId, version: { gte: from, lte: to } },
      orderBy: { version: 'asc' },
    });
  }
}

type SummaryRow = Omit<VersionRow, 'document' | 'delta'> & { originCount: number };

type VersionRow = {
  version: number;
  document: Prisma.JsonValue;
  delta: Prisma.JsonValue;
  source: string;
  restoredFromVersion: number | null;
  actorLabel: string;
  note: string | null;
  createdAt: Date;
};

const toChainRow = (row: VersionRow): ChainRow => ({
  version: row.version,
  document: row.document as unknown as CanonicalPolicy | null,
  delta: row.delta as unknown as VersionDelta | null,
});

function meta(row: Omit<VersionRow, 'document' | 'delta'>): Omit<StoredVersion, 'document'> {
  return {
    version: row.version,
    source: row.source as StoredVersion['source'],
    restoredFromVersion: row.restoredFromVersion,
    actorLabel: row.actorLabel,
    note: row.note,
    createdAt: row.createdAt,
  };
}
