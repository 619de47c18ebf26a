/**
 * Regressions found by the review of the foundation (timeout, retry, execute), each reproduced
 * before its fix.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { constantBackoff, createEventHub, exponentialBackoff, retry, retryBudget, timeout, type Backoff, type ResilienceEvent } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { flush } from '../helpers/deferred.js';
import { watchProcess, type ProcessWatch } from '../helpers/process-watch.js';

let watch: ProcessWatch;
beforeEach(() => {
  watch = watchProcess();
});
afterEach(() => {
  watch.stop();
});

describe('timeout and odd thenables', () => {
  it('a thenable whose `then` throws rejects the call, clears the deadline and reports no timeout', async () => {
    const clock = new ManualClock();
    const events = createEventHub();
    const seen: string[] = [];
    events.onAny((e) => seen.push(e.type));
    const policy = timeout({ clock, events, ms: 100 });
    const boom = new Error('then blew up');
    const thenable = {
      then(): never {
        throw boom;
      },
    };
    await expect(policy.execute(() => thenable as unknown as PromiseLike<number>)).rejects.toBe(boom);
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(1_000);
    await flush();
    expect(seen).toEqual([]);
    expect(policy.abandoned).toBe(0);
    expect(watch.unhandled).toEqual([]);
  });

  it('work that settles synchronously from its abort listener is reported after the timeout, and `abandoned` never goes below 0', async () => {
    const clock = new ManualClock();
    const events = createEventHub();
    const policy = timeout({ clock, events, ms: 100 });
    const log: string[] = [];
    events.onAny((e) => log.push(`${e.type}:${policy.abandoned}`));
    const call = policy.execute(
      ({ signal }) =>
        ({
          then(_onValue: (v: number) => void, onError: (e: unknown) => void): void {
            signal.addEventListener('abort', () => onError(signal.reason)); // settles synchronously on abort
          },
        }) as unknown as PromiseLike<number>,
    );
    const caught = call.catch((error: unknown) => error);
    await clock.advance(100);
    expect((await caught as Error).name).toBe('TimeoutError');
    expect(log).toEqual(['timeout:1', 'timeout.late:0']);
  });
});

describe('retry after a caller abort', () => {
  it('a retryable result arriving after the abort emits nothing and takes nothing from the budget', async () => {
    const clock = new ManualClock();
    const events = createEventHub();
    const seen: ResilienceEvent[] = [];
    events.onAny((e) => seen.push(e));
    const budget = retryBudget({ clock, minPerSecond: 0.1, ratio: 1 });
    const policy = retry({ clock, events, budget, maxAttempts: 3, shouldRetry: (o) => o.ok && o.value === 503 });
    const controller = new AbortController();
    const reason = new Error('caller gone');
    const call = policy.execute(() => new Promise<number>((resolve) => clock.setTimeout(() => resolve(503), 50)), { signal: controller.signal });
    await clock.advance(10);
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    await clock.advance(100);
    expect(seen).toEqual([]);
    expect(budget.snapshot().retries).toBe(0);
  });
});

describe('retry delays from any source', () => {
  it.each([
    ['NaN', Number.NaN, 1_000],
    ['negative', -5, 0],
    ['above maxMs', 1e12, 1_000],
  ])('a custom backoff returning %s waits a delay clamped into [0, maxMs]', async (_label, returned, expected) => {
    const clock = new ManualClock();
    const events = createEventHub();
    const delays: number[] = [];
    events.on('retry', (e) => delays.push(e.delayMs));
    const backoff: Backoff = { maxMs: 1_000, delay: () => returned };
    const call = retry({ clock, events, backoff, maxAttempts: 2 }).execute(() => Promise.reject(new Error('down')));
    const caught = call.catch(() => 'failed');
    await clock.runAll();
    expect(await caught).toBe('failed');
    expect(delays).toEqual([expected]);
  });
});

describe('retry that never waits', () => {
  it.each([
    ['exponentialBackoff({ initialMs: 0 })', { backoff: exponentialBackoff({ initialMs: 0 }) }],
    ['constantBackoff(0)', { backoff: constantBackoff(0) }],
    ['retryAfterMs: () => 0', { retryAfterMs: () => 0 }],
  ])('with maxAttempts Infinity and %s, attempts that fail at once still yield, so an abort stops them', async (_label, options) => {
    const clock = new ManualClock();
    const controller = new AbortController();
    let calls = 0;
    const call = retry({ clock, maxAttempts: Infinity, ...options }).execute(
      () => {
        calls++;
        throw new Error('fails at once');
      },
      { signal: controller.signal },
    );
    const caught = call.catch((error: unknown) => error);
    await flush();
    // Ten back-to-back attempts at most, then the retry waits for a 0 ms timer: the event loop
    // (here, this test) gets its turn, and the caller's abort ends the call.
    expect(calls).toBe(10);
    expect(clock.pendingTimers).toBe(1);
    const reason = new Error('enough');
    controller.abort(reason);
    expect(await caught).toBe(reason);
    expect(clock.pendingTimers).toBe(0);
    await flush();
    expect(calls).toBe(10);
  });
});

describe('execute() arguments', () => {
  it('a null or fake signal rejects with a TypeError naming `signal`', async () => {
    const policy = timeout({ ms: 100, clock: new ManualClock() });
    const fake = { aborted: true, reason: 'x' } as unknown as AbortSignal;
    await expect(policy.execute(() => 1, { signal: null as unknown as AbortSignal })).rejects.toThrow(/`signal` must be an AbortSignal, got null/);
    await expect(policy.execute(() => 1, { signal: fake })).rejects.toThrow(/`signal` must be an AbortSignal, got an object/);
  });

  it('a missing function rejects with a TypeError at once: never retried, no timer', async () => {
    const clock = new ManualClock();
    const policy = retry({ clock, maxAttempts: 3 });
    await expect(policy.execute(undefined as unknown as () => number)).rejects.toThrow('execute(): `fn` must be a function, got undefined');
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('retry and a promise whose own then is patched', () => {
  it('a first attempt whose patched then calls back twice starts one retry loop, not two', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const policy = retry({ clock, maxAttempts: 3, backoff: constantBackoff(10) });
    const call = policy.execute(() => {
      calls++;
      if (calls > 1) return 'ok';
      return Object.assign(Promise.reject(new Error('down')), {
        then(_: unknown, onRejected: (e: unknown) => void): void {
          onRejected(new Error('first'));
          onRejected(new Error('second'));
        },
      }) as unknown as Promise<string>;
    });
    await clock.runAll();
    expect(await call).toBe('ok');
    expect(calls).toBe(2);
  });
});

describe('timeout and a promise whose own then is patched', () => {
  it('follows the promise itself, as await does: a patched then that throws is not asked', async () => {
    const clock = new ManualClock();
    const patched = Object.assign(Promise.resolve('fine'), {
      then(): never {
        throw new Error('patched then');
      },
    });
    await expect(timeout({ clock, ms: 100 }).execute(() => patched)).resolves.toBe('fine');
    expect(clock.pendingTimers).toBe(0);
  });
});
