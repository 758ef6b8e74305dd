import { applyDecorators, HttpCode } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { errorBodySchema } from '@corsplane/contracts';
import { z } from 'zod';

type SchemaObject = Record<string, unknown>;

/** OpenAPI 3.0 JSON schema of a contracts zod schema: /docs is generated from the same schemas the pipes use. */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): SchemaObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    unrepresentable: 'any',
  }) as SchemaObject;
  return rest;
}

export interface ApiJsonOptions {
  summary: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  response?: z.ZodType;
  /** Success status (default 200); 204 means no body. */
  status?: number;
  /** Extra documented error statuses besides 400/401/403. */
  errors?: number[];
}

/** Documents one JSON endpoint from its contracts schemas, plus the error body. */
export function ApiJson(o: ApiJsonOptions) {
  const status = o.status ?? 200;
  const decorators: Array<ClassDecorator | MethodDecorator | PropertyDecorator> = [
    ApiOperation({ summary: o.summary }),
    HttpCode(status),
  ];
  if (o.body) decorators.push(ApiBody({ schema: openApiSchema(o.body, 'input') }));
  if (o.query) {
    const shape = openApiSchema(o.query, 'input') as {
      properties?: Record<string, SchemaObject>;
      required?: string[];
    };
    for (const [name, schema] of Object.entries(shape.properties ?? {})) {
      decorators.push(
        ApiQuery({ name, required: shape.required?.includes(name) ?? false, schema }),
      );
    }
  }
  decorators.push(
    status === 204
      ? ApiResponse({ status, description: 'No content' })
      : ApiResponse({
          status,
          description: 'OK',
          schema: o.response ? openApiSchema(o.response) : {},
        }),
  );
  const error = openApiSchema(errorBodySchema);
  for (const s of [400, 401, 403, ...(o.errors ?? [])])
    decorators.push(ApiResponse({ status: s, description: 'Error', schema: error }));
  return applyDecorators(...decorators);
}
