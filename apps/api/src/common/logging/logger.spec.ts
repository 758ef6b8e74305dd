import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { createLogger } from './logger.js';

/** A real Fastify server (free port) on the API's logger, its log lines captured. */
async function requestLogsOf(url: string): Promise<string> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const app = Fastify({ loggerInstance: createLogger('info', 'json', sink) });
  app.get('/*', async () => 'ok');
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    await (await fetch(`${address}${url}`)).text();
  } finally {
    await app.close();
  }
  return lines.join('');
}

describe('request logs', () => {
  it('never hold the token of an invitation link', async () => {
    const token = 'cpi_abcdefgh_secretpart0123456789';
    const logs = await requestLogsOf(`/invite/${token}`);
    expect(logs).toContain('"url":"/invite/[redacted]"');
    expect(logs).not.toContain('secretpart');
  });

  it('keep every other URL as it came', async () => {
    expect(await requestLogsOf('/tenants/acme/policy?x=1')).toContain(
      '"url":"/tenants/acme/policy?x=1"',
    );
  });
});
