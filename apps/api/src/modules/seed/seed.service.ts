import crypto from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { PolicyInput } from '@corsplane/contracts';
import { ENV, type Env } from '../../config/env.schema.js';
import { SYSTEM_ACTOR } from '../../common/auth/principal.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { PoliciesService } from '../policies/policies.service.js';
import { UsersRepository } from '../users/users.repository.js';
import { UsersService } from '../users/users.service.js';

export const DEFAULT_ADMIN_EMAIL = 'admin@corsplane.local';

const DEMO_POLICY: PolicyInput = {
  mode: 'enforce',
  origins: [
    { pattern: 'https://app.example.com', note: 'production console', expiresAt: null },
    { pattern: 'https://*.example.com', note: 'preview deployments', expiresAt: null },
    { pattern: 'http://localhost:*', note: 'local development', expiresAt: null },
  ],
  allowedMethods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowedHeaders: ['content-type', 'authorization'],
  exposedHeaders: ['x-request-id'],
  allowCredentials: true,
  maxAgeSeconds: 600,
  allowPrivateNetwork: false,
};

export interface SeedResult {
  /** Set when an admin was created with a generated password: print it once. */
  generatedAdmin?: { email: string; password: string };
  createdAdmin?: string;
  demoTenant?: string;
}

/** First admin and demo tenant; idempotent, run at every start. */
@Injectable()
export class SeedService {
  constructor(
    @Inject(ENV) private readonly env: Env,
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
    private readonly tenants: TenantsRepository,
    private readonly tenantsService: TenantsService,
    private readonly policies: PoliciesService,
  ) {}

  async run(): Promise<SeedResult> {
    const result: SeedResult = {};
    // ADMIN_EMAIL/ADMIN_PASSWORD create that admin when it does not exist; with no users at all and no
    // ADMIN_EMAIL, admin@corsplane.local gets a generated password, printed once.
    const email = this.env.ADMIN_EMAIL?.toLowerCase();
    const needsAdmin = email
      ? !(await this.users.findByEmail(email))
      : (await this.users.count()) === 0;
    if (needsAdmin) {
      const password = this.env.ADMIN_PASSWORD ?? crypto.randomBytes(15).toString('base64url');
      const adminEmail = email ?? DEFAULT_ADMIN_EMAIL;
      await this.usersService.create(
        { email: adminEmail, password, platformRole: 'admin', name: 'Administrator' },
        SYSTEM_ACTOR,
      );
      if (this.env.ADMIN_PASSWORD) result.createdAdmin = adminEmail;
      else result.generatedAdmin = { email: adminEmail, password };
    }
    if (this.env.SEED_DEMO && (await this.tenants.count()) === 0) {
      await this.tenantsService.create({ slug: 'demo', name: 'Demo tenant' }, SYSTEM_ACTOR);
      const tenant = await this.tenants.findBySlug('demo');
      if (tenant) await this.policies.update(tenant, DEMO_POLICY, 1, SYSTEM_ACTOR);
      result.demoTenant = 'demo';
    }
    return result;
  }
}
