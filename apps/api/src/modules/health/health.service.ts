import fs from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { ENV, type Env } from '../../config/env.schema.js';
import { PrismaService } from '../../prisma/prisma.service.js';

/** A database that does not answer within this is "down" for readiness (a black-holed server never errors). */
export const READINESS_TIMEOUT_MS = 2_000;

export interface Readiness {
  status: 'ok' | 'unavailable';
  checks: { database: 'ok' | 'down'; migrations: 'ok' | 'pending' | 'unknown' };
}

@Injectable()
export class HealthService {
  private readonly expected: string[];

  constructor(
    private readonly prisma: PrismaService,
    @Inject(ENV) env: Env,
  ) {
    this.expected = fs.existsSync(env.migrationsDir)
      ? fs
          .readdirSync(env.migrationsDir, { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => d.name)
      : [];
  }

  /**
   * Ready when the database answers (within READINESS_TIMEOUT_MS) and every committed migration is applied.
   * Each call asks the database again, so readiness follows an outage both ways without a restart.
   */
  async readiness(): Promise<Readiness> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const query = this.prisma.$queryRaw<Array<{ migration_name: string }>>`
        SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
      const rows = await Promise.race([
        query,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error('readiness check timed out')),
            READINESS_TIMEOUT_MS,
          );
        }),
      ]);
      const applied = new Set(rows.map((r) => r.migration_name));
      const pending = this.expected.filter((m) => !applied.has(m));
      const migrations = pending.length ? 'pending' : 'ok';
      return {
        status: migrations === 'ok' ? 'ok' : 'unavailable',
        checks: { database: 'ok', migrations },
      };
    } catch {
      return { status: 'unavailable', checks: { database: 'down', migrations: 'unknown' } };
    } finally {
      clearTimeout(timer);
    }
  }
}
