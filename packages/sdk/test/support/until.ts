/**
 * A request to the service in these tests may take seconds on a busy machine (`npm test` must pass beside a
 * benchmark): resolvers here wait up to this long, since no test of them is about the service being slow.
 */
export const SERVICE_TIMEOUT_MS = 30_000;

/**
 * Polls `check` until it holds. No timing is asserted, only the outcome: the guard only stops a broken
 * behaviour from hanging the suite, and is long enough for a busy machine.
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  guardMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + guardMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
