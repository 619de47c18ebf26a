import { describe, expect, it } from 'vitest';
import { isTimeoutError } from '../../src/index.js';
import { ManualClock, seededRandom } from '../../src/testing.js';
import { createStockClient } from './testing-stock-client.js';

describe('stock client', () => {
  it('retries a failed load after the backoff', async () => {
    const clock = new ManualClock();
    let loads = 0;
    const client = createStockClient({ clock, load: async () => (++loads === 1 ? Promise.reject(new Error('503')) : 42) });

    const stock = client.stock('sku-1');
    await clock.advance(200); // the first backoff is at most 200 ms, whatever the jitter
    expect(await stock).toBe(42);
    expect(loads).toBe(2);
    expect(clock.pendingTimers).toBe(0); // nothing left behind
  });

  it('cuts a hanging load at 1 s and gives up after 3 attempts', async () => {
    const clock = new ManualClock();
    let loads = 0;
    const hang = (_sku: string, signal: AbortSignal) =>
      new Promise<number>((_, reject) => {
        loads++;
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    const client = createStockClient({ clock, load: hang });

    const outcome = client.stock('sku-1').catch((error: unknown) => error); // observe it before time moves
    await clock.runAll(); // fires every timer: 3 deadlines and 2 backoffs
    expect(isTimeoutError(await outcome)).toBe(true);
    expect(loads).toBe(3);
    expect(clock.now()).toBeGreaterThanOrEqual(3_000);
  });

  it('stops at once when the caller aborts', async () => {
    const clock = new ManualClock();
    const client = createStockClient({ clock, load: async () => Promise.reject(new Error('503')) });
    const controller = new AbortController();

    const outcome = client.stock('sku-1', controller.signal).catch((error: unknown) => error);
    await clock.advance(10); // attempt 1 failed; waiting for the backoff
    const reason = new Error('request cancelled');
    controller.abort(reason);
    expect(await outcome).toBe(reason); // the caller's reason itself, with no time passing
    expect(clock.pendingTimers).toBe(0);
  });

  it('waits exactly the same jittered delays on every run with a seeded random', async () => {
    const attemptTimes = async (seed: number) => {
      const clock = new ManualClock();
      const times: number[] = [];
      const client = createStockClient({ clock, random: seededRandom(seed), load: async () => (times.push(clock.now()), Promise.reject(new Error('503'))) });
      const outcome = client.stock('sku-1').catch(() => undefined);
      await clock.runAll();
      await outcome;
      return times;
    };
    const first = await attemptTimes(7);
    expect(first).toHaveLength(3);
    expect(await attemptTimes(7)).toEqual(first);
  });
});
