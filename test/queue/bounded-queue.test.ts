/** Pushing and taking, the four overflow policies, and the queue's properties. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  boundedQueue,
  createEventHub,
  isQueueFullError,
  isRejection,
  QueueFullError,
  type QueueDroppedEvent,
  type QueueRejectedEvent,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { expectLedger, tick, track } from './track.js';

afterEach(() => {
  vi.restoreAllMocks();
});

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
