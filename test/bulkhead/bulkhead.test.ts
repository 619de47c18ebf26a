import { describe, expect, it } from 'vitest';
import {
  BulkheadRejectedError,
  bulkhead,
  createEventHub,
  isBulkheadRejectedError,
  isRejection,
  pipeline,
  retry,
  type AttemptContext,
  type BulkheadRejectedEvent,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { abortListeners, deferred, tick, track, type Deferred } from '../queue/track.js';

/** A function whose calls the test finishes by hand; counts how many run at once. */
function gate<T = string>() {
  const calls: Array<Deferred<T> & { readonly context: AttemptContext; readonly id: number }> = [];
  const state = { running: 0, maxRunning: 0, started: 0 };
  const fn = (context: AttemptContext): Promise<T> => {
    const d = deferred<T>();
    state.running++;
    state.started++;
    state.maxRunning = Math.max(state.maxRunning, state.running);
    const settle = (): void => void state.running--;
    d.promise.then(settle, settle);
    calls.push({ ...d, context, id: state.started });
    return d.promise;
  };
  return { fn, calls, state };
}

describe('bulkhead › running calls', () => {
  it("returns the function's own value and error, and frees the permit either way", async () => {
    const policy = bulkhead({ limit: 1 });
    await expect(policy.execute(() => 'sync')).resolves.toBe('sync');
    await expect(policy.execute(async () => 'async')).resolves.toBe('async');
    const boom = new Error('boom');
    await expect(policy.execute(() => Promise.reject(boom))).rejects.toBe(boom);
    await expect(
      policy.execute(() => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(policy.active).toBe(0);
    await expect(policy.execute(() => 'again')).resolves.toBe('again');
  });

  it('accepts any thenable as a result', async () => {
    const policy = bulkhead({ limit: 1 });
    const thenable: PromiseLike<number> = { then: (onFulfilled) => Promise.resolve(onFulfilled?.(5)) as never };
    await expect(policy.execute(() => thenable)).resolves.toBe(5);
    expect(policy.active).toBe(0);
  });

  it('a result whose `then` getter throws rejects the call with that error and frees the permit', async () => {
    const policy = bulkhead({ limit: 1 });
    const boom = new Error('then getter');
    const hostile = Object.defineProperty({}, 'then', {
      get() {
        throw boom;
      },
    }) as PromiseLike<never>;
    await expect(policy.execute(() => hostile)).rejects.toBe(boom);
    expect(policy.active).toBe(0);
  });

  it('gives the function a context with attempt 1 and a signal that is not aborted', async () => {
    const policy = bulkhead({ limit: 1, queue: { capacity: 1 } });
    const seen: Array<[number, boolean]> = [];
    const g = gate();
    const first = policy.execute(g.fn);
    const second = policy.execute((ctx) => void seen.push([ctx.attempt, ctx.signal.aborted]));
    expect(g.calls[0]?.context.attempt).toBe(1);
    expect(g.calls[0]?.context.signal.aborted).toBe(false);
    g.calls[0]?.resolve('done');
    await Promise.all([first, second]);
    expect(seen).toEqual([[1, false]]);
  });

  it('runs at most `limit` calls at once, and admits waiters in arrival order', async () => {
    const policy = bulkhead({ limit: 2, queue: { capacity: 10 } });
    const g = gate<number>();
    const order: number[] = [];
    const results = Array.from({ length: 6 }, (_, i) => track(policy.execute(async (ctx) => (order.push(i), g.fn(ctx)))));
    expect(policy.active).toBe(2);
    expect(policy.queued).toBe(4);
    expect(order).toEqual([0, 1]);
    g.calls[1]?.resolve(1);
    await tick();
    expect(order).toEqual([0, 1, 2]);
    g.calls[0]?.resolve(0);
    await tick();
    expect(order).toEqual([0, 1, 2, 3]);
    for (let i = 2; i < 6; i++) {
      g.calls[i]?.resolve(i);
      await tick();
    }
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((r) => r.value)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(g.state.maxRunning).toBe(2);
    expect([policy.active, policy.queued]).toEqual([0, 0]);
  });

  it('a new caller queues behind the callers already waiting', async () => {
    const policy = bulkhead({ limit: 1, queue: { capacity: 5 } });
    const g = gate();
    const order: string[] = [];
    const run = (label: string) => policy.execute(async (ctx) => (order.push(label), g.fn(ctx)));
    void run('a');
    void run('b');
    g.calls[0]?.resolve('');
    void run('c'); // the permit is being handed to b: c waits behind it
    await tick();
    expect(order).toEqual(['a', 'b']);
    g.calls[1]?.resolve('');
    await tick();
    expect(order).toEqual(['a', 'b', 'c']);
    g.calls[2]?.resolve('');
  });

  it('10,000 waiting functions that finish synchronously run without stack overflow', async () => {
    const policy = bulkhead({ limit: 1, queue: { capacity: 10_000 } });
    const g = gate<number>();
    const first = policy.execute(g.fn);
    let ran = 0;
    const rest = Array.from({ length: 10_000 }, () => policy.execute(() => ++ran));
    g.calls[0]?.resolve(0);
    await first;
    const values = await Promise.all(rest);
    expect(values.at(-1)).toBe(10_000);
    expect([policy.active, policy.queued]).toEqual([0, 0]);
  });

  it('a function that calls execute() again synchronously queues behind earlier waiters', async () => {
    const policy = bulkhead({ limit: 1, queue: { capacity: 5 } });
    const order: string[] = [];
    const inner: Array<Promise<unknown>> = [];
    const g = gate();
    const first = policy.execute(g.fn);
    const second = policy.execute(() => {
      order.push('second');
      inner.push(policy.execute(() => void order.push('nested')));
      return 'second';
    });
    const third = policy.execute(() => void order.push('third'));
    g.calls[0]?.resolve('');
    await Promise.all([first, second, third, ...inner]);
    expect(order).toEqual(['second', 'third', 'nested']);
  });
});

describe('bulkhead › refusals', () => {
  it('with no queue (the default), a call that finds every permit taken is refused at once', async () => {
    const events = createEventHub();
    const seen: BulkheadRejectedEvent[] = [];
    events.on('bulkhead.rejected', (e) => seen.push(e));
    const clock = new ManualClock({ start: 7 });
    const policy = bulkhead({ limit: 1, events, clock, name: 'db' });
    const g = gate();
    void policy.execute(g.fn);
    let ran = false;
    const error = await policy.execute(() => (ran = true)).catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(error).toBeInstanceOf(BulkheadRejectedError);
    expect(isBulkheadRejectedError(error)).toBe(true);
    expect(isRejection(error)).toBe(true);
    expect(error).toMatchObject({ code: 'ERR_BULKHEAD_FULL', name: 'BulkheadRejectedError', reason: 'full', limit: 1, queueCapacity: 0 });
    expect(seen).toEqual([{ type: 'bulkhead.rejected', kind: 'bulkhead', name: 'db', time: 7, reason: 'full', active: 1, queued: 0, limit: 1 }]);
    g.calls[0]?.resolve('');
  });

  it("'reject-new': past the queue's capacity the new caller is refused, the waiters keep their places", async () => {
    const policy = bulkhead({ limit: 1, queue: { capacity: 2 } });
    const g = gate();
    const calls = Array.from({ length: 4 }, () => track(policy.execute(g.fn)));
    await tick();
    expect(calls.map((c) => c.state)).toEqual(['pending', 'pending', 'pending', 'rejected']);
    expect((calls[3]?.error as BulkheadRejectedError).reason).toBe('full');
    expect((calls[3]?.error as BulkheadRejectedError).message).toBe('Bulkhead full: 1 running and 2 waiting');
    expect(g.state.started).toBe(1);
    for (let i = 0; i < 3; i++) {
      g.calls[i]?.resolve(`${i}`);
      await tick();
    }
    expect(calls.slice(0, 3).map((c) => c.value)).toEqual(['0', '1', '2']);
  });

  it("'drop-oldest': the oldest waiter is refused ('evicted') and the new caller queues; its function never runs", async () => {
    const events = createEventHub();
    const reasons: string[] = [];
    events.on('bulkhead.rejected', (e) => reasons.push(`${e.reason} q=${e.queued}`));
    const policy = bulkhead({ limit: 1, queue: { capacity: 2, overflow: 'drop-oldest' }, events });
    const g = gate<number>();
    const started: number[] = [];
    const calls = Array.from({ length: 5 }, (_, i) => track(policy.execute(async (ctx) => (started.push(i), g.fn(ctx)))));
    await tick();
    expect(calls.map((c) => c.state)).toEqual(['pending', 'rejected', 'rejected', 'pending', 'pending']);
    expect((calls[1]?.error as BulkheadRejectedError).reason).toBe('evicted');
    expect(reasons).toEqual(['evicted q=2', 'evicted q=2']); // the newer caller already has the evicted one's place
    expect(policy.queued).toBe(2);
    for (let i = 0; i < 3; i++) {
      g.calls[i]?.resolve(i);
      await tick();
    }
    expect(started).toEqual([0, 3, 4]);
  });

  it('maxWaitMs: a call that waits that long is refused then, and a single timer serves every waiter', async () => {
    const clock = new ManualClock();
    const events = createEventHub();
    const times: number[] = [];
    events.on('bulkhead.rejected', (e) => times.push(e.time));
    const policy = bulkhead({ limit: 1, queue: { capacity: 5, maxWaitMs: 100 }, clock, events });
    const g = gate();
    void policy.execute(g.fn);
    const a = track(policy.execute(g.fn));
    await clock.advance(30);
    const b = track(policy.execute(g.fn));
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(69);
    expect(a.state).toBe('pending');
    await clock.advance(1);
    expect(a.state).toBe('rejected');
    expect(a.error).toMatchObject({ reason: 'max-wait', message: 'Bulkhead full: no permit within 100 ms' });
    expect(b.state).toBe('pending');
    await clock.advance(30);
    expect(b.state).toBe('rejected');
    expect(times).toEqual([100, 130]);
    expect(clock.pendingTimers).toBe(0);
    expect(g.state.started).toBe(1);
    g.calls[0]?.resolve('');
  });

  it('maxWaitMs: each waiter is refused at its own deadline, even 1 ms apart', async () => {
    const clock = new ManualClock();
    const policy = bulkhead({ limit: 1, queue: { capacity: 5, maxWaitMs: 10 }, clock });
    const g = gate();
    void policy.execute(g.fn);
    const a = track(policy.execute(g.fn));
    await clock.advance(1);
    const b = track(policy.execute(g.fn));
    await clock.advance(9);
    expect([a.state, b.state]).toEqual(['rejected', 'pending']);
    await clock.advance(1);
    expect(b.state).toBe('rejected');
    g.calls[0]?.resolve('');
  });

  it('maxWaitMs: a waiter admitted in time runs, and the timer is cleared once nobody waits', async () => {
    const clock = new ManualClock();
    const policy = bulkhead({ limit: 1, queue: { capacity: 5, maxWaitMs: 100 }, clock });
    const g = gate();
    void policy.execute(g.fn);
    const waiting = track(policy.execute(() => 'ran'));
    g.calls[0]?.resolve('');
    await tick();
    expect(waiting.value).toBe('ran');
    expect(clock.pendingTimers).toBe(0);
  });

  it('retry does not retry a bulkhead refusal', async () => {
    const policy = bulkhead({ limit: 1 });
    const g = gate();
    void policy.execute(g.fn);
    let attempts = 0;
    const outer = pipeline(retry({ maxAttempts: 3, clock: new ManualClock() }), {
      execute: (fn) => (attempts++, policy.execute(fn)),
    });
    await expect(outer.execute(() => 'x')).rejects.toBeInstanceOf(BulkheadRejectedError);
    expect(attempts).toBe(1);
    g.calls[0]?.resolve('');
  });
});

describe('bulkhead › drain (lame-duck mode)', () => {
  it('refuses new calls with reason draining while running and waiting calls go on', async () => {
    const events = createEventHub();
    const reasons: string[] = [];
    events.on('bulkhead.rejected', (e) => reasons.push(e.reason));
    const policy = bulkhead({ limit: 1, queue: { capacity: 2 }, events });
    const g = gate();
    const running = track(policy.execute(g.fn));
    const waiting = track(policy.execute(g.fn));
    expect(policy.draining).toBe(false);
    policy.drain();
    policy.drain(); // idempotent
    expect(policy.draining).toBe(true);
    const refused = await policy.execute(() => 'new').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BulkheadRejectedError);
    expect(refused).toMatchObject({ reason: 'draining', message: 'Bulkhead draining: it takes no new work' });
    expect(reasons).toEqual(['draining']);
    g.calls[0]?.resolve('first');
    await tick();
    g.calls[1]?.resolve('second');
    await tick();
    expect([running.value, waiting.value]).toEqual(['first', 'second']);
    expect([policy.active, policy.queued]).toEqual([0, 0]);
  });
});

describe('bulkhead › abort', () => {
  it('a caller that aborts while waiting leaves the queue at once with its reason, freeing its place', async () => {
    const policy = bulkhead({ limit: 1, queue: { capacity: 1 } });
    const g = gate();
    void policy.execute(g.fn);
    const controller = new AbortController();
    const waiting = track(policy.execute(g.fn, { signal: controller.signal }));
    expect(policy.queued).toBe(1);
    const reason = new Error('user pressed stop');
    controller.abort(reason);
    expect(policy.queued).toBe(0); // at once, not when it would have reached the head
    await tick();
    expect(waiting.error).toBe(reason);
    expect(abortListeners(controller.signal)).toBe(0);
    const next = track(policy.execute(() => 'next')); // the freed place is usable
    await tick();
    expect(next.state).toBe('pending');
    g.calls[0]?.resolve('');
    await tick();
    expect(next.value).toBe('next');
    expect(g.state.started).toBe(1);
  });

  it('a caller that aborts while its function runs is rejected at once, but the permit is held until the work settles', async () => {
    const policy = bulkhead({ limit: 1, queue: { capacity: 1 } });
    const g = gate();
    const controller = new AbortController();
    const running = track(policy.execute(g.fn, { signal: controller.signal }));
    const waiting = track(policy.execute(g.fn));
    controller.abort('cancelled');
    await tick();
    expect(running.error).toBe('cancelled');
    expect(g.calls[0]?.context.signal.aborted).toBe(true);
    expect([policy.active, policy.queued, g.state.started]).toEqual([1, 1, 1]);
    g.calls[0]?.resolve('late');
    await tick();
    expect([policy.active, policy.queued, g.state.started]).toEqual([1, 0, 2]);
    g.calls[1]?.resolve('ok');
    await tick();
    expect(waiting.value).toBe('ok');
    expect(policy.active).toBe(0);
  });

  it('failure mode 8: a pre-aborted call never runs and takes no permit', async () => {
    const policy = bulkhead({ limit: 1 });
    let ran = false;
    await expect(policy.execute(() => (ran = true), { signal: AbortSignal.abort('before') })).rejects.toBe('before');
    expect(ran).toBe(false);
    expect(policy.active).toBe(0);
  });
});

describe('bulkhead › properties', () => {
  it('exposes its options and gauges', () => {
    const clock = new ManualClock();
    const events = createEventHub();
    const policy = bulkhead({ limit: 3, queue: { capacity: 9, maxWaitMs: 50, overflow: 'drop-oldest' }, name: 'pg', clock, events });
    expect(policy).toMatchObject({ limit: 3, queueCapacity: 9, maxWaitMs: 50, overflow: 'drop-oldest', active: 0, queued: 0, name: 'pg' });
    expect(policy.clock).toBe(clock);
    expect(policy.events).toBe(events);
    expect(bulkhead({ limit: 1 })).toMatchObject({ queueCapacity: 0, maxWaitMs: Infinity, overflow: 'reject-new', name: 'bulkhead' });
  });
});
