import { getEventListeners } from 'node:events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantBackoff, isTimeoutError, pipeline, retry, timeout } from '../../src/index.js';
import { failureSchedule, ManualClock, runUntilIdle, scheduleAdvance, scriptedTask, type FaultStep } from '../../src/testing.js';
import { track } from '../retry/helpers.js';

const errors = [new Error('ECONNRESET'), new Error('HTTP 500')];
const timeoutMs = 300;
const backoffMs = 100;

/** What pipeline(retry, timeout) must do with a schedule: its outcome and when it ends. */
function model(steps: readonly FaultStep<Error, number>[], maxAttempts: number): { value?: number; error?: Error | 'timeout'; endsAt: number; calls: number } {
  let now = 0;
  for (let attempt = 1; ; attempt++) {
    const step = steps[Math.min(attempt - 1, steps.length - 1)] as FaultStep<Error, number>;
    // The deadline timer is set before the task's own, so at equal times the deadline wins.
    const timedOut = step.kind === 'hang' || step.latencyMs >= timeoutMs;
    now += timedOut ? timeoutMs : (step as { latencyMs: number }).latencyMs;
    if (!timedOut && step.kind === 'succeed') return { value: step.value, endsAt: now, calls: attempt };
    if (attempt === maxAttempts) return { error: timedOut ? 'timeout' : (step as { error: Error }).error, endsAt: now, calls: attempt };
    now += backoffMs;
  }
}

describe('testing helpers against retry', () => {
  it('pipeline(retry, timeout) follows any failure schedule exactly: outcome, calls and virtual end time; nothing left running (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        failureSchedule(fc, { errors, values: [1, 2, 3], maxLatencyMs: 2 * timeoutMs, hangs: true, maxLength: 6 }),
        fc.integer({ min: 1, max: 5 }),
        async (steps, maxAttempts) => {
          const clock = new ManualClock();
          const downstream = scriptedTask(steps, { clock });
          const policy = pipeline(retry({ clock, maxAttempts, backoff: constantBackoff(backoffMs) }), timeout({ clock, ms: timeoutMs }));
          let endedAt = -1;
          const call = track(policy.execute(downstream.run).finally(() => (endedAt = clock.now())));
          await clock.runAll();
          const expected = model(steps, maxAttempts);
          expect(downstream.calls).toBe(expected.calls);
          if (expected.value !== undefined) expect(call.value).toBe(expected.value);
          else if (expected.error === 'timeout') expect(isTimeoutError(call.reason)).toBe(true);
          else expect(call.reason).toBe(expected.error);
          expect(endedAt).toBe(expected.endsAt);
          // Every hang and overdue call was aborted by its deadline: nothing still running.
          expect(downstream.active).toBe(0);
          expect(clock.pendingTimers).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('with a downstream that ignores aborts, the deadline still settles each attempt and the abandoned work is visible', async () => {
    const clock = new ManualClock();
    const downstream = scriptedTask<Error, string>([{ kind: 'hang' }, { kind: 'succeed', latencyMs: 1_000, value: 'late' }], { clock, ignoresAbort: true });
    const policy = pipeline(retry({ clock, maxAttempts: 2, backoff: constantBackoff(backoffMs) }), timeout({ clock, ms: timeoutMs }));
    const call = track(policy.execute(downstream.run));
    await clock.runAll();
    expect(isTimeoutError(call.reason)).toBe(true);
    expect(downstream.calls).toBe(2);
    expect(downstream.log.map((c) => c.outcome)).toEqual(['pending', 'succeeded']); // the hang is still running
    expect(downstream.active).toBe(1);
  });

  it('races: any interleaving of a caller abort and clock steps against any schedule ends with every call settled once and nothing left (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        failureSchedule(fc, { errors, maxLatencyMs: 500, hangs: true, maxLength: 5 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 5 }),
        async (s, steps, concurrent, clockSteps) => {
          const clock = new ManualClock();
          const downstream = scriptedTask(steps, { clock });
          const controller = new AbortController();
          const reason = new Error('caller gave up');
          const policy = retry({ clock, maxAttempts: 3, backoff: constantBackoff(backoffMs) });
          const calls = Array.from({ length: concurrent }, () => track(policy.execute(downstream.run, { signal: controller.signal })));
          s.schedule(Promise.resolve('abort')).then(() => controller.abort(reason));
          for (let i = 0; i < clockSteps; i++) void scheduleAdvance(s, clock);
          await runUntilIdle(s, clock);
          for (const c of calls) {
            expect(c.settles).toBe(1);
            if (c.state === 'rejected' && c.reason !== reason) expect(errors).toContain(c.reason);
          }
          // A hang can only end by the abort, and the abort always comes.
          expect(downstream.log.every((c) => c.outcome !== 'pending')).toBe(true);
          expect(downstream.active).toBe(0);
          expect(clock.pendingTimers).toBe(0);
          expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
