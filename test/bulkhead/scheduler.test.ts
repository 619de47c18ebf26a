/**
 * fc.scheduler interleavings (failure mode 28, double release): calls that complete, throw, are
 * aborted by their caller or given up by an outer timeout, in any order the scheduler picks. At
 * every step real concurrency <= limit and 0 <= active <= limit; afterwards every call has
 * settled, active = queued = 0, and no timer or listener is left. The second property adds calls
 * that arrive at different times (so their maxWaitMs deadlines differ and the one shared timer is
 * re-armed), 'drop-oldest', drain() at a random point, a signal shared by several calls, and the
 * timeout on either side of the bulkhead.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bulkhead, isBulkheadRejectedError, isTimeoutError, pipeline, timeout, type BulkheadOverflow } from '../../src/index.js';
import { abortListeners, StepClock, track, type Tracked } from '../queue/track.js';

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

  it('failure modes 26-28: staggered calls, drop-oldest, drain, a shared signal and a timeout on either side, in any order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom<BulkheadOverflow>('reject-new', 'drop-oldest'),
        fc.constantFrom('none', 'outside', 'inside'),
        fc.array(fc.record({ fails: fc.boolean(), shared: fc.boolean(), aborts: fc.boolean(), sync: fc.boolean(), gap: fc.nat(4), together: fc.boolean() }), { minLength: 1, maxLength: 8 }),
        fc.nat(6),
        fc.nat(3),
        async (s, limit, capacity, overflow, where, plans, timerSteps, drainAt) => {
          const clock = new StepClock();
          const permits = bulkhead({ limit, queue: { capacity, maxWaitMs: 6, overflow }, clock });
          const deadline = timeout({ ms: 4, clock });
          const policy = where === 'outside' ? pipeline(deadline, permits) : where === 'inside' ? pipeline(permits, deadline) : permits;
          let running = 0;
          const check = (): void => {
            // With the timeout inside, the bulkhead frees a permit at the deadline: the work it
            // abandons is counted by the timeout, and only that may run beyond the limit.
            const cap = limit + (where === 'inside' ? deadline.abandoned : 0);
            if (running > cap || permits.active > limit || permits.active < 0 || permits.queued > capacity) {
              expect.fail(`running ${running}, active ${permits.active}, queued ${permits.queued} (limit ${limit}, capacity ${capacity})`);
            }
          };
          const work = s.scheduleFunction(async (i: number, fails: boolean) => {
            if (fails) throw new Error(`task ${i} failed`);
            return i;
          });
          const shared = new AbortController();
          const own = plans.map(() => new AbortController());
          const calls: Tracked<number>[] = [];
          const arrivals = (async () => {
            for (const [i, plan] of plans.entries()) {
              if (!plan.together) await s.schedule(Promise.resolve(`arrival ${i}`));
              clock.step(plan.gap);
              const controller = plan.shared ? shared : (own[i] as AbortController);
              const task = (): number | Promise<number> => {
                running++;
                check();
                if (!plan.sync) return work(i, plan.fails).finally(() => void running--);
                running--;
                if (plan.fails) throw new Error(`task ${i} failed`);
                return i;
              };
              calls.push(track(policy.execute(task, { signal: controller.signal })));
              check();
              if (plan.aborts) void s.schedule(Promise.resolve(`abort ${i}`)).then(() => controller.abort(plan.shared ? 'abort shared' : `abort ${i}`));
            }
          })();
          for (let t = 0; t < timerSteps; t++) void s.schedule(Promise.resolve(`timer step ${t}`)).then(() => clock.fireNext());
          if (drainAt === 0) {
            void (async () => {
              for (let k = 0; k < 4; k++) await s.schedule(Promise.resolve(`before drain ${k}`));
              permits.drain();
            })();
          }
          while (s.count() > 0) {
            await s.waitNext(1);
            check();
          }
          await arrivals;
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
              const known = error === `abort ${i}` || error === 'abort shared' || isBulkheadRejectedError(error) || isTimeoutError(error) || (error instanceof Error && error.message === `task ${i} failed`);
              expect(known, String(error)).toBe(true);
            }
          }
          expect([permits.active, permits.queued, running, clock.timers.size, deadline.abandoned]).toEqual([0, 0, 0, 0, 0]);
          for (const c of [shared, ...own]) expect(abortListeners(c.signal)).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
