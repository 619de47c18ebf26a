/**
 * fc.scheduler interleavings (failure mode 28, double release): calls that complete, throw, are
 * aborted by their caller or given up by an outer timeout, in any order the scheduler picks. At
 * every step real concurrency <= limit and 0 <= active <= limit; afterwards every call has
 * settled, active = queued = 0, and no timer or listener is left.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bulkhead, isBulkheadRejectedError, isTimeoutError, pipeline, timeout, type Clock, type TimerHandle } from '../../src/index.js';
import { abortListeners, track } from '../queue/track.js';

/** A clock whose timers fire only when told to, synchronously (so the scheduler can order them). */
class StepClock implements Clock {
  #now = 0;
  #next = 1;
  readonly timers = new Map<number, { due: number; callback: () => void }>();
  now(): number {
    return this.#now;
  }
  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.#next++;
    this.timers.set(id, { due: this.#now + Math.max(0, ms), callback });
    return id;
  }
  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }
  /** Fires the earliest timer (ties in creation order); false when none is pending. */
  fireNext(): boolean {
    let first: [number, { due: number; callback: () => void }] | undefined;
    for (const entry of this.timers) if (first === undefined || entry[1].due < first[1].due) first = entry;
    if (first === undefined) return false;
    this.timers.delete(first[0]);
    this.#now = Math.max(this.#now, first[1].due);
    first[1].callback();
    return true;
  }
}

interface Plan {
  readonly fails: boolean;
  readonly aborts: boolean;
  readonly syncResult: boolean;
}

describe('bulkhead › fc.scheduler', () => {
  it('failure mode 28: complete, throw, abort and timeout in any order never over-admit nor release twice', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 4 }),
        fc.boolean(),
        fc.array(fc.record({ fails: fc.boolean(), aborts: fc.boolean(), syncResult: fc.boolean() }), { minLength: 1, maxLength: 10 }),
        fc.nat(6),
        async (s, limit, capacity, withTimeout, plans: Plan[], timerSteps) => {
          const clock = new StepClock();
          const permits = bulkhead({ limit, queue: capacity === 0 ? {} : { capacity, maxWaitMs: 7 }, clock });
          const policy = withTimeout ? pipeline(timeout({ ms: 5, clock }), permits) : permits;
          const concurrency = { running: 0, max: 0 };
          const check = (): void => {
            if (concurrency.running > limit || permits.active > limit || permits.active < 0 || permits.queued > capacity) {
              expect.fail(`running ${concurrency.running}, active ${permits.active}, queued ${permits.queued} (limit ${limit}, capacity ${capacity})`);
            }
          };
          const work = s.scheduleFunction(async (i: number, fails: boolean) => {
            if (fails) throw new Error(`task ${i} failed`);
            return i;
          });
          const controllers = plans.map(() => new AbortController());
          const calls = plans.map((plan, i) =>
            track(
              policy.execute(
                () => {
                  concurrency.running++;
                  concurrency.max = Math.max(concurrency.max, concurrency.running);
                  check();
                  if (plan.syncResult) {
                    concurrency.running--;
                    if (plan.fails) throw new Error(`task ${i} failed`);
                    return i;
                  }
                  return work(i, plan.fails).finally(() => void concurrency.running--);
                },
                { signal: (controllers[i] as AbortController).signal },
              ),
            ),
          );
          check();
          for (const [i, plan] of plans.entries()) {
            if (plan.aborts) void s.schedule(Promise.resolve(`abort ${i}`)).then(() => controllers[i]?.abort(`abort ${i}`));
          }
          for (let t = 0; t < timerSteps; t++) void s.schedule(Promise.resolve(`timer step ${t}`)).then(() => clock.fireNext());
          while (s.count() > 0) {
            await s.waitNext(1);
            check();
          }
          // Anything still waiting on a timer (maxWaitMs, deadline) ends now; then the scheduler drains.
          while (clock.fireNext() || s.count() > 0) {
            if (s.count() > 0) await s.waitNext(1);
            check();
          }
          await s.waitIdle();
          await new Promise((resolve) => setImmediate(resolve));
          for (const [i, call] of calls.entries()) {
            expect(call.state).not.toBe('pending');
            if (call.state === 'fulfilled') expect(call.value).toBe(i);
            else {
              const error = call.error;
              const known = error === `abort ${i}` || isBulkheadRejectedError(error) || isTimeoutError(error) || (error instanceof Error && error.message === `task ${i} failed`);
              expect(known, String(error)).toBe(true);
            }
          }
          expect([permits.active, permits.queued, concurrency.running, clock.timers.size]).toEqual([0, 0, 0, 0]);
          for (const c of controllers) expect(abortListeners(c.signal)).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
