import crypto from 'node:crypto';

/** A sane incoming x-request-id is kept (same rule as app.setup's genReqId, checked without a regex). */
export function requestId(incoming: string | string[] | undefined): string {
  if (typeof incoming !== 'string' || incoming.length === 0 || incoming.length > 128)
    return crypto.randomUUID();
  for (let i = 0; i < incoming.length; i++) {
    const c = incoming.charCodeAt(i);
    const ok =
      (c >= 48 && c <= 58) ||
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      c === 95 ||
      c === 45 ||
      c === 46;
    if (!ok) return crypto.randomUUID();
  }
  return incoming;
}
