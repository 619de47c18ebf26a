import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventHub, isTimeoutError, pipeline, timeout, type Policy } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { flush, observe } from '../helpers/deferred.js';
import { abortListeners, watchProcess, type ProcessWatch } from '../helpers/process-watch.js';

// For random interleavings (fc.scheduler) of a timeout-wrapped task (one timeout, or an outer
// and an inner one), a caller abort and clock advances: the call settles exactly once with the
// right kind of outcome, and leaves no timer and no abort listener behind.

let watch: ProcessWatch;
beforeEach(() => {
  watch = watchProcess();
});
afterEach(() => {
  watch.stop();
});

type Happening = { readonly what: 'abort' | 'work'; readonly at: number };

describe('timeout property', () => {
  it('every call settles once: value, fn error, TimeoutError only if the deadline passed first, else the caller reason', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom('value', 'error'),
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 6 }),
        fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
        fc.boolean(),
        async (s, outerMs, workOutcome, callerAborts, advances, innerMs, atomicSteps) => {
          const clock = new ManualClock();
          const events = createEventHub();
          let timeoutEvents = 0;
          events.on('timeout', () => timeoutEvents++);
          const outer = timeout({ ms: outerMs, clock, events });
          const inner = innerMs === undefined ? undefined : timeout({ ms: innerMs, clock, events });
          const policy: Policy = inner === undefined ? outer : pipeline(outer, inner);
          const ms = Math.min(outerMs, innerMs ?? Infinity);
          const controller = new AbortController();
          const reason = new Error('caller');
          const fnError = new Error('fn');
          const happened: Happening[] = [];

          // The scheduler decides when the work settles; it fails (or not) in its continuation,
          // so that the scheduler itself never holds a rejected promise.
          const work = s.scheduleFunction(async () => workOutcome);
          const call = observe(
            policy.execute(
              () =>
                work().then((outcome) => {
                  happened.push({ what: 'work', at: clock.now() });
                  if (outcome === 'error') throw fnError;
                  return 'value';
                }),
              { signal: controller.signal },
            ),
          );
          if (callerAborts) {
            void s.schedule(Promise.resolve('abort')).then(() => {
              happened.push({ what: 'abort', at: clock.now() });
              controller.abort(reason);
            });
          }
          const advancing: Array<Promise<void>> = [];
          for (const step of advances) {
            void s.schedule(Promise.resolve(`advance ${step}`)).then(() => {
              advancing.push(clock.advance(step));
            });
          }

          // Either each scheduled step runs to completion (its continuations included) before
          // the next, or steps may overtake continuations still on their way to the caller.
          while (s.count() > 0) {
            await s.waitOne();
            await Promise.all(advancing);
            if (atomicSteps) await flush();
          }
          await flush();

          // Time reaches the deadline only by advancing, and the deadline timer fires as it is
          // reached: so whatever happened at or after `ms` happened after the timeout.
          const first = happened[0];
          const timedOut = first === undefined || first.at >= ms;
          expect(call.settledCount).toBe(1);
          if (timedOut) {
            expect(call.state.status === 'rejected' && isTimeoutError(call.state.reason)).toBe(true);
          } else if (first.what === 'abort') {
            expect(call.state).toEqual({ status: 'rejected', reason });
          } else if (!atomicSteps && happened[1]?.what === 'abort' && call.state.status === 'rejected' && call.state.reason === reason) {
            // The caller aborted while the work's result was still on its way up: the abort wins.
          } else if (workOutcome === 'value') {
            expect(call.state).toEqual({ status: 'fulfilled', value: 'value' });
          } else {
            expect(call.state).toEqual({ status: 'rejected', reason: fnError });
          }
          expect(timeoutEvents).toBe(timedOut ? 1 : 0);
          expect(clock.pendingTimers).toBe(0);
          expect(abortListeners(controller.signal)).toBe(0);
          expect(outer.abandoned + (inner?.abandoned ?? 0)).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
    await flush();
    expect(watch.unhandled).toEqual([]);
  });
});
