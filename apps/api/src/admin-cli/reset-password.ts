import crypto from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type { Actor } from '../common/auth/principal.js';
import { AppError } from '../common/errors/app-error.js';
import { UsersRepository } from '../modules/users/users.repository.js';
import { UsersService } from '../modules/users/users.service.js';

/** Who the audit log names for a reset done on the server's command line. */
export const CLI_ACTOR: Actor = {
  type: 'system',
  id: null,
  label: 'cli:admin:reset-password',
  requestId: null,
};

/**
 * Gives the user `email` a new generated password, through the same path as an admin's change in the
 * console (strength check, scrypt, every session and token revoked, an audit row). For the operator who
 * has lost the only admin password: whoever can run this already holds the database.
 */
export async function resetPassword(
  app: INestApplicationContext,
  email: string,
): Promise<{ email: string; password: string }> {
  const user = await app.get(UsersRepository).findByEmail(email.trim().toLowerCase());
  if (!user) throw new AppError('not-found', `No user has the email "${email}"`);
  const password = crypto.randomBytes(15).toString('base64url');
  await app.get(UsersService).update(user.id, { password }, CLI_ACTOR);
  return { email: user.email, password };
}
