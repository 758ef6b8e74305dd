import { Body, Controller, Delete, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  acceptInvitationSchema,
  createdInvitationSchema,
  createInvitationSchema,
  idSchema,
  invitationListSchema,
  invitationLookupSchema,
  invitationPreviewSchema,
  meSchema,
  type AcceptInvitation,
  type CreatedInvitation,
  type CreateInvitation,
  type Invitation,
  type InvitationLookup,
  type InvitationPreview,
  type Me,
} from '@corsplane/contracts';
import { ENV, type Env } from '../../config/env.schema.js';
import { CurrentActor, PlatformAdmin, Public } from '../../common/auth/access.decorators.js';
import type { Actor } from '../../common/auth/principal.js';
import { ZodPipe } from '../../common/pipes/zod.pipe.js';
import { ApiJson } from '../../common/openapi/api-json.decorator.js';
import { setSessionCookie } from '../auth/session-cookie.js';
import { InvitationsService } from './invitations.service.js';

/**
 * One-time invitation links. Platform admins create, list and revoke them; the two public routes take the
 * token in the body (never in an API URL, so it stays out of access logs) and are throttled per address.
 */
@ApiTags('invitations')
@Controller('v1/invitations')
export class InvitationsController {
  constructor(
    private readonly invitations: InvitationsService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  @Get()
  @PlatformAdmin()
  @ApiJson({ summary: 'Pending invitations (never their links)', response: invitationListSchema })
  list(): Promise<{ items: Invitation[] }> {
    return this.invitations.listPending();
  }

  @Post()
  @PlatformAdmin()
  @ApiJson({
    summary:
      'Invite a user (platform role and/or tenant memberships): the one-time link is shown once; a pending invitation to the same email is replaced',
    body: createInvitationSchema,
    response: createdInvitationSchema,
    status: 201,
    errors: [409],
  })
  create(
    @Body(new ZodPipe(createInvitationSchema, 'body')) body: CreateInvitation,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
  ): Promise<CreatedInvitation> {
    return this.invitations.create(body, actor, `${req.protocol}://${req.host}`);
  }

  @Delete(':id')
  @PlatformAdmin()
  @ApiJson({ summary: 'Revoke a pending invitation', status: 204, errors: [404] })
  async revoke(
    @Param('id', new ZodPipe(idSchema, 'invitation id')) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.invitations.revoke(id, actor);
  }

  @Post('lookup')
  @Public({ csrf: true })
  @ApiJson({
    summary:
      'The email an invitation is for; one 404 for every token that cannot be used (unknown, used, revoked, expired)',
    body: invitationLookupSchema,
    response: invitationPreviewSchema,
    errors: [404, 429],
  })
  lookup(
    @Body(new ZodPipe(invitationLookupSchema, 'body')) body: InvitationLookup,
    @Req() req: FastifyRequest,
  ): Promise<InvitationPreview> {
    return this.invitations.preview(body.token, req.ip);
  }

  @Post('accept')
  @Public({ csrf: true })
  @ApiJson({
    summary:
      'Accept an invitation with a password: creates the user once and sets the session cookie',
    body: acceptInvitationSchema,
    response: meSchema,
    errors: [404, 409, 429],
  })
  async accept(
    @Body(new ZodPipe(acceptInvitationSchema, 'body')) body: AcceptInvitation,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Me> {
    const { me, ...session } = await this.invitations.accept(body, req.ip, req.id);
    void setSessionCookie(reply, session, this.env.cookieSecure);
    return me;
  }
}
