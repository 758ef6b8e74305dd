import { Body, Controller, Delete, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  adminTokenListSchema,
  createAdminTokenSchema,
  createdAdminTokenSchema,
  idSchema,
  loginSchema,
  meSchema,
  type AdminToken,
  type CreateAdminToken,
  type CreatedAdminToken,
  type Login,
  type Me,
} from '@corsplane/contracts';
import { ENV, type Env } from '../../config/env.schema.js';
import {
  AnyUser,
  CurrentActor,
  CurrentPrincipal,
  Public,
} from '../../common/auth/access.decorators.js';
import type { Actor, Principal, UserPrincipal } from '../../common/auth/principal.js';
import { AppError } from '../../common/errors/app-error.js';
import { ZodPipe } from '../../common/pipes/zod.pipe.js';
import { ApiJson } from '../../common/openapi/api-json.decorator.js';
import { AuthService, SESSION_COOKIE } from './auth.service.js';
import { setSessionCookie } from './session-cookie.js';

function asUser(p: Principal): UserPrincipal {
  if (p.kind !== 'user') throw new AppError('forbidden', 'API keys can only call /resolve');
  return p;
}

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  @Post('login')
  @Public({ csrf: true })
  @ApiJson({
    summary: 'Sign in: sets an HttpOnly, SameSite=Strict session cookie',
    body: loginSchema,
    response: meSchema,
    errors: [429],
  })
  async login(
    @Body(new ZodPipe(loginSchema, 'body')) body: Login,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Me> {
    const { token, expiresAt, me } = await this.auth.login(
      body.email,
      body.password,
      req.ip,
      req.id,
    );
    void setSessionCookie(reply, { token, expiresAt }, this.env.cookieSecure);
    return me;
  }

  @Post('logout')
  @AnyUser()
  @ApiJson({ summary: 'Sign out: ends the session and clears the cookie', status: 204 })
  async logout(
    @CurrentPrincipal() principal: Principal,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logout(asUser(principal), actor);
    void reply.clearCookie(SESSION_COOKIE, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: this.env.cookieSecure,
    });
  }

  @Get('me')
  @AnyUser()
  @ApiJson({
    summary: 'The signed-in user, with platform role and tenant memberships',
    response: meSchema,
  })
  me(@CurrentPrincipal() principal: Principal): Promise<Me> {
    return this.auth.me(asUser(principal));
  }

  @Get('tokens')
  @AnyUser()
  @ApiJson({ summary: 'Your admin API tokens (prefixes only)', response: adminTokenListSchema })
  listTokens(@CurrentPrincipal() principal: Principal): Promise<{ items: AdminToken[] }> {
    return this.auth.listTokens(asUser(principal));
  }

  @Post('tokens')
  @AnyUser()
  @ApiJson({
    summary:
      'Create an admin API token for scripts (`Authorization: Bearer <token>`, acts with your roles); shown once',
    body: createAdminTokenSchema,
    response: createdAdminTokenSchema,
    status: 201,
  })
  createToken(
    @CurrentPrincipal() principal: Principal,
    @Body(new ZodPipe(createAdminTokenSchema, 'body')) body: CreateAdminToken,
    @CurrentActor() actor: Actor,
  ): Promise<CreatedAdminToken> {
    return this.auth.createToken(asUser(principal), body, actor);
  }

  @Delete('tokens/:id')
  @AnyUser()
  @ApiJson({ summary: 'Revoke one of your admin API tokens', status: 204, errors: [404] })
  async revokeToken(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ZodPipe(idSchema, 'token id')) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.auth.revokeToken(asUser(principal), id, actor);
  }
}
