// The policy file: one YAML or JSON document holding many tenants' policies and, optionally, the
// platform baseline, each with the version it was exported at (what `apply` sends as If-Match).
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { CliError } from './errors.js';

/** A tenant policy as the API reads and writes it (SPEC §2); `version` is where it was exported. */
export type PolicyDocument = Record<string, unknown> & { version?: number };

/** The platform baseline (SPEC §2.2) with the version it was exported at. */
export interface BaselineDocument {
  origins: unknown[];
  version?: number;
}

export interface PolicyFile {
  tenants: Record<string, PolicyDocument>;
  platform?: BaselineDocument;
}

export type FileFormat = 'yaml' | 'json';

export function formatOf(file: string): FileFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.json') return 'json';
  throw new CliError(`${file}: use a .yaml, .yml or .json file`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Tenant policies start at version 1; the platform baseline is at 0 until its first save. */
function checkVersion(where: string, value: unknown, lowest = 1): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || (value as number) < lowest)
    throw new CliError(
      `${where}.version must be ${lowest === 1 ? 'a positive integer' : 'an integer ≥ 0'} (the version it was exported at)`,
    );
}

/** Checks the file's outline; the policies themselves are validated by the server's engine. */
export function parsePolicyFile(text: string, format: FileFormat, name: string): PolicyFile {
  let data: unknown;
  try {
    data = format === 'json' ? JSON.parse(text) : YAML.parse(text, { prettyErrors: true });
  } catch (error) {
    throw new CliError(`${name} is not valid ${format.toUpperCase()}: ${(error as Error).message}`);
  }
  if (!isRecord(data))
    throw new CliError(`${name}: expected an object with "tenants" and/or "platform"`);
  const unknownKeys = Object.keys(data).filter((key) => key !== 'tenants' && key !== 'platform');
  if (unknownKeys.length > 0)
    throw new CliError(
      `${name}: unknown top-level key(s) ${unknownKeys.join(', ')} (expected tenants, platform)`,
    );
  const tenants = data.tenants ?? {};
  if (!isRecord(tenants))
    throw new CliError(`${name}: "tenants" must map each tenant slug to its policy`);
  for (const [slug, policy] of Object.entries(tenants)) {
    if (!isRecord(policy)) throw new CliError(`${name}: tenants.${slug} must be a policy object`);
    checkVersion(`${name}: tenants.${slug}`, policy.version);
  }
  const result: PolicyFile = { tenants: tenants as Record<string, PolicyDocument> };
  if (data.platform !== undefined) {
    const platform = data.platform;
    if (!isRecord(platform) || !Array.isArray(platform.origins))
      throw new CliError(`${name}: "platform" must be { origins: [...] }`);
    checkVersion(`${name}: platform`, platform.version, 0);
    result.platform = platform as unknown as BaselineDocument;
  }
  if (Object.keys(result.tenants).length === 0 && result.platform === undefined)
    throw new CliError(`${name}: no tenants and no platform section: nothing to compare`);
  return result;
}

/** A file's text, or a one-line error naming it ("Cannot read x.yaml: ENOENT"). */
export function readTextFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

export function readPolicyFile(file: string): PolicyFile {
  const format = formatOf(file);
  return parsePolicyFile(readTextFile(file), format, file);
}

const YAML_HEADER =
  '# corsplane policy file: edit, review, then `corsplane diff` / `corsplane apply`.\n' +
  '# `version` is the version each policy was exported at; apply refuses if the server moved on.\n';

export function serialisePolicyFile(content: PolicyFile, format: FileFormat): string {
  if (format === 'json') return `${JSON.stringify(content, null, 2)}\n`;
  return YAML_HEADER + YAML.stringify(content, { lineWidth: 0 });
}
