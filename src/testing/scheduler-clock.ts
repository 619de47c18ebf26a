/**
 * A fast-check scheduler and a ManualClock driven together, for race tests.
 *
 * @module
 */
import { checkOptions, optionalNumber, optionalString } from '../core/validate.js';
import type { SchedulerLike } from './fast-check-types.js';
import type { ManualClock } from './manual-clock.js';

/**
 * Makes "time passes" one of the things a fast-check scheduler interleaves: schedules a task
 * that, when the scheduler picks it, moves `clock` to its next pending timer and fires it (the
 * scheduler waits for that before it picks anything else). Schedule several to let timers fire
 * between any two other scheduled events. A step with no pending timer does nothing.
 *
 * Timers are outside fast-check's scheduler; this is the bridge, with no global fake timers.
 *
 * @returns the scheduled task, which resolves once the scheduler has run it.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { ManualClock, runUntilIdle, scheduleAdvance } from 'crackstop/testing';
 *
 * await fc.assert(
 *   fc.asyncProperty(fc.scheduler(), async (s) => {
 *     const clock = new ManualClock();
 *     let fired = false;
 *     clock.setTimeout(() => (fired = true), 1_000);
 *     void scheduleAdvance(s, clock);
 *     await runUntilIdle(s, clock);
 *     return fired;
 *   }),
 * );
 * ```
 */
export function scheduleAdvance(scheduler: SchedulerLike, clock: ManualClock, label?: string): Promise<void> {
  const name = optionalString('scheduleAdvance()', 'label', label, 'clock.advanceToNext()');
  return scheduler.schedule(Promise.resolve(), name, undefined, async (release) => {
    await release();
    await clock.advanceToNext();
  });
}

/**
 * Options of {@link runUntilIdle}.
 *
 * @example
 * ```ts
 * import type { RunUntilIdleOptions } from 'crackstop/testing';
 *
 * const options: RunUntilIdleOptions = { maxSteps: 1_000 };
 * ```
 */
export interface RunUntilIdleOptions {
  /** Throw after this many rounds (work that keeps scheduling more work). @defaultValue 10000 */
  readonly maxSteps?: number;
}

/**
 * Runs a race to its end: lets the scheduler release every scheduled task (in its chosen order),
 * then moves `clock` to its next timer, and again, until no task is scheduled and no timer is
 * pending. Work that only a timer or a scheduled task can unblock thus always finishes; work
 * that nothing can unblock (a task that ignores its abort and hangs) stays pending, which a test
 * can assert on.
 *
 * @returns how many timers it fired.
 * @throws Error after `maxSteps` rounds.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { constantBackoff, retry } from 'crackstop';
 * import { ManualClock, runUntilIdle } from 'crackstop/testing';
 *
 * await fc.assert(
 *   fc.asyncProperty(fc.scheduler(), async (s) => {
 *     const clock = new ManualClock();
 *     const flaky = s.scheduleFunction(async (attempt: number) => (attempt < 2 ? Promise.reject(new Error('boom')) : 'ok'));
 *     const call = retry({ clock, backoff: constantBackoff(100) }).execute(({ attempt }) => flaky(attempt));
 *     await runUntilIdle(s, clock);
 *     return (await call) === 'ok' && clock.pendingTimers === 0;
 *   }),
 * );
 * ```
 */
export async function runUntilIdle(scheduler: SchedulerLike, clock: ManualClock, options?: RunUntilIdleOptions): Promise<number> {
  const opts = checkOptions('runUntilIdle()', options, ['maxSteps']);
  const maxSteps = optionalNumber('runUntilIdle()', 'maxSteps', opts['maxSteps'], { min: 1, integer: true }, 10_000);
  let fired = 0;
  for (let step = 0; step < maxSteps; step++) {
    await scheduler.waitIdle();
    if (scheduler.count() > 0) continue;
    if (await clock.advanceToNext()) fired++;
    else if (scheduler.count() === 0) return fired;
  }
  throw new Error(`runUntilIdle(): still busy after ${maxSteps} rounds; something keeps scheduling tasks or timers`);
}
