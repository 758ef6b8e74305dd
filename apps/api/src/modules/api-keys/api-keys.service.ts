import { Injectable } from '@nestjs/common';
import type { ApiKey, CreatedApiKey } from '@corsplane/contracts';
import { PrismaService } from '../../prisma/prisma.service.js';
import { AppError } from '../../common/errors/app-error.js';
import type { Actor, KeyPrincipal } from '../../common/auth/principal.js';
import {
  digestsEqual,
  newPrefixedSecret,
  prefixOf,
  secretShape,
  sha256,
} from '../../common/crypto/secrets.js';
import { AuditService } from '../audit/audit.service.js';
import { ChangesService } from '../changes/changes.service.js';
import { ApiKeysRepository } from './api-keys.repository.js';

/**
 * Key secrets look like `cpk_live_ab12cd34_<43 random chars><6-char checksum>`; `cpk_live_ab12cd34` is the
 * stored, visible prefix. Keys made before the checksum (no suffix) still verify (see secretShape).
 */
export const KEY_KIND = 'cpk_live';

type KeyRow = {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

function toApiKey(k: KeyRow, tenant: string | null): ApiKey {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    tenant,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

/** A tenant ({id, slug}) or null for platform keys. */
export type KeyScope = { id: string; slug: string } | null;

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly keys: ApiKeysRepository,
    private readonly audit: AuditService,
    private readonly changes: ChangesService,
  ) {}

  async list(scope: KeyScope): Promise<{ items: ApiKey[] }> {
    const rows = await this.keys.list(scope?.id ?? null);
    return { items: rows.map((k) => toApiKey(k, scope?.slug ?? null)) };
  }

  /** The secret is returned here only; the database keeps its SHA-256. */
  async create(scope: KeyScope, name: string, actor: Actor): Promise<CreatedApiKey> {
    const { prefix, secret, hash } = newPrefixedSecret(KEY_KIND);
    const row = await this.prisma.$transaction(async (tx) => {
      const k = await this.keys.create(tx, scope?.id ?? null, {
        name,
        prefix,
        secretHash: hash,
        createdById: actor.type === 'user' ? actor.id : null,
      });
      await this.audit.record(tx, actor, {
        action: scope ? 'key.create' : 'platform-key.create',
        tenant: scope,
        target: { type: 'api-key', id: k.id },
        after: toApiKey(k, scope?.slug ?? null),
      });
      await this.changes.publish(tx, { kind: 'key', tenantId: scope?.id ?? null });
      return k;
    });
    return { ...toApiKey(row, scope?.slug ?? null), secret };
  }

  /** Revocation is immediate and permanent; revoking a revoked key changes nothing. */
  async revoke(scope: KeyScope, id: string, actor: Actor): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const before = await this.keys.find(scope?.id ?? null, id, tx);
      if (!before) throw new AppError('not-found', 'API key not found');
      const { count } = await this.keys.revoke(tx, scope?.id ?? null, id);
      if (count === 0) return;
      const after = await this.keys.find(scope?.id ?? null, id, tx);
      await this.audit.record(tx, actor, {
        action: scope ? 'key.revoke' : 'platform-key.revoke',
        tenant: scope,
        target: { type: 'api-key', id },
        before: toApiKey(before, scope?.slug ?? null),
        after: after ? toApiKey(after, scope?.slug ?? null) : null,
      });
      await this.changes.publish(tx, { kind: 'key', tenantId: scope?.id ?? null });
    });
  }

  /**
   * Verifies a presented key: lookup by its visible prefix, constant-time comparison of SHA-256 digests.
   * Null for unknown, malformed or revoked keys; a secret whose checksum fails costs no query. (The /resolve
   * module authenticates with this.)
   */
  async verify(secret: string): Promise<(KeyPrincipal & { tenantSlug: string | null }) | null> {
    const prefix = prefixOf(secret, KEY_KIND);
    if (!prefix || secretShape(secret, KEY_KIND) === 'malformed') return null;
    const row = await this.keys.findByPrefix(prefix);
    if (!row || !digestsEqual(sha256(secret), row.secretHash) || row.revokedAt) return null;
    return {
      kind: 'key',
      keyId: row.id,
      tenantId: row.tenantId,
      prefix: row.prefix,
      tenantSlug: row.tenant?.slug ?? null,
    };
  }
}
