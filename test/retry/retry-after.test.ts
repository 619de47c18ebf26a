import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantBackoff, exponentialBackoff, retry, sleep, type RetryOptions } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { flush, HttpError, ofType, recordEvents, track } from './helpers.js';

/** Runs a call whose first attempt fails and the second succeeds; returns when each started. */
async function secondAttemptAfter(
  options: RetryOptions & { clock: ManualClock },
  advanceMs: number,
  error: unknown = new HttpError(503),
): Promise<{ starts: number[]; delays: number[] }> {
  const { clock } = options;
  const { events, seen } = recordEvents();
  const starts: number[] = [];
  const call = track(
    retry({ ...options, events, maxAttempts: 2 }).execute(() => {
      starts.push(clock.now());
      return starts.length === 1 ? Promise.reject(error) : 'ok';
    }),
  );
  await clock.advance(advanceMs);
  expect(call.value).toBe('ok');
  return { starts, delays: ofType(seen, 'retry').map((e) => e.delayMs) };
}

describe('retry › retryAfterMs (failure mode 25)', () => {
  it('failure mode 25: a Retry-After of 0 retries at once, with no timer', async () => {
    const clock = new ManualClock();
    let timersSeen = 0;
    const spy = { now: () => clock.now(), setTimeout: (cb: () => void, ms: number) => (timersSeen++, clock.setTimeout(cb, ms)), clearTimeout: (h: unknown) => clock.clearTimeout(h) };
    let calls = 0;
    const call = track(
      retry({ clock: spy, maxAttempts: 2, backoff: constantBackoff(5_000), retryAfterMs: () => 0 }).execute(() =>
        ++calls === 1 ? Promise.reject(new Error('busy')) : 'ok',
      ),
    );
    await flush();
    expect(call.value).toBe('ok');
    expect(calls).toBe(2);
    expect(timersSeen).toBe(0);
    expect(clock.now()).toBe(0);
  });

  it('failure mode 25: a Retry-After above the backoff maximum is capped by it (the retry still happens)', async () => {
    const clock = new ManualClock();
    const { starts, delays } = await secondAttemptAfter({ clock, backoff: exponentialBackoff({ maxMs: 2_000 }), retryAfterMs: () => 3_600_000 }, 2_000);
    expect(starts).toEqual([0, 2_000]);
    expect(delays).toEqual([2_000]);
  });

  it('failure mode 25: a Retry-After of Infinity is capped too', async () => {
    const clock = new ManualClock();
    const { starts } = await secondAttemptAfter({ clock, backoff: constantBackoff(700), retryAfterMs: () => Infinity }, 700);
    expect(starts).toEqual([0, 700]);
  });

  it('failure mode 25: a negative Retry-After counts as 0', async () => {
    const clock = new ManualClock();
    const { starts, delays } = await secondAttemptAfter({ clock, backoff: constantBackoff(5_000), retryAfterMs: () => -250 }, 0);
    expect(starts).toEqual([0, 0]);
    expect(delays).toEqual([0]);
  });

  it.each([
    ['undefined', undefined],
    ['NaN', NaN],
  ])('failure mode 25: a Retry-After of %s falls back to the backoff', async (_label, value) => {
    const clock = new ManualClock();
    const { starts, delays } = await secondAttemptAfter({ clock, backoff: constantBackoff(300), retryAfterMs: () => value }, 300);
    expect(starts).toEqual([0, 300]);
    expect(delays).toEqual([300]);
  });

  it('the hook sees the failed outcome, so the delay can come from the error', async () => {
    const clock = new ManualClock();
    const error = Object.assign(new HttpError(429), { retryAfterSeconds: 1.5 });
    const seen: unknown[] = [];
    const { starts } = await secondAttemptAfter(
      {
        clock,
        backoff: constantBackoff(10_000),
        retryAfterMs: (o) => {
          seen.push(o);
          return o.ok ? undefined : (o.error as typeof error).retryAfterSeconds * 1_000;
        },
      },
      1_500,
      error,
    );
    expect(seen).toEqual([{ ok: false, error, attempt: 1 }]);
    expect(starts).toEqual([0, 1_500]);
  });
});

describe('retry › maxElapsedMs', () => {
  it('no attempt starts after maxElapsedMs, and the call gives up with reason max-elapsed (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 1, max: 1_000 }),
        fc.integer({ min: 0, max: 500 }),
        async (maxElapsedMs, backoffMs, latencyMs) => {
          const clock = new ManualClock({ start: 1_000_000 });
          const { events, seen } = recordEvents();
          const starts: number[] = [];
          const policy = retry({ clock, events, maxAttempts: Infinity, maxElapsedMs, backoff: constantBackoff(backoffMs) });
          const call = track(
            policy.execute(async () => {
              starts.push(clock.now() - 1_000_000);
              await sleep(latencyMs, { clock });
              throw new Error('down');
            }),
          );
          await clock.runAll();
          expect(call.state).toBe('rejected');
          const last = starts[starts.length - 1] as number;
          expect(last).toBeLessThanOrEqual(maxElapsedMs);
          // The next attempt would have started too late: giving up was not premature.
          expect(last + latencyMs + backoffMs).toBeGreaterThan(maxElapsedMs);
          expect(ofType(seen, 'retry.giveup').map((e) => [e.reason, e.attempts])).toEqual([['max-elapsed', starts.length]]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('maxElapsedMs with a retried result returns that result', async () => {
    const clock = new ManualClock();
    const busy = { status: 503 };
    let calls = 0;
    const policy = retry({ clock, maxAttempts: 10, maxElapsedMs: 250, backoff: constantBackoff(100), shouldRetry: (o) => o.ok });
    const call = track(policy.execute(() => (calls++, busy)));
    await clock.runAll();
    expect(call.value).toBe(busy);
    expect(calls).toBe(3);
  });
});
