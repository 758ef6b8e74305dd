/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS Jest environment */
// jsdom plus the web platform globals Node has and jsdom lacks (React Router needs TextEncoder; the
// component tests build fetch Responses).
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
    ]) {
      if (typeof globalThis[name] !== 'undefined') g[name] = globalThis[name];
    }
  }
}

module.exports = ConsoleEnvironment;
