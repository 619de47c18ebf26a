import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  boundedQueue,
  createEventHub,
  isQueueClosedError,
  isQueueFullError,
  isRejection,
  QueueClosedError,
  QueueFullError,
  type BoundedQueue,
  type QueueDroppedEvent,
  type QueueRejectedEvent,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { abortListeners, tick, track } from './track.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** The ledger every queue keeps at every step. */
function expectLedger<T>(queue: BoundedQueue<T>): void {
  expect(queue.pushed).toBe(queue.taken + queue.dropped + queue.refused + queue.size);
  expect(queue.size).toBeLessThanOrEqual(queue.capacity);
}

describe('boundedQueue › push and take', () => {
  it('hands items out in the order they were pushed', async () => {
    const queue = boundedQueue<number>({ capacity: 10 });
    for (let i = 1; i <= 5; i++) await queue.push(i);
    expect(queue.size).toBe(5);
    const out: number[] = [];
    for (let i = 0; i < 5; i++) out.push(await queue.take());
    expect(out).toEqual([1, 2, 3, 4, 5]);
    expect(queue.size).toBe(0);
    expectLedger(queue);
  });

  it('keeps FIFO order across many wrap-arounds of its ring buffer', () => {
    const queue = boundedQueue<number>({ capacity: 100 });
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 200; round++) {
      for (let i = 0; i < 37; i++) expect(queue.tryPush(next++)).toBe(true);
      for (let i = 0; i < 37; i++) expect(queue.tryTake()).toBe(expected++);
    }
    expect(queue.size).toBe(0);
    expectLedger(queue);
  });

  it('take() waits for the next push, and waiting consumers are served in order', async () => {
    const queue = boundedQueue<string>({ capacity: 2 });
    const first = track(queue.take());
    const second = track(queue.take());
    await tick();
    expect(first.state).toBe('pending');
    expect(queue.waitingConsumers).toBe(2);
    await queue.push('a');
    await queue.push('b');
    await tick();
    expect(first.value).toBe('a');
    expect(second.value).toBe('b');
    expect(queue.size).toBe(0);
    expect(queue.taken).toBe(2);
    expectLedger(queue);
  });

  it('tryTake() returns undefined on an empty queue without waiting', () => {
    const queue = boundedQueue<number>({ capacity: 1 });
    expect(queue.tryTake()).toBeUndefined();
    expect(queue.taken).toBe(0);
    queue.tryPush(7);
    expect(queue.tryTake()).toBe(7);
  });

  it('takeAll() takes every item, oldest first, including those of blocked producers', async () => {
    const queue = boundedQueue<number>({ capacity: 2, overflow: 'block' });
    await queue.push(1);
    await queue.push(2);
    const third = track(queue.push(3));
    const fourth = track(queue.push(4));
    expect(queue.waitingProducers).toBe(2);
    expect(queue.takeAll()).toEqual([1, 2, 3, 4]);
    await tick();
    expect(third.state).toBe('fulfilled');
    expect(fourth.state).toBe('fulfilled');
    expect(queue.size).toBe(0);
    expectLedger(queue);
  });
});

