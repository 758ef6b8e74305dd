import { Injectable } from '@nestjs/common';
import { PolicyMode, Prisma } from '../../generated/prisma/client.js';
import { PrismaService, type Db } from '../../prisma/prisma.service.js';
import { routesField, type CanonicalPolicy } from './policy-document.js';

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
   * Appends the immutable version row and brings the origin entries in line with it, in ONE statement whatever
   * the number of origins. The document is serialised once (the returned JSON text, reused for the audit row)
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

  /** SQL for the stored version as the API shows it (document + version), for an audit row's `before`. */
  versionJsonSql(tenantId: string, version: number): Prisma.Sql {
    return Prisma.sql`(SELECT document || jsonb_build_object('version', version) FROM policy_versions
  WHERE tenant_id = ${tenantId}::uuid AND version = ${version}::int)`;
  }

  async getVersion(
    tenantId: string,
    version: number,
    db: Db = this.prisma,
  ): Promise<StoredVersion | null> {
    const row = await db.policyVersion.findUnique({
      where: { tenantId_version: { tenantId, version } },
    });
    return row ? toStored(row) : null;
  }

  async listVersions(tenantId: string, limit: number, before?: number): Promise<StoredVersion[]> {
    const rows = await this.prisma.policyVersion.findMany({
      where: { tenantId, ...(before ? { version: { lt: before } } : {}) },
      orderBy: { version: 'desc' },
      take: limit,
    });
    return rows.map(toStored);
  }
}

function toStored(row: {
  version: number;
  document: Prisma.JsonValue;
  source: string;
  restoredFromVersion: number | null;
  actorLabel: string;
  note: string | null;
  createdAt: Date;
}): StoredVersion {
  return {
    version: row.version,
    document: row.document as unknown as CanonicalPolicy,
    source: row.source as StoredVersion['source'],
    restoredFromVersion: row.restoredFromVersion,
    actorLabel: row.actorLabel,
    note: row.note,
    createdAt: row.createdAt,
  };
}
