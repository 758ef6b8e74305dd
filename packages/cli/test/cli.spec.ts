// The CLI run as a process against the real API on embedded PostgreSQL: the policy-as-code round
// trip (export → edit → diff → apply → diff), stale applies, bad files, login, YAML and JSON.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  runCli,
  startApi,
  type CliResult,
  type RunningApi,
} from './support/corsplane-api.js';

const basePolicy = {
  mode: 'enforce',
  origins: [
    { pattern: 'https://app.acme.test', note: 'prod' },
    { pattern: 'https://old.acme.test' },
  ],
  allowedMethods: ['GET', 'POST'],
  allowedHeaders: ['content-type'],
  exposedHeaders: [],
  allowCredentials: false,
  maxAgeSeconds: 600,
  allowPrivateNetwork: false,
};

let api: RunningApi;
let token: string;
let work: string;
let tenantCount = 0;

beforeAll(async () => {
  api = await startApi();
  token = (await api.call<{ token: string }>('POST', '/v1/auth/tokens', { name: 'cli under test' }))
    .body.token;
});

afterAll(async () => {
  await api?.dispose();
});

beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'corsplane-cli-work-'));
});

afterEach(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** Runs the CLI with the suite's token and a private HOME and config folder. */
function cli(...args: string[]): Promise<CliResult> {
  return runCli(
    args,
    {
      HOME: work,
      XDG_CONFIG_HOME: path.join(work, 'config'),
      CORSPLANE_URL: api.url,
      CORSPLANE_TOKEN: token,
    },
    work,
  );
}

async function newTenant(policy: object = basePolicy): Promise<string> {
  tenantCount += 1;
  const slug = `cli-${tenantCount}`;
  await api.createTenant(slug, policy);
  return slug;
}

interface LivePolicy extends Record<string, unknown> {
  version: number;
  origins: Array<{ pattern: string }>;
}

async function livePolicy(slug: string): Promise<{ body: LivePolicy; etag: string | null }> {
  return api.call<LivePolicy>('GET', `/v1/tenants/${slug}/policy`);
}

function editYaml(file: string, edit: (doc: YAML.Document) => void): void {
  const doc = YAML.parseDocument(fs.readFileSync(path.join(work, file), 'utf8'));
  edit(doc);
  fs.writeFileSync(path.join(work, file), doc.toString());
}

describe('corsplane CLI against a real API', () => {
  it('export → edit the YAML → diff shows the drift (exit 1) → apply → diff exits 0', async () => {
    const slug = await newTenant();
    const exported = await cli('export', '--tenant', slug, '-o', 'cors.yaml');
    expect(exported.code).toBe(0);
    const file = YAML.parse(fs.readFileSync(path.join(work, 'cors.yaml'), 'utf8'));
    expect(file.tenants[slug].version).toBe(2);
    expect(file.tenants[slug].origins).toHaveLength(2);

    expect((await cli('diff', 'cors.yaml')).code).toBe(0);

    editYaml('cors.yaml', (doc) => {
      const origins = doc.getIn(['tenants', slug, 'origins']) as YAML.YAMLSeq;
      origins.delete(1); // https://old.acme.test
      origins.add(doc.createNode({ pattern: 'https://New.acme.test:443', note: 'launch' }));
      doc.setIn(['tenants', slug, 'origins', 0, 'note'], 'production');
      doc.setIn(['tenants', slug, 'allowCredentials'], true);
    });
    const drift = await cli('diff', 'cors.yaml');
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain(`${slug}: 1 added, 1 removed, 1 changed, 1 field(s) (v2)`);
    // The server's engine normalised the file's entry before comparing.
    expect(drift.stdout).toContain('+ https://new.acme.test  (note "launch")');
    expect(drift.stdout).toContain('- https://old.acme.test');
    expect(drift.stdout).toContain('~ https://app.acme.test: note "prod" → "production"');
    expect(drift.stdout).toContain('~ allowCredentials: false → true');

    const applied = await cli('apply', 'cors.yaml', '--note', 'launch new.acme.test');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`${slug}: applied, v2 → v3`);
    const live = await livePolicy(slug);
    expect(live.body.version).toBe(3);
    expect(live.body.allowCredentials).toBe(true);
    expect(live.body.origins.map((o) => o.pattern).sort()).toEqual([
      'https://app.acme.test',
      'https://new.acme.test',
    ]);
    // apply recorded the new version in the file, so the next edit starts from it.
    expect(
      YAML.parse(fs.readFileSync(path.join(work, 'cors.yaml'), 'utf8')).tenants[slug].version,
    ).toBe(3);
    const clean = await cli('diff', 'cors.yaml');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain(`${slug}: no drift (v3)`);
  });

  it('refuses a stale apply with a clear message and writes nothing, for any tenant in the file', async () => {
    const fresh = await newTenant();
    const moved = await newTenant();
    expect(
      (await cli('export', '--tenant', fresh, '--tenant', moved, '-o', 'cors.yaml')).code,
    ).toBe(0);
    // Someone changes one tenant in the console after the export.
    await api.setPolicy(moved, { ...basePolicy, maxAgeSeconds: 60 });
    editYaml('cors.yaml', (doc) => {
      doc.setIn(['tenants', fresh, 'maxAgeSeconds'], 120);
      doc.setIn(['tenants', moved, 'maxAgeSeconds'], 300);
    });
    const stale = await cli('apply', 'cors.yaml');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(
      `${moved} changed on the server since v2 (now v3): run corsplane diff / export again`,
    );
    expect(stale.stderr).toContain('Nothing applied.');
    expect((await livePolicy(fresh)).body).toMatchObject({ version: 2, maxAgeSeconds: 600 });
    expect((await livePolicy(moved)).body).toMatchObject({ version: 3, maxAgeSeconds: 60 });
  });

  it('works the same with a JSON file, and --dry-run writes nothing', async () => {
    const slug = await newTenant();
    expect((await cli('export', '--tenant', slug, '-o', 'cors.json')).code).toBe(0);
    const file = JSON.parse(fs.readFileSync(path.join(work, 'cors.json'), 'utf8'));
    file.tenants[slug].allowedMethods = ['GET', 'POST', 'DELETE'];
    fs.writeFileSync(path.join(work, 'cors.json'), JSON.stringify(file));

    const diff = await cli('diff', 'cors.json');
    expect(diff.code).toBe(1);
    expect(diff.stdout).toContain('~ allowedMethods: ["GET","POST"] → ["GET","POST","DELETE"]');

    const dry = await cli('apply', 'cors.json', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run: 1 tenant(s) would change; nothing written.');
    expect((await livePolicy(slug)).body.version).toBe(2);

    expect((await cli('apply', 'cors.json')).code).toBe(0);
    expect((await livePolicy(slug)).body).toMatchObject({
      version: 3,
      allowedMethods: ['GET', 'POST', 'DELETE'],
    });
    expect(
      JSON.parse(fs.readFileSync(path.join(work, 'cors.json'), 'utf8')).tenants[slug].version,
    ).toBe(3);
    expect((await cli('diff', 'cors.json')).code).toBe(0);
  });

  it('exports every tenant the token can read when none is named', async () => {
    const first = await newTenant();
    const second = await newTenant();
    const out = await cli('export', '--format', 'json');
    expect(out.code).toBe(0);
    const tenants = JSON.parse(out.stdout).tenants;
    expect(Object.keys(tenants)).toEqual(expect.arrayContaining([first, second]));
  });

  it('answers a bad file with a clear error and exit code 2, writing nothing', async () => {
    const slug = await newTenant();
    fs.writeFileSync(path.join(work, 'broken.yaml'), 'tenants:\n  acme: [unclosed\n');
    const broken = await cli('diff', 'broken.yaml');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('broken.yaml is not valid YAML');

    fs.writeFileSync(path.join(work, 'shape.yaml'), 'tenant:\n  acme: {}\n');
    const shape = await cli('apply', 'shape.yaml');
    expect(shape.code).toBe(2);
    expect(shape.stderr).toContain('unknown top-level key(s) tenant (expected tenants, platform)');

    const invalid = {
      tenants: { [slug]: { ...basePolicy, origins: [{ pattern: 'https://*.com' }], version: 2 } },
    };
    fs.writeFileSync(path.join(work, 'invalid.json'), JSON.stringify(invalid));
    const refused = await cli('apply', 'invalid.json');
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain(`${slug}: INVALID`);
    expect(refused.stdout).toContain('! origins[0].pattern');
    expect((await livePolicy(slug)).body.version).toBe(2);

    const unknownTenant = { tenants: { 'no-such-tenant': { ...basePolicy, version: 1 } } };
    fs.writeFileSync(path.join(work, 'unknown.json'), JSON.stringify(unknownTenant));
    const missing = await cli('diff', 'unknown.json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Tenant "no-such-tenant" does not exist');

    const wrongToken = await runCli(
      ['diff', 'invalid.json'],
      { HOME: work, CORSPLANE_URL: api.url, CORSPLANE_TOKEN: 'nope' },
      work,
    );
    expect(wrongToken.code).toBe(2);
    expect(wrongToken.stderr).toContain('refused the admin token (401)');
  });

  it('login stores an admin token readable by its owner only, which the other commands then use', async () => {
    const slug = await newTenant();
    const config = path.join(work, 'xdg');
    const env = { HOME: work, XDG_CONFIG_HOME: config, CORSPLANE_PASSWORD: ADMIN_PASSWORD };
    const login = await runCli(['login', '--url', api.url, '--email', ADMIN_EMAIL], env, work);
    expect(login.code).toBe(0);
    const file = path.join(config, 'corsplane', 'credentials.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({
      url: api.url,
      token: expect.any(String),
    });

    const exported = await runCli(
      ['export', '--tenant', slug],
      { HOME: work, XDG_CONFIG_HOME: config },
      work,
    );
    expect(exported.code).toBe(0);
    expect(YAML.parse(exported.stdout).tenants[slug].version).toBe(2);

    const refused = await runCli(
      ['login', '--url', api.url, '--email', ADMIN_EMAIL],
      { ...env, CORSPLANE_PASSWORD: 'wrong-password' },
      work,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Sign-in refused (401)');
  });

  // Bulk import and the platform baseline arrive with SPEC §4.1 and §2.2 on the server: a server
  // without them must get a clear answer, one with them the real flow.
  it('imports a CSV all or nothing, or says the server has no bulk import', async () => {
    const slug = await newTenant();
    fs.writeFileSync(
      path.join(work, 'bad.csv'),
      'https://csv.acme.test,from csv,\nhttps://*.com,,\n',
    );
    const bad = await cli('import', slug, 'bad.csv');
    expect(bad.code).toBe(2);
    expect((await livePolicy(slug)).body.version).toBe(2);
    if (bad.stderr.includes('has no bulk import')) {
      expect(bad.stderr).toContain(
        'POST …/policy/origins/import answered 404): upgrade the server',
      );
      return;
    }
    expect(bad.stderr).toMatch(/bad\.csv:\d+: .*\*\.com/);
    expect(bad.stderr).toContain('Nothing imported: 1 line(s) refused.');

    fs.writeFileSync(path.join(work, 'good.csv'), 'https://csv.acme.test,from csv,\n');
    const dry = await cli('import', slug, 'good.csv', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`${slug}: 1 added, 0 unchanged (dry run, nothing saved)`);
    expect((await livePolicy(slug)).body.version).toBe(2);
    expect((await cli('import', slug, 'good.csv', '--note', 'csv import')).code).toBe(0);
    const live = await livePolicy(slug);
    expect(live.body.version).toBe(3);
    expect(live.body.origins.map((o) => o.pattern)).toContain('https://csv.acme.test');
  });

  it('names a missing tenant on import', async () => {
    fs.writeFileSync(path.join(work, 'one.csv'), 'https://x.acme.test\n');
    const missing = await cli('import', 'no-such-tenant', 'one.csv');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Tenant "no-such-tenant" does not exist');
  });

  it('round-trips the platform baseline, or says the server has none', async () => {
    const slug = await newTenant();
    const exported = await cli('export', '--tenant', slug, '-o', 'all.yaml');
    expect(exported.code).toBe(0);
    if (YAML.parse(fs.readFileSync(path.join(work, 'all.yaml'), 'utf8')).platform === undefined) {
      expect(exported.stderr).toContain(
        'platform baseline not exported (GET /v1/platform/policy answered 404)',
      );
      editYaml('all.yaml', (doc) => {
        doc.set(
          'platform',
          doc.createNode({ origins: [{ pattern: 'https://{tenant}.app.test' }], version: 1 }),
        );
      });
      const diff = await cli('diff', 'all.yaml');
      expect(diff.code).toBe(2);
      expect(diff.stderr).toContain(
        'has no platform baseline API (GET /v1/platform/policy answered 404)',
      );
      return;
    }
    editYaml('all.yaml', (doc) => {
      (doc.getIn(['platform', 'origins']) as YAML.YAMLSeq).add(
        doc.createNode({ pattern: 'https://{tenant}.baseline.test' }),
      );
    });
    const drift = await cli('diff', 'all.yaml');
    expect({ code: drift.code, stderr: drift.stderr }).toEqual({ code: 1, stderr: '' });
    expect(drift.stdout).toContain('+ https://{tenant}.baseline.test');
    const applied = await cli('apply', 'all.yaml');
    expect({ code: applied.code, stderr: applied.stderr }).toEqual({ code: 0, stderr: '' });
    expect((await cli('diff', 'all.yaml')).code).toBe(0);
  });
});
