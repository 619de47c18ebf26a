/** The bulkhead as a component of a health check: saturation, and its part in a drain. */
import { describe, expect, it } from 'vitest';
import { bulkhead, healthCheck, isBulkheadRejectedError } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { deferred, tick, track } from '../queue/track.js';

describe('bulkhead › with healthCheck()', () => {
  it('reports its saturation through addBulkhead()', async () => {
    const clock = new ManualClock();
    const policy = bulkhead({ limit: 4, clock });
    const health = healthCheck({ clock }).addBulkhead('db', policy);
    const d = deferred<string>();
    void policy.execute(() => d.promise);
    const report = await health.report();
    expect(JSON.stringify(report)).toContain('"observedValue":25');
    d.resolve('done');
  });

  it('a drain counts its running and waiting calls, then makes it refuse new work while they finish', async () => {
    const clock = new ManualClock();
    const policy = bulkhead({ limit: 1, queue: { capacity: 4 }, clock });
    const health = healthCheck({ clock }).addBulkhead('db', policy);
    const first = deferred<string>();
    const second = deferred<string>();
    const running = track(policy.execute(() => first.promise));
    const waiting = track(policy.execute(() => second.promise));
    const summary = track(health.drain({ graceMs: 1_000, deadlineMs: 10_000 }));
    await clock.advance(999);
    expect(policy.draining).toBe(false);
    await clock.advance(1);
    expect(policy.draining).toBe(true);
    await expect(policy.execute(() => 'late')).rejects.toSatisfy(isBulkheadRejectedError);
    first.resolve('a');
    await tick();
    second.resolve('b');
    await clock.advance(200);
    expect([running.value, waiting.value]).toEqual(['a', 'b']);
    expect(summary.state).toBe('fulfilled');
    expect(summary.value).toMatchObject({ stillRunning: 0, timedOut: false });
    expect(clock.pendingTimers).toBe(0);
  });
});
