import fc from 'fast-check';
import type { CanonicalPolicy } from './policy-document.js';
import {
  BrokenVersionChain,
  rebuildVersion,
  replayChain,
  type ChainRow,
} from './policy-version-chain.js';

const entry = (host: string, note: string | null = null) => ({
  pattern: `https://${host}.example`,
  note,
  expiresAt: null,
});

const snapshot = (origins: CanonicalPolicy['origins'], over: Partial<CanonicalPolicy> = {}) =>
  ({
    mode: 'enforce',
    origins,
    allowedMethods: ['GET'],
    allowedHeaders: [],
    exposedHeaders: [],
    allowCredentials: false,
    maxAgeSeconds: null,
    allowPrivateNetwork: false,
    ...over,
  }) satisfies CanonicalPolicy;

const hosts = (doc: CanonicalPolicy) => doc.origins.map((o) => o.pattern.slice(8, -8));

describe('rebuildVersion', () => {
  it('returns a snapshot as stored', () => {
    const doc = snapshot([entry('a'), entry('b')], { routes: [{ path: '/x' }] });
    expect(rebuildVersion([{ version: 4, document: doc, delta: null }])).toEqual(doc);
  });

  it('appends adds at the end, keeps a changed entry in place and drops a removed one', () => {
    const rows: ChainRow[] = [
      { version: 1, document: snapshot([entry('a'), entry('b'), entry('c')]), delta: null },
      { version: 2, document: null, delta: { added: [entry('d')] } },
      { version: 3, document: null, delta: { changed: [entry('b', 'edited')] } },
      { version: 4, document: null, delta: { removed: ['https://a.example'] } },
      { version: 5, document: null, delta: { added: [entry('a', 'back')] } },
    ];
    const doc = rebuildVersion(rows);
    expect(hosts(doc)).toEqual(['b', 'c', 'd', 'a']);
    expect(doc.origins[0]).toEqual(entry('b', 'edited'));
    expect(doc.origins[3]).toEqual(entry('a', 'back'));
    expect(doc.allowedMethods).toEqual(['GET']);
  });

  it('keeps the settings of the snapshot the chain starts from', () => {
    const rows: ChainRow[] = [
      {
        version: 7,
        document: snapshot([], { mode: 'report-only', maxAgeSeconds: 60 }),
        delta: null,
      },
      { version: 8, document: null, delta: { added: [entry('a')] } },
    ];
    expect(rebuildVersion(rows)).toMatchObject({ mode: 'report-only', maxAgeSeconds: 60 });
  });

  it('restarts from a snapshot inside the range', () => {
    const rows: ChainRow[] = [
      { version: 1, document: snapshot([entry('a')]), delta: null },
      { version: 2, document: null, delta: { added: [entry('b')] } },
      { version: 3, document: snapshot([entry('z')], { allowCredentials: true }), delta: null },
      { version: 4, document: null, delta: { added: [entry('y')] } },
    ];
    const doc = rebuildVersion(rows);
    expect(hosts(doc)).toEqual(['z', 'y']);
    expect(doc.allowCredentials).toBe(true);
  });

  it('does not alter the stored rows (later versions do not leak into earlier ones)', () => {
    const first = snapshot([entry('a')]);
    const rows: ChainRow[] = [
      { version: 1, document: first, delta: null },
      { version: 2, document: null, delta: { removed: ['https://a.example'] } },
    ];
    rebuildVersion(rows);
    expect(first.origins).toEqual([entry('a')]);
  });

  it('refuses a chain that does not start with a snapshot, skips a version or contradicts itself', () => {
    expect(() => rebuildVersion([])).toThrow(BrokenVersionChain);
    expect(() =>
      rebuildVersion([{ version: 2, document: null, delta: { added: [entry('a')] } }]),
    ).toThrow(/no snapshot/);
    expect(() =>
      rebuildVersion([
        { version: 1, document: snapshot([]), delta: null },
        { version: 3, document: null, delta: { added: [entry('a')] } },
      ]),
    ).toThrow(/version 2 is missing/);
    const base = { version: 1, document: snapshot([entry('a')]), delta: null };
    for (const delta of [
      { added: [entry('a')] },
      { changed: [entry('b')] },
      { removed: ['https://b.example'] },
    ])
      expect(() => rebuildVersion([base, { version: 2, document: null, delta }])).toThrow(
        BrokenVersionChain,
      );
  });
});

