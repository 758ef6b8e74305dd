import { Inject, Injectable } from '@nestjs/common';
import type {
  AcceptInvitation,
  CreateInvitation,
  CreatedInvitation,
  Invitation,
  InvitationPreview,
  Me,
} from '@corsplane/contracts';
import { Prisma } from '../../generated/prisma/client.js';
import { PrismaService } from '../../prisma/prisma.service.js';
import { ENV, type Env } from '../../config/env.schema.js';
import { AppError } from '../../common/errors/app-error.js';
import { membershipList } from '../../common/auth/membership-list.js';
import type { Actor } from '../../common/auth/principal.js';
import {
  hashPassword,
  newPrefixedSecret,
  secretShape,
  sha256,
} from '../../common/crypto/secrets.js';
import { AuditService } from '../audit/audit.service.js';
import { AuthService } from '../auth/auth.service.js';
import { LoginThrottleService } from '../auth/login-throttle.service.js';
import { UsersRepository } from '../users/users.repository.js';
import {
  assertStrongPassword,
  toUser,
  UsersService,
  type UserRow,
} from '../users/users.service.js';
import { InvitationsRepository } from './invitations.repository.js';

/** Invitation tokens look like `cpi_ab12cd34_<43 random chars><6-char checksum>`: 256 random bits. */
const INVITATION_TOKEN_KIND = 'cpi';

/** Invitations are kept 30 days past their expiry (README, "Invitations"), then deleted. */
const INVITATION_RETENTION_MS = 30 * 24 * 3600_000;

/**
 * Parallel accepts of one link queue on its row lock (and for a pool connection) before all but one find it
 * used: Prisma's defaults (2 s to get a connection, 5 s in all) turned that wait into a 500 on a busy host.
 */
const ACCEPT_TRANSACTION = { maxWait: 15_000, timeout: 30_000 } as const;

type InvitationRow = NonNullable<Awaited<ReturnType<InvitationsRepository['find']>>>;

/** One answer for every token that cannot be used, so a guesser learns nothing about which exist. */
const unusable = () =>
  new AppError(
    'not-found',
    'This invitation link is not valid: it was already used, revoked or has expired. Ask an administrator for a new one.',
  );

function toInvitation(i: InvitationRow): Invitation {
  return {
    id: i.id,
    email: i.email,
    name: i.name,
    platformRole: i.platformRole,
    memberships: membershipList(i.memberships),
    createdBy: i.createdByLabel,
    createdAt: i.createdAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(),
  };
}

