import { describe, expect, it } from 'vitest';
import {
  circuitBreaker,
  CircuitOpenError,
  IsolatedCircuitError,
  isCircuitOpenError,
  isIsolatedCircuitError,
  isRejection,
  isResilienceError,
  ResilienceError,
  type CircuitBreakerOptions,
  type CircuitSnapshot,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { fail, rejection, succeed } from './helpers.js';

describe('errors', () => {
  it('CircuitOpenError and IsolatedCircuitError are rejections with stable codes, recognised across copies', () => {
    const open = new CircuitOpenError(250);
    expect(open).toMatchObject({ code: 'ERR_CIRCUIT_OPEN', name: 'CircuitOpenError', retryAfterMs: 250, message: 'Circuit is open; retry after 250 ms' });
    expect(open).toBeInstanceOf(ResilienceError);
    expect(isRejection(open)).toBe(true);
    const isolated = new IsolatedCircuitError();
    expect(isolated).toMatchObject({ code: 'ERR_CIRCUIT_ISOLATED', name: 'IsolatedCircuitError' });
    expect(isRejection(isolated)).toBe(true);
    expect(isolated instanceof CircuitOpenError).toBe(false);
    // An error from another copy of the library: same brand and code, different class.
    const foreign = Object.assign(Object.create(ResilienceError.prototype) as object, { code: 'ERR_CIRCUIT_OPEN', retryAfterMs: 1 });
    expect(foreign instanceof CircuitOpenError).toBe(true);
    expect(isCircuitOpenError(foreign)).toBe(true);
    expect(isIsolatedCircuitError(foreign)).toBe(false);
    expect(isCircuitOpenError(new Error('x'))).toBe(false);
  });

  it('rejections carry no captured stack, yet the right message and fields each time', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({ clock, name: 'db', window: { kind: 'consecutive', failures: 1 }, openMs: 100 });
    await fail(breaker, 1);
    const first = (await rejection(breaker.execute(() => 1))) as CircuitOpenError;
    await clock.advance(40);
    const second = (await rejection(breaker.execute(() => 1))) as CircuitOpenError;
    expect(first).not.toBe(second);
    expect([first.retryAfterMs, second.retryAfterMs]).toEqual([100, 60]);
    expect(second.message).toBe('Circuit "db" is open; retry after 60 ms');
    expect(second.stack?.split('\n')).toHaveLength(1);
    expect(second.stack).toContain('Circuit "db" is open');
    expect(isResilienceError(second)).toBe(true);
    expect(Error.stackTraceLimit).toBe(10); // restored
    expect(new CircuitOpenError(5).stack?.split('\n').length).toBeGreaterThan(1); // user-built errors keep theirs
  });
});

