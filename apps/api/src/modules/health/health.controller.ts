import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/access.decorators.js';
import { ApiJson } from '../../common/openapi/api-json.decorator.js';
import { HealthService, type Readiness } from './health.service.js';

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('healthz')
  @Public()
  @ApiJson({ summary: 'Liveness: the process answers' })
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Public()
  @ApiJson({
    summary: 'Readiness: database reachable and migrations applied (503 otherwise)',
    errors: [503],
  })
  async readyz(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const r = await this.health.readiness();
    if (r.status !== 'ok') void reply.status(503);
    return r;
  }
}
