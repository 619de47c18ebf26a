/**
 * The bulkhead under faults: hostile results, listeners that re-enter it synchronously, and the
 * limits of its numeric options.
 */
import { describe, expect, it } from 'vitest';
import { bulkhead, createEventHub, isBulkheadRejectedError } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { deferred, tick, track } from '../queue/track.js';

const never = (): Promise<never> => new Promise<never>(() => undefined);

describe('bulkhead › hostile results', () => {
  it('failure mode 28: a promise whose own `then` calls back twice releases its permit once', async () => {
    const policy = bulkhead({ limit: 1, queue: { capacity: 2 } });
    const twice = Promise.resolve('first');
    Object.defineProperty(twice, 'then', {
      value(onFulfilled: (value: string) => unknown) {
        onFulfilled('first');
        onFulfilled('second');
        return twice;
      },
    });
    await policy.execute(() => twice);
    await tick();
    expect(policy.active).toBe(0);
    const held = deferred<string>();
    void policy.execute(() => held.promise);
    const next = track(policy.execute(() => 'next'));
    await tick();
    expect([policy.active, policy.queued, next.state]).toEqual([1, 1, 'pending']);
    held.resolve('done');
    await tick();
    expect(next.value).toBe('next');
  });

  it('a promise whose `constructor` getter throws rejects the call and frees the permit (execute never throws)', async () => {
    const policy = bulkhead({ limit: 1 });
    const boom = new Error('constructor getter');
    const hostile = Promise.resolve('x');
    Object.defineProperty(hostile, 'constructor', {
      get() {
        throw boom;
      },
    });
    let call: Promise<string> | undefined;
    expect(() => (call = policy.execute(() => hostile))).not.toThrow();
    await expect(call).rejects.toBe(boom);
    expect(policy.active).toBe(0);
  });

  it('a thenable whose `then` throws after calling back settles with the value and frees the permit once', async () => {
    const policy = bulkhead({ limit: 1 });
    const thenable: PromiseLike<string> = {
      then(onFulfilled) {
        onFulfilled?.('value');
        throw new Error('after the fact');
      },
    };
    await expect(policy.execute(() => thenable)).resolves.toBe('value');
    expect(policy.active).toBe(0);
  });
});

