import { describe, expect, it } from 'vitest';
import { exponentialBackoff, retry, type Backoff, type Jitter } from '../../src/index.js';
import { ManualClock, seededRandom } from '../../src/testing.js';

const clients = 1_000;
const retries = 10;
const initialMs = 100;
const factor = 2;
const maxMs = 3_200; // reached at retry 6: retries 6 to 10 wait at the cap
const bucketMs = 100;

/**
 * 1,000 clients whose calls all fail at t=0 (and at every attempt, at once), each through its own
 * retry policy on one ManualClock: the delays they waited before each retry, by retry number.
 */
async function delaysByRetry(backoff: Backoff, seed: number): Promise<number[][]> {
  const clock = new ManualClock();
  const random = seededRandom(seed);
  const starts: number[][] = Array.from({ length: clients }, () => []);
  for (let c = 0; c < clients; c++) {
    const policy = retry({ clock, random, backoff, maxAttempts: retries + 1 });
    policy
      .execute(({ attempt }) => {
        starts[c]?.push(clock.now());
        return Promise.reject(new Error(`client ${c}, attempt ${attempt}`));
      })
      .catch(() => {});
  }
  await clock.runAll();
  const byRetry: number[][] = Array.from({ length: retries + 1 }, () => []);
  for (const s of starts) {
    expect(s).toHaveLength(retries + 1);
    for (let r = 1; r <= retries; r++) byRetry[r]?.push((s[r] as number) - (s[r - 1] as number));
  }
  return byRetry;
}

/** The window the documented jitter spreads the delay of retry `r` over. */
function window(jitter: Jitter, r: number): number {
  const capped = Math.min(maxMs, initialMs * factor ** (r - 1));
  const width = jitter === 'equal' ? capped / 2 : jitter === 'decorrelated' ? capped - initialMs : capped;
  return Math.max(bucketMs, width);
}

/**
 * For each retry: clients in the fullest 100 ms bucket, divided by the mean number per bucket had
 * the clients been spread evenly over the jitter window.
 */
function crowding(byRetry: readonly number[][], jitter: Jitter): number[] {
  const ratios: number[] = [];
  for (let r = 1; r <= retries; r++) {
    const buckets = new Map<number, number>();
    for (const d of byRetry[r] ?? []) buckets.set(Math.floor(d / bucketMs), (buckets.get(Math.floor(d / bucketMs)) ?? 0) + 1);
    const mean = (clients * bucketMs) / window(jitter, r);
    ratios.push(Math.max(...buckets.values()) / mean);
  }
  return ratios;
}

describe('retry › jitter spread (failure mode 23)', () => {
  it.each(['full', 'equal', 'decorrelated'] as const)(
    'failure mode 23: 1,000 clients failing at t=0 with %s jitter: at every retry, the cap included, the fullest 100 ms bucket holds <= 3x the mean',
    async (jitter) => {
      const byRetry = await delaysByRetry(exponentialBackoff({ initialMs, factor, maxMs, jitter }), 23);
      const ratios = crowding(byRetry, jitter);
      expect(ratios).toHaveLength(retries);
      for (const [i, ratio] of ratios.entries()) expect({ retry: i + 1, ratio: ratio <= 3 ? 'ok' : ratio }).toEqual({ retry: i + 1, ratio: 'ok' });
      // The cap is really exercised: the last retries are spread up to maxMs, not pinned at it.
      const atCap = byRetry[retries] ?? [];
      expect(Math.max(...atCap)).toBeGreaterThan(maxMs * 0.95);
      expect(atCap.filter((d) => d === maxMs).length).toBeLessThan(clients / 100);
    },
  );

  it('failure mode 23: the check flags synchronised clients: no jitter at all (negative control)', async () => {
    const byRetry = await delaysByRetry(exponentialBackoff({ initialMs, factor, maxMs, jitter: 'none' }), 23);
    expect(Math.max(...crowding(byRetry, 'full'))).toBeGreaterThan(3);
  });

  it('failure mode 23: the check flags a backoff that drops its jitter at the cap (negative control)', async () => {
    const full = exponentialBackoff({ initialMs, factor, maxMs, jitter: 'full' });
    const pinnedAtCap: Backoff = { maxMs, delay: (r, previous, random) => (initialMs * factor ** (r - 1) >= maxMs ? maxMs : full.delay(r, previous, random)) };
    const ratios = crowding(await delaysByRetry(pinnedAtCap, 23), 'full');
    expect(ratios.slice(0, 5).every((ratio) => ratio <= 3)).toBe(true);
    expect(ratios.slice(5).every((ratio) => ratio > 3)).toBe(true);
  });
});
