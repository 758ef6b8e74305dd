// `corsplane apply <file>`: writes each changed policy with If-Match set to the version the file
// was exported at, so a change made on the server since then is never overwritten unseen.
import fs from 'node:fs';
import YAML from 'yaml';
import { ApiClient, ApiError, tenantPath, versionOfEtag } from '../api-client.js';
import { CliError, EXIT_DRIFT, EXIT_ERROR, EXIT_OK } from '../errors.js';
import { formatOf, readPolicyFile } from '../policy-file.js';
import { hasChanges } from '../policy-diff.js';
import { buildPlan, platformMissing, PLATFORM_ROUTE, type Plan } from '../plan.js';
import { planIsInvalid, printPlan } from './diff.js';
import { say, warn } from './output.js';

export interface ApplyOptions {
  dryRun?: boolean;
  note?: string;
}

function staleMessage(name: string, fileVersion: number | undefined, liveVersion: number): string {
  if (fileVersion === undefined)
    return `${name} has no version in the file: run corsplane export to start from the live policy`;
  return `${name} changed on the server since v${fileVersion} (now v${liveVersion}): run corsplane diff / export again`;
}

/** Every stale policy the plan would overwrite; apply writes nothing while there is one. */
function staleWrites(plan: Plan): string[] {
  const stale: string[] = [];
  for (const t of plan.tenants)
    if (hasChanges(t.diff) && t.fileVersion !== t.liveVersion)
      stale.push(staleMessage(t.slug, t.fileVersion, t.liveVersion));
  const p = plan.platform;
  if (p && hasChanges(p.diff) && p.fileVersion !== p.liveVersion)
    stale.push(staleMessage('the platform baseline', p.fileVersion, p.liveVersion));
  return stale;
}

/** A 400 from a server whose strict PUT body has no `note` field yet (nothing was written). */
function refusesNoteField(error: unknown): boolean {
  if (!(error instanceof ApiError) || error.status !== 400) return false;
  const details = Array.isArray(error.body.details)
    ? (error.body.details as Array<{ reason?: string; message?: string }>)
    : [];
  return details.some((d) => d.reason === 'unknown-field' && /\bnote\b/.test(d.message ?? ''));
}

/**
 * PUTs with If-Match. The change note goes in the body's `note` (SPEC §4.1); a server that does
 * not know that field yet refuses the whole PUT, writing nothing, so it is sent once more with
 * the note in the X-Change-Note header instead.
 */
async function put(
  client: ApiClient,
  name: string,
  route: string,
  body: Record<string, unknown>,
  fileVersion: number,
  note: string | undefined,
): Promise<number> {
  const ifMatch = { 'if-match': `"${fileVersion}"` };
  const write = (noteInBody: boolean) =>
    client.request<{ version?: number }>('PUT', route, {
      body: note !== undefined && noteInBody ? { ...body, note } : body,
      headers: note !== undefined && !noteInBody ? { ...ifMatch, 'x-change-note': note } : ifMatch,
    });
  try {
    const written = await write(true).catch((error: unknown) => {
      if (note !== undefined && refusesNoteField(error)) return write(false);
      throw error;
    });
    return versionOfEtag(written.etag) ?? Number(written.body.version);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 412 || error.status === 409))
      throw new CliError(
        `${name} changed on the server since v${fileVersion}: run corsplane diff / export again`,
        EXIT_DRIFT,
      );
    throw error;
  }
}

/** Records the new versions in the file (comments and layout kept), so the next apply starts from them. */
function recordVersions(file: string, versions: Map<string[], number>): void {
  const text = fs.readFileSync(file, 'utf8');
  if (formatOf(file) === 'json') {
    const data = JSON.parse(text) as Record<string, Record<string, Record<string, unknown>>>;
    for (const [at, version] of versions) {
      const target =
        at.length === 2 ? data[at[0]!]?.[at[1]!] : (data[at[0]!] as Record<string, unknown>);
      if (target) target.version = version;
    }
    fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
    return;
  }
  const doc = YAML.parseDocument(text);
  for (const [at, version] of versions) doc.setIn([...at, 'version'], version);
  fs.writeFileSync(file, doc.toString({ lineWidth: 0 }));
}

async function applyPlatform(
  client: ApiClient,
  platform: NonNullable<Plan['platform']>,
  note: string | undefined,
  versions: Map<string[], number>,
): Promise<void> {
  try {
    const body = { origins: platform.origins };
    const version = await put(
      client,
      'the platform baseline',
      PLATFORM_ROUTE,
      body,
      platform.fileVersion!,
      note,
    );
    say(`platform baseline: applied, v${platform.fileVersion} → v${version}`);
    versions.set(['platform'], version);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) throw platformMissing(client.url);
    throw error;
  }
}

export async function applyFile(
  client: ApiClient,
  file: string,
  options: ApplyOptions,
): Promise<number> {
  const plan = await buildPlan(client, readPolicyFile(file));
  printPlan(plan);
  if (planIsInvalid(plan)) {
    warn('Nothing applied: fix the invalid policies above.');
    return EXIT_ERROR;
  }
  const stale = staleWrites(plan);
  if (stale.length > 0) {
    for (const line of stale) warn(line);
    warn('Nothing applied.');
    return EXIT_DRIFT;
  }
  const tenants = plan.tenants.filter((t) => hasChanges(t.diff));
  const platform = plan.platform && hasChanges(plan.platform.diff) ? plan.platform : null;
  if (tenants.length === 0 && platform === null) {
    say('Nothing to apply: the server matches the file.');
    return EXIT_OK;
  }
  if (options.dryRun) {
    say(
      `Dry run: ${tenants.length} tenant(s)${platform ? ' and the platform baseline' : ''} would change; nothing written.`,
    );
    return EXIT_OK;
  }
  const versions = new Map<string[], number>();
  try {
    for (const t of tenants) {
      const version = await put(
        client,
        t.slug,
        tenantPath(t.slug, '/policy'),
        t.policy,
        t.fileVersion!,
        options.note,
      );
      say(`${t.slug}: applied, v${t.fileVersion} → v${version}`);
      versions.set(['tenants', t.slug], version);
    }
    if (platform) await applyPlatform(client, platform, options.note, versions);
  } finally {
    // Even when a later write fails, the file must know the versions already written.
    if (versions.size > 0) recordVersions(file, versions);
  }
  say(`Recorded the new versions in ${file}: commit it.`);
  return EXIT_OK;
}
