/** Drain with the library's real bulkhead, load shedder and circuit breaker registered. */
import { describe, expect, it } from 'vitest';
import {
  bulkhead,
  circuitBreaker,
  healthCheck,
  isBulkheadRejectedError,
  isLoadShedError,
  loadShedder,
  pipeline,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('healthCheck › drain with real bulkhead, shedder and breaker', () => {
  it('refuses new work with reason "draining", lets admitted and queued work finish, and never trips the breaker', async () => {
    const clock = new ManualClock();
    const pool = bulkhead({ clock, limit: 1, queue: { capacity: 1 } });
    const shedder = loadShedder({ clock, maxInFlight: 5 });
    const breaker = circuitBreaker({ clock, window: { kind: 'consecutive', failures: 1 } });
    const health = healthCheck({ clock }).addBulkhead('pool', pool).addShedder('admission', shedder).addBreaker('upstream', breaker);
    const policy = pipeline(shedder, breaker, pool);
    const first = deferred<string>();
    const second = deferred<string>();
    let secondStarted = false;
    const a = policy.execute(() => first.promise);
    const b = policy.execute(() => {
      secondStarted = true;
      return second.promise;
    });
    expect({ active: pool.active, queued: pool.queued, shed: shedder.inFlight }).toEqual({ active: 1, queued: 1, shed: 2 });
    expect(health.inFlight).toBe(4); // each call counted by both components (documented)

    const drained = health.drain({ deadlineMs: 1_000, pollMs: 10 });
    expect((await health.readiness()).status).toBe('fail');
    await expect(policy.execute(() => 'new')).rejects.toSatisfy((e: unknown) => isLoadShedError(e) && e.reason === 'draining');
    for (let i = 0; i < 5; i++) {
      await expect(pipeline(breaker, pool).execute(() => 'new')).rejects.toSatisfy((e: unknown) => isBulkheadRejectedError(e) && e.reason === 'draining');
    }
    expect(breaker.state).toBe('closed'); // a refusal is not a failure

    first.resolve('a');
    expect(await a).toBe('a');
    await clock.advance(0);
    expect(secondStarted).toBe(true); // the queued caller still runs
    await clock.advance(10);
    expect(health.inFlight).toBe(2);
    second.resolve('b');
    expect(await b).toBe('b');
    await clock.advance(10);
    const summary = await drained;
    expect(summary).toMatchObject({ stillRunning: 0, timedOut: false });
    expect(summary.durationMs).toBeLessThan(1_000);
    expect({ active: pool.active, queued: pool.queued, shed: shedder.inFlight }).toEqual({ active: 0, queued: 0, shed: 0 });
    expect(clock.pendingTimers).toBe(0);
    expect(health.state).toBe('drained');
  });

  it('a caller that aborts while queued in a drained bulkhead frees its place, and the drain sees it at once on the next poll', async () => {
    const clock = new ManualClock();
    const pool = bulkhead({ clock, limit: 1, queue: { capacity: 4 } });
    const shedder = loadShedder({ clock, maxInFlight: 10 });
    const health = healthCheck({ clock }).addBulkhead('pool', pool).addShedder('admission', shedder);
    const policy = pipeline(shedder, pool);
    const hold = deferred<string>();
    const running = policy.execute(() => hold.promise);
    const controllers = Array.from({ length: 3 }, () => new AbortController());
    let ran = 0;
    const waiting = controllers.map((c) => policy.execute(() => void ran++, { signal: c.signal }));
    expect({ queued: pool.queued, shed: shedder.inFlight }).toEqual({ queued: 3, shed: 4 });
    const drained = health.drain({ deadlineMs: 1_000, pollMs: 10 });
    for (const c of controllers) c.abort(new Error('client left'));
    for (const w of waiting) await expect(w).rejects.toThrow('client left');
    expect({ queued: pool.queued, shed: shedder.inFlight }).toEqual({ queued: 0, shed: 1 });
    hold.resolve('done');
    await running;
    await clock.advance(10);
    expect(await drained).toMatchObject({ stillRunning: 0, timedOut: false });
    expect(ran).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });
});
