import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantBackoff, ResilienceError, retry, TimeoutError, type RetryOutcome } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { flush, HttpError, ofType, recordEvents, track } from './helpers.js';

const rejectionCodes = ['ERR_CIRCUIT_OPEN', 'ERR_CIRCUIT_ISOLATED', 'ERR_BULKHEAD_FULL', 'ERR_QUEUE_FULL', 'ERR_QUEUE_CLOSED', 'ERR_LOAD_SHED'];

describe('retry › attempts', () => {
  it('maxAttempts counts every attempt, the first included, and defaults to 3', async () => {
    const clock = new ManualClock();
    const attempts: number[] = [];
    const call = track(
      retry({ clock }).execute(({ attempt }) => {
        attempts.push(attempt);
        return Promise.reject(new Error('down'));
      }),
    );
    await clock.runAll();
    expect(call.state).toBe('rejected');
    expect(attempts).toEqual([1, 2, 3]);
    expect(retry().maxAttempts).toBe(3);
  });

  it('makes exactly min(failures + 1, maxAttempts) calls for any maxAttempts and failure count (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 35 }), async (maxAttempts, failures) => {
        const clock = new ManualClock();
        const errors: Error[] = [];
        let calls = 0;
        const call = track(
          retry({ clock, maxAttempts, backoff: constantBackoff(10) }).execute(() => {
            calls++;
            if (calls > failures) return 'ok';
            const error = new Error(`failure ${calls}`);
            errors.push(error);
            throw error;
          }),
        );
        await clock.runAll();
        expect(calls).toBe(Math.min(failures + 1, maxAttempts));
        if (failures < maxAttempts) expect(call.value).toBe('ok');
        else expect(call.reason).toBe(errors[maxAttempts - 1]);
        expect(clock.pendingTimers).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('maxAttempts: Infinity keeps retrying until the caller aborts', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    let calls = 0;
    const call = track(
      retry({ clock, maxAttempts: Infinity, backoff: constantBackoff(100) }).execute(
        () => {
          calls++;
          return Promise.reject(new Error('down'));
        },
        { signal: controller.signal },
      ),
    );
    await clock.advance(100 * 99);
    expect(calls).toBe(100);
    const reason = new Error('shutting down');
    controller.abort(reason);
    await flush();
    expect(call.reason).toBe(reason);
    await clock.advance(60_000);
    expect(calls).toBe(100);
    expect(clock.pendingTimers).toBe(0);
  });

  it('maxAttempts: Infinity stops at maxElapsedMs with reason max-elapsed', async () => {
    const clock = new ManualClock();
    const { events, seen } = recordEvents();
    const starts: number[] = [];
    const call = track(
      retry({ clock, events, maxAttempts: Infinity, maxElapsedMs: 1_000, backoff: constantBackoff(100) }).execute(() => {
        starts.push(clock.now());
        return Promise.reject(new Error('down'));
      }),
    );
    await clock.runAll();
    expect(call.state).toBe('rejected');
    expect(starts).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1_000]);
    expect(ofType(seen, 'retry.giveup').map((e) => [e.reason, e.attempts])).toEqual([['max-elapsed', 11]]);
  });

  it('failure mode 21: a non-retryable outcome stops at once and no attempt follows in the next 10 virtual minutes', async () => {
    const clock = new ManualClock();
    const fatal = new HttpError(400);
    let calls = 0;
    const policy = retry({ clock, maxAttempts: 10, backoff: constantBackoff(1_000), shouldRetry: (o) => !o.ok && o.error !== fatal });
    const call = track(
      policy.execute(() => {
        calls++;
        return Promise.reject(calls === 2 ? fatal : new Error('transient'));
      }),
    );
    await clock.advance(1_000);
    expect(call.reason).toBe(fatal);
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(10 * 60_000);
    expect(calls).toBe(2);
  });

  it.each(rejectionCodes)('the default shouldRetry does not retry a rejection by another policy (%s)', async (code) => {
    const clock = new ManualClock();
    const refused = new ResilienceError(code, 'refused');
    let calls = 0;
    const call = track(
      retry({ clock }).execute(() => {
        calls++;
        return Promise.reject(refused);
      }),
    );
    await clock.runAll();
    expect(call.reason).toBe(refused);
    expect(calls).toBe(1);
  });

  it('the default shouldRetry retries other errors, a TimeoutError included', async () => {
    const clock = new ManualClock();
    const errors = [new TimeoutError(100), new ResilienceError('ERR_SOMETHING', 'other'), new Error('plain')];
    let calls = 0;
    const call = track(retry({ clock, maxAttempts: 4 }).execute(() => (calls < 3 ? Promise.reject(errors[calls++]) : 'ok')));
    await clock.runAll();
    expect(call.value).toBe('ok');
    expect(calls).toBe(3);
  });

  it('the default shouldRetry never retries a result, even one that looks like a failure', async () => {
    const clock = new ManualClock();
    const busy = { status: 503 };
    let calls = 0;
    const call = track(retry({ clock }).execute(() => (calls++, busy)));
    await clock.runAll();
    expect(call.value).toBe(busy);
    expect(calls).toBe(1);
  });

  it('shouldRetry sees results: a 503-like result is retried until a good one comes', async () => {
    const clock = new ManualClock();
    const results = [{ status: 503 }, { status: 503 }, { status: 200 }];
    const seen: RetryOutcome<unknown>[] = [];
    let calls = 0;
    const policy = retry({
      clock,
      maxAttempts: 5,
      shouldRetry: (o) => (seen.push(o), o.ok ? (o.value as { status: number }).status >= 500 : true),
    });
    const call = track(policy.execute(() => results[calls++]));
    await clock.runAll();
    expect(call.value).toBe(results[2]);
    expect(seen.map((o) => (o.ok ? [o.attempt, o.value] : o))).toEqual([
      [1, results[0]],
      [2, results[1]],
      [3, results[2]],
    ]);
  });

  it('after the last attempt a retried result is returned: the last one, as is', async () => {
    const clock = new ManualClock();
    const { events, seen } = recordEvents();
    const results = [{ status: 503 }, { status: 502 }, { status: 504 }];
    let calls = 0;
    const policy = retry({ clock, events, shouldRetry: (o) => o.ok && (o.value as { status: number }).status >= 500 });
    const call = track(policy.execute(() => results[calls++]));
    await clock.runAll();
    expect(call.value).toBe(results[2]);
    const giveUps = ofType(seen, 'retry.giveup');
    expect(giveUps.map((e) => [e.reason, e.attempts])).toEqual([['max-attempts', 3]]);
    expect(giveUps[0]?.outcome).toEqual({ ok: true, value: results[2], attempt: 3 });
  });

  it('failure mode 11: after the last attempt the call rejects with the last error itself (identity, class, fields)', async () => {
    const clock = new ManualClock();
    const errors = [new HttpError(500), new HttpError(502), new HttpError(503)];
    let calls = 0;
    const call = track(retry({ clock }).execute(() => Promise.reject(errors[calls++])));
    await clock.runAll();
    expect(call.reason).toBe(errors[2]);
    expect(call.reason).toBeInstanceOf(HttpError);
    expect((call.reason as HttpError).status).toBe(503);
    expect((call.reason as HttpError).cause).toBeUndefined();
  });

  it('failure mode 11: a frozen error and a non-Error value pass through untouched', async () => {
    const clock = new ManualClock();
    const frozen = Object.freeze(new HttpError(500));
    const frozenCall = track(retry({ clock, maxAttempts: 2 }).execute(() => Promise.reject(frozen)));
    const odd = { not: 'an error' };
    const oddCall = track(retry({ clock, maxAttempts: 2 }).execute(() => Promise.reject(odd)));
    await clock.runAll();
    expect(frozenCall.reason).toBe(frozen);
    expect(oddCall.reason).toBe(odd);
  });

  it('a shouldRetry that throws on a result rejects the call with its error and starts no further attempt', async () => {
    const clock = new ManualClock();
    const bug = new TypeError('bug in shouldRetry');
    let calls = 0;
    const policy = retry({
      clock,
      maxAttempts: 5,
      shouldRetry: (o) => {
        if (o.ok) throw bug;
        return true;
      },
    });
    const call = track(policy.execute(() => (calls++, 'value')));
    await clock.runAll();
    expect(call.reason).toBe(bug);
    expect(calls).toBe(1);
  });

  it('each attempt gets its attempt number in the context', async () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    const call = track(retry({ clock, maxAttempts: 4 }).execute(({ attempt }) => (seen.push(attempt), attempt < 4 ? Promise.reject(new Error('x')) : attempt)));
    await clock.runAll();
    expect(call.value).toBe(4);
    expect(seen).toEqual([1, 2, 3, 4]);
  });
});
