import { Body, Controller, Delete, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  createUserSchema,
  idSchema,
  updateUserSchema,
  userListSchema,
  userSchema,
  type CreateUser,
  type UpdateUser,
  type User,
} from '@corsplane/contracts';
import { CurrentActor, PlatformAdmin } from '../../common/auth/access.decorators.js';
import type { Actor } from '../../common/auth/principal.js';
import { ZodPipe } from '../../common/pipes/zod.pipe.js';
import { ApiJson } from '../../common/openapi/api-json.decorator.js';
import { UsersService } from './users.service.js';

/** Users, their platform role and tenant memberships. Platform admins only. */
@ApiTags('users')
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @PlatformAdmin()
  @ApiJson({ summary: 'List users', response: userListSchema })
  list(): Promise<{ items: User[] }> {
    return this.users.list();
  }

  @Get(':id')
  @PlatformAdmin()
  @ApiJson({ summary: 'Get a user', response: userSchema, errors: [404] })
  get(@Param('id', new ZodPipe(idSchema, 'user id')) id: string): Promise<User> {
    return this.users.get(id);
  }

  @Post()
  @PlatformAdmin()
  @ApiJson({
    summary: 'Create a user (platform role and/or tenant memberships)',
    body: createUserSchema,
    response: userSchema,
    status: 201,
    errors: [409],
  })
  create(
    @Body(new ZodPipe(createUserSchema, 'body')) body: CreateUser,
    @CurrentActor() actor: Actor,
  ): Promise<User> {
    return this.users.create(body, actor);
  }

  @Patch(':id')
  @PlatformAdmin()
  @ApiJson({
    summary:
      'Update a user; `memberships` replaces them; a new password or `disabled` signs the user out',
    body: updateUserSchema,
    response: userSchema,
    errors: [404, 409],
  })
  update(
    @Param('id', new ZodPipe(idSchema, 'user id')) id: string,
    @Body(new ZodPipe(updateUserSchema, 'body')) body: UpdateUser,
    @CurrentActor() actor: Actor,
  ): Promise<User> {
    return this.users.update(id, body, actor);
  }

  @Delete(':id')
  @PlatformAdmin()
  @ApiJson({ summary: 'Delete a user', status: 204, errors: [404, 409] })
  async delete(
    @Param('id', new ZodPipe(idSchema, 'user id')) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.users.delete(id, actor);
  }
}
