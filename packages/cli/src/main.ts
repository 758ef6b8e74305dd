#!/usr/bin/env node
// corsplane CLI: keep CORS policies in git. Every command exits 0 when all is well, 1 on drift or
// when the server refuses a stale apply, 2 on bad input or any other error.
import { Command, CommanderError } from 'commander';
import { ApiClient } from './api-client.js';
import { checkNote } from './change-note.js';
import { resolveCredentials } from './config.js';
import { CliError, EXIT_ERROR } from './errors.js';
import { applyFile } from './commands/apply.js';
import { diffFile } from './commands/diff.js';
import { exportPolicies } from './commands/export.js';
import { importOrigins } from './commands/import.js';
import { login } from './commands/login.js';
import { warn } from './commands/output.js';

function client(command: Command): ApiClient {
  const { url, token } = resolveCredentials({
    url: command.optsWithGlobals<{ url?: string }>().url,
  });
  return new ApiClient(url, token);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const program = new Command()
  .name('corsplane')
  .description('Keep corsplane CORS policies in git: export, diff, apply, import.')
  .option('--url <url>', 'the corsplane server (default: $CORSPLANE_URL, then the one login saved)')
  .showHelpAfterError()
  .exitOverride();

program
  .command('login')
  .description(
    'sign in with email and password and save an admin token (0600) for the other commands',
  )
  .option(
    '--email <email>',
    'default: $CORSPLANE_EMAIL, else asked (the password: $CORSPLANE_PASSWORD, else asked)',
  )
  .option('--token-name <name>', 'the name of the admin token in the console')
  .action(async (options: { email?: string; tokenName?: string }, command: Command) => {
    await login({ ...options, ...command.optsWithGlobals<{ url?: string }>() });
  });

program
  .command('export')
  .description('write the live policies (and the platform baseline) with their versions')
  .option(
    '-t, --tenant <slug>',
    'only this tenant (repeatable); default: every tenant you can read',
    collect,
  )
  .option('-o, --output <file>', 'a .yaml, .yml or .json file; default: stdout')
  .option('--format <format>', 'yaml or json, for stdout (default yaml)')
  .option('--no-platform', 'leave the platform baseline out')
  .action(
    async (
      options: { tenant?: string[]; output?: string; format?: string; platform?: boolean },
      command: Command,
    ) => {
      await exportPolicies(client(command), options);
    },
  );

program
  .command('diff')
  .argument('<file>', 'a policy file (.yaml, .yml or .json)')
  .description('show what differs from the server; exit 0 no drift, 1 drift, 2 error')
  .action(async (file: string, _options: object, command: Command) => {
    process.exitCode = await diffFile(client(command), file);
  });

program
  .command('apply')
  .argument('<file>', 'a policy file (.yaml, .yml or .json)')
  .description('write each changed policy (If-Match: the version in the file); refuses stale files')
  .option('--dry-run', 'validate and print the plan; write nothing')
  .option('--note <text>', 'change note shown in the policy history and audit log')
  .action(async (file: string, options: { dryRun?: boolean; note?: string }, command: Command) => {
    const note = checkNote(options.note);
    process.exitCode = await applyFile(client(command), file, {
      dryRun: options.dryRun ?? false,
      ...(note ? { note } : {}),
    });
  });

program
  .command('import')
  .argument('<tenant>', 'the tenant slug')
  .argument('<file>', 'CSV (pattern,note,expiresAt), JSON array of entries, or one pattern a line')
  .description("add many origins to a tenant's live policy, all or nothing")
  .option('--dry-run', 'check every line; save nothing')
  .option('--note <text>', 'change note shown in the policy history and audit log')
  .action(
    async (
      tenant: string,
      file: string,
      options: { dryRun?: boolean; note?: string },
      command: Command,
    ) => {
      const note = checkNote(options.note);
      process.exitCode = await importOrigins(client(command), tenant, file, {
        dryRun: options.dryRun ?? false,
        ...(note ? { note } : {}),
      });
    },
  );

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version are not errors; usage mistakes are (commander printed the message).
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_ERROR;
  } else if (error instanceof CliError) {
    warn(`corsplane: ${error.message}`);
    process.exitCode = error.exitCode;
  } else {
    warn(`corsplane: unexpected error: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = EXIT_ERROR;
  }
}
