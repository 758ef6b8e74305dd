import 'reflect-metadata';
import { Controller, Get, Header, HttpCode, Module, Options, Put } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { enableCorsplane } from '../src/index.js';
import { describeAdapter, type StartApp } from './support/adapter-scenarios.js';

const counter = { handled: 0 };

@Controller('data')
class DataController {
  @Get()
  get() {
    counter.handled++;
    return { ok: true };
  }

  @Put()
  put() {
    counter.handled++;
    return { ok: true };
  }

  @Options()
  @HttpCode(200)
  @Header('content-type', 'text/plain')
  options() {
    counter.handled++;
    return 'options handler';
  }
}

@Controller()
class RoutesController {
  @Get(['public/:file', 'webhooks/stripe'])
  get() {
    counter.handled++;
    return { ok: true };
  }
}

@Module({ controllers: [DataController, RoutesController] })
class DataModule {}

const startNest =
  (adapter: () => ExpressAdapter | FastifyAdapter): StartApp =>
  async (resolver, options) => {
    counter.handled = 0;
    const httpAdapter = adapter();
    const app = await NestFactory.create(DataModule, httpAdapter, { logger: false });
    if (httpAdapter instanceof FastifyAdapter) {
      httpAdapter.getInstance().addHook('onRequest', async (_request, reply) => {
        reply.header('vary', 'Accept-Encoding');
      });
    } else {
      app.use(
        (
          _req: unknown,
          res: { setHeader(name: string, value: string): void },
          next: () => void,
        ) => {
          res.setHeader('vary', 'Accept-Encoding');
          next();
        },
      );
    }
    await enableCorsplane(app, resolver, options);
    await app.listen(0, '127.0.0.1');
    return {
      url: (await app.getUrl()).replace('[::1]', '127.0.0.1'),
      handled: () => counter.handled,
      close: () => app.close(),
    };
  };

describeAdapter(
  'NestJS on Express',
  startNest(() => new ExpressAdapter()),
);
describeAdapter(
  'NestJS on Fastify',
  startNest(() => new FastifyAdapter()),
);