/**
 * Invitations (SPEC §4: "new users can be invited with a one-time link"). A platform admin names the email,
 * role and memberships; the link carries a random token of which only the SHA-256 is stored; whoever opens
 * it chooses a password and becomes that user, once.
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly invitations: InvitationsRepository,
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
    private readonly auth: AuthService,
    private readonly throttle: LoginThrottleService,
    private readonly audit: AuditService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async listPending(): Promise<{ items: Invitation[] }> {
    return { items: (await this.invitations.listPending()).map(toInvitation) };
  }

  /**
   * Creates an invitation and returns its link, once. A pending invitation to the same email is revoked
   * (a new link replaces a lost one); an email that already has a user is a 409.
   */
  async create(
    input: CreateInvitation,
    actor: Actor,
    requestOrigin: string,
  ): Promise<CreatedInvitation> {
    const email = input.email.trim().toLowerCase();
    const { secret, hash } = newPrefixedSecret(INVITATION_TOKEN_KIND);
    const expiresAt = new Date(Date.now() + this.env.INVITATION_TTL_HOURS * 3600_000);
    const created = await this.prisma.$transaction(async (tx) => {
      if (await this.users.findByEmail(email, tx))
        throw new AppError('conflict', `A user with email "${email}" already exists`);
      // Creating one is the moment to drop the long-dead ones, so the table stays as small as recent use.
      await this.invitations.purgeExpiredBefore(tx, new Date(Date.now() - INVITATION_RETENTION_MS));
      const memberships = (await this.usersService.resolveMemberships(tx, input.memberships)) ?? [];
      for (const id of await this.invitations.revokePendingFor(tx, email))
        await this.audit.record(tx, actor, {
          action: 'invitation.revoke',
          target: { type: 'invitation', id },
          after: { email, reason: 'replaced by a new invitation' },
        });
      const row = await this.invitations.create(tx, {
        email,
        name: input.name ?? null,
        platformRole: input.platformRole ?? null,
        tokenHash: hash,
        createdById: actor.type === 'user' ? actor.id : null,
        createdByLabel: actor.label,
        expiresAt,
        memberships,
      });
      const invitation = toInvitation(row);
      await this.audit.record(tx, actor, {
        action: 'invitation.create',
        target: { type: 'invitation', id: row.id },
        after: invitation,
      });
      return invitation;
    });
    const base = this.env.PUBLIC_URL ?? requestOrigin;
    return { ...created, link: `${base}/invite/${encodeURIComponent(secret)}` };
  }

  async revoke(id: string, actor: Actor): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const before = await this.invitations.find(id, tx);
      if (!before || !(await this.invitations.revoke(tx, id)))
        throw new AppError('not-found', 'No pending invitation with this id');
      await this.audit.record(tx, actor, {
        action: 'invitation.revoke',
        target: { type: 'invitation', id },
        before: toInvitation(before),
      });
    });
  }

  /** What the invitation page shows: the invited email, while the link can still be used. */
  async preview(token: string, ip: string): Promise<InvitationPreview> {
    const attempt = await this.throttle.beginInvitation(ip);
    const invitation = await this.findUsable(token);
    await attempt.succeeded();
    return {
      email: invitation.email,
      name: invitation.name,
      expiresAt: invitation.expiresAt.toISOString(),
    };
  }

  /**
   * Uses the invitation up and creates its user, in one transaction, then opens a session. The password is
   * checked and hashed first (scrypt, ~50 ms), so no row lock waits on it.
   */
  async accept(
    input: AcceptInvitation,
    ip: string,
    requestId: string,
  ): Promise<{ token: string; expiresAt: Date; me: Me }> {
    const attempt = await this.throttle.beginInvitation(ip);
    const invitation = await this.findUsable(input.token);
    const name = input.name ?? invitation.name;
    assertStrongPassword(input.password, [invitation.email, name ?? '']);
    const passwordHash = await hashPassword(input.password);
    let userId: string;
    try {
      userId = await this.prisma.$transaction(async (tx) => {
        const consumed = await this.invitations.consume(tx, sha256(input.token));
        if (!consumed) throw unusable();
        if (await this.users.findByEmail(consumed.email, tx))
          throw new AppError(
            'conflict',
            `A user with email "${consumed.email}" already exists: sign in instead`,
          );
        const created = await this.users.create(tx, {
          email: consumed.email,
          name: name ?? null,
          passwordHash,
          platformRole: consumed.platformRole,
        });
        await this.users.replaceMemberships(
          tx,
          created.id,
          await this.invitations.memberships(tx, consumed.id),
        );
        await this.invitations.markAcceptedBy(tx, consumed.id, created.id);
        const user = toUser((await this.users.find(created.id, tx)) as UserRow);
        await this.audit.record(
          tx,
          { type: 'user', id: user.id, label: user.email, requestId },
          {
            action: 'invitation.accept',
            target: { type: 'invitation', id: consumed.id },
            after: user,
          },
        );
        return user.id;
      }, ACCEPT_TRANSACTION);
    } catch (e) {
      // A user created with this email since the check above (the unique index is the last word).
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002')
        throw new AppError('conflict', `A user with email "${invitation.email}" already exists`);
      throw e;
    }
    await attempt.succeeded();
    return this.auth.signInInvited(userId, requestId);
  }

  /** The pending invitation of a token; a token of the wrong shape is refused without a query. */
  private async findUsable(token: string) {
    if (secretShape(token, INVITATION_TOKEN_KIND) !== 'checked') throw unusable();
    const invitation = await this.invitations.findPendingByTokenHash(sha256(token));
    if (!invitation) throw unusable();
    return invitation;
  }
}
