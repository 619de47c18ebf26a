/**
 * The queue under faults: an abort in the same tick as a handover or a close, callbacks and
 * listeners that re-enter the queue synchronously, and iterators used by hand.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedQueue, createEventHub, isQueueClosedError, isQueueFullError } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { abortListeners, expectLedger, tick, track } from './track.js';

describe('boundedQueue › abort at the moment of a handover', () => {
  it('a waiting take() handed an item keeps it, even if its signal aborts in the same tick (the item is never lost)', async () => {
    const queue = boundedQueue<string>({ capacity: 1 });
    const controller = new AbortController();
    const take = track(queue.take({ signal: controller.signal }));
    expect(queue.tryPush('precious')).toBe(true); // handed straight to the waiting consumer
    controller.abort('too late');
    await tick();
    expect(take.state).toBe('fulfilled');
    expect(take.value).toBe('precious');
    expect([queue.taken, queue.size]).toEqual([1, 0]);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('a waiting iterator next() handed an item keeps it, even if its signal aborts in the same tick', async () => {
    const queue = boundedQueue<string>({ capacity: 1 });
    const controller = new AbortController();
    const next = track(queue.iterate({ signal: controller.signal }).next());
    queue.tryPush('precious');
    controller.abort('too late');
    await tick();
    expect(next.value).toEqual({ done: false, value: 'precious' });
  });

  it('a blocked push let in resolves, even if its signal aborts in the same tick (its item is in the queue)', async () => {
    const queue = boundedQueue<string>({ capacity: 1, overflow: 'block' });
    queue.tryPush('a');
    const controller = new AbortController();
    const push = track(queue.push('b', { signal: controller.signal }));
    expect(queue.tryTake()).toBe('a'); // lets 'b' in
    controller.abort('too late');
    await tick();
    expect(push.state).toBe('fulfilled');
    expect(queue.takeAll()).toEqual(['b']);
    expect(queue.refused).toBe(0);
    expectLedger(queue);
  });

  it('a blocked push refused by close() gets QueueClosedError, even if its signal aborts in the same tick', async () => {
    const events = createEventHub();
    const rejected: string[] = [];
    events.on('queue.rejected', (e) => rejected.push(e.reason));
    const queue = boundedQueue<string>({ capacity: 1, overflow: 'block', events });
    queue.tryPush('a');
    const controller = new AbortController();
    const push = track(queue.push('b', { signal: controller.signal }));
    queue.close();
    controller.abort('too late');
    await tick();
    expect(isQueueClosedError(push.error)).toBe(true); // the outcome the event reported
    expect(rejected).toEqual(['closed']);
    expect(queue.refused).toBe(1);
    expectLedger(queue);
  });

  it('a take() ended by close() gets QueueClosedError, even if its signal aborts in the same tick', async () => {
    const queue = boundedQueue<string>({ capacity: 1 });
    const controller = new AbortController();
    const take = track(queue.take({ signal: controller.signal }));
    queue.close();
    controller.abort('too late');
    await tick();
    expect(isQueueClosedError(take.error)).toBe(true);
  });

  it('an abort in the same tick before the handover wins: the item goes to the next consumer', async () => {
    const queue = boundedQueue<string>({ capacity: 1 });
    const controller = new AbortController();
    const first = track(queue.take({ signal: controller.signal }));
    const second = track(queue.take());
    controller.abort('gone');
    queue.tryPush('x');
    await tick();
    expect([first.error, second.value]).toEqual(['gone', 'x']);
  });
});

type Action = { readonly op: 'push' | 'take' | 'next' | 'tryTake' | 'close' } | { readonly op: 'abort'; readonly pick: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.constantFrom<Action>({ op: 'push' }, { op: 'take' }, { op: 'next' }, { op: 'tryTake' }), weight: 12 },
  { arbitrary: fc.nat(20).map((pick): Action => ({ op: 'abort', pick })), weight: 6 },
  { arbitrary: fc.constant<Action>({ op: 'close' }), weight: 1 },
);

describe('boundedQueue › aborts in the same tick as anything else', () => {
  it('batches of synchronous push, take, next(), tryTake, abort and close: every item a producer was told is in is taken by exactly one consumer that receives it, or left in the queue', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.array(fc.array(action, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }), async (capacity, batches) => {
        const queue = boundedQueue<number>({ capacity, overflow: 'block' });
        const controllers: AbortController[] = [];
        const accepted: number[] = [];
        const received: number[] = [];
        const settled: Array<Promise<unknown>> = [];
        let next = 0;
        for (const batch of batches) {
          for (const a of batch) {
            const controller = new AbortController();
            if (a.op === 'push') {
              const item = next++;
              controllers.push(controller);
              settled.push(queue.push(item, { signal: controller.signal }).then(() => void accepted.push(item), () => undefined));
            } else if (a.op === 'take') {
              controllers.push(controller);
              settled.push(queue.take({ signal: controller.signal }).then((item) => void received.push(item), () => undefined));
            } else if (a.op === 'next') {
              controllers.push(controller);
              const result = queue.iterate({ signal: controller.signal }).next();
              settled.push(result.then((r) => void (r.done === true ? undefined : received.push(r.value)), () => undefined));
            } else if (a.op === 'tryTake') {
              if (queue.size > 0) received.push(queue.tryTake() as number);
            } else if (a.op === 'abort') {
              controllers[a.pick % Math.max(1, controllers.length)]?.abort('gone');
            } else {
              queue.close();
            }
          }
          await tick();
        }
        queue.close();
        const left = queue.takeAll();
        await Promise.all(settled);
        expect([...received].sort((x, y) => x - y)).toEqual([...new Set(received)].sort((x, y) => x - y)); // nobody got an item twice
        expect([...received, ...left].sort((x, y) => x - y)).toEqual([...accepted].sort((x, y) => x - y));
        expect(queue.taken).toBe(received.length + left.length);
        expectLedger(queue);
        for (const c of controllers) expect(abortListeners(c.signal)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('boundedQueue › synchronous re-entrancy', () => {
  it('a queue.rejected listener that pushes while blocked producers expire: every producer is refused at its own deadline', async () => {
    const clock = new ManualClock();
    const events = createEventHub();
    const queue = boundedQueue<number>({ capacity: 1, overflow: 'block', maxWaitMs: 100, clock, events });
    const late: Array<ReturnType<typeof track<void>>> = [];
    events.on('queue.rejected', (e) => {
      if (e.reason === 'max-wait' && late.length === 0) late.push(track(queue.push(3))); // deadline 200
    });
    queue.tryPush(0);
    const first = track(queue.push(1)); // deadline 100
    await clock.advance(50);
    const second = track(queue.push(2)); // deadline 150
    await clock.advance(50);
    expect(first.state).toBe('rejected');
    expect(late).toHaveLength(1);
    await clock.advance(50);
    expect(second.state).toBe('rejected'); // at 150, not at 200
    expect(isQueueFullError(second.error)).toBe(true);
    await clock.advance(50);
    expect(late[0]?.state).toBe('rejected');
    expect(clock.pendingTimers).toBe(0);
    expectLedger(queue);
  });

  it('a queue.rejected listener that takes during close(): no blocked producer gets in after close', async () => {
    const events = createEventHub();
    const queue = boundedQueue<number>({ capacity: 1, overflow: 'block', events });
    events.on('queue.rejected', () => void queue.tryTake());
    queue.tryPush(0);
    const producers = [track(queue.push(1)), track(queue.push(2))];
    queue.close();
    await tick();
    expect(producers.map((p) => isQueueClosedError(p.error))).toEqual([true, true]);
    expect(queue.size).toBe(0);
    expectLedger(queue);
  });

  it('an onDrop that pushes and takes re-entrantly keeps size <= capacity, the order and the ledger', () => {
    const seen: number[] = [];
    const queue = boundedQueue<number>({
      capacity: 2,
      overflow: 'drop-oldest',
      onDrop: (item) => {
        seen.push(item);
        if (item === 1) {
          queue.tryPush(100);
          expect(queue.size).toBeLessThanOrEqual(2);
        }
      },
    });
    for (let i = 1; i <= 4; i++) queue.tryPush(i);
    expect(queue.size).toBeLessThanOrEqual(2);
    // 3 evicts 1, whose onDrop pushes 100 (evicting 2, reported in turn); then 4 evicts 3.
    expect(seen).toEqual([1, 2, 3]);
    expect(queue.takeAll()).toEqual([100, 4]);
    expectLedger(queue);
  });
});

describe('boundedQueue › listeners that close, and odd signals', () => {
  it('a queue.rejected listener that closes while blocked producers expire: every one settles once, no timer left', async () => {
    const clock = new ManualClock({ start: 2 ** 50 });
    const events = createEventHub();
    const queue = boundedQueue<number>({ capacity: 1, overflow: 'block', maxWaitMs: 10, clock, events });
    events.on('queue.rejected', (e) => {
      if (e.reason === 'max-wait') queue.close();
    });
    queue.tryPush(0);
    const first = track(queue.push(1));
    await clock.advance(5);
    const second = track(queue.push(2));
    await clock.advance(5);
    expect(isQueueFullError(first.error)).toBe(true);
    expect(isQueueClosedError(second.error)).toBe(true);
    expect([queue.refused, clock.pendingTimers]).toEqual([2, 0]);
    expectLedger(queue);
  });

  it('a signal without removeEventListener is refused up front (it could not be unlinked)', async () => {
    const queue = boundedQueue<number>({ capacity: 1 });
    const half = { signal: { aborted: false, addEventListener() {} } as unknown as AbortSignal };
    await expect(queue.take(half)).rejects.toThrow('BoundedQueue.take(): `signal` must be an AbortSignal, got an object');
    expect(queue.waitingConsumers).toBe(0);
  });
});

describe('boundedQueue › iterators used by hand', () => {
  it('return() withdraws every next() still waiting, not only the last one', async () => {
    const queue = boundedQueue<number>({ capacity: 4 });
    const iterator = queue.iterate();
    const first = track(iterator.next());
    const second = track(iterator.next());
    expect(queue.waitingConsumers).toBe(2);
    await iterator.return?.();
    await tick();
    expect(queue.waitingConsumers).toBe(0);
    expect([first.value, second.value]).toEqual([
      { done: true, value: undefined },
      { done: true, value: undefined },
    ]);
    queue.tryPush(1);
    expect(queue.size).toBe(1); // nothing taken by a returned iterator
  });

  it('two concurrent iterators share the items in order, each item once', async () => {
    const queue = boundedQueue<number>({ capacity: 4, overflow: 'block' });
    const seen: Array<[string, number]> = [];
    const run = async (name: string): Promise<void> => {
      for await (const item of queue) {
        seen.push([name, item]);
        await tick();
      }
    };
    const workers = [run('a'), run('b')];
    for (let i = 0; i < 20; i++) await queue.push(i);
    queue.close();
    await Promise.all(workers);
    expect(seen.map(([, item]) => item).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(new Set(seen.map(([name]) => name))).toEqual(new Set(['a', 'b']));
    expectLedger(queue);
  });
});
