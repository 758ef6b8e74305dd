import crypto from 'node:crypto';

/**
 * The prefix of the ids this process makes: random per process, so ids stay unique across replicas and
 * restarts while each one costs a counter increment (a UUID per request showed in the hot path's profile).
 */
const PREFIX = `${crypto.randomBytes(6).toString('hex')}-`;
let counter = 0;

/**
 * A sane incoming x-request-id is kept (same rule as app.setup's genReqId, `[\w.:-]{1,128}`, checked without
 * a regex), else a fresh one.
 */
export function requestId(incoming: string | string[] | undefined): string {
  if (typeof incoming !== 'string' || incoming.length === 0 || incoming.length > 128)
    return PREFIX + (++counter).toString(36);
  for (let i = 0; i < incoming.length; i++) {
    const c = incoming.charCodeAt(i);
    const ok =
      (c >= 48 && c <= 58) ||
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      c === 95 ||
      c === 45 ||
      c === 46;
    if (!ok) return PREFIX + (++counter).toString(36);
  }
  return incoming;
}
