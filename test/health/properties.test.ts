import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { healthCheck, type CheckReturn, type HealthStatus } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

type Behaviour = 'pass' | 'warn' | 'fail' | true | false | undefined | 'throw' | 'reject' | 'hang';

/** What a check behaving like this is reported as. */
function modelStatus(behaviour: Behaviour): HealthStatus {
  if (behaviour === 'pass' || behaviour === true || behaviour === undefined) return 'pass';
  return behaviour === 'warn' ? 'warn' : 'fail';
}

/** The report status of a mix of checks: the small model the aggregation must match. */
function modelReport(checks: readonly { readonly critical: boolean; readonly status: HealthStatus }[]): HealthStatus {
  if (checks.some((c) => c.critical && c.status === 'fail')) return 'fail';
  return checks.some((c) => c.status !== 'pass') ? 'warn' : 'pass';
}

function checkOf(behaviour: Behaviour): () => CheckReturn | Promise<CheckReturn> {
  switch (behaviour) {
    case 'throw':
      return () => {
        throw new Error('sync');
      };
    case 'reject':
      return () => Promise.reject(new Error('async'));
    case 'hang':
      return () => new Promise<never>(() => {});
    default:
      return () => behaviour;
  }
}

const behaviours: readonly Behaviour[] = ['pass', 'warn', 'fail', true, false, undefined, 'throw', 'reject', 'hang'];

describe('healthCheck › properties', () => {
  it('status aggregation matches the model for any mix of critical and non-critical results', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ critical: fc.boolean(), behaviour: fc.constantFrom(...behaviours), async: fc.boolean() }), { maxLength: 8 }),
        async (specs) => {
          const clock = new ManualClock();
          const health = healthCheck({ clock, timeoutMs: 100 });
          specs.forEach((spec, i) => {
            const check = checkOf(spec.behaviour);
            health.add(`c${i}`, spec.async ? async () => check() : check, { critical: spec.critical });
          });
          health.markStarted(); // readiness and the report also fail while starting (views.test.ts)
          const pending = Promise.all([health.report(), health.readiness()]);
          await clock.advance(100);
          const [report, readiness] = await pending;
          const modelled = specs.map((s) => ({ critical: s.critical, status: modelStatus(s.behaviour) }));
          expect(report.status).toBe(modelReport(modelled));
          expect(readiness.status).toBe(modelReport(modelled.filter((c) => c.critical)));
          specs.forEach((spec, i) => {
            const entry = report.checks[`c${i}:responseTime`]?.[0];
            expect(entry?.status).toBe(modelStatus(spec.behaviour));
            expect(entry?.status === 'pass').toBe(entry?.output === undefined);
          });
          expect(clock.pendingTimers).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a report settles exactly when its slowest check settles or times out, and hanging checks fail with an aborted signal', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ timeoutMs: fc.integer({ min: 1, max: 5_000 }), delayMs: fc.option(fc.integer({ min: 1, max: 6_000 }), { nil: undefined }) }), {
          minLength: 1,
          maxLength: 6,
        }),
        async (specs) => {
          const clock = new ManualClock();
          const health = healthCheck({ clock });
          const signals: AbortSignal[] = [];
          specs.forEach((spec, i) => {
            health.add(`c${i}`, ({ signal }) => {
              signals[i] = signal;
              if (spec.delayMs === undefined) return new Promise<never>(() => {}); // hangs, ignores its signal
              return new Promise<void>((resolve) => clock.setTimeout(resolve, spec.delayMs as number));
            }, { timeoutMs: spec.timeoutMs });
          });
          const deadline = Math.max(...specs.map((s) => (s.delayMs === undefined ? s.timeoutMs : Math.min(s.delayMs, s.timeoutMs))));
          let settledAt: number | undefined;
          const pending = health.report().then((report) => {
            settledAt = clock.now();
            return report;
          });
          await clock.advance(deadline - 1);
          expect(settledAt).toBeUndefined();
          await clock.advance(1);
          expect(settledAt).toBe(deadline);
          const report = await pending;
          specs.forEach((spec, i) => {
            const timedOut = spec.delayMs === undefined || spec.delayMs > spec.timeoutMs;
            expect(report.checks[`c${i}:responseTime`]?.[0]?.status).toBe(timedOut ? 'fail' : 'pass');
            expect(signals[i]?.aborted).toBe(timedOut);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('single flight and caching follow the model: never two runs at once, never a pile-up, cache held for cacheMs', async () => {
    const command = fc.oneof(
      fc.constantFrom('report' as const, 'readiness' as const),
      fc.integer({ min: 0, max: 8 }).map((n) => ({ advance: n * 50 })),
    );
    // Times on a 50 ms grid, so that requests often land exactly on a boundary (a round's end,
    // a cache expiry), where off-by-one mistakes hide.
    const grid = (min: number, max: number) => fc.integer({ min, max }).map((n) => n * 50);
    await fc.assert(
      fc.asyncProperty(
        grid(1, 6),
        grid(0, 6),
        fc.array(grid(1, 14), { minLength: 1, maxLength: 5 }),
        fc.array(command, { maxLength: 40 }),
        async (timeoutMs, cacheMs, durations, commands) => {
          const clock = new ManualClock();
          const starts: number[] = [];
          let running = 0;
          let maxRunning = 0;
          // Each run takes its duration and ignores its signal (the worst case for piling up).
          const health = healthCheck({ clock, timeoutMs, cacheMs }).add('dep', () => {
            const duration = durations[starts.length % durations.length] as number;
            starts.push(clock.now());
            running++;
            maxRunning = Math.max(maxRunning, running);
            return new Promise<void>((resolve) =>
              clock.setTimeout(() => {
                running--;
                resolve();
              }, duration),
            );
          });

          // The model: when does a request start a run?
          const expectedStarts: number[] = [];
          let lastAt = -Infinity; // when the latest observation was (or will be) made
          let busyUntil = -Infinity; // when the latest run settles
          const request = (t: number): void => {
            const runEndsRound = expectedStarts.length > 0 && t < lastAt;
            if (runEndsRound) return; // shares the round in progress
            if (t - lastAt < cacheMs) return; // cached
            if (t < busyUntil) {
              lastAt = t; // abandoned run still going: reported 'fail' without starting again
              return;
            }
            const duration = durations[expectedStarts.length % durations.length] as number;
            expectedStarts.push(t);
            lastAt = t + Math.min(duration, timeoutMs);
            busyUntil = t + duration;
          };

          const answered: Promise<void>[] = [];
          for (const c of commands) {
            if (typeof c === 'object') {
              await clock.advance(c.advance);
              continue;
            }
            const t = clock.now();
            request(t);
            answered.push(
              (c === 'report' ? health.report() : health.readiness()).then(() => {
                // Every answer comes within the check's timeout.
                expect(clock.now() - t).toBeLessThanOrEqual(timeoutMs);
              }),
            );
          }
          await clock.runAll();
          await Promise.all(answered);
          expect(maxRunning).toBeLessThanOrEqual(1);
          expect(starts).toEqual(expectedStarts);
          expect(clock.pendingTimers).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
