import { describe, expect, it } from 'vitest';
import { circuitBreaker } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { boom, fail, ok, succeed } from './helpers.js';

describe('consecutive window', () => {
  it('opens after `failures` failures in a row; a success ends the run', async () => {
    const breaker = circuitBreaker({ clock: new ManualClock(), window: { kind: 'consecutive', failures: 3 } });
    await fail(breaker, 2);
    await succeed(breaker, 1);
    await fail(breaker, 2);
    expect(breaker.state).toBe('closed');
    expect(breaker.metrics()).toMatchObject({ window: 'consecutive', calls: 2, failures: 2 });
    await fail(breaker, 1);
    expect(breaker.state).toBe('open');
  });

  it('counts a call slower than slowCallMs like a failure', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({ clock, window: { kind: 'consecutive', failures: 2, slowCallMs: 100 } });
    const slow = () => clock.advance(101).then(() => 'late');
    await breaker.execute(slow);
    expect(breaker.state).toBe('closed');
    await breaker.execute(() => clock.advance(100).then(() => 'on time')); // exactly 100 ms is not slower
    await breaker.execute(slow);
    expect(breaker.state).toBe('closed');
    await breaker.execute(slow);
    expect(breaker.state).toBe('open');
  });
});

describe('count window', () => {
  it('opens when the failure rate of the last `size` calls reaches failureRate, with at least minimumCalls', async () => {
    const breaker = circuitBreaker({ clock: new ManualClock(), window: { kind: 'count', size: 4, failureRate: 0.5, minimumCalls: 4 } });
    await fail(breaker, 2);
    await succeed(breaker, 1);
    expect(breaker.state).toBe('closed'); // 2/3 but fewer than minimumCalls
    await succeed(breaker, 1);
    expect(breaker.state).toBe('open'); // 2/4 = 50%: a success can complete the minimum
  });

  it('forgets the oldest call when the ring is full', async () => {
    const breaker = circuitBreaker({ clock: new ManualClock(), window: { kind: 'count', size: 4, failureRate: 0.75, minimumCalls: 4 } });
    await fail(breaker, 2);
    await succeed(breaker, 2);
    await fail(breaker, 1); // window: F S S F (oldest F dropped) -> 2/4
    expect(breaker.state).toBe('closed');
    expect(breaker.metrics()).toMatchObject({ calls: 4, failures: 2, failureRate: 0.5 });
    await fail(breaker, 1); // S S F F -> 2/4
    await fail(breaker, 1); // S F F F -> 3/4
    expect(breaker.state).toBe('open');
  });

  it('opens on the slow-call rate', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({ clock, window: { kind: 'count', size: 4, minimumCalls: 2, slowCallMs: 50, slowCallRate: 0.5 } });
    await succeed(breaker, 1);
    await breaker.execute(() => clock.advance(51).then(() => 'slow'));
    expect(breaker.state).toBe('open');
  });

  it('reports rates of 0, never NaN, when empty', () => {
    const m = circuitBreaker({ window: { kind: 'count', size: 10 } }).metrics();
    expect(m).toMatchObject({ calls: 0, failureRate: 0, slowCallRate: 0 });
  });
});

describe('time window', () => {
  it('opens when the rate over the last durationMs crosses, and expires by the clock', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({ clock, window: { kind: 'time', durationMs: 1_000, buckets: 10, failureRate: 0.5, minimumCalls: 4 } });
    await fail(breaker, 2);
    await clock.advance(950);
    await succeed(breaker, 1);
    expect(breaker.metrics()).toMatchObject({ calls: 3, failures: 2 }); // below minimumCalls
    await clock.advance(50); // the bucket of the first two calls leaves the window
    expect(breaker.metrics()).toMatchObject({ calls: 1, failures: 0 });
    await fail(breaker, 1);
    expect(breaker.state).toBe('closed');
    await fail(breaker, 2); // 3 failures of 4 in the window
    expect(breaker.state).toBe('open');
  });

  it('counts no stale failure after an idle gap (cockatiel SamplingBreaker does)', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({ clock, window: { kind: 'time', durationMs: 10_000, buckets: 10, failureRate: 0.5, minimumCalls: 1 } });
    await succeed(breaker, 20);
    await fail(breaker, 9);
    expect(breaker.state).toBe('closed'); // 9/29
    await clock.advance(3_600_000);
    expect(breaker.metrics()).toMatchObject({ calls: 0, failures: 0 });
    await succeed(breaker, 1);
    await fail(breaker, 1);
    expect(breaker.state).toBe('open'); // 1/2 of the fresh window, not 10/31 of the stale one
  });

  it('holds the current bucket and the buckets - 1 before it', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({ clock, window: { kind: 'time', durationMs: 300, buckets: 3, minimumCalls: 100 } });
    await fail(breaker, 1); // bucket 0
    await clock.advance(299); // bucket 2 (0..99, 100..199, 200..299)
    expect(breaker.metrics().calls).toBe(1);
    await clock.advance(1); // bucket 3: bucket 0 has expired
    expect(breaker.metrics().calls).toBe(0);
  });

  it('keeps fixed-size state whatever the call rate', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({ clock, window: { kind: 'time', durationMs: 1_000, buckets: 5, minimumCalls: 1_000_000 } });
    for (let i = 0; i < 20_000; i++) {
      await breaker.execute(i % 3 === 0 ? boom : ok).catch(() => undefined);
      if (i % 100 === 0) await clock.advance(7);
    }
    const snapshot = breaker.snapshot();
    expect(snapshot.window.kind === 'time' && snapshot.window.calls.length).toBe(5);
    expect(JSON.stringify(snapshot).length).toBeLessThan(300);
  });
});
