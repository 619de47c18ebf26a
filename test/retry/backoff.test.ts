import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantBackoff, exponentialBackoff, linearBackoff, retry, type Backoff, type Jitter } from '../../src/index.js';
import { ManualClock, seededRandom } from '../../src/testing.js';
import { ofType, recordEvents, track } from './helpers.js';

const maxSafe = Number.MAX_SAFE_INTEGER;

/** A delay in ms: small integers, huge values near 2^53, fractions. */
const ms = fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.double({ min: 0, max: maxSafe, noNaN: true }), fc.constantFrom(0, 2 ** 31, maxSafe));

/** A `random()` that cycles through hostile values: 0, almost 1, 1, NaN, negatives, infinities, any double. */
const hostileRandom = fc
  .array(fc.oneof(fc.constantFrom(0, 0.9999999, 1 - Number.EPSILON / 2, 1, NaN, -1, Infinity, -Infinity, 2), fc.double()), { minLength: 1, maxLength: 8 })
  .map((values) => {
    let i = 0;
    const random = (): number => values[i++ % values.length] as number;
    return Object.assign(random, { toString: () => `random cycling ${JSON.stringify(values.map(String))}` });
  });

const constant = fc.tuple(ms, fc.constantFrom('none', 'full', 'equal') as fc.Arbitrary<'none' | 'full' | 'equal'>).map(([delay, jitter]) => constantBackoff(delay, { jitter }));

const linear = fc
  .record({ initialMs: ms, stepMs: ms, extraMs: ms, jitter: fc.constantFrom('none', 'full', 'equal') as fc.Arbitrary<'none' | 'full' | 'equal'> })
  .map(({ initialMs, stepMs, extraMs, jitter }) => linearBackoff({ initialMs, stepMs, maxMs: Math.min(maxSafe, initialMs + extraMs), jitter }));

const jitters: Jitter[] = ['none', 'full', 'equal', 'decorrelated'];
const exponential = fc
  .record({ initialMs: ms, factor: fc.oneof(fc.double({ min: 1, max: 1_000, noNaN: true }), fc.constantFrom(1, 2, 10, 1_000)), extraMs: ms, jitter: fc.constantFrom(...jitters) })
  .map(({ initialMs, factor, extraMs, jitter }) => exponentialBackoff({ initialMs, factor, maxMs: Math.min(maxSafe, initialMs + extraMs), jitter }));

/** Walks retries 1..10,000 as retry() does (each previous delay fed back) and checks every delay. */
function checkEveryDelay(backoff: Backoff, random: () => number): void {
  let previous = 0;
  for (let r = 1; r <= 10_000; r++) {
    const d = backoff.delay(r, previous, random);
    if (!(Number.isFinite(d) && d >= 0 && d <= backoff.maxMs)) {
      throw new Error(`retry ${r}: delay ${d} is not finite and within [0, ${backoff.maxMs}]`);
    }
    previous = d;
  }
}