describe('snapshot and initialState', () => {
  const restore = (options: CircuitBreakerOptions, snapshot: CircuitSnapshot) =>
    circuitBreaker({ ...options, initialState: JSON.parse(JSON.stringify(snapshot)) as CircuitSnapshot });

  it('an open circuit restored stays open for its remaining time, on a new clock', async () => {
    const clock = new ManualClock({ start: 5_000 });
    const options = { clock, window: { kind: 'consecutive', failures: 1 }, openMs: 1_000 } as const;
    const breaker = circuitBreaker(options);
    await fail(breaker, 1);
    await clock.advance(300);
    const snapshot = breaker.snapshot();
    expect(snapshot).toEqual({ version: 1, state: 'open', openings: 1, lastOpenMs: 1_000, remainingOpenMs: 700, window: { kind: 'consecutive', failures: 1 } });
    const later = new ManualClock({ start: 42 }); // another process: another origin
    const restored = restore({ ...options, clock: later }, snapshot);
    expect(restored.state).toBe('open');
    expect((await rejection(restored.execute(() => 1)) as CircuitOpenError).retryAfterMs).toBe(700);
    await later.advance(700);
    expect(restored.state).toBe('half-open');
  });

  it('restores the window content and the backoff step', async () => {
    const clock = new ManualClock();
    const options = { clock, window: { kind: 'count', size: 4, minimumCalls: 4, failureRate: 0.5 } } as const;
    const breaker = circuitBreaker(options);
    await fail(breaker, 1);
    await succeed(breaker, 2);
    const restored = restore(options, breaker.snapshot());
    expect(restored.metrics()).toMatchObject({ calls: 3, failures: 1 });
    await fail(restored, 1);
    expect(restored.state).toBe('open');
  });

  it('restores a time window relative to now', async () => {
    const clock = new ManualClock({ start: 12_345 });
    const options = { clock, window: { kind: 'time', durationMs: 1_000, buckets: 4, minimumCalls: 3 } } as const;
    const breaker = circuitBreaker(options);
    await fail(breaker, 1);
    await clock.advance(500);
    await succeed(breaker, 1);
    const later = new ManualClock({ start: 12_345 + 500 });
    const restored = restore({ ...options, clock: later }, breaker.snapshot());
    expect(restored.metrics()).toMatchObject({ calls: 2, failures: 1 });
    await later.advance(500); // the first call's bucket expires, as it would have
    expect(restored.metrics()).toMatchObject({ calls: 1, failures: 0 });
  });

  it('a half-open snapshot restores half-open; an isolated one stays isolated until reset()', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({ clock, window: { kind: 'consecutive', failures: 1 }, openMs: 10 });
    await fail(breaker, 1);
    await clock.advance(10);
    expect(restore({ clock }, breaker.snapshot()).state).toBe('half-open');
    breaker.isolate();
    const isolated = restore({ clock }, breaker.snapshot());
    expect(isolated.state).toBe('isolated');
    // A hold taken and given up after the restart is not the one that isolated it: it stays isolated.
    isolated.isolate().release();
    expect(isolated.state).toBe('isolated');
    expect(await rejection(isolated.execute(() => 'ran'))).toBeInstanceOf(IsolatedCircuitError);
    isolated.reset();
    expect(isolated.state).toBe('closed');
  });

  it.each(['consecutive', 'count', 'time'] as const)('%s window: each state survives a JSON round trip exactly (state, window, backoff step, remaining time)', async (kind) => {
    const clock = new ManualClock();
    const window =
      kind === 'consecutive'
        ? ({ kind, failures: 2, slowCallMs: 5 } as const)
        : kind === 'count'
          ? ({ kind, size: 4, minimumCalls: 2, failureRate: 0.6, slowCallMs: 5 } as const)
          : ({ kind, durationMs: 400, buckets: 4, minimumCalls: 2, failureRate: 0.6, slowCallMs: 5 } as const);
    const options = { clock, window, openMs: 100 };
    const breaker = circuitBreaker(options);
    const roundTrip = () => {
      const saved = JSON.parse(JSON.stringify(breaker.snapshot())) as CircuitSnapshot;
      const restored = restore(options, saved);
      expect(restored.snapshot()).toEqual(saved);
      expect(restored.metrics()).toEqual(breaker.metrics());
      return saved.state;
    };
    await succeed(breaker, 1);
    await fail(breaker, 1);
    expect(roundTrip()).toBe('closed');
    await fail(breaker, 1);
    await clock.advance(30);
    expect(roundTrip()).toBe('open');
    await clock.advance(70);
    expect(roundTrip()).toBe('half-open');
    breaker.isolate();
    expect(roundTrip()).toBe('isolated');
  });

  it('a window configured differently starts empty', async () => {
    const breaker = circuitBreaker({ window: { kind: 'count', size: 4 } });
    await fail(breaker, 2);
    const restored = restore({ window: { kind: 'count', size: 5 } }, breaker.snapshot());
    expect(restored.metrics().calls).toBe(0);
  });

  it('rejects a malformed initialState naming the field', () => {
    const good = circuitBreaker().snapshot();
    const bad = (patch: object) => () => circuitBreaker({ initialState: { ...good, ...patch } as CircuitSnapshot });
    expect(bad({ version: 2 })).toThrow(/`initialState.version` must be 1/);
    expect(bad({ state: 'ajar' })).toThrow(/`initialState.state`/);
    expect(bad({ remainingOpenMs: -1 })).toThrow(RangeError);
    expect(bad({ window: { kind: 'count', size: 2, outcomes: [0, 1, 1] } })).toThrow(/outcomes/);
    expect(bad({ window: { kind: 'time', bucketMs: 1, calls: [1], failures: [], slowCalls: [0] } })).toThrow(/window.failures/);
    expect(() => circuitBreaker({ initialState: 'open' as unknown as CircuitSnapshot })).toThrow(TypeError);
  });

  it('rejects counts that no breaker could have saved: fractions, and more failures than calls in a bucket', () => {
    const good = circuitBreaker().snapshot();
    const bad = (patch: object) => () => circuitBreaker({ initialState: { ...good, ...patch } as CircuitSnapshot });
    expect(bad({ openings: 1.5 })).toThrow(/`initialState.openings` must be an integer/);
    expect(bad({ window: { kind: 'consecutive', failures: 1.5 } })).toThrow(/`initialState.window.failures` must be an integer/);
    expect(bad({ window: { kind: 'time', bucketMs: 100, calls: [1, 2], failures: [0, 3], slowCalls: [0, 0] } })).toThrow(/`initialState.window.failures\[1\]` must be <= `calls\[1\]` \(2\), got 3/);
    expect(bad({ window: { kind: 'time', bucketMs: 100, calls: [1], failures: [0], slowCalls: [2] } })).toThrow(RangeError);
  });
});
