// Where the CLI finds its server and admin token: flags, then environment, then the file `login` wrote.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError } from './errors.js';

export interface Credentials {
  url: string;
  token: string;
}

/** `$XDG_CONFIG_HOME/corsplane/credentials.json`, or `~/.config/corsplane/credentials.json`. */
export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  const configHome = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(configHome, 'corsplane', 'credentials.json');
}

/** Writes the credentials readable by their owner only (0600, in a 0700 folder): the token is an admin's. */
export function saveCredentials(credentials: Credentials, file = credentialsPath()): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  // writeFileSync keeps the mode of a file that already exists: tighten it in that case too.
  fs.chmodSync(file, 0o600);
}

function loadCredentials(file: string): Partial<Credentials> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = JSON.parse(text) as Partial<Credentials>;
    return {
      ...(typeof parsed.url === 'string' ? { url: parsed.url } : {}),
      ...(typeof parsed.token === 'string' ? { token: parsed.token } : {}),
    };
  } catch {
    throw new CliError(`${file} is not valid JSON: run corsplane login again`);
  }
}

/** The server URL without a trailing slash; refuses anything but http(s). */
export function normaliseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`--url must be an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CliError(`--url must be an http(s) URL, got "${raw}"`);
  return url.href.replace(/\/+$/, '');
}

/** Flag beats environment beats the credentials file, for the URL and the token alike. */
export function resolveCredentials(
  flags: { url?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): Credentials {
  const file = credentialsPath(env);
  const saved = loadCredentials(file);
  const url = flags.url ?? env.CORSPLANE_URL ?? saved.url;
  if (!url) throw new CliError('No server: pass --url, set CORSPLANE_URL or run corsplane login');
  const token = env.CORSPLANE_TOKEN || saved.token;
  if (!token) throw new CliError('No admin token: set CORSPLANE_TOKEN or run corsplane login');
  return { url: normaliseUrl(url), token };
}
