/** The failure modes of failure-modes.md that apply to a bounded queue, each by its number. */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { boundedQueue, createEventHub, isQueueClosedError, isQueueFullError, type QueueOverflow } from '../../src/index.js';
import { ManualClock, seededRandom } from '../../src/testing.js';
import { abortListeners, tick, track } from './track.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Collects process warnings (MaxListenersExceeded and the like) while `run` runs. */
async function warningsDuring(run: () => Promise<void>): Promise<string[]> {
  const warnings: string[] = [];
  const onWarning = (warning: Error): void => void warnings.push(`${warning.name}: ${warning.message}`);
  process.on('warning', onWarning);
  try {
    await run();
    await tick();
  } finally {
    process.off('warning', onWarning);
  }
  return warnings;
}

describe('boundedQueue › failure modes', () => {
  it('failure mode 29: 1,000 blocked producers, then close: every promise settles with a typed outcome within a tick, and drain resolves', async () => {
    const queue = boundedQueue<number>({ capacity: 10, overflow: 'block' });
    for (let i = 0; i < 10; i++) queue.tryPush(i);
    const producers = Array.from({ length: 1_000 }, (_, i) => track(queue.push(100 + i)));
    const drained = track(queue.drained());
    await tick();
    expect(producers.every((p) => p.state === 'pending')).toBe(true);
    queue.close();
    await tick();
    expect(producers.every((p) => p.state === 'rejected' && isQueueClosedError(p.error))).toBe(true);
    expect(queue.waitingProducers).toBe(0);
    expect(queue.takeAll()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await tick();
    expect(drained.state).toBe('fulfilled');
    expect(queue.pushed).toBe(queue.taken + queue.dropped + queue.refused + queue.size);
    expect(queue.refused).toBe(1_000);
  });

  it('failure mode 29: 1,000 waiting consumers, then close: every one settles with QueueClosedError within a tick', async () => {
    const queue = boundedQueue<number>({ capacity: 10 });
    const signal = new AbortController().signal;
    const consumers = Array.from({ length: 1_000 }, (_, i) => track(i % 2 === 0 ? queue.take() : queue.take({ signal })));
    const iterator = track(queue.iterate().next());
    await tick();
    queue.close();
    await tick();
    expect(consumers.every((c) => c.state === 'rejected' && isQueueClosedError(c.error))).toBe(true);
    expect(iterator.value).toEqual({ done: true, value: undefined });
    expect(abortListeners(signal)).toBe(0);
    await expect(queue.drained()).resolves.toBeUndefined();
  });

  it('failure mode 30: drained() on a fresh queue resolves', async () => {
    const queue = boundedQueue<string>({ capacity: 1 });
    const drained = track(queue.drained());
    await tick();
    expect(drained.state).toBe('fulfilled');
  });

  it('failure mode 30: 10^5 drain cycles show no stack growth', async () => {
    const queue = boundedQueue<number>({ capacity: 4 });
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = Infinity;
    try {
      const depths: number[] = [];
      for (let cycle = 0; cycle < 100_000; cycle++) {
        queue.tryPush(cycle);
        const sampled = cycle === 10 || cycle === 99_999;
        const drained = queue.drained().then(() => (sampled ? (new Error('depth').stack ?? '').split('\n').length : 0));
        queue.tryTake();
        const depth = await drained;
        if (sampled) depths.push(depth);
      }
      expect(depths).toHaveLength(2);
      expect(depths[1]).toBe(depths[0]);
      expect(depths[1]).toBeLessThan(20);
    } finally {
      Error.stackTraceLimit = limit;
    }
  });

  it('failure mode 4: one long-lived signal through 10,000 pushes and takes (1,000 waiting at once) leaves no listener and no warning', async () => {
    const queue = boundedQueue<number>({ capacity: 100, overflow: 'block' });
    const signal = new AbortController().signal;
    const warnings = await warningsDuring(async () => {
      for (let batch = 0; batch < 10; batch++) {
        const takes = Array.from({ length: 1_000 }, () => queue.take({ signal }));
        expect(abortListeners(signal)).toBe(1);
        for (let i = 0; i < 1_000; i++) await queue.push(i, { signal });
        await Promise.all(takes);
      }
    });
    expect(warnings).toEqual([]);
    expect(abortListeners(signal)).toBe(0);
    expect(queue.taken).toBe(10_000);
  });

  it('failure mode 32: 10^5 random operations with throwing listeners and onDrop keep the ledger and the bounds', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const random = seededRandom(32);
    const clock = new ManualClock();
    const overflows: QueueOverflow[] = ['reject', 'drop-newest', 'drop-oldest', 'block'];
    for (const overflow of overflows) {
      const events = createEventHub({ onListenerError: () => undefined });
      events.onAny(() => {
        throw new Error('listener bug');
      });
      let reported = 0;
      const queue = boundedQueue<number>({
        capacity: 8,
        overflow,
        clock,
        events,
        ...(overflow === 'block' ? { maxWaitMs: 5 } : {}),
        onDrop: () => {
          reported++;
          throw new Error('onDrop bug');
        },
      });
      const controllers: AbortController[] = [];
      const outcomes: Array<Promise<unknown>> = [];
      for (let op = 0; op < 25_000; op++) {
        const roll = random();
        if (roll < 0.35) {
          const controller = new AbortController();
          controllers.push(controller);
          outcomes.push(queue.push(op, { signal: controller.signal }).catch((e: unknown) => e));
        } else if (roll < 0.45) queue.tryPush(op);
        else if (roll < 0.7) outcomes.push(queue.take({ signal: (controllers.at(-1) ?? new AbortController()).signal }).catch((e: unknown) => e));
        else if (roll < 0.85) queue.tryTake();
        else if (roll < 0.95) controllers[Math.floor(random() * controllers.length)]?.abort('gone');
        else await clock.advance(1);
        if (queue.size > 8 || queue.pushed !== queue.taken + queue.dropped + queue.refused + queue.size) {
          expect.fail(`step ${op} (${overflow}): size ${queue.size}, ledger ${queue.pushed} != ${queue.taken}+${queue.dropped}+${queue.refused}+${queue.size}`);
        }
        if (op % 1_000 === 0) await tick();
      }
      queue.close();
      queue.takeAll();
      await clock.runAll();
      const settled = await Promise.all(outcomes);
      expect(settled.every((o) => o === undefined || typeof o === 'number' || o === 'gone' || isQueueFullError(o) || isQueueClosedError(o))).toBe(true);
      expect(reported).toBe(queue.dropped);
      expect(queue.pushed).toBe(queue.taken + queue.dropped + queue.refused);
      expect(clock.pendingTimers).toBe(0);
      for (const c of controllers) expect(abortListeners(c.signal)).toBe(0);
    }
  });
});

