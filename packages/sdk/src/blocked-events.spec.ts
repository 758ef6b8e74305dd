// BlockedEventBatcher alone: batches that fit the service's limits, and what a failed send keeps.
import { BlockedEventBatcher, type BlockedEventsBody } from './blocked-events.js';

function batcher(send: (body: BlockedEventsBody) => Promise<void>, retryable?: () => boolean) {
  return new BlockedEventBatcher({
    send,
    intervalMs: 60_000,
    maxKeys: 20_000,
    tenant: 'acme',
    onError: () => {},
    ...(retryable ? { retryable } : {}),
  });
}

describe('BlockedEventBatcher', () => {
  it('splits a large flush into batches the service accepts (≤ 10,000 events, well under 1 MiB)', async () => {
    const sent: BlockedEventsBody[] = [];
    const b = batcher(async (body) => void sent.push(body));
    for (let i = 0; i < 15_000; i++)
      b.record(`https://${'x'.repeat(80)}-${i}.example`, 'origin-not-allowed');
    b.record('https://again.example', 'expired');
    b.record('https://again.example', 'expired');
    await b.close();
    expect(sent.length).toBeGreaterThan(1);
    for (const body of sent) {
      expect(body.events.length).toBeLessThanOrEqual(10_000);
      expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(1024 * 1024);
      expect(body.tenant).toBe('acme');
    }
    expect(sent.reduce((n, body) => n + body.events.reduce((c, e) => c + e.count, 0), 0)).toBe(
      15_002,
    );
  });

  it('shortens an origin over 2,048 characters (the service refuses longer ones)', async () => {
    const sent: BlockedEventsBody[] = [];
    const b = batcher(async (body) => void sent.push(body));
    b.record('h'.repeat(5000), 'malformed-origin');
    await b.close();
    expect(sent[0]?.events[0]?.origin).toHaveLength(2048);
  });

  it('keeps the counts of a failed send for the next flush, unless the failure is final', async () => {
    let fail = true;
    const sent: BlockedEventsBody[] = [];
    const b = batcher(async (body) => {
      if (fail) throw new Error('down');
      sent.push(body);
    });
    b.record('https://a.example', 'origin-not-allowed');
    await b.flush();
    fail = false;
    b.record('https://a.example', 'origin-not-allowed');
    await b.close();
    expect(sent[0]?.events[0]?.count).toBe(2);

    const dropped: BlockedEventsBody[] = [];
    let first = true;
    const final = batcher(
      async (body) => {
        if (first) {
          first = false;
          throw new Error('refused');
        }
        dropped.push(body);
      },
      () => false,
    );
    final.record('https://b.example', 'origin-not-allowed');
    await final.flush();
    await final.close();
    expect(dropped).toEqual([]);
  });

  it('sends the refused names of the latest refusal; an older service (400) gets the batch again without them', async () => {
    const sent: BlockedEventsBody[] = [];
    const b = batcher(async (body) => void sent.push(body));
    b.record('https://a.example', 'header-not-allowed', 'x-a');
    b.record('https://a.example', 'header-not-allowed', 'x-b, x-c');
    b.record('https://b.example', 'origin-not-allowed');
    await b.close();
    expect(sent[0]?.events).toEqual([
      expect.objectContaining({ origin: 'https://a.example', refusedName: 'x-b, x-c', count: 2 }),
      expect.not.objectContaining({ refusedName: expect.anything() }),
    ]);

    const accepted: BlockedEventsBody[] = [];
    let posts = 0;
    const old = new BlockedEventBatcher({
      send: async (body) => {
        posts++;
        if (body.events.some((e) => 'refusedName' in e)) throw new Error('400');
        accepted.push(body);
      },
      intervalMs: 60_000,
      maxKeys: 100,
      tenant: undefined,
      onError: () => {},
      refusesBody: (e) => (e as Error).message === '400',
    });
    old.record('https://a.example', 'method-not-allowed', 'PATCH');
    await old.flush();
    old.record('https://a.example', 'method-not-allowed', 'PATCH');
    await old.close();
    expect(posts).toBe(3);
    expect(accepted.map((body) => body.events[0]?.count)).toEqual([1, 1]);
  });
});
