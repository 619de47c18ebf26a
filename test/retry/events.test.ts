import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantBackoff, createEventHub, retry, type RetryGiveUpReason } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { flush, ofType, recordEvents, track } from './helpers.js';

describe('retry › events (failure mode 35)', () => {
  it('one retry event per retry, with attempt, delay, outcome, name, kind and clock time; none when the call then succeeds', async () => {
    const clock = new ManualClock({ start: 5_000 });
    const { events, seen } = recordEvents();
    const errors = [new Error('first'), new Error('second')];
    let calls = 0;
    const call = track(retry({ clock, events, name: 'inventory', backoff: constantBackoff(250) }).execute(() => (calls < 2 ? Promise.reject(errors[calls++]) : 'ok')));
    await clock.runAll();
    expect(call.value).toBe('ok');
    expect(seen).toEqual([
      { type: 'retry', kind: 'retry', name: 'inventory', time: 5_000, attempt: 1, delayMs: 250, outcome: { ok: false, error: errors[0], attempt: 1 } },
      { type: 'retry', kind: 'retry', name: 'inventory', time: 5_250, attempt: 2, delayMs: 250, outcome: { ok: false, error: errors[1], attempt: 2 } },
    ]);
  });

  it('a retried result is carried by the retry event as an ok outcome', async () => {
    const clock = new ManualClock();
    const { events, seen } = recordEvents();
    const busy = { status: 503 };
    let calls = 0;
    track(retry({ clock, events, shouldRetry: (o) => o.ok && o.value === busy }).execute(() => (calls++ === 0 ? busy : { status: 200 })));
    await clock.runAll();
    expect(ofType(seen, 'retry').map((e) => e.outcome)).toEqual([{ ok: true, value: busy, attempt: 1 }]);
  });

  it('exactly one retry.giveup per failed call, with the reason; none for a success or a caller abort', async () => {
    const clock = new ManualClock();
    const { events, seen } = recordEvents();
    const fatal = new Error('fatal');
    const policy = retry({ clock, events, maxAttempts: 2, backoff: constantBackoff(10), shouldRetry: (o) => !o.ok && o.error !== fatal });
    const controller = new AbortController();
    track(policy.execute(() => Promise.reject(new Error('down'))));
    track(policy.execute(() => Promise.reject(fatal)));
    track(policy.execute(() => 'fine'));
    track(policy.execute(() => new Promise(() => {}), { signal: controller.signal }));
    await clock.runAll();
    controller.abort(new Error('bye'));
    await flush();
    expect(ofType(seen, 'retry.giveup').map((e) => [e.reason, e.attempts])).toEqual([
      ['not-retryable', 1],
      ['max-attempts', 2],
    ]);
  });

  it('a listener that throws changes nothing: the call still retries and succeeds, and the other listeners still run', async () => {
    const clock = new ManualClock();
    const reported: unknown[] = [];
    const events = createEventHub({ onListenerError: (error) => reported.push(error) });
    const boom = new Error('listener bug');
    events.on('retry', () => {
      throw boom;
    });
    const delays: number[] = [];
    events.on('retry', (e) => delays.push(e.delayMs));
    let calls = 0;
    const call = track(retry({ clock, events, backoff: constantBackoff(5) }).execute(() => (calls++ < 2 ? Promise.reject(new Error('x')) : 'ok')));
    await clock.runAll();
    expect(call.value).toBe('ok');
    expect(delays).toEqual([5, 5]);
    expect(reported).toEqual([boom, boom]);
  });

  it('failure mode 35: for any mix of calls, event counts equal the outcomes (property)', async () => {
    // Each call is a script of attempt results: 'ok', 'err' (retryable) or 'fatal' (not retryable).
    const script = fc.array(fc.constantFrom('ok', 'err', 'fatal'), { minLength: 1, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(fc.array(script, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 5 }), async (scripts, maxAttempts) => {
        const clock = new ManualClock();
        const { events, seen } = recordEvents();
        const fatal = new Error('fatal');
        const policy = retry({ clock, events, maxAttempts, backoff: constantBackoff(10), shouldRetry: (o) => !o.ok && o.error !== fatal });
        const calls = scripts.map((steps) => {
          let i = 0;
          return track(
            policy.execute(() => {
              const step = steps[Math.min(i++, steps.length - 1)];
              return step === 'ok' ? 'ok' : Promise.reject(step === 'fatal' ? fatal : new Error('err'));
            }),
          );
        });
        await clock.runAll();
        // The model: how each call ends and how many retries it makes.
        let retries = 0;
        const giveUps: RetryGiveUpReason[] = [];
        for (const steps of scripts) {
          for (let attempt = 1; ; attempt++) {
            const step = steps[Math.min(attempt - 1, steps.length - 1)];
            if (step === 'ok') break;
            if (step === 'fatal') {
              giveUps.push('not-retryable');
              break;
            }
            if (attempt === maxAttempts) {
              giveUps.push('max-attempts');
              break;
            }
            retries++;
          }
        }
        expect(calls.every((c) => c.settles === 1)).toBe(true);
        expect(calls.filter((c) => c.state === 'rejected')).toHaveLength(giveUps.length);
        expect(ofType(seen, 'retry')).toHaveLength(retries);
        expect(ofType(seen, 'retry.giveup').map((e) => e.reason).sort()).toEqual(giveUps.sort());
      }),
      { numRuns: 200 },
    );
  });
});
