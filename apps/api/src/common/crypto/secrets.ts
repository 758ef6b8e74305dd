import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (
  pw: string,
  salt: Buffer,
  len: number,
  opts: crypto.ScryptOptions,
) => Promise<Buffer>;
const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 64 };

/** scrypt (node:crypto, no native dependency): `scrypt$N$r$p$salt$hash`, base64url parts. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password, salt, SCRYPT.keylen, {
    N: SCRYPT.N,
    r: SCRYPT.r,
    p: SCRYPT.p,
  });
  return [
    'scrypt',
    SCRYPT.N,
    SCRYPT.r,
    SCRYPT.p,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return crypto.timingSafeEqual(actual, expected);
}

/** A stand-in hash so unknown accounts cost as much time as known ones. */
export const DUMMY_PASSWORD_HASH = await hashPassword(crypto.randomBytes(16).toString('hex'));

export function sha256(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex');
}

/** Constant-time comparison of two hex digests. */
export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
function randomId(length: number): string {
  const bytes = crypto.randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

/** base64url of 32 random bytes. */
const RANDOM_PART_LENGTH = 43;
/** 36 bits: a made-up secret passes with odds of 1 in 68 billion. */
const CHECKSUM_LENGTH = 6;

/** The checksum that ends a secret: the first 36 bits of the SHA-256 of everything before it. */
function checksumOf(body: string): string {
  return crypto.createHash('sha256').update(body).digest('base64url').slice(0, CHECKSUM_LENGTH);
}

/**
 * Secrets of the form `<kind>_<id>_<random><checksum>`: the visible prefix `<kind>_<id>` identifies the row,
 * the whole string's SHA-256 is what is stored (e.g. `cpk_live_ab12cd34_…` for keys, `cpa_ab12cd34_…` for admin
 * tokens). The 6-character checksum lets a server refuse a made-up secret without a database lookup (GitHub's
 * tokens end in a CRC32 for the same reason); it is no secret, so it stops random guesses, not a forger.
 */
export function newPrefixedSecret(kind: string): { prefix: string; secret: string; hash: string } {
  const prefix = `${kind}_${randomId(8)}`;
  const body = `${prefix}_${randomToken(32)}`;
  const secret = body + checksumOf(body);
  return { prefix, secret, hash: sha256(secret) };
}

/** The visible prefix of a secret made by newPrefixedSecret, or null when it has another shape. */
export function prefixOf(secret: string, kind: string): string | null {
  if (!secret.startsWith(`${kind}_`) || secret.length > 200) return null;
  const rest = secret.slice(kind.length + 1);
  const idx = rest.indexOf('_');
  if (idx !== 8) return null;
  return `${kind}_${rest.slice(0, 8)}`;
}

/**
 * What the shape of a presented secret says before any lookup: `checked` (its checksum matches), `legacy`
 * (made before checksums existed: exactly 43 characters after the prefix) or `malformed` (anything else,
 * a made-up secret included).
 */
export function secretShape(secret: string, kind: string): 'checked' | 'legacy' | 'malformed' {
  const prefix = prefixOf(secret, kind);
  if (prefix === null) return 'malformed';
  const tail = secret.length - prefix.length - 1;
  if (tail === RANDOM_PART_LENGTH) return 'legacy';
  if (tail !== RANDOM_PART_LENGTH + CHECKSUM_LENGTH) return 'malformed';
  // A plain comparison: the checksum is computable by anyone, so its timing tells nothing secret.
  return checksumOf(secret.slice(0, -CHECKSUM_LENGTH)) === secret.slice(-CHECKSUM_LENGTH)
    ? 'checked'
    : 'malformed';
}
