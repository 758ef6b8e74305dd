/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS Jest environment */
// jsdom plus the web platform globals Node has and jsdom lacks (React Router needs TextEncoder; the
// component tests build fetch Responses, and MSW needs the platform's fetch and streams).
const { TestEnvironment } = require('jest-environment-jsdom');

class ConsoleEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    const g = this.global;
    for (const name of [
      'TextEncoder',
      'TextDecoder',
      'Response',
      'Request',
      'Headers',
      'ReadableStream',
      'structuredClone',
      'AbortController',
      'AbortSignal',
      // msw/node intercepts the platform's fetch (component tests answer it with MSW handlers).
      'fetch',
      'TransformStream',
      'WritableStream',
      'TextEncoderStream',
      'TextDecoderStream',
    ]) {
      if (typeof globalThis[name] !== 'undefined') g[name] = globalThis[name];
    }
    // MSW opens a BroadcastChannel when loaded (for WebSocket mocks); unref'd, it cannot keep Jest alive.
    class UnrefBroadcastChannel extends globalThis.BroadcastChannel {
      constructor(name) {
        super(name);
        this.unref();
      }
    }
    g.BroadcastChannel = UnrefBroadcastChannel;
  }
}

module.exports = ConsoleEnvironment;
