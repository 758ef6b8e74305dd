import type { FastifyReply } from 'fastify';
import { SESSION_COOKIE } from './auth.service.js';

/**
 * Sets the console session cookie (SPEC §4: HttpOnly, SameSite=Strict), the one way every sign-in (password,
 * single sign-on, accepted invitation) hands a session to the browser.
 */
export function setSessionCookie(
  reply: FastifyReply,
  session: { token: string; expiresAt: Date },
  secure: boolean,
): FastifyReply {
  return reply.setCookie(SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    expires: session.expiresAt,
  });
}
