// Shared by the fuzz suites: the real app listening on loopback, a keep-alive node:http client (10,000
// requests take seconds), and the checks every answer must pass.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createTestApp, type TestApp } from '../factories/test-app.js';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

export interface FuzzServer {
  t: TestApp;
  port: number;
  origin: string;
  send(o: {
    method?: string;
    path: string;
    headers?: Record<string, string | string[]>;
    body?: string | Buffer;
  }): Promise<Answer>;
  /** Latencies of every answer so far (ms). */
  latencies: number[];
  statuses: Map<number, number>;
  close(): Promise<void>;
}

/** Fuzz runs: 10,000 generated inputs per family unless FUZZ_RUNS says otherwise (e.g. for a quick local run). */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

/**
 * fast-check parameters: a fixed seed by default, so CI runs the same inputs every time and a red run
 * is reproducible; FUZZ_SEED=<n> replays another one, FUZZ_SEED=random explores new inputs.
 */
export function fuzzParameters(numRuns: number): { numRuns: number; seed?: number } {
  const seed = process.env.FUZZ_SEED ?? '20261122';
  return seed === 'random' ? { numRuns } : { numRuns, seed: Number(seed) };
}
/**
 * How long one request may take before the client gives up (a hang is a failure; timings themselves are
 * printed, never asserted: the suite asserts behaviour, `npm run bench:*` measures speed).
 */
export const MAX_BOUND_MS = 5_000;

export async function startFuzzServer(env: Record<string, string> = {}): Promise<FuzzServer> {
  const t = await createTestApp(env);
  await t.app.listen(0, '127.0.0.1');
  const port = (t.app.getHttpServer().address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const send: FuzzServer['send'] = (o) =>
    sendOnce(o).catch((e: Error & { reusedSocket?: boolean }) => {
      // A kept-alive socket the server closed after its previous answer (the documented node:http race):
      // the request never reached the server, so it is sent again on a fresh connection.
      if (e.reusedSocket) return sendOnce(o);
      throw e;
    });
  const sendOnce: FuzzServer['send'] = ({ method = 'GET', path, headers = {}, body }) =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      let req: http.ClientRequest;
      try {
        req = http.request({
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers:
            body === undefined
              ? headers
              : { 'content-length': Buffer.byteLength(body), ...headers },
          timeout: MAX_BOUND_MS * 2,
        });
      } catch (e) {
        reject(e);
        return;
      }
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const ms = performance.now() - t0;
          latencies.push(ms);
          const status = res.statusCode ?? 0;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          resolve({
            status,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            ms,
          });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (e) => reject(Object.assign(e, { reusedSocket: req.reusedSocket })));
      req.end(body);
    });
  return {
    t,
    port,
    origin: `http://127.0.0.1:${port}`,
    send,
    latencies,
    statuses,
    async close() {
      agent.destroy();
      await t.close();
    },
  };
}

/** One raw HTTP/1.1 exchange on a fresh connection (for bytes node's client refuses to send). */
export function rawExchange(
  port: number,
  request: string | Buffer,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.setTimeout(MAX_BOUND_MS * 2, () => socket.destroy(new Error('timed out')));
    socket.on('data', (c: string) => {
      text += c;
      // One answer is all we want: stop at the end of its head when it announces no body or a short one.
      if (/\r\n\r\n/.test(text) && /content-length: *0\r\n|^HTTP\/1\.1 (304|204)/im.test(text))
        socket.end();
    });
    socket.on('error', (e) => (text ? finish() : reject(e)));
    socket.on('close', finish);
    socket.write(request);
    function finish() {
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : 0, text });
    }
  });
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
}

/** The run's summary line, and the time bounds. */
export function reportAndCheckLatency(
  name: string,
  s: FuzzServer,
  inputs: number,
  wallMs: number,
): void {
  const p50 = percentile(s.latencies, 50);
  const p99 = percentile(s.latencies, 99);
  const max = Math.max(...s.latencies);
  const statuses = [...s.statuses.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');
  process.stdout.write(
    `fuzz ${name}: ${inputs} generated inputs, ${s.latencies.length} requests in ${(wallMs / 1000).toFixed(1)} s; ` +
      `latency p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(0)} ms; statuses ${statuses}\n`,
  );
  for (const status of s.statuses.keys()) expect(status).toBeLessThan(500);
}

/** What a value becomes once it has crossed the wire as UTF-8 (lone surrogates turn into U+FFFD). */
export const wire = (s: string) => Buffer.from(s, 'utf8').toString('utf8');

/** Percent-encodes every UTF-8 byte that is not unreserved (works for lone surrogates too, unlike encodeURIComponent). */
export function pct(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