describe('boundedQueue › overflow', () => {
  it("'reject' (the default): a push on a full queue fails with QueueFullError and the item stays out", async () => {
    const events = createEventHub();
    const rejected: QueueRejectedEvent[] = [];
    events.on('queue.rejected', (e) => rejected.push(e));
    const clock = new ManualClock({ start: 5 });
    const queue = boundedQueue<string>({ capacity: 1, events, clock, name: 'jobs' });
    expect(queue.overflow).toBe('reject');
    await queue.push('a');
    const error = await queue.push('b').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueFullError);
    expect(isQueueFullError(error)).toBe(true);
    expect(isRejection(error)).toBe(true);
    expect((error as QueueFullError).code).toBe('ERR_QUEUE_FULL');
    expect((error as QueueFullError).name).toBe('QueueFullError');
    expect((error as QueueFullError).capacity).toBe(1);
    expect(queue.tryPush('c')).toBe(false);
    expect(queue.takeAll()).toEqual(['a']);
    expect(queue.refused).toBe(2);
    expect(rejected).toEqual([
      { type: 'queue.rejected', kind: 'queue', name: 'jobs', time: 5, reason: 'full', size: 1 },
      { type: 'queue.rejected', kind: 'queue', name: 'jobs', time: 5, reason: 'full', size: 1 },
    ]);
    expectLedger(queue);
  });

  it("'drop-newest': the push succeeds, the new item is discarded and reported once", async () => {
    const events = createEventHub();
    const dropped: QueueDroppedEvent[] = [];
    events.on('queue.dropped', (e) => dropped.push(e));
    const onDrop = vi.fn();
    const queue = boundedQueue<string>({ capacity: 2, overflow: 'drop-newest', onDrop, events, clock: new ManualClock() });
    await queue.push('a');
    await queue.push('b');
    await queue.push('c');
    expect(queue.tryPush('d')).toBe(false);
    expect(queue.takeAll()).toEqual(['a', 'b']);
    expect(onDrop.mock.calls).toEqual([
      ['c', 'drop-newest'],
      ['d', 'drop-newest'],
    ]);
    expect(dropped.map((e) => [e.item, e.reason, e.size, e.kind, e.name])).toEqual([
      ['c', 'drop-newest', 2, 'queue', 'queue'],
      ['d', 'drop-newest', 2, 'queue', 'queue'],
    ]);
    expect(queue.dropped).toBe(2);
    expectLedger(queue);
  });

  it("'drop-oldest': the oldest item is evicted and reported, the new one is added", async () => {
    const events = createEventHub();
    const dropped: QueueDroppedEvent[] = [];
    events.on('queue.dropped', (e) => dropped.push(e));
    const onDrop = vi.fn();
    const queue = boundedQueue<number>({ capacity: 3, overflow: 'drop-oldest', onDrop, events });
    for (let i = 1; i <= 5; i++) await queue.push(i);
    expect(queue.tryPush(6)).toBe(true);
    expect(queue.size).toBe(3);
    expect(queue.takeAll()).toEqual([4, 5, 6]);
    expect(onDrop.mock.calls).toEqual([
      [1, 'drop-oldest'],
      [2, 'drop-oldest'],
      [3, 'drop-oldest'],
    ]);
    expect(dropped.map((e) => e.item)).toEqual([1, 2, 3]);
    expect(dropped.every((e) => e.size === 3)).toBe(true);
    expectLedger(queue);
  });

  it('a throwing onDrop is reported once with console.error and changes nothing else', async () => {
    const report = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const events = createEventHub();
    const dropped: unknown[] = [];
    events.on('queue.dropped', (e) => dropped.push(e.item));
    const boom = new Error('listener bug');
    const queue = boundedQueue<number>({
      capacity: 1,
      overflow: 'drop-oldest',
      events,
      onDrop: () => {
        throw boom;
      },
    });
    await queue.push(1);
    await expect(queue.push(2)).resolves.toBeUndefined();
    expect(report).toHaveBeenCalledTimes(1);
    expect(report.mock.calls[0]).toContain(boom);
    expect(dropped).toEqual([1]);
    expect(queue.takeAll()).toEqual([2]);
    expectLedger(queue);
  });

  it("'block': a producer waits for room, and waiting producers are served in order", async () => {
    const queue = boundedQueue<string>({ capacity: 1, overflow: 'block' });
    await queue.push('a');
    const b = track(queue.push('b'));
    const c = track(queue.push('c'));
    const d = track(queue.push('d'));
    await tick();
    expect([b.state, c.state, d.state]).toEqual(['pending', 'pending', 'pending']);
    expect(queue.waitingProducers).toBe(3);
    expect(queue.size).toBe(1);
    expect(await queue.take()).toBe('a');
    await tick();
    expect([b.state, c.state, d.state]).toEqual(['fulfilled', 'pending', 'pending']);
    expect(queue.size).toBe(1);
    expect(await queue.take()).toBe('b');
    expect(await queue.take()).toBe('c');
    expect(await queue.take()).toBe('d');
    await tick();
    expect(d.state).toBe('fulfilled');
    expect(queue.waitingProducers).toBe(0);
    expectLedger(queue);
  });

  it("'block' with tryPush never waits: a full queue refuses", () => {
    const queue = boundedQueue<number>({ capacity: 1, overflow: 'block' });
    expect(queue.tryPush(1)).toBe(true);
    expect(queue.tryPush(2)).toBe(false);
    expect(queue.refused).toBe(1);
    expect(queue.waitingProducers).toBe(0);
  });

  it("'block' with maxWaitMs: a producer that gets no room in time fails with QueueFullError, at that time", async () => {
    const clock = new ManualClock();
    const events = createEventHub();
    const rejected: string[] = [];
    events.on('queue.rejected', (e) => rejected.push(`${e.reason}@${e.time}`));
    const queue = boundedQueue<number>({ capacity: 1, overflow: 'block', maxWaitMs: 100, clock, events });
    await queue.push(1);
    const early = track(queue.push(2));
    await clock.advance(40);
    const late = track(queue.push(3));
    expect(clock.pendingTimers).toBe(1); // one timer for every blocked producer
    await clock.advance(59);
    expect(early.state).toBe('pending');
    await clock.advance(1);
    expect(early.state).toBe('rejected');
    expect(isQueueFullError(early.error)).toBe(true);
    expect((early.error as Error).message).toContain('100 ms');
    expect(late.state).toBe('pending');
    await clock.advance(40);
    expect(late.state).toBe('rejected');
    expect(rejected).toEqual(['max-wait@100', 'max-wait@140']);
    expect(clock.pendingTimers).toBe(0);
    expect(queue.takeAll()).toEqual([1]);
    expectLedger(queue);
  });

  it("'block' with maxWaitMs: producers 1 ms apart are refused 1 ms apart", async () => {
    const clock = new ManualClock();
    const queue = boundedQueue<number>({ capacity: 1, overflow: 'block', maxWaitMs: 10, clock });
    queue.tryPush(0);
    const a = track(queue.push(1));
    await clock.advance(1);
    const b = track(queue.push(2));
    await clock.advance(9);
    expect([a.state, b.state]).toEqual(['rejected', 'pending']);
    await clock.advance(1);
    expect(b.state).toBe('rejected');
  });

  it("'block' with maxWaitMs: a producer let in before its deadline clears the timer", async () => {
    const clock = new ManualClock();
    const queue = boundedQueue<number>({ capacity: 1, overflow: 'block', maxWaitMs: 1_000, clock });
    await queue.push(1);
    const second = track(queue.push(2));
    expect(clock.pendingTimers).toBe(1);
    expect(queue.tryTake()).toBe(1);
    await tick();
    expect(second.state).toBe('fulfilled');
    expect(clock.pendingTimers).toBe(0);
  });

  it("'block' with maxWaitMs 0 refuses at once, like 'reject', without a timer", async () => {
    const clock = new ManualClock();
    const queue = boundedQueue<number>({ capacity: 1, overflow: 'block', maxWaitMs: 0, clock });
    await queue.push(1);
    await expect(queue.push(2)).rejects.toBeInstanceOf(QueueFullError);
    expect(clock.pendingTimers).toBe(0);
    expect(queue.waitingProducers).toBe(0);
  });
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

describe('boundedQueue › properties', () => {
  it('exposes its options and counters', () => {
    const clock = new ManualClock();
    const events = createEventHub();
    const queue = boundedQueue<number>({ capacity: 8, overflow: 'block', maxWaitMs: 250, name: 'q', clock, events });
    expect(queue).toMatchObject({ capacity: 8, overflow: 'block', maxWaitMs: 250, name: 'q', size: 0, closed: false });
    expect(queue.clock).toBe(clock);
    expect(queue.events).toBe(events);
    expect(boundedQueue({ capacity: 1 })).toMatchObject({ name: 'queue', overflow: 'reject', maxWaitMs: Infinity });
  });
});
