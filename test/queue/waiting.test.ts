/** The waiting side of the queue: aborts, close(), drained() and async iteration. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { boundedQueue, createEventHub, isQueueClosedError, isRejection, QueueClosedError } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { abortListeners, expectLedger, tick, track } from './track.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('boundedQueue › abort', () => {
  it('a blocked producer that aborts leaves at once with its reason, and its item is not added', async () => {
    const clock = new ManualClock();
    const queue = boundedQueue<string>({ capacity: 1, overflow: 'block', maxWaitMs: 10_000, clock });
    await queue.push('a');
    const controller = new AbortController();
    const b = track(queue.push('b'));
    const c = track(queue.push('c', { signal: controller.signal }));
    const d = track(queue.push('d'));
    expect(abortListeners(controller.signal)).toBe(1);
    const reason = new Error('client went away');
    controller.abort(reason);
    await tick();
    expect(c.state).toBe('rejected');
    expect(c.error).toBe(reason);
    expect(queue.waitingProducers).toBe(2);
    expect(abortListeners(controller.signal)).toBe(0);
    expect(queue.takeAll()).toEqual(['a', 'b', 'd']);
    await tick();
    expect([b.state, d.state]).toEqual(['fulfilled', 'fulfilled']);
    expect(queue.refused).toBe(1);
    expect(clock.pendingTimers).toBe(0);
    expectLedger(queue);
  });

  it('the last blocked producer aborting clears the maxWaitMs timer', async () => {
    const clock = new ManualClock();
    const queue = boundedQueue<number>({ capacity: 1, overflow: 'block', maxWaitMs: 500, clock });
    await queue.push(1);
    const controller = new AbortController();
    const pending = track(queue.push(2, { signal: controller.signal }));
    expect(clock.pendingTimers).toBe(1);
    controller.abort();
    await tick();
    expect(pending.state).toBe('rejected');
    expect(clock.pendingTimers).toBe(0);
  });

  it('a waiting consumer that aborts leaves at once; the next item goes to the next consumer', async () => {
    const queue = boundedQueue<number>({ capacity: 4 });
    const controller = new AbortController();
    const first = track(queue.take({ signal: controller.signal }));
    const second = track(queue.take());
    controller.abort('stop');
    await tick();
    expect(first.state).toBe('rejected');
    expect(first.error).toBe('stop');
    expect(queue.waitingConsumers).toBe(1);
    await queue.push(9);
    await tick();
    expect(second.value).toBe(9);
    expect(queue.size).toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('failure mode 8: a pre-aborted push, take or drained() does nothing and rejects with the reason', async () => {
    const queue = boundedQueue<number>({ capacity: 1 });
    await queue.push(1);
    const signal = AbortSignal.abort('already');
    await expect(queue.take({ signal })).rejects.toBe('already');
    expect(queue.size).toBe(1);
    await expect(queue.drained({ signal })).rejects.toBe('already');
    queue.tryTake();
    await expect(queue.push(2, { signal })).rejects.toBe('already');
    expect(queue.size).toBe(0);
    expect(queue.refused).toBe(1);
    expect(abortListeners(signal)).toBe(0);
    expectLedger(queue);
  });

  it('a signal that is not an AbortSignal rejects the operation with a TypeError (iterate throws)', async () => {
    const queue = boundedQueue<number>({ capacity: 1, overflow: 'block' });
    const bad = { signal: {} as AbortSignal };
    await expect(queue.push(1, bad)).rejects.toThrow('BoundedQueue.push(): `signal` must be an AbortSignal, got an object');
    await expect(queue.take({ signal: null as unknown as AbortSignal })).rejects.toThrow(TypeError);
    await expect(queue.drained(bad)).rejects.toThrow(TypeError);
    expect(() => queue.iterate(bad)).toThrow(TypeError);
    expect([queue.size, queue.pushed, queue.waitingConsumers]).toEqual([0, 0, 0]);
  });

  it('a signal that never aborts leaves no listener once the operations settle', async () => {
    const queue = boundedQueue<number>({ capacity: 1, overflow: 'block' });
    const signal = new AbortController().signal;
    const takes = [track(queue.take({ signal })), track(queue.take({ signal }))];
    expect(abortListeners(signal)).toBe(1);
    await queue.push(1, { signal });
    await queue.push(2, { signal });
    await tick();
    expect(takes.map((t) => t.value)).toEqual([1, 2]);
    expect(abortListeners(signal)).toBe(0);
  });
});

describe('boundedQueue › close', () => {
  it('refuses later pushes, settles waiting producers at once, and keeps queued items takeable', async () => {
    const events = createEventHub();
    const rejected: string[] = [];
    events.on('queue.rejected', (e) => rejected.push(e.reason));
    const queue = boundedQueue<number>({ capacity: 2, overflow: 'block', events });
    await queue.push(1);
    await queue.push(2);
    const blocked = track(queue.push(3));
    queue.close();
    expect(queue.closed).toBe(true);
    await tick();
    expect(blocked.state).toBe('rejected');
    expect(blocked.error).toBeInstanceOf(QueueClosedError);
    expect(isQueueClosedError(blocked.error)).toBe(true);
    expect((blocked.error as QueueClosedError).code).toBe('ERR_QUEUE_CLOSED');
    expect((blocked.error as QueueClosedError).name).toBe('QueueClosedError');
    expect(isRejection(blocked.error)).toBe(true);
    await expect(queue.push(4)).rejects.toBeInstanceOf(QueueClosedError);
    expect(() => queue.tryPush(5)).toThrow(QueueClosedError);
    expect(await queue.take()).toBe(1);
    expect(queue.tryTake()).toBe(2);
    await expect(queue.take()).rejects.toBeInstanceOf(QueueClosedError);
    expect(rejected).toEqual(['closed', 'closed', 'closed']);
    expect(queue.refused).toBe(3);
    expectLedger(queue);
  });

  it('settles waiting consumers at once with QueueClosedError', async () => {
    const queue = boundedQueue<number>({ capacity: 2 });
    const waiting = [track(queue.take()), track(queue.take())];
    queue.close();
    await tick();
    expect(waiting.map((w) => w.state)).toEqual(['rejected', 'rejected']);
    expect(waiting.every((w) => isQueueClosedError(w.error))).toBe(true);
    expect(queue.waitingConsumers).toBe(0);
  });

  it('is idempotent, and takeAll() after close returns what is left', async () => {
    const queue = boundedQueue<string>({ capacity: 3 });
    await queue.push('x');
    await queue.push('y');
    queue.close();
    queue.close();
    expect(queue.takeAll()).toEqual(['x', 'y']);
    expect(queue.takeAll()).toEqual([]);
    expectLedger(queue);
  });

  it('clears the maxWaitMs timer and every abort listener', async () => {
    const clock = new ManualClock();
    const queue = boundedQueue<number>({ capacity: 1, overflow: 'block', maxWaitMs: 1_000, clock });
    const signal = new AbortController().signal;
    await queue.push(1);
    const blocked = track(queue.push(2, { signal }));
    expect(clock.pendingTimers).toBe(1);
    queue.close();
    await tick();
    expect(blocked.state).toBe('rejected');
    expect(clock.pendingTimers).toBe(0);
    expect(abortListeners(signal)).toBe(0);
  });
});

describe('boundedQueue › drained', () => {
  it('resolves at once on an empty queue, and when the last item is taken', async () => {
    const queue = boundedQueue<number>({ capacity: 3 });
    await expect(queue.drained()).resolves.toBeUndefined();
    await queue.push(1);
    await queue.push(2);
    const drained = track(queue.drained());
    queue.tryTake();
    await tick();
    expect(drained.state).toBe('pending');
    await queue.take();
    await tick();
    expect(drained.state).toBe('fulfilled');
  });

  it('does not resolve on close while items are left, only once they are taken', async () => {
    const queue = boundedQueue<number>({ capacity: 3 });
    await queue.push(1);
    const drained = track(queue.drained());
    queue.close();
    await tick();
    expect(drained.state).toBe('pending');
    queue.takeAll();
    await tick();
    expect(drained.state).toBe('fulfilled');
  });

  it('a drained() wait can be aborted, leaving no listener', async () => {
    const queue = boundedQueue<number>({ capacity: 3 });
    await queue.push(1);
    const controller = new AbortController();
    const drained = track(queue.drained({ signal: controller.signal }));
    controller.abort('enough');
    await tick();
    expect(drained.error).toBe('enough');
    expect(abortListeners(controller.signal)).toBe(0);
  });
});

describe('boundedQueue › iteration', () => {
  it('for await yields items as they arrive and ends once the queue is closed and empty', async () => {
    const queue = boundedQueue<number>({ capacity: 2, overflow: 'block' });
    const seen: number[] = [];
    const consumer = (async () => {
      for await (const item of queue) seen.push(item);
      return 'ended';
    })();
    for (let i = 0; i < 6; i++) await queue.push(i);
    queue.close();
    expect(await consumer).toBe('ended');
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    expectLedger(queue);
  });

  it('break stops taking: a waiting next() is withdrawn and nothing more is taken', async () => {
    const queue = boundedQueue<number>({ capacity: 4 });
    await queue.push(1);
    await queue.push(2);
    for await (const item of queue) {
      expect(item).toBe(1);
      break;
    }
    expect(queue.size).toBe(1);
    const iterator = queue.iterate();
    expect(await iterator.next()).toEqual({ done: false, value: 2 });
    const waiting = track(iterator.next());
    expect(queue.waitingConsumers).toBe(1);
    await iterator.return?.();
    await tick();
    expect(waiting.value).toEqual({ done: true, value: undefined });
    expect(queue.waitingConsumers).toBe(0);
    await queue.push(3);
    expect(queue.size).toBe(1);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('iterate({ signal }): aborting rejects the waiting next() with the reason', async () => {
    const queue = boundedQueue<number>({ capacity: 4 });
    const controller = new AbortController();
    const consumer = (async () => {
      for await (const item of queue.iterate({ signal: controller.signal })) void item;
    })();
    await tick();
    expect(queue.waitingConsumers).toBe(1);
    controller.abort(new Error('shutdown'));
    await expect(consumer).rejects.toThrow('shutdown');
    expect(queue.waitingConsumers).toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('a closed queue ends a waiting iteration with done, not an error', async () => {
    const queue = boundedQueue<number>({ capacity: 1 });
    const iterator = queue[Symbol.asyncIterator]();
    const next = track(iterator.next());
    queue.close();
    await tick();
    expect(next.value).toEqual({ done: true, value: undefined });
  });
});
