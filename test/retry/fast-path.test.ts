/**
 * The retry fast path (no caller signal, errors-only, no elapsed limit: the first attempt runs
 * outside the async loop) must behave exactly as the loop does. The same scripted call runs both
 * ways (the loop is forced by a caller signal that never aborts) and everything observable is
 * compared: the outcome, the attempts made, the events, the budget and the timers left.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantBackoff, createEventHub, retry, retryBudget } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

type Step = 'sync-throw' | 'sync-value' | 'async-reject' | 'async-value' | 'thenable-reject' | 'rejection-error';

class Refused extends Error {
  readonly code = 'ERR_BULKHEAD_FULL';
}

async function run(steps: readonly Step[], maxAttempts: number, delayMs: number, budgeted: boolean, withSignal: boolean): Promise<unknown> {
  const clock = new ManualClock();
  const events = createEventHub();
  const log: string[] = [];
  events.onAny((e) => {
    const { time, ...rest } = e as unknown as Record<string, unknown>;
    const outcome = rest['outcome'] as { ok: boolean; attempt: number; error?: unknown } | undefined;
    log.push(JSON.stringify({ ...rest, time, outcome: outcome === undefined ? undefined : { ok: outcome.ok, attempt: outcome.attempt, error: String(outcome.error) } }));
  });
  const budget = budgeted ? retryBudget({ clock, ratio: 0.5, minPerSecond: 0, windowMs: 1_000 }) : undefined;
  const policy = retry({ clock, events, maxAttempts, backoff: constantBackoff(delayMs), ...(budget === undefined ? {} : { budget }) });
  let calls = 0;
  const fn = (ctx: { attempt: number }): unknown => {
    const step = steps[calls++ % steps.length] as Step;
    log.push(`attempt ${ctx.attempt}`);
    const error = new Error(`fail ${calls}`);
    switch (step) {
      case 'sync-throw':
        throw error;
      case 'sync-value':
        return calls;
      case 'async-reject':
        return Promise.reject(error);
      case 'async-value':
        return Promise.resolve(calls);
      case 'thenable-reject':
        return { then: (_: unknown, onError: (e: unknown) => void) => onError(error) };
      case 'rejection-error':
        return Promise.reject(new Refused('full'));
    }
  };
  const signal = withSignal ? { signal: new AbortController().signal } : undefined;
  const settled: string[] = [];
  const call = policy.execute(fn as () => number, signal).then(
    (v) => settled.push(`ok ${String(v)}`),
    (e: unknown) => settled.push(`error ${String(e)}`),
  );
  let guard = 0;
  while (settled.length === 0 && guard++ < 10_000) await clock.advanceToNext();
  await call;
  return { settled, calls, log, now: clock.now(), pending: clock.pendingTimers, budget: budget?.snapshot() };
}

describe('retry fast path', () => {
  it('behaves as the loop for any script of outcomes, attempts, delays and budget', async () => {
    const step = fc.constantFrom<Step>('sync-throw', 'sync-value', 'async-reject', 'async-value', 'thenable-reject', 'rejection-error');
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 14 }),
        fc.integer({ min: 1, max: 14 }),
        fc.constantFrom(0, 0, 5),
        fc.boolean(),
        async (steps, maxAttempts, delayMs, budgeted) => {
          const fast = await run(steps, maxAttempts, delayMs, budgeted, false);
          const loop = await run(steps, maxAttempts, delayMs, budgeted, true);
          expect(fast).toEqual(loop);
        },
      ),
      { numRuns: 300 },
    );
  });
});
