import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { constantBackoff, isTimeoutError, pipeline, retry, timeout, type AttemptContext } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { flush, ofType, recordEvents, track } from './helpers.js';

/** A task that never settles by itself and rejects with its signal's reason when that aborts. */
function hangUntilAborted(seen: AbortSignal[]): (ctx: AttemptContext) => Promise<never> {
  return ({ signal }) =>
    new Promise((_, reject) => {
      seen.push(signal);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
}

describe('retry › abort', () => {
  it('failure mode 5: abort during a 10 s backoff, 20 ms in, rejects at once with the reason: no further attempt, no pending timer', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    let calls = 0;
    const policy = retry({ clock, maxAttempts: 5, backoff: constantBackoff(10_000) });
    const call = track(policy.execute(() => (calls++, Promise.reject(new Error('down'))), { signal: controller.signal }));
    await clock.advance(20);
    expect(call.state).toBe('pending');
    expect(clock.pendingTimers).toBe(1);
    const reason = new Error('user navigated away');
    controller.abort(reason);
    await flush();
    expect(clock.now()).toBe(20); // no time had to pass
    expect(call.reason).toBe(reason);
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(10 * 60_000);
    expect(calls).toBe(1);
  });

  it('abort during an attempt rejects with the reason and aborts the attempt signal', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const signals: AbortSignal[] = [];
    const call = track(retry({ clock }).execute(hangUntilAborted(signals), { signal: controller.signal }));
    await flush();
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(false);
    const reason = new DOMException('stop', 'AbortError');
    controller.abort(reason);
    await flush();
    expect(call.reason).toBe(reason);
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toBe(reason);
  });

  it('an abort is never retried and emits neither a retry nor a giveup event, even when the attempt turns it into another error', async () => {
    const clock = new ManualClock();
    const { events, seen } = recordEvents();
    const controller = new AbortController();
    let calls = 0;
    const call = track(
      retry({ clock, events, maxAttempts: 5, shouldRetry: () => true }).execute(
        ({ signal }) =>
          new Promise((_, reject) => {
            calls++;
            signal.addEventListener('abort', () => reject(new Error('socket closed')), { once: true });
          }),
        { signal: controller.signal },
      ),
    );
    await flush();
    const reason = new Error('cancelled');
    controller.abort(reason);
    await clock.runAll();
    expect(call.reason).toBe(reason);
    expect(calls).toBe(1);
    expect(seen).toEqual([]);
  });

  it('failure mode 8: a pre-aborted signal never runs the function', async () => {
    const reason = new Error('already gone');
    let calls = 0;
    const call = track(retry().execute(() => (calls++, 'ran'), { signal: AbortSignal.abort(reason) }));
    await flush();
    expect(call.reason).toBe(reason);
    expect(calls).toBe(0);
  });

  it('failure mode 6: abort(R) inside pipeline(retry, timeout) rejects with R and emits no timeout event, during an attempt or a backoff', async () => {
    for (const abortAtMs of [10, 150]) {
      const clock = new ManualClock();
      const { events, seen } = recordEvents();
      const controller = new AbortController();
      const policy = pipeline(retry({ clock, events, maxAttempts: 3, backoff: constantBackoff(1_000) }), timeout({ clock, events, ms: 100 }));
      const signals: AbortSignal[] = [];
      const call = track(policy.execute(hangUntilAborted(signals), { signal: controller.signal }));
      await clock.advance(abortAtMs); // 10: inside attempt 1; 150: attempt 1 timed out, in the backoff
      const reason = new Error(`R at ${abortAtMs}`);
      controller.abort(reason);
      await clock.runAll();
      expect(call.reason).toBe(reason);
      expect(isTimeoutError(call.reason)).toBe(false);
      expect(signals).toHaveLength(1);
      expect(ofType(seen, 'timeout')).toHaveLength(abortAtMs < 100 ? 0 : 1); // only the real one at 100 ms
      expect(ofType(seen, 'retry.giveup')).toEqual([]);
      expect(clock.pendingTimers).toBe(0);
    }
  });

  it('an outer timeout that fires during the backoff stops the retries at once with its TimeoutError', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const policy = pipeline(timeout({ clock, ms: 1_000 }), retry({ clock, maxAttempts: 10, backoff: constantBackoff(600) }));
    const call = track(policy.execute(() => (calls++, Promise.reject(new Error('down')))));
    await clock.advance(1_000);
    expect(isTimeoutError(call.reason)).toBe(true);
    expect(calls).toBe(2); // t=0 and t=600; the wait until 1,200 was cut short
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(60_000);
    expect(calls).toBe(2);
  });

  it('failure mode 4: one long-lived signal through 10,000 retry∘timeout calls leaves 0 listeners and no warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      const clock = new ManualClock();
      const signal = new AbortController().signal;
      const policy = pipeline(retry({ clock, backoff: constantBackoff(10) }), timeout({ clock, ms: 1_000 }));
      // Sequential calls, some of which retry once.
      for (let i = 0; i < 5_000; i++) {
        let attempts = 0;
        const call = policy.execute(() => (++attempts === 1 && i % 3 === 0 ? Promise.reject(new Error('flaky')) : i), { signal });
        if (i % 3 === 0) await clock.advance(10);
        expect(await call).toBe(i);
      }
      expect(getEventListeners(signal, 'abort')).toHaveLength(0);
      // Concurrent calls: one listener however many are in flight, none once they settle.
      const calls = Array.from({ length: 5_000 }, (_, i) => track(policy.execute(() => Promise.resolve(i), { signal })));
      expect(getEventListeners(signal, 'abort')).toHaveLength(1);
      await flush();
      expect(calls.every((c, i) => c.value === i)).toBe(true);
      expect(getEventListeners(signal, 'abort')).toHaveLength(0);
      expect(clock.pendingTimers).toBe(0);
      await flush();
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('failure mode 4: 10,000 concurrent retry calls that all back off on one signal keep one listener, then none after an abort', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const policy = retry({ clock, backoff: constantBackoff(1_000) });
    const calls = Array.from({ length: 10_000 }, () => track(policy.execute(() => Promise.reject(new Error('down')), { signal: controller.signal })));
    await clock.advance(500);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    expect(clock.pendingTimers).toBe(10_000);
    const reason = new Error('shutdown');
    controller.abort(reason);
    await flush();
    expect(calls.every((c) => c.reason === reason && c.settles === 1)).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(clock.pendingTimers).toBe(0);
  });
});
