// `corsplane login`: signs in with email and password once, creates an admin API token for this
// machine and stores it (0600) so the other commands need no secret in their arguments.
import os from 'node:os';
import readline from 'node:readline';
import { ApiClient } from '../api-client.js';
import { credentialsPath, normaliseUrl, saveCredentials } from '../config.js';
import { CliError } from '../errors.js';
import { say } from './output.js';

export interface LoginOptions {
  url?: string;
  email?: string;
  tokenName?: string;
}

async function ask(question: string, hidden: boolean): Promise<string> {
  if (!process.stdin.isTTY)
    throw new CliError(
      `${question.replace(/: $/, '')} is required: pass it as a flag or in the environment`,
    );
  const rl = readline.createInterface({
    input: process.stdin,
    output: process.stderr,
    terminal: true,
  });
  if (hidden) {
    // Echo nothing while the password is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.startsWith(question)) process.stderr.write(question);
    };
  }
  const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
  rl.close();
  if (hidden) process.stderr.write('\n');
  return answer;
}

export async function login(options: LoginOptions): Promise<void> {
  const rawUrl = options.url ?? process.env.CORSPLANE_URL;
  if (!rawUrl) throw new CliError('No server: pass --url or set CORSPLANE_URL');
  const url = normaliseUrl(rawUrl);
  const email = options.email ?? process.env.CORSPLANE_EMAIL ?? (await ask('Email: ', false));
  const password = process.env.CORSPLANE_PASSWORD ?? (await ask('Password: ', true));
  const anonymous = new ApiClient(url, null);
  const session = await fetch(`${url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  }).catch((error: Error) => {
    throw new CliError(
      `Cannot reach ${url}: ${(error.cause as Error | undefined)?.message ?? error.message}`,
    );
  });
  if (!session.ok) {
    const body = (await session.json().catch(() => ({}))) as { message?: string };
    throw new CliError(
      `Sign-in refused (${session.status}): ${body.message ?? 'check the email and password'}`,
    );
  }
  await session.body?.cancel();
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  // A cookie-authenticated write must come from the console's own origin (SPEC §4): say so.
  const created = await anonymous.request<{ token: string; prefix: string }>(
    'POST',
    '/v1/auth/tokens',
    {
      body: { name: options.tokenName ?? `corsplane cli on ${os.hostname()}`.slice(0, 100) },
      headers: { cookie, origin: url },
    },
  );
  saveCredentials({ url, token: created.body.token });
  say(
    `Signed in to ${url} as ${email}; admin token ${created.body.prefix}… saved to ${credentialsPath()} (mode 0600)`,
  );
}
