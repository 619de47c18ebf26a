import { describe, expect, it } from 'vitest';
import { circuitBreaker, constantBackoff, isCircuitOpenError, isTimeoutError, pipeline, retry, timeout, type Clock } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { boom, ok, rejection } from './helpers.js';

describe('circuit breaker in a pipeline', () => {
  it('breaker inside retry: once open, the next attempt is rejected and not retried', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({ clock, window: { kind: 'consecutive', failures: 2 } });
    const policy = pipeline(retry({ clock, maxAttempts: 5, backoff: constantBackoff(0) }), breaker);
    let calls = 0;
    const error = await rejection(policy.execute(() => (calls++, boom())));
    expect(calls).toBe(2);
    expect(isCircuitOpenError(error)).toBe(true);
  });

  it('timeout inside breaker: a TimeoutError is a failure', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({ clock, window: { kind: 'consecutive', failures: 1 } });
    const policy = pipeline(breaker, timeout({ clock, ms: 100 }));
    const call = rejection(policy.execute(() => new Promise(() => undefined)));
    await clock.advance(100);
    expect(isTimeoutError(await call)).toBe(true);
    expect(breaker.state).toBe('open');
  });

  it('timeout outside breaker: the outer give-up aborts the call, which is not counted', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({ clock, window: { kind: 'consecutive', failures: 1 } });
    const policy = pipeline(timeout({ clock, ms: 100 }), breaker);
    const call = rejection(policy.execute(({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))));
    await clock.advance(100);
    expect(isTimeoutError(await call)).toBe(true);
    expect(breaker.state).toBe('closed');
    expect(breaker.metrics().calls).toBe(0);
  });

  it('a nested breaker open is a rejection the outer breaker does not count', async () => {
    const clock = new ManualClock();
    const inner = circuitBreaker({ clock, window: { kind: 'consecutive', failures: 1 } });
    const outer = circuitBreaker({ clock, window: { kind: 'consecutive', failures: 1 } });
    const policy = pipeline(outer, inner);
    await rejection(policy.execute(boom)); // the failure opens both
    outer.reset();
    for (let i = 0; i < 10; i++) expect(isCircuitOpenError(await rejection(policy.execute(ok)))).toBe(true);
    expect(outer.state).toBe('closed');
  });

  it('reads the clock at most once per closed success (none for consecutive and count windows)', async () => {
    const manual = new ManualClock();
    let reads = 0;
    const clock: Clock = { now: () => (reads++, manual.now()), setTimeout: (cb, ms) => manual.setTimeout(cb, ms), clearTimeout: (h) => manual.clearTimeout(h) };
    const per = async (options: Parameters<typeof circuitBreaker>[0]) => {
      const breaker = circuitBreaker({ ...options, clock });
      reads = 0;
      for (let i = 0; i < 100; i++) await breaker.execute(ok);
      return reads / 100;
    };
    expect(await per({ window: { kind: 'consecutive', failures: 3 } })).toBe(0);
    expect(await per({ window: { kind: 'count', size: 10 } })).toBe(0);
    expect(await per({ window: { kind: 'time', durationMs: 1_000 } })).toBe(1);
    expect(await per({ window: { kind: 'count', size: 10, slowCallMs: 5 } })).toBe(2); // start and end
  });
});
