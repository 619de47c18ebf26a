import { describe, expect, it, vi } from 'vitest';
import { constantBackoff, createEventHub, pipeline, retry, timeout, TimeoutError, type ResilienceEvent } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { deferred, flush, hang, observe } from '../helpers/deferred.js';
import { abortListeners } from '../helpers/process-watch.js';

function setup(ms = 100) {
  const clock = new ManualClock();
  const events = createEventHub();
  const seen: ResilienceEvent[] = [];
  events.onAny((e) => seen.push(e));
  const policy = timeout({ ms, clock, events });
  return { clock, events, seen, policy, timeouts: () => seen.filter((e) => e.type === 'timeout').length };
}

describe('timeout', () => {
  it('rejects with TimeoutError at the deadline, not before, when fn ignores its signal', async () => {
    const { clock, policy, seen } = setup(100);
    const call = observe(policy.execute(() => hang()));
    await clock.advance(99);
    expect(call.state.status).toBe('pending');
    await clock.advance(1);
    expect(call.state.status).toBe('rejected');
    const error = call.state.status === 'rejected' ? call.state.reason : undefined;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'ERR_TIMEOUT', timeoutMs: 100 });
    expect(seen).toEqual([{ type: 'timeout', kind: 'timeout', name: 'timeout', time: 100, timeoutMs: 100, attempt: 1 }]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('aborts the attempt signal with that same TimeoutError as reason', async () => {
    const { clock, policy } = setup(50);
    let signal: AbortSignal | undefined;
    const call = observe(
      policy.execute((ctx) => {
        signal = ctx.signal;
        return hang();
      }),
    );
    expect(signal?.aborted).toBe(false);
    await clock.advance(50);
    expect(signal?.aborted).toBe(true);
    expect(call.state.status === 'rejected' && call.state.reason).toBe(signal?.reason);
  });

  it('rejects with the caller reason, not a timeout, when the caller aborts (failure mode 6)', async () => {
    const { clock, policy, timeouts } = setup(100);
    const controller = new AbortController();
    const reason = new Error('user pressed stop');
    let signal: AbortSignal | undefined;
    const call = observe(
      policy.execute(
        (ctx) => {
          signal = ctx.signal;
          return hang();
        },
        { signal: controller.signal },
      ),
    );
    await clock.advance(40);
    controller.abort(reason);
    await flush(); // promise continuations only: the clock does not move
    expect(call.state.status === 'rejected' && call.state.reason).toBe(reason);
    expect(signal?.reason).toBe(reason);
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(1_000);
    expect(timeouts()).toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('rejects with the default AbortError reason when the caller aborts without one', async () => {
    const { policy } = setup();
    const controller = new AbortController();
    const call = policy.execute(() => hang(), { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toBe(controller.signal.reason);
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('failure mode 6: abort inside retry + timeout rejects with the reason and emits no timeout event', async () => {
    const clock = new ManualClock();
    const events = createEventHub();
    const types: string[] = [];
    events.onAny((e) => types.push(e.type));
    const policy = pipeline(retry({ clock, events, maxAttempts: 5, backoff: constantBackoff(10) }), timeout({ clock, events, ms: 100 }));
    const controller = new AbortController();
    const reason = new Error('R');
    const fn = vi.fn(() => hang());
    const call = observe(policy.execute(fn, { signal: controller.signal }));
    await clock.advance(30);
    controller.abort(reason);
    await clock.advance(10_000);
    expect(call.state.status === 'rejected' && call.state.reason).toBe(reason);
    expect(types).toEqual([]);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a caller abort after the deadline changes nothing', async () => {
    const { clock, policy, timeouts } = setup(10);
    const controller = new AbortController();
    const call = observe(policy.execute(() => hang(), { signal: controller.signal }));
    await clock.advance(10);
    controller.abort(new Error('late'));
    await clock.advance(1);
    expect(call.state.status === 'rejected' && call.state.reason).toBeInstanceOf(TimeoutError);
    expect(call.settledCount).toBe(1);
    expect(timeouts()).toBe(1);
  });

  it('failure mode 8: a pre-aborted signal never runs fn and sets no timer', async () => {
    const { clock, policy } = setup();
    const reason = new Error('already gone');
    const signal = AbortSignal.abort(reason);
    const fn = vi.fn(() => 'ran');
    for (const p of [policy, pipeline(policy), pipeline(retry({ clock }), policy)]) {
      await expect(p.execute(fn, { signal })).rejects.toBe(reason);
    }
    expect(fn).not.toHaveBeenCalled();
    expect(clock.pendingTimers).toBe(0);
    expect(abortListeners(signal)).toBe(0);
  });

  it('sets one timer per call and clears it when the call settles', async () => {
    const { clock, policy } = setup(1_000);
    const setTimeout = vi.spyOn(clock, 'setTimeout');
    const works = Array.from({ length: 100 }, () => deferred<number>());
    const calls = works.map((work) => policy.execute(() => work.promise));
    expect(setTimeout).toHaveBeenCalledTimes(100);
    expect(clock.pendingTimers).toBe(100);
    works.forEach((work, i) => (i % 2 === 0 ? work.resolve(i) : work.reject(new Error(String(i)))));
    await Promise.allSettled(calls);
    expect(clock.pendingTimers).toBe(0);
    await policy.execute(() => 1);
    expect(setTimeout).toHaveBeenCalledTimes(101);
    expect(clock.pendingTimers).toBe(0);
  });

  it('failure mode 7: after a timeout, the next 100 calls get fresh signals and all succeed', async () => {
    const { clock, policy } = setup(10);
    let first: AbortSignal | undefined;
    const timedOut = observe(
      policy.execute(({ signal }) => {
        first = signal;
        return hang();
      }),
    );
    await clock.advance(10);
    expect(timedOut.state.status).toBe('rejected');
    const signals = new Set<AbortSignal>();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        policy.execute(async ({ signal }) => {
          expect(signal.aborted).toBe(false);
          signals.add(signal);
          await Promise.resolve();
          return i;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(signals.size).toBe(100);
    expect(first !== undefined && signals.has(first)).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  describe('failure mode 11: the TimeoutError stack names the caller', () => {
    const clock = new ManualClock();

    async function loadInventoryWithoutSignal(): Promise<unknown> {
      return await timeout({ ms: 10, clock }).execute(() => hang());
    }
    async function loadInventoryWithSignal(): Promise<unknown> {
      return await timeout({ ms: 10, clock }).execute(() => hang(), { signal: new AbortController().signal });
    }
    async function loadInventoryThroughPipeline(): Promise<unknown> {
      const policy = pipeline(retry({ clock, maxAttempts: 1 }), timeout({ ms: 10, clock }));
      return await policy.execute(() => hang(), { signal: new AbortController().signal });
    }

    for (const caller of [loadInventoryWithoutSignal, loadInventoryWithSignal, loadInventoryThroughPipeline]) {
      it(caller.name, async () => {
        const call = observe(caller());
        await clock.advance(10);
        expect(call.state.status).toBe('rejected');
        const error = call.state.status === 'rejected' ? (call.state.reason as Error) : undefined;
        expect(error).toBeInstanceOf(TimeoutError);
        expect(error?.stack).toContain(caller.name);
      });
    }
  });

  it('rejects with the error of a fn that throws synchronously, and clears its timer', async () => {
    const { clock, policy } = setup();
    const error = new Error('sync');
    let call: Promise<unknown> | undefined;
    expect(() => {
      call = policy.execute(() => {
        throw error;
      });
    }).not.toThrow();
    await expect(call).rejects.toBe(error);
    expect(clock.pendingTimers).toBe(0);
  });

  it('resolves with a non-promise return value, and with a foreign thenable', async () => {
    const { clock, policy } = setup();
    await expect(policy.execute(() => 42)).resolves.toBe(42);
    await expect(policy.execute(() => undefined)).resolves.toBeUndefined();
    await expect(policy.execute(() => null)).resolves.toBeNull();
    const thenable: PromiseLike<string> = { then: (ok) => Promise.resolve(ok?.('thenable')) as never };
    await expect(policy.execute(() => thenable)).resolves.toBe('thenable');
    const failing: PromiseLike<string> = { then: (_ok, fail) => Promise.resolve(fail?.(new Error('thenable failed'))) as never };
    await expect(policy.execute(() => failing)).rejects.toThrow('thenable failed');
    expect(clock.pendingTimers).toBe(0);
  });

  it('resolves with fn\'s value and rejects with fn\'s error before the deadline, with no event', async () => {
    const { clock, policy, seen } = setup(100);
    const error = new Error('fn failed');
    await expect(policy.execute(async () => 'v')).resolves.toBe('v');
    await expect(policy.execute(() => Promise.reject(error))).rejects.toBe(error);
    await clock.advance(1_000);
    expect(seen).toEqual([]);
    expect(policy.abandoned).toBe(0);
  });

  it('exposes its ms, name, clock and events', () => {
    const clock = new ManualClock();
    const events = createEventHub();
    const policy = timeout({ ms: 25, name: 'db', clock, events });
    expect(policy).toMatchObject({ ms: 25, name: 'db', abandoned: 0 });
    expect(policy.clock).toBe(clock);
    expect(policy.events).toBe(events);
    expect(timeout({ ms: 1 }).name).toBe('timeout');
  });
});