describe('bulkhead › synchronous re-entrancy', () => {
  it("'drop-oldest': a bulkhead.rejected listener that calls execute() keeps queued <= capacity", async () => {
    const events = createEventHub();
    const policy = bulkhead({ limit: 1, queue: { capacity: 1, overflow: 'drop-oldest' }, events });
    const queuedSeen: number[] = [];
    let again = true;
    events.on('bulkhead.rejected', () => {
      if (again) {
        again = false;
        void policy.execute(() => 'from the listener').catch(() => undefined);
      }
      queuedSeen.push(policy.queued);
    });
    void policy.execute(never);
    void policy.execute(() => 'oldest').catch(() => undefined);
    void policy.execute(() => 'newest').catch(() => undefined);
    expect(policy.queued).toBeLessThanOrEqual(1);
    expect(Math.max(...queuedSeen)).toBeLessThanOrEqual(1);
  });

  it('a bulkhead.rejected listener that calls execute() while waiters expire: each waiter is refused at its own deadline', async () => {
    const clock = new ManualClock();
    const events = createEventHub();
    const policy = bulkhead({ limit: 1, queue: { capacity: 5, maxWaitMs: 100 }, clock, events });
    const late: Array<ReturnType<typeof track<string>>> = [];
    events.on('bulkhead.rejected', () => {
      if (late.length === 0) late.push(track(policy.execute(() => 'late'))); // deadline 200
    });
    void policy.execute(never);
    const first = track(policy.execute(() => 'first')); // deadline 100
    await clock.advance(50);
    const second = track(policy.execute(() => 'second')); // deadline 150
    await clock.advance(50);
    expect(first.state).toBe('rejected');
    await clock.advance(50);
    expect(second.state).toBe('rejected'); // at 150, not at 200
    expect(isBulkheadRejectedError(second.error)).toBe(true);
    await clock.advance(50);
    expect(late[0]?.state).toBe('rejected');
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('bulkhead › callers and functions that re-enter', () => {
  it("an abort listener that calls execute() again: the aborted caller has left, the new call queues in its place", async () => {
    const policy = bulkhead({ limit: 1, queue: { capacity: 1 } });
    const held = deferred<string>();
    void policy.execute(() => held.promise);
    const controller = new AbortController();
    const waiting = track(policy.execute(() => 'never', { signal: controller.signal }));
    let again: ReturnType<typeof track<string>> | undefined;
    controller.signal.addEventListener('abort', () => {
      again = track(policy.execute(() => 'again'));
    });
    controller.abort('gone');
    expect(policy.queued).toBe(1); // the new call, not one too many
    held.resolve('done');
    await tick();
    expect([waiting.error, again?.value, policy.active, policy.queued]).toEqual(['gone', 'again', 0, 0]);
  });

  it('waiting functions that throw synchronously when admitted free their permit, and the next waiters run', async () => {
    const policy = bulkhead({ limit: 2, queue: { capacity: 5 } });
    const held = [deferred<string>(), deferred<string>()];
    for (const d of held) void policy.execute(() => d.promise);
    const boom = new Error('sync');
    const calls = [
      track(
        policy.execute(() => {
          throw boom;
        }),
      ),
      track(
        policy.execute(() => {
          throw boom;
        }),
      ),
      track(policy.execute(() => 'third')),
    ];
    held[0]?.resolve('a');
    await tick();
    expect(calls.map((c) => c.error ?? c.value)).toEqual([boom, boom, 'third']);
    expect([policy.active, policy.queued]).toEqual([1, 0]);
    held[1]?.resolve('b');
    await tick();
    expect(policy.active).toBe(0);
  });
});

describe('bulkhead › numeric limits', () => {
  it('queue.maxWaitMs 2^53 on a clock far from 0: one timer, waiters wait, and leave with no timer behind', async () => {
    const clock = new ManualClock({ start: 2 ** 50 });
    const policy = bulkhead({ limit: 1, queue: { capacity: 2, maxWaitMs: 2 ** 53 }, clock });
    const held = deferred<string>();
    void policy.execute(() => held.promise);
    const controller = new AbortController();
    const waiting = [track(policy.execute(() => 'a', { signal: controller.signal })), track(policy.execute(() => 'b'))];
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(2 ** 40);
    expect(waiting.map((w) => w.state)).toEqual(['pending', 'pending']);
    controller.abort('gone');
    held.resolve('done');
    await tick();
    expect([waiting[0]?.error, waiting[1]?.value, clock.pendingTimers]).toEqual(['gone', 'b', 0]);
  });

  it('queue.maxWaitMs on a clock far from 0 refuses at the deadline', async () => {
    const clock = new ManualClock({ start: 2 ** 50 });
    const policy = bulkhead({ limit: 1, queue: { capacity: 2, maxWaitMs: 10 }, clock });
    void policy.execute(never);
    const waiting = track(policy.execute(() => 'x'));
    await clock.advance(9);
    expect(waiting.state).toBe('pending');
    await clock.advance(1);
    expect(waiting.error).toMatchObject({ reason: 'max-wait' });
  });


  it('queue.maxWaitMs 0 never waits: a call that finds every permit taken is refused at once, with no timer', async () => {
    const clock = new ManualClock();
    const policy = bulkhead({ limit: 1, queue: { capacity: 5, maxWaitMs: 0 }, clock });
    void policy.execute(never);
    const call = track(policy.execute(() => 'x'));
    await tick();
    expect(call.state).toBe('rejected');
    expect(call.error).toMatchObject({ reason: 'max-wait' });
    expect([policy.queued, clock.pendingTimers]).toEqual([0, 0]);
  });
});
