import { childFor, createLabelNode, findChild, hashLabel } from './label-trie.js';

/** Two different labels with the same 30-bit hash, found by a birthday search. */
function collidingLabels(sameLength: boolean): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    const label =
      sameLength || i % 2 === 0
        ? `l${i.toString(36).padStart(6, '0')}`
        : `m${i.toString(36).padStart(7, '0')}`;
    if (!sameLength && seen.get(hashLabel(label, 0, label.length))?.length === label.length)
      continue;
    const hash = hashLabel(label, 0, label.length);
    const other = seen.get(hash);
    if (other !== undefined) return [other, label];
    seen.set(hash, label);
  }
}

describe('label trie', () => {
  it('hashes a range of a string like the label on its own', () => {
    expect(hashLabel('https://app.acme.com', 8, 11)).toBe(hashLabel('app', 0, 3));
  });

  it('finds children by the characters of a range, without slicing', () => {
    const root = createLabelNode('');
    const acme = childFor(childFor(root, 'com'), 'acme');
    expect(childFor(childFor(root, 'com'), 'acme')).toBe(acme);
    const host = 'x.acme.com';
    const com = findChild(root, host, 7, 10);
    expect(com && findChild(com, host, 2, 6)).toBe(acme);
    expect(findChild(root, host, 0, 1)).toBeUndefined();
    expect(findChild(root, 'co', 0, 2)).toBeUndefined();
  });

  it('keeps labels whose hashes collide apart', () => {
    const [first, second] = collidingLabels(true);
    const root = createLabelNode('');
    const a = childFor(root, first);
    const b = childFor(root, second);
    expect(a).not.toBe(b);
    expect(childFor(root, first)).toBe(a);
    expect(childFor(root, second)).toBe(b);
    expect(findChild(root, `${first}.`, 0, first.length)).toBe(a);
    expect(findChild(root, `.${second}`, 1, second.length + 1)).toBe(b);
    // Same hash, same length, other characters: not the same label.
    const lonely = createLabelNode('');
    childFor(lonely, first);
    expect(second).toHaveLength(first.length);
    expect(findChild(lonely, second, 0, second.length)).toBeUndefined();
    // Same hash, other length.
    const [short, long] = collidingLabels(false);
    const mixed = createLabelNode('');
    childFor(mixed, short);
    expect(long.length).not.toBe(short.length);
    expect(findChild(mixed, long, 0, long.length)).toBeUndefined();
  });
});