describe('boundedQueue › fc.scheduler interleavings', () => {
  it('concurrent producers and consumers, with aborts at any point: every item is taken once in per-producer order, or refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.nat(3), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(5), { maxLength: 3 }),
        async (s, capacity, perProducer, abortAfter) => {
          const queue = boundedQueue<string>({ capacity, overflow: 'block' });
          const controllers = perProducer.map(() => new AbortController());
          const refused: string[] = [];
          const producers = perProducer.map(async (count, p) => {
            for (let i = 0; i <= count; i++) {
              await s.schedule(Promise.resolve(`producer ${p} before item ${i}`));
              const item = `${p}:${i}`;
              try {
                await queue.push(item, { signal: (controllers[p] as AbortController).signal });
              } catch (error) {
                expect(error).toBe(`abort ${p}`);
                refused.push(item);
              }
            }
          });
          for (const [k, p] of abortAfter.entries()) {
            void s.schedule(Promise.resolve(`abort ${p % controllers.length} (#${k})`)).then(() => controllers[p % controllers.length]?.abort(`abort ${p % controllers.length}`));
          }
          const taken: string[] = [];
          const consumer = (async () => {
            for await (const item of queue) {
              taken.push(item);
              await s.schedule(Promise.resolve(`consumer after ${item}`));
            }
          })();
          const closing = Promise.all(producers).then(() => queue.close());
          await s.waitIdle();
          await closing;
          await consumer;
          const total = perProducer.reduce((sum, n) => sum + n + 1, 0);
          expect(taken.length + refused.length).toBe(total);
          expect(new Set(taken).size).toBe(taken.length);
          for (let p = 0; p < perProducer.length; p++) {
            const mine = taken.filter((t) => t.startsWith(`${p}:`)).map((t) => Number(t.split(':')[1]));
            expect(mine).toEqual([...mine].sort((a, b) => a - b));
          }
          expect(queue.pushed).toBe(queue.taken + queue.dropped + queue.refused + queue.size);
          for (const c of controllers) expect(abortListeners(c.signal)).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
