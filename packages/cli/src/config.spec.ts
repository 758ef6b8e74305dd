import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkNote } from './change-note.js';
import { credentialsPath, normaliseUrl, resolveCredentials, saveCredentials } from './config.js';

describe('credentials', () => {
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'corsplane-config-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('live under XDG_CONFIG_HOME when set, else ~/.config', () => {
    expect(credentialsPath({ HOME: home, XDG_CONFIG_HOME: '/x' })).toBe(
      '/x/corsplane/credentials.json',
    );
    expect(credentialsPath({ HOME: home })).toBe(
      path.join(home, '.config/corsplane/credentials.json'),
    );
  });

  it('are written 0600, even over a file that was readable by others', () => {
    const file = credentialsPath({ HOME: home });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{}', { mode: 0o644 });
    saveCredentials({ url: 'http://a.test', token: 't' }, file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('come from flag, then environment, then the saved file', () => {
    const env = { HOME: home };
    saveCredentials({ url: 'http://saved.test', token: 'saved' }, credentialsPath(env));
    expect(resolveCredentials({}, env)).toEqual({ url: 'http://saved.test', token: 'saved' });
    expect(
      resolveCredentials({}, { ...env, CORSPLANE_URL: 'http://env.test/', CORSPLANE_TOKEN: 'e' }),
    ).toEqual({
      url: 'http://env.test',
      token: 'e',
    });
    expect(resolveCredentials({ url: 'https://flag.test' }, env).url).toBe('https://flag.test');
  });

  it('say what is missing', () => {
    expect(() => resolveCredentials({}, { HOME: home })).toThrow('No server');
    expect(() => resolveCredentials({ url: 'http://a.test' }, { HOME: home })).toThrow(
      'No admin token',
    );
    expect(() => normaliseUrl('ftp://a.test')).toThrow('--url must be an http(s) URL');
  });
});

describe('change notes', () => {
  it('travel in a header, so only bounded printable ASCII is accepted', () => {
    expect(checkNote('release 42: add app.acme.test')).toBe('release 42: add app.acme.test');
    expect(() => checkNote('two\nlines')).toThrow('printable ASCII');
    expect(() => checkNote('café')).toThrow('printable ASCII');
    expect(() => checkNote('x'.repeat(501))).toThrow('limited to 500');
  });
});
