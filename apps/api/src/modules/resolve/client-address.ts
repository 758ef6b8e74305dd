import type { IncomingMessage } from 'node:http';

/**
 * The caller's address, as the unknown-key throttle counts it: the socket's peer, or with TRUST_PROXY the
 * first X-Forwarded-For entry (what Fastify's `req.ip` gives for `trustProxy: true`), read without a regex.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const xff = req.headers['x-forwarded-for'];
    const first = (typeof xff === 'string' ? xff : xff?.[0])?.split(',', 1)[0]?.trim();
    if (first) return first.slice(0, 64);
  }
  return req.socket.remoteAddress ?? '';
}
