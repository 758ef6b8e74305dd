// BlockedEventBatcher's shadow differences (SPEC §3): sent with the refusal batches, within the service's
// limits, bounded by maxKeys with exact totals, and kept when a send fails.
import { blockedEventsBatchSchema } from '@corsplane/contracts';
import {
  BlockedEventBatcher,
  SHADOW_OVERFLOW_ORIGIN,
  type BlockedEventsBody,
} from './blocked-events.js';

function batcher(send: (body: BlockedEventsBody) => Promise<void>, maxKeys = 20_000) {
  return new BlockedEventBatcher({
    send,
    intervalMs: 60_000,
    maxKeys,
    tenant: undefined,
    onError: () => {},
  });
}

const shadowTotal = (sent: BlockedEventsBody[]) =>
  sent.reduce((n, b) => n + (b.shadow ?? []).reduce((c, e) => c + e.count, 0), 0);

describe('BlockedEventBatcher shadow differences', () => {
  it('sends them in bodies the service accepts (schema, ≤ 1 MiB), with exact counts', async () => {
    const sent: BlockedEventsBody[] = [];
    const b = batcher(async (body) => void sent.push(body));
    for (let i = 0; i < 12_000; i++)
      b.recordShadow(`https://${'y'.repeat(80)}-${i}.example`, 'would-block', 'origin-not-allowed');
    b.recordShadow('https://new.example', 'would-allow', 'exact-match');
    b.recordShadow('https://new.example', 'would-allow', 'exact-match');
    b.record('https://refused.example', 'origin-not-allowed');
    await b.close();
    expect(sent.length).toBeGreaterThan(1);
    for (const body of sent) {
      expect(blockedEventsBatchSchema.safeParse(body).success).toBe(true);
      expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(1024 * 1024);
    }
    expect(shadowTotal(sent)).toBe(12_002);
    const again = sent
      .flatMap((s) => s.shadow ?? [])
      .find((e) => e.origin === 'https://new.example');
    expect(again).toMatchObject({ direction: 'would-allow', reason: 'exact-match', count: 2 });
  });

  it('counts differences beyond maxKeys under "(overflow)", per direction and reason', async () => {
    const sent: BlockedEventsBody[] = [];
    const b = batcher(async (body) => void sent.push(body), 3);
    for (let i = 0; i < 10; i++)
      b.recordShadow(`https://o${i}.example`, 'would-block', 'origin-not-allowed');
    await b.close();
    const shadow = sent.flatMap((s) => s.shadow ?? []);
    expect(shadow.filter((e) => e.origin !== SHADOW_OVERFLOW_ORIGIN)).toHaveLength(3);
    expect(shadow.find((e) => e.origin === SHADOW_OVERFLOW_ORIGIN)?.count).toBe(7);
    expect(shadowTotal(sent)).toBe(10);
  });

  it('keeps them when a send fails, and sends them with the next flush', async () => {
    let fail = true;
    const sent: BlockedEventsBody[] = [];
    const b = batcher(async (body) => {
      if (fail) throw new Error('down');
      sent.push(body);
    });
    b.recordShadow('https://a.example', 'would-block', 'origin-not-allowed');
    await b.flush();
    fail = false;
    b.recordShadow('https://a.example', 'would-block', 'origin-not-allowed');
    await b.close();
    expect(sent.flatMap((s) => s.shadow ?? [])).toEqual([
      expect.objectContaining({ origin: 'https://a.example', count: 2 }),
    ]);
  });
});