describe('replayChain', () => {
  it('emits every wanted version of one replay, each as it was', () => {
    const rows: ChainRow[] = [
      { version: 10, document: snapshot([entry('a')]), delta: null },
      ...Array.from({ length: 5 }, (_, i) => ({
        version: 11 + i,
        document: null,
        delta: { added: [entry(`n${i}`)] },
      })),
    ];
    const seen: Array<[number, string[]]> = [];
    replayChain(rows, (v, doc) => seen.push([v, hosts(doc)]), new Set([15, 12, 10]));
    expect(seen).toEqual([
      [10, ['a']],
      [12, ['a', 'n0', 'n1']],
      [15, ['a', 'n0', 'n1', 'n2', 'n3', 'n4']],
    ]);
  });

  it('replays 1,000 deltas over a 100,000-origin snapshot in one pass', () => {
    const base = snapshot(Array.from({ length: 100_000 }, (_, i) => entry(`o${i}`)));
    const rows: ChainRow[] = [
      { version: 1, document: base, delta: null },
      ...Array.from({ length: 999 }, (_, i) => ({
        version: 2 + i,
        document: null,
        delta: i % 2 === 0 ? { added: [entry(`new${i}`)] } : { removed: [`https://o${i}.example`] },
      })),
    ];
    const doc = rebuildVersion(rows);
    expect(doc.origins).toHaveLength(100_000 + 500 - 499);
    expect(doc.origins.at(-1)).toEqual(entry('new998'));
    expect(doc.origins[0]).toEqual(entry('o0'));
    expect(doc.origins.some((o) => o.pattern === 'https://o1.example')).toBe(false);
  });
});

describe('replayChain against a model', () => {
  // Writes as the live entries take them (adds append, patches stay, deletes leave), some versions stored as
  // snapshots: every replayed version equals the model's list at that version.
  const op = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), host: fc.integer({ min: 0, max: 30 }) }),
    fc.record({ kind: fc.constant('change' as const), at: fc.nat(), note: fc.string() }),
    fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('snapshot' as const) }),
  );

  it('rebuilds every version as the model had it', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        let model = [entry('seed')] as CanonicalPolicy['origins'];
        const expected = new Map<number, CanonicalPolicy['origins']>([[1, model]]);
        const rows: ChainRow[] = [{ version: 1, document: snapshot(model), delta: null }];
        for (const o of ops) {
          let delta: ChainRow['delta'] = null;
          if (o.kind === 'add') {
            const e = entry(`h${o.host}`);
            if (model.some((m) => m.pattern === e.pattern)) continue;
            model = [...model, e];
            delta = { added: [e] };
          } else if (o.kind === 'change' || o.kind === 'remove') {
            const target = model[o.at % Math.max(model.length, 1)];
            if (!target) continue;
            if (o.kind === 'change') {
              const e = { ...entry('x'), pattern: target.pattern, note: o.note };
              model = model.map((m) => (m.pattern === e.pattern ? e : m));
              delta = { changed: [e] };
            } else {
              model = model.filter((m) => m.pattern !== target.pattern);
              delta = { removed: [target.pattern] };
            }
          }
          const version = rows.length + 1;
          rows.push(
            delta
              ? { version, document: null, delta }
              : { version, document: snapshot(model), delta: null },
          );
          expected.set(version, model);
        }
        const seen = new Map<number, CanonicalPolicy['origins']>();
        replayChain(rows, (v, doc) => seen.set(v, doc.origins));
        expect(seen).toEqual(expected);
      }),
    );
  });
});
