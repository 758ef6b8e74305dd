import { Injectable } from '@nestjs/common';
import type { Db } from '../../prisma/prisma.service.js';

/**
 * What changed: the resolve cache of other replicas must drop the tenant's entries, and the change streams
 * (GET /resolve/changes) announce it. `slug` and `version` (policy) and `deleted` (tenant) let every process
 * announce a change without a query. A `baseline` change (the platform baseline, SPEC §2.2) names no tenant:
 * it is one notification for every tenant, with the baseline's `version`.
 */
export interface Change {
  kind: 'tenant' | 'policy' | 'key' | 'baseline';
  tenantId: string | null;
  slug?: string;
  version?: number;
  /** A candidate change (SPEC §4.1) is a `policy` change of the tenant that names the candidate's version. */
  candidateVersion?: number;
  deleted?: boolean;
}

/**
 * The one place every tenant, policy and key change goes through, inside the change's transaction.
 * It is where cache invalidation (`pg_notify`, delivered by PostgreSQL only on commit) plugs in with /resolve.
 */
@Injectable()
export class ChangesService {
  private readonly listeners: Array<(db: Db, change: Change) => Promise<void>> = [];

  /** For the resolve module: runs inside the transaction of every change. */
  onChange(listener: (db: Db, change: Change) => Promise<void>): void {
    this.listeners.push(listener);
  }

  async publish(db: Db, change: Change): Promise<void> {
    for (const l of this.listeners) await l(db, change);
  }
}
