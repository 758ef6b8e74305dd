import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { safeConsolePath, ssoStatusSchema, type SsoStatus } from '@corsplane/contracts';
import { ENV, type Env } from '../../config/env.schema.js';
import { Public } from '../../common/auth/access.decorators.js';
import { AppError } from '../../common/errors/app-error.js';
import type { Logger } from '../../common/logging/logger.js';
import { LOGGER } from '../../common/logging/logger.js';
import { ZodPipe } from '../../common/pipes/zod.pipe.js';
import { ApiJson } from '../../common/openapi/api-json.decorator.js';
import { AuthService } from './auth.service.js';
import { setSessionCookie } from './session-cookie.js';
import { OidcClientService, type OidcFlow } from './oidc-client.service.js';

const FLOW_COOKIE = 'corsplane_oidc';
const FLOW_PATH = '/v1/auth/oidc';
const FLOW_SECONDS = 600;
const CALLBACK_PATH = '/v1/auth/oidc/callback';

const loginQuerySchema = z.strictObject({ next: z.string().max(2048).optional() });
const flowSchema = z.strictObject({
  state: z.string().max(200),
  nonce: z.string().max(200),
  verifier: z.string().max(200),
  redirectUri: z.url(),
  next: z.string().max(2048),
});

function readFlow(raw: string | undefined): OidcFlow | null {
  if (!raw || raw.length > 4096) return null;
  try {
    const parsed = flowSchema.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Single sign-on (SPEC §4): `/login` sends the browser to the provider, `/callback` takes it back and
 * opens the same session a password sign-in does. The flow (state, nonce, PKCE verifier) rides in an
 * HttpOnly cookie scoped to these routes; SameSite=Lax, because the provider's redirect back is a
 * cross-site top-level navigation that a Strict cookie would not survive.
 */
@ApiTags('auth')
@Controller('v1/auth/oidc')
export class OidcController {
  constructor(
    private readonly oidc: OidcClientService,
    private readonly auth: AuthService,
    @Inject(ENV) private readonly env: Env,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get()
  @Public()
  @ApiJson({ summary: 'Whether single sign-on is configured', response: ssoStatusSchema })
  status(): SsoStatus {
    return { enabled: this.oidc.enabled };
  }

  @Get('login')
  @Public()
  @ApiJson({
    summary: 'Start single sign-on: redirects to the identity provider (authorization code + PKCE)',
    status: 302,
    errors: [404, 503],
  })
  async login(
    @Query(new ZodPipe(loginQuerySchema, 'query')) query: z.infer<typeof loginQuerySchema>,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!this.oidc.enabled) throw new AppError('not-found', 'Single sign-on is not configured');
    const origin = `${req.protocol}://${req.host}`;
    const redirectUri = this.env.OIDC_REDIRECT_URI ?? `${origin}${CALLBACK_PATH}`;
    const { url, flow } = await this.oidc.start(redirectUri, safeConsolePath(query.next, origin));
    void reply
      .setCookie(FLOW_COOKIE, Buffer.from(JSON.stringify(flow)).toString('base64url'), {
        httpOnly: true,
        sameSite: 'lax',
        secure: this.env.cookieSecure,
        path: FLOW_PATH,
        maxAge: FLOW_SECONDS,
      })
      .header('cache-control', 'no-store')
      .redirect(url.href, 302);
  }

  @Get('callback')
  @Public()
  @ApiJson({
    summary:
      'Single sign-on callback: checks state, nonce and PKCE, sets the session cookie and returns to the console',
    status: 303,
  })
  async callback(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const flow = readFlow(req.cookies[FLOW_COOKIE]);
    void reply.clearCookie(FLOW_COOKIE, { path: FLOW_PATH }).header('cache-control', 'no-store');
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    try {
      if (!flow || !this.oidc.enabled)
        throw new AppError('unauthenticated', 'No sign-in in progress');
      const identity = await this.oidc.finish(flow, query);
      const { token, expiresAt } = await this.auth.signInWithSso(identity, req.id);
      void setSessionCookie(reply, { token, expiresAt }, this.env.cookieSecure).redirect(
        flow.next,
        303,
      );
    } catch (e) {
      // The browser is mid-redirect: send it to the sign-in page, which says SSO failed; the log says why.
      this.logger.warn({ err: e, requestId: req.id }, 'single sign-on failed');
      const reason = e instanceof AppError && e.code === 'conflict' ? 'local-account' : 'failed';
      void reply.redirect(`/sign-in?sso=${reason}`, 303);
    }
  }
}