describe('retry › backoffs', () => {
  it.each([
    ['constantBackoff', constant],
    ['linearBackoff', linear],
    ['exponentialBackoff', exponential],
  ])('%s: every delay from retry 1 to 10,000 is finite, >= 0, <= maxMs, never NaN, for any options and any random() (property)', (_name, backoffs) => {
    fc.assert(fc.property(backoffs, hostileRandom, (backoff, random) => checkEveryDelay(backoff, random)), { numRuns: 60 });
  });

  it('the contract check above catches a backoff that returns NaN (negative control)', () => {
    const broken: Backoff = { maxMs: 100, delay: (r) => (r > 5 ? NaN : r) };
    expect(() => checkEveryDelay(broken, Math.random)).toThrow(/retry 6: delay NaN/);
  });

  it('exponential without jitter is initialMs × factor^(retry-1), non-decreasing, up to the cap (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 1, max: 50, noNaN: true }), fc.integer({ min: 0, max: 10_000_000 }), (initialMs, factor, extraMs) => {
        const maxMs = initialMs + extraMs;
        const backoff = exponentialBackoff({ initialMs, factor, maxMs, jitter: 'none' });
        let previous = 0;
        for (let r = 1; r <= 2_000; r++) {
          const d = backoff.delay(r, previous, Math.random);
          const expected = Math.min(maxMs, initialMs * factor ** (r - 1));
          if (d < previous || Math.abs(d - expected) > 1e-9 * expected) throw new Error(`retry ${r}: ${d} after ${previous}, expected ${expected}`);
          previous = d;
        }
        if (initialMs * factor ** 1_999 >= maxMs) expect(previous).toBe(maxMs);
      }),
      { numRuns: 100 },
    );
  });

  it('linear without jitter is initialMs + stepMs × (retry-1), capped', () => {
    const backoff = linearBackoff({ initialMs: 100, stepMs: 50, maxMs: 300 });
    expect([1, 2, 3, 4, 5, 10_000].map((r) => backoff.delay(r, 0, Math.random))).toEqual([100, 150, 200, 250, 300, 300]);
  });

  it('jitter ranges: full in [0, d], equal in [d/2, d], decorrelated in [initialMs, max(factor × previous, d)]', () => {
    const at = (jitter: Jitter, random: number, previous = 0): number => exponentialBackoff({ initialMs: 100, maxMs: 10_000, jitter }).delay(4, previous, () => random);
    expect([at('full', 0), at('full', 0.5)]).toEqual([0, 400]);
    expect([at('equal', 0), at('equal', 0.5)]).toEqual([400, 600]);
    expect([at('decorrelated', 0), at('decorrelated', 0.5), at('decorrelated', 0.5, 1_000)]).toEqual([100, 450, 1_050]);
  });

  it('decorrelated jitter backs off: with the default factor the median delay grows retry after retry towards the cap', () => {
    const backoff = exponentialBackoff({ jitter: 'decorrelated' }); // 100 ms, factor 2, max 30 s
    const random = seededRandom(11);
    const delays: number[][] = Array.from({ length: 13 }, () => []);
    for (let client = 0; client < 1_000; client++) {
      let previous = 0;
      for (let r = 1; r <= 12; r++) delays[r]?.push((previous = backoff.delay(r, previous, random)));
    }
    const medians = delays.slice(1).map((ds) => [...ds].sort((a, b) => a - b)[500] as number);
    for (let r = 1; r < 9; r++) expect(medians[r]).toBeGreaterThan(medians[r - 1] as number);
    expect(medians[11]).toBeGreaterThan(30_000 / 4);
  });

  it('failure mode 24: factor 10 over 10^4 attempts on a ManualClock: every wait is finite, non-decreasing up to the cap, no hot loop, no warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      const clock = new ManualClock();
      const waits: number[] = [];
      const spy = { now: () => clock.now(), setTimeout: (cb: () => void, ms: number) => (waits.push(ms), clock.setTimeout(cb, ms)), clearTimeout: (h: unknown) => clock.clearTimeout(h) };
      const maxMs = 2 ** 35; // about a year: far beyond setTimeout's 2^31-1 ms
      let attempts = 0;
      const policy = retry({ clock: spy, maxAttempts: 10_000, backoff: exponentialBackoff({ initialMs: 1, factor: 10, maxMs, jitter: 'none' }) });
      const call = track(policy.execute(() => (attempts++, Promise.reject(new Error('down')))));
      await clock.runAll();
      expect(call.state).toBe('rejected');
      expect(attempts).toBe(10_000);
      expect(waits).toHaveLength(9_999);
      expect(waits.slice(0, 12)).toEqual([1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, maxMs]);
      expect(waits.every((w, i) => Number.isFinite(w) && w >= 1 && w >= (waits[i - 1] ?? 0))).toBe(true);
      // Every wait really elapsed: virtual time is their sum (no 1 ms clamping).
      expect(clock.now()).toBe(waits.reduce((a, b) => a + b, 0));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('failure mode 24: a backoff wait of 2^40 ms on the system clock raises no TimeoutOverflowWarning and waits instead of hot-looping', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const call = track(retry({ backoff: constantBackoff(2 ** 40) }).execute(() => Promise.reject(new Error('down')), { signal: controller.signal }));
      await new Promise((resolve) => setImmediate(resolve));
      expect(call.state).toBe('pending'); // waiting, not hot-looping
      controller.abort(new Error('stop'));
      await new Promise((resolve) => setImmediate(resolve));
      expect(call.state).toBe('rejected');
      // Node emits the warning synchronously from setTimeout (process.emitWarning), so a clamped
      // native timer would have been seen by now.
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('each execution starts its own sequence: decorrelated delays carry no state between calls, sequential or interleaved', async () => {
    const clock = new ManualClock();
    const { events, seen } = recordEvents();
    const policy = retry({ clock, events, maxAttempts: 6, random: () => 0.999, backoff: exponentialBackoff({ initialMs: 100, maxMs: 100_000, jitter: 'decorrelated' }) });
    const run = (name: string) => track(policy.execute(() => Promise.reject(new Error(name))));
    const delaysOf = (name: string) =>
      ofType(seen, 'retry')
        .filter((e) => !e.outcome.ok && (e.outcome.error as Error).message === name)
        .map((e) => Math.round(e.delayMs));
    run('a');
    await clock.runAll();
    run('b');
    await clock.runAll();
    run('c');
    run('d');
    await clock.runAll();
    const first = delaysOf('a');
    expect(first).toHaveLength(5);
    expect(first.every((d, i) => d > (first[i - 1] ?? 0))).toBe(true);
    expect([delaysOf('b'), delaysOf('c'), delaysOf('d')]).toEqual([first, first, first]);
  });
});
