import { Inject, Injectable } from '@nestjs/common';
import * as oidc from 'openid-client';
import { ENV, type Env } from '../../config/env.schema.js';
import { AppError } from '../../common/errors/app-error.js';

/** What the browser carries between /login and /callback (an HttpOnly cookie): binds the flow to it. */
export interface OidcFlow {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  next: string;
}

/** The identity the provider vouched for, from a verified ID token. */
export interface OidcIdentity {
  subject: string;
  email: string;
  name: string | null;
  roles: unknown;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The OpenID Connect relying party (openid-client): authorization code flow with PKCE (S256), state and
 * nonce. Discovery runs on first use and is retried after a failure, so a provider that is down at boot
 * does not keep SSO off.
 */
@Injectable()
export class OidcClientService {
  private config: Promise<oidc.Configuration> | null = null;

  constructor(@Inject(ENV) private readonly env: Env) {}

  get enabled(): boolean {
    return this.env.oidc !== null;
  }

  private configuration(): Promise<oidc.Configuration> {
    const settings = this.env.oidc;
    if (!settings) throw new AppError('not-found', 'Single sign-on is not configured');
    const issuer = new URL(settings.issuer);
    // Plain HTTP only for a provider on this machine (development, tests); anywhere else TLS.
    const insecure = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname);
    this.config ??= oidc
      .discovery(issuer, settings.clientId, settings.clientSecret, undefined, {
        execute: insecure ? [oidc.allowInsecureRequests] : [],
      })
      .catch((e: unknown) => {
        this.config = null;
        throw new AppError('unavailable', `The identity provider cannot be reached: ${String(e)}`);
      });
    return this.config;
  }

  /** The provider's authorization URL for a new flow, and the flow to keep in the browser. */
  async start(redirectUri: string, next: string): Promise<{ url: URL; flow: OidcFlow }> {
    const config = await this.configuration();
    const verifier = oidc.randomPKCECodeVerifier();
    const flow: OidcFlow = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier,
      redirectUri,
      next,
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { url, flow };
  }

  /** Exchanges the callback's code (checking state, nonce and PKCE) and returns the verified identity. */
  async finish(flow: OidcFlow, callbackQuery: string): Promise<OidcIdentity> {
    const config = await this.configuration();
    const current = new URL(flow.redirectUri);
    current.search = callbackQuery;
    const tokens = await oidc.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new AppError('unauthenticated', 'The identity provider sent no ID token');
    const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
    if (!email || claims.email_verified === false)
      throw new AppError('unauthenticated', 'The identity provider sent no verified email');
    const issuer = (this.env.oidc as NonNullable<Env['oidc']>).issuer;
    return {
      subject: `${issuer} ${claims.sub}`,
      email,
      name: typeof claims.name === 'string' ? claims.name.slice(0, 200) : null,
      roles: claims[this.env.OIDC_ROLES_CLAIM],
    };
  }
}
