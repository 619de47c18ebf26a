/**
 * Regressions found by the second review of the foundation (after runScoped lost its async frame,
 * retry gained a synchronous fast path, and signal links took (signal, policy, fn)), each
 * reproduced before its fix.
 */
import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pipeline, retry, timeout, type Clock, type RetryBudget, type TimerHandle } from '../../src/index.js';
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

/** A budget whose recordCall throws (a user's own RetryBudget with a bug). */
function throwingBudget(error: Error): RetryBudget {
  return {
    ratio: 0,
    minPerSecond: 0,
    windowMs: 1_000,
    recordCall(): void {
      throw error;
    },
    tryRetry: () => true,
    snapshot: () => ({ calls: 0, retries: 0, available: 0 }),
  };
}

describe('execute() when a policy fails before its first attempt', () => {
  it('a throwing budget makes execute() reject, never throw', async () => {
    const boom = new Error('budget broke');
    const policy = retry({ budget: throwingBudget(boom) });
    let result: Promise<unknown> | undefined;
    expect(() => {
      result = policy.execute(() => 1);
    }).not.toThrow();
    await expect(result).rejects.toBe(boom);
  });

  it('a throwing budget with a caller signal rejects and leaves no listener on the signal', async () => {
    const boom = new Error('budget broke');
    const policy = retry({ budget: throwingBudget(boom) });
    const controller = new AbortController();
    await expect(policy.execute(() => 1, { signal: controller.signal })).rejects.toBe(boom);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('a clock whose now() throws (maxElapsedMs set) rejects and leaves no listener on the signal', async () => {
    const boom = new Error('clock broke');
    const manual = new ManualClock();
    let broken = false;
    const clock: Clock = {
      now: () => {
        if (broken) throw boom;
        return manual.now();
      },
      setTimeout: (cb, ms) => manual.setTimeout(cb, ms),
      clearTimeout: (h) => manual.clearTimeout(h),
    };
    const policy = retry({ clock, maxElapsedMs: 1_000 });
    broken = true;
    const controller = new AbortController();
    await expect(policy.execute(() => 1, { signal: controller.signal })).rejects.toBe(boom);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    await expect(policy.execute(() => 1)).rejects.toBe(boom);
  });
});

describe('ManualClock', () => {
  it('compacting a large heap of cleared timers does not overflow the stack', () => {
    const clock = new ManualClock();
    const handles: TimerHandle[] = [];
    for (let i = 0; i < 600_000; i++) handles.push(clock.setTimeout(() => undefined, 1_000 + i));
    // Clear the first third: the heap is compacted once it holds twice the pending count.
    expect(() => {
      for (let i = 0; i < 400_000; i++) clock.clearTimeout(handles[i]);
    }).not.toThrow();
    expect(clock.pendingTimers).toBe(200_000);
    expect(clock.nextTimerAt).toBe(401_000);
  });
});

describe('TimeoutError stacks', () => {
  const clock = new ManualClock();
  const hang = (): Promise<never> => new Promise(() => undefined);
  const signal = (): { signal: AbortSignal } => ({ signal: new AbortController().signal });
  const zero = { delay: () => 0, maxMs: 0 };

  async function innerDeadlineOfTwoTimeouts(): Promise<unknown> {
    return await pipeline(timeout({ clock, ms: 1_000 }), timeout({ clock, ms: 10 })).execute(hang);
  }
  async function innerDeadlineOfTwoTimeoutsWithSignal(): Promise<unknown> {
    return await pipeline(timeout({ clock, ms: 1_000 }), timeout({ clock, ms: 10 })).execute(hang, signal());
  }
  async function fnRejectsWithAnotherPolicysTimeout(): Promise<unknown> {
    const inner = timeout({ clock, ms: 10 });
    return await timeout({ clock, ms: 1_000 }).execute(() => inner.execute(hang));
  }
  async function fnRejectsWithAnotherPolicysTimeoutWithSignal(): Promise<unknown> {
    const inner = timeout({ clock, ms: 10 });
    return await timeout({ clock, ms: 1_000 }).execute(() => inner.execute(hang), signal());
  }
  async function retryAroundTimeoutWithSignal(): Promise<unknown> {
    return await pipeline(retry({ clock, maxAttempts: 2, backoff: zero }), timeout({ clock, ms: 10 })).execute(hang, signal());
  }

  for (const caller of [
    innerDeadlineOfTwoTimeouts,
    innerDeadlineOfTwoTimeoutsWithSignal,
    fnRejectsWithAnotherPolicysTimeout,
    fnRejectsWithAnotherPolicysTimeoutWithSignal,
    retryAroundTimeoutWithSignal,
  ]) {
    it(`failure mode 11: ${caller.name} names the caller`, async () => {
      const caught = caller().then(
        () => new Error('resolved'),
        (e: unknown) => e as Error,
      );
      await clock.advance(10);
      await clock.advance(10);
      const error = await caught;
      expect(error.name).toBe('TimeoutError');
      expect(error.stack).toContain(caller.name);
      expect(Object.getOwnPropertySymbols(error)).toEqual([]);
    });
  }

  it('the signal reason seen by the work at the deadline is the error the caller gets', async () => {
    const clock = new ManualClock();
    const policy = timeout({ clock, ms: 10 });
    let reason: unknown;
    const caught = policy
      .execute(({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => { reason = signal.reason; reject(signal.reason); })))
      .catch((e: unknown) => e);
    await clock.advance(10);
    expect(await caught).toBe(reason);
    expect(watch.unhandled).toEqual([]);
  });
});
