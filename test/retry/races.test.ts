import { getEventListeners } from 'node:events';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exponentialBackoff, isTimeoutError, pipeline, retry, timeout, type Policy } from '../../src/index.js';
import { ManualClock, seededRandom } from '../../src/testing.js';
import { ofType, recordEvents, track, type Tracked } from './helpers.js';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

describe('retry › races (fc.scheduler)', () => {
  it('any interleaving of attempt results, a caller abort and clock advances: every call settles once, abort wins with its reason, nothing is left behind (property)', async () => {
    const call = fc.record({
      maxAttempts: fc.integer({ min: 1, max: 4 }),
      results: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }), // per attempt: true = resolves, false = rejects
    });
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(call, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 6 }),
        fc.boolean(),
        fc.integer(),
        async (s, specs, withAbort, advances, withTimeout, seed) => {
          const clock = new ManualClock();
          const { events, seen } = recordEvents();
          const controller = new AbortController();
          const reason = new Error('caller gave up');
          const final = specs.map(() => false); // the downstream has produced the call's last outcome
          const open = specs.map(() => true); // not final when the abort happened
          const startsAfterAbort = specs.map(() => 0);
          const attempts = specs.map(() => 0);
          const errors = specs.map(() => [] as Error[]);
          let aborted = false;
          // Retry events after the abort, by call: an aborted call reports nothing more.
          const eventsAfterAbort = specs.map(() => 0);
          events.onAny((e) => {
            if (aborted && (e.type === 'retry' || e.type === 'retry.giveup')) {
              const c = Number(e.name.slice(1));
              eventsAfterAbort[c] = (eventsAfterAbort[c] ?? 0) + 1;
            }
          });
          // A deadline that passes on a call's last attempt ends the call too.
          events.on('timeout', (e) => {
            const c = Number(e.name.slice(1));
            if (e.attempt === specs[c]?.maxAttempts) final[c] = true;
          });

          // The scheduler decides when each attempt settles. (It resolves with whether the attempt
          // succeeds; the rejection is made once released, so that fast-check's own bookkeeping
          // never holds a rejected promise unobserved.)
          const released = s.scheduleFunction(async (c: number, attempt: number) => {
            const results = specs[c]?.results ?? [];
            return results[Math.min(attempt, results.length) - 1] === true;
          });
          const downstream = (c: number, attempt: number): Promise<string> =>
            released(c, attempt).then((ok) => (ok ? `ok-${c}` : Promise.reject(errors[c]?.[attempt - 1])));
          const calls: Tracked<string>[] = specs.map((spec, c) => {
            const r = retry({ clock, events, name: `c${c}`, maxAttempts: spec.maxAttempts, random: seededRandom(seed + c), backoff: exponentialBackoff({ initialMs: 50, maxMs: 400 }) });
            const policy: Policy = withTimeout ? pipeline(r, timeout({ clock, events, name: `t${c}`, ms: 120 })) : r;
            return track(
              policy.execute(
                ({ attempt }) => {
                  attempts[c] = attempt;
                  if (aborted) startsAfterAbort[c] = (startsAfterAbort[c] ?? 0) + 1;
                  errors[c]?.push(new Error(`c${c} attempt ${attempt}`));
                  const result = downstream(c, attempt);
                  const mark = (ok: boolean): void => {
                    if (ok || attempt === spec.maxAttempts) final[c] = true;
                  };
                  result.then(
                    () => mark(true),
                    () => mark(false),
                  );
                  return result;
                },
                { signal: controller.signal },
              ),
            );
          });
          if (withAbort) {
            s.schedule(Promise.resolve('abort')).then(() => {
              aborted = true;
              specs.forEach((_, c) => (open[c] = !final[c]));
              controller.abort(reason);
            });
          }
          for (let i = 0; i < advances; i++) {
            s.schedule(Promise.resolve(), 'advance', undefined, async (release) => {
              await release();
              await clock.advanceToNext();
            });
          }
          for (let round = 0; ; round++) {
            if (round > 1_000) throw new Error('the race never ends');
            await s.waitIdle();
            if (s.count() === 0 && !(await clock.advanceToNext()) && s.count() === 0) break;
          }

          for (const [c, spec] of specs.entries()) {
            const settled = calls[c] as Tracked<string>;
            expect(settled.settles).toBe(1);
            expect(attempts[c]).toBeLessThanOrEqual(spec.maxAttempts);
            const giveUps = ofType(seen, 'retry.giveup').filter((e) => e.name === `c${c}`);
            expect(giveUps.length).toBeLessThanOrEqual(1);
            if (withAbort && open[c]) {
              expect(settled.reason).toBe(reason);
              expect(startsAfterAbort[c]).toBe(0);
              expect(eventsAfterAbort[c]).toBe(0);
              continue;
            }
            if (settled.reason === reason) continue; // the abort raced the last outcome on its way out
            if (withTimeout) {
              const lastError = errors[c]?.[(attempts[c] ?? 1) - 1];
              expect(settled.value === `ok-${c}` || settled.reason === lastError || isTimeoutError(settled.reason)).toBe(true);
            } else if (settled.state === 'fulfilled') {
              expect(settled.value).toBe(`ok-${c}`);
              expect(giveUps).toEqual([]);
            } else {
              expect(settled.reason).toBe(errors[c]?.[spec.maxAttempts - 1]);
              expect(giveUps.map((e) => e.reason)).toEqual(['max-attempts']);
            }
          }
          expect(clock.pendingTimers).toBe(0);
          expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
          await new Promise((resolve) => setImmediate(resolve));
          expect(unhandled).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
