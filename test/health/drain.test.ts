import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEventHub, healthCheck, type HealthDrainEvent } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { deferred } from '../helpers/deferred.js';

/** A bulkhead-shaped test double that refuses new work once drained. */
function fakeBulkhead(limit: number) {
  return {
    active: 0,
    queued: 0,
    limit,
    refusing: false,
    drainCalls: 0,
    drain() {
      this.drainCalls++;
      this.refusing = true;
    },
  };
}

afterEach(() => vi.restoreAllMocks());

describe('healthCheck › drain (lame-duck mode)', () => {
  it('resolves when tracked in-flight work reaches zero, with a summary', async () => {
    const clock = new ManualClock();
    const health = healthCheck({ clock });
    const works = [deferred(), deferred(), deferred()];
    for (const work of works) health.track(work.promise);
    expect(health.inFlight).toBe(3);
    let summary: unknown;
    void health.drain({ deadlineMs: 10_000 }).then((s) => (summary = s));
    expect(health.state).toBe('draining');
    await clock.advance(100);
    works[0]?.resolve();
    works[1]?.reject(new Error('request failed')); // a failure is still finished work
    await clock.advance(100);
    expect(summary).toBeUndefined();
    works[2]?.resolve();
    await clock.advance(0);
    expect(summary).toEqual({ completed: 3, stillRunning: 0, timedOut: false, durationMs: 200 });
    expect(health.state).toBe('drained');
    expect(clock.pendingTimers).toBe(0);
  });

  it('resolves at once when nothing is in flight', async () => {
    const clock = new ManualClock();
    const summary = await healthCheck({ clock }).drain();
    expect(summary).toEqual({ completed: 0, stillRunning: 0, timedOut: false, durationMs: 0 });
    expect(clock.pendingTimers).toBe(0);
  });

  it('resolves at the deadline with what is still running', async () => {
    const clock = new ManualClock();
    const health = healthCheck({ clock });
    const stuck = deferred();
    const quick = deferred();
    health.track(stuck.promise);
    health.track(quick.promise);
    const drained = health.drain({ deadlineMs: 5_000 });
    quick.resolve();
    await clock.advance(4_999);
    let summary: unknown;
    void drained.then((s) => (summary = s));
    await clock.advance(0);
    expect(summary).toBeUndefined();
    await clock.advance(1);
    expect(summary).toEqual({ completed: 1, stillRunning: 1, timedOut: true, durationMs: 5_000 });
    expect(clock.pendingTimers).toBe(0);
    stuck.resolve();
  });

  it('is idempotent: a second drain() returns the first promise', async () => {
    const clock = new ManualClock();
    const health = healthCheck({ clock });
    const first = health.drain({ deadlineMs: 1_000 });
    const second = health.drain({ deadlineMs: 99_000 });
    expect(second).toBe(first);
  });

  it('during graceMs nothing is refused and reaching zero does not end the drain; after it, components refuse', async () => {
    const clock = new ManualClock();
    const bulkhead = fakeBulkhead(4);
    const health = healthCheck({ clock }).addBulkhead('pool', bulkhead);
    const drained = health.drain({ graceMs: 3_000, deadlineMs: 10_000 });
    expect((await health.readiness()).status).toBe('fail');
    await clock.advance(2_999);
    expect(bulkhead.drainCalls).toBe(0);
    // Load balancers still send work during the grace period; it is accepted.
    bulkhead.active = 2;
    await clock.advance(1);
    expect(bulkhead.drainCalls).toBe(1);
    expect(bulkhead.refusing).toBe(true);
    let summary: unknown;
    void drained.then((s) => (summary = s));
    bulkhead.active = 0;
    // Registered components are read every pollMs (100 by default).
    await clock.advance(99);
    expect(summary).toBeUndefined();
    await clock.advance(1);
    expect(summary).toEqual({ completed: 0, stillRunning: 0, timedOut: false, durationMs: 3_100 });
    expect(clock.pendingTimers).toBe(0);
  });

  it('counts a bulkhead’s active and queued work, and shedders that expose inFlight', async () => {
    const clock = new ManualClock();
    const bulkhead = fakeBulkhead(2);
    bulkhead.active = 2;
    bulkhead.queued = 3;
    const shedder = { inFlight: 4, pressure: () => 0.5, isOverloaded: () => false, drain: vi.fn() };
    const health = healthCheck({ clock }).addBulkhead('pool', bulkhead).addShedder('admission', shedder);
    health.track(Promise.resolve());
    expect(health.inFlight).toBe(10);
    const drained = health.drain({ deadlineMs: 1_000, pollMs: 10 });
    expect(shedder.drain).toHaveBeenCalledTimes(1);
    await clock.advance(0);
    bulkhead.queued = 0;
    shedder.inFlight = 0;
    await clock.advance(10);
    bulkhead.active = 0;
    await clock.advance(10);
    expect(await drained).toEqual({ completed: 10, stillRunning: 0, timedOut: false, durationMs: 20 });
  });

  it('a component registered after drain started is told at once', async () => {
    const health = healthCheck({ clock: new ManualClock() });
    await health.drain();
    const bulkhead = fakeBulkhead(1);
    health.addBulkhead('late', bulkhead);
    expect(bulkhead.refusing).toBe(true);
  });

  it('a component whose drain() throws or rejects is reported, and the drain goes on', async () => {
    const clock = new ManualClock();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const health = healthCheck({ clock, name: 'api' })
      .addBulkhead('bad', { active: 0, queued: 0, limit: 1, drain: () => { throw new Error('cannot close'); } })
      .addShedder('worse', { pressure: () => 0, isOverloaded: () => false, drain: () => Promise.reject(new Error('later')) });
    expect(await health.drain()).toMatchObject({ timedOut: false });
    await clock.advance(0);
    expect(errors).toHaveBeenCalledTimes(2);
    expect(errors.mock.calls.map((c) => c[0])).toEqual([
      "crackstop: health check 'api': drain() of 'bad' failed:",
      "crackstop: health check 'api': drain() of 'worse' failed:",
    ]);
  });

  it('track() returns the promise unchanged and never causes an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const health = healthCheck({ clock: new ManualClock() });
      const ok = Promise.resolve(42);
      expect(health.track(ok)).toBe(ok);
      const failing = Promise.reject(new Error('boom'));
      await expect(health.track(failing)).rejects.toThrow('boom');
      await new Promise((resolve) => setImmediate(resolve));
      expect(health.inFlight).toBe(0);
      expect(unhandled).toEqual([]);
      expect(() => health.track(42 as never)).toThrow(TypeError);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('track() counts a thenable that calls back twice once, and does not count one whose then() throws', async () => {
    const clock = new ManualClock();
    const health = healthCheck({ clock });
    const twice: PromiseLike<void> = {
      then(onFulfilled, onRejected) {
        onFulfilled?.();
        onRejected?.(new Error('and also failed'));
        return Promise.resolve() as never;
      },
    };
    const throwing = {
      then() {
        throw new Error('then() broke');
      },
    } as PromiseLike<void>;
    const callsBackThenThrows = {
      then(onFulfilled?: () => void) {
        onFulfilled?.();
        throw new Error('then() broke late');
      },
    } as PromiseLike<void>;
    health.track(twice);
    expect(health.inFlight).toBe(0);
    expect(() => health.track(throwing)).toThrow('then() broke');
    expect(health.inFlight).toBe(0);
    expect(() => health.track(callsBackThenThrows)).toThrow('then() broke late');
    expect(health.inFlight).toBe(0);
    const work = deferred();
    health.track(work.promise);
    expect(health.inFlight).toBe(1); // only the real work
    let summary: unknown;
    void health.drain({ deadlineMs: 1_000 }).then((s) => (summary = s));
    await clock.advance(10);
    expect(summary).toBeUndefined(); // not ended early by the thenable that called back twice
    work.resolve();
    await clock.advance(0);
    expect(summary).toEqual({ completed: 1, stillRunning: 0, timedOut: false, durationMs: 10 });
  });

  it('beginWork() and endWork() count work without a promise; an endWork() with nothing in flight does nothing', async () => {
    const clock = new ManualClock();
    const health = healthCheck({ clock });
    health.endWork(); // nothing begun: ignored
    health.beginWork();
    health.beginWork();
    health.track(Promise.resolve());
    expect(health.inFlight).toBe(3);
    await clock.advance(0);
    expect(health.inFlight).toBe(2);
    const drained = health.drain({ deadlineMs: 1_000 });
    health.endWork();
    await clock.advance(5);
    health.endWork();
    expect(await drained).toEqual({ completed: 2, stillRunning: 0, timedOut: false, durationMs: 5 });
    health.endWork();
    expect(health.inFlight).toBe(0);
  });

  it('emits health.drain at start, refuse and end, and the overall status turns fail', async () => {
    const clock = new ManualClock();
    const events = createEventHub();
    const drains: HealthDrainEvent[] = [];
    const overall: string[] = [];
    events.on('health.drain', (e) => drains.push(e));
    events.on('health.changed', (e) => {
      if (e.check === undefined) overall.push(`${e.from ?? '-'}>${e.to}`);
    });
    const health = healthCheck({ clock, events });
    health.markStarted();
    await health.readiness();
    const work = deferred();
    health.track(work.promise);
    const drained = health.drain({ graceMs: 50, deadlineMs: 1_000 });
    await clock.advance(50);
    work.resolve();
    await drained;
    expect(drains.map((e) => [e.phase, e.inFlight, e.completed, e.stillRunning, e.timedOut, e.time])).toEqual([
      ['start', 1, 0, 1, false, 0],
      ['refuse', 1, 0, 1, false, 50],
      ['end', 0, 1, 0, false, 50],
    ]);
    expect(overall).toEqual(['->pass', 'pass>fail']);
  });

  it('failure mode 2: 1,000 health checks used and drained leave no timer behind (nothing runs in the background)', async () => {
    const clock = new ManualClock();
    for (let i = 0; i < 1_000; i++) {
      const health = healthCheck({ clock, pressure: () => 0.1 })
        .add('db', async () => 'pass' as const)
        .addBulkhead('pool', fakeBulkhead(2));
      await Promise.all([health.report(), health.liveness(), health.readiness(), health.startup()]);
      health.track(Promise.resolve());
      const drained = health.drain({ graceMs: 10, deadlineMs: 100 });
      await clock.advance(10);
      expect(await drained).toMatchObject({ stillRunning: 0, timedOut: false });
    }
    expect(clock.pendingTimers).toBe(0);
  });

  it('validates its options', () => {
    const health = healthCheck({ clock: new ManualClock() });
    expect(() => health.drain({ graceMs: 2_000, deadlineMs: 1_000 })).toThrow(new RangeError('drain(): `graceMs` (2000) must be <= `deadlineMs` (1000)'));
    expect(() => health.drain({ deadlineMs: -1 })).toThrow(RangeError);
    expect(() => health.drain({ pollMs: 0 })).toThrow(RangeError);
    expect(() => health.drain({ deadline: 5 } as never)).toThrow(TypeError);
    expect(health.state).toBe('starting');
  });
});
