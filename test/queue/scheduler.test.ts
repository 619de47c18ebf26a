/**
 * fc.scheduler interleavings with close() at a random point: blocked producers (each with its
 * own signal or a shared one, with maxWaitMs expiring as time moves), iterators that consume one
 * `next()` at a time or two at once and may break early, a drained() caller, aborts and timer
 * steps, in any order the scheduler picks. At every step the ledger balances and size <=
 * capacity; afterwards every item a producer was told is in has been taken exactly once (by a
 * consumer, or by takeAll() at the end), and no timer or listener is left.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedQueue, isQueueClosedError, isQueueFullError } from '../../src/index.js';
import { abortListeners, expectLedger, StepClock } from './track.js';

interface ConsumerPlan {
  /** Stops (break, or return() by hand) after this many items, if set. */
  readonly stopAfter: number | null;
  /** Iterates with the shared signal. */
  readonly shared: boolean;
  /** Keeps two next() calls in flight instead of one. */
  readonly twoAtOnce: boolean;
}

describe('boundedQueue › fc.scheduler with close() at a random point', () => {
  it('failure modes 29 and 32: the ledger balances at every step, every item admitted is taken exactly once, nothing is left behind', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(5, 20, Infinity),
        fc.array(fc.nat(3), { minLength: 1, maxLength: 3 }),
        fc.array(fc.record({ stopAfter: fc.option(fc.nat(3)), shared: fc.boolean(), twoAtOnce: fc.boolean() }), { minLength: 1, maxLength: 3 }),
        fc.nat(3),
        fc.nat(4),
        async (s, capacity, maxWaitMs, perProducer, consumerPlans: ConsumerPlan[], aborts, timerSteps) => {
          const clock = new StepClock();
          const queue = boundedQueue<string>({ capacity, overflow: 'block', clock, ...(maxWaitMs === Infinity ? {} : { maxWaitMs }) });
          const shared = new AbortController();
          const own = perProducer.map(() => new AbortController());
          const admitted: string[] = [];
          const taken: string[] = [];
          const producers = perProducer.map(async (count, p) => {
            const signal = p % 2 === 0 ? (own[p] as AbortController).signal : shared.signal;
            for (let i = 0; i <= count; i++) {
              await s.schedule(Promise.resolve(`producer ${p} before item ${i}`));
              const item = `${p}:${i}`;
              try {
                await queue.push(item, { signal });
                admitted.push(item);
              } catch (error) {
                if (!isQueueFullError(error) && !isQueueClosedError(error) && typeof error !== 'string') throw error;
              }
              expectLedger(queue);
            }
          });
          const consumers = consumerPlans.map(async (plan, c) => {
            const iterator = queue.iterate(plan.shared ? { signal: shared.signal } : undefined);
            let mine = 0;
            try {
              if (!plan.twoAtOnce) {
                for await (const item of iterator) {
                  taken.push(item);
                  if (plan.stopAfter !== null && ++mine >= plan.stopAfter) break;
                  await s.schedule(Promise.resolve(`consumer ${c} after ${item}`));
                }
                return;
              }
              const next = (): Promise<IteratorResult<string>> => {
                const result = iterator.next();
                result.catch(() => undefined); // the second one may be rejected while the first is awaited
                return result;
              };
              const inFlight = [next(), next()];
              for (;;) {
                const result = await (inFlight.shift() as Promise<IteratorResult<string>>);
                if (result.done === true) break;
                taken.push(result.value);
                if (plan.stopAfter !== null && ++mine >= plan.stopAfter) {
                  await iterator.return?.();
                  break;
                }
                await s.schedule(Promise.resolve(`consumer ${c} after ${result.value}`));
                inFlight.push(next());
              }
              // A next() still in flight ends with done, or with the item it was handed before return().
              for (const result of await Promise.all(inFlight)) if (result.done !== true) taken.push(result.value);
            } catch (error) {
              if (typeof error !== 'string') throw error; // its signal aborted
            }
          });
          const abortsDone = (async () => {
            for (let a = 0; a < aborts; a++) {
              await s.schedule(Promise.resolve(`abort ${a}`));
              (a === 0 ? shared : own[a % own.length])?.abort(`abort ${a}`);
              expectLedger(queue);
            }
          })();
          const timeDone = (async () => {
            for (let t = 0; t < timerSteps; t++) {
              await s.schedule(Promise.resolve(`timer step ${t}`));
              clock.fireNext();
              expectLedger(queue);
            }
          })();
          const closed = s.schedule(Promise.resolve('close')).then(() => {
            queue.close();
            expectLedger(queue);
          });
          const drained = queue.drained();
          await s.waitIdle();
          await Promise.all([closed, abortsDone, timeDone, ...producers]);
          taken.push(...queue.takeAll()); // what consumers that stopped early left behind
          await Promise.all(consumers);
          await drained;
          expect([...taken].sort()).toEqual([...admitted].sort());
          expect([queue.size, queue.waitingProducers, queue.waitingConsumers, clock.timers.size]).toEqual([0, 0, 0, 0]);
          expectLedger(queue);
          for (const c of [shared, ...own]) expect(abortListeners(c.signal)).toBe(0);
        },
      ),
      { numRuns: 400 },
    );
  });
});
