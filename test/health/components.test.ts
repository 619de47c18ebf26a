import { describe, expect, it } from 'vitest';
import { bulkhead, circuitBreaker, healthCheck, loadShedder, type BreakerLike, type BulkheadLike, type ShedderLike } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

describe('healthCheck › built-in components (structural seams)', () => {
  it('a breaker: closed passes, half-open warns, open and isolated warn by default', async () => {
    const breaker: { state: BreakerLike['state'] } = { state: 'closed' };
    const health = healthCheck({ clock: new ManualClock() }).addBreaker('payments', breaker);
    health.markStarted();
    const entry = async () => (await health.report()).checks['payments:state']?.[0];
    expect(await entry()).toMatchObject({ status: 'pass', observedValue: 'closed' });
    breaker.state = 'half-open';
    expect(await entry()).toMatchObject({ status: 'warn', observedValue: 'half-open', output: 'circuit half-open: probing the dependency' });
    breaker.state = 'open';
    expect(await entry()).toMatchObject({ status: 'warn', observedValue: 'open', output: 'circuit open: calls are refused' });
    expect((await health.readiness()).status).toBe('warn');
    breaker.state = 'isolated';
    expect(await entry()).toMatchObject({ status: 'warn', observedValue: 'isolated' });
  });

  it("a breaker with whenOpen: 'fail' fails readiness while open (critical) or warns (non-critical)", async () => {
    const breaker = { state: 'open' as BreakerLike['state'] };
    const health = healthCheck({ clock: new ManualClock() })
      .addBreaker('payments', breaker, { whenOpen: 'fail' })
      .addBreaker('emails', breaker, { whenOpen: 'fail', critical: false });
    health.markStarted();
    const readiness = await health.readiness();
    expect(readiness.status).toBe('fail');
    expect(Object.keys(readiness.checks)).toEqual(['payments:state', 'lifecycle:state']);
    const report = await health.report();
    expect(report.checks['emails:state']?.[0]?.status).toBe('fail');
    breaker.state = 'half-open';
    expect((await health.readiness()).status).toBe('warn');
  });

  it('a bulkhead: saturation in percent, warning from warnAt', async () => {
    const bulkhead: BulkheadLike & { active: number; queued: number } = { active: 2, queued: 0, limit: 8 };
    const health = healthCheck({ clock: new ManualClock() }).addBulkhead('db-pool', bulkhead, { warnAt: 0.75 });
    const entry = async () => (await health.report()).checks['db-pool:saturation']?.[0];
    expect(await entry()).toMatchObject({ status: 'pass', observedValue: 25, observedUnit: 'percent' });
    bulkhead.active = 6;
    bulkhead.queued = 3;
    expect(await entry()).toMatchObject({ status: 'warn', observedValue: 75, output: '6 of 8 active, 3 queued' });
    expect(health.inFlight).toBe(9);
  });

  it('a shedder: pressure in percent, whenOverloaded while it sheds', async () => {
    let pressure = 0.3;
    let overloaded = false;
    const shedder: ShedderLike = { pressure: () => pressure, isOverloaded: () => overloaded };
    const health = healthCheck({ clock: new ManualClock() })
      .addShedder('admission', shedder)
      .addShedder('strict', shedder, { whenOverloaded: 'fail' });
    const report = async () => (await health.report()).checks;
    expect((await report())['admission:pressure']?.[0]).toMatchObject({ status: 'pass', observedValue: 30, observedUnit: 'percent' });
    pressure = 0.97;
    overloaded = true;
    const checks = await report();
    expect(checks['admission:pressure']?.[0]).toMatchObject({ status: 'warn', observedValue: 97, output: 'overloaded: shedding load' });
    expect(checks['strict:pressure']?.[0]?.status).toBe('fail');
  });

  it("crackstop's circuitBreaker(), bulkhead() and loadShedder() fit the seams as they are: read, counted, and told to refuse at a drain", async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({ clock, window: { kind: 'consecutive', failures: 1 }, openMs: 1_000 });
    const pool = bulkhead({ clock, limit: 2, queue: { capacity: 1 } });
    const shedder = loadShedder({ clock, maxInFlight: 2 });
    const health = healthCheck({ clock }).addBreaker('payments', breaker).addBulkhead('pool', pool).addShedder('admission', shedder);
    health.markStarted();
    const entries = async () => (await health.report()).checks;
    expect((await entries())['payments:state']?.[0]).toMatchObject({ status: 'pass', observedValue: 'closed' });
    await expect(breaker.execute(() => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect((await entries())['payments:state']?.[0]).toMatchObject({ status: 'warn', observedValue: 'open' });
    await clock.advance(1_000); // reading `state` moves it to half-open: no timer needed
    expect((await entries())['payments:state']?.[0]).toMatchObject({ status: 'warn', observedValue: 'half-open' });

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const calls = [1, 2, 3].map(() => pool.execute(() => held)); // 2 active, 1 queued
    const permits = [shedder.tryAdmit(), shedder.tryAdmit()];
    expect(health.inFlight).toBe(5); // the bulkhead's active + queued, the shedder's inFlight
    const checks = await entries();
    expect(checks['pool:saturation']?.[0]).toMatchObject({ status: 'warn', observedValue: 100, output: '2 of 2 active, 1 queued' });
    expect(checks['admission:pressure']?.[0]).toMatchObject({ status: 'warn', observedValue: 100, output: 'overloaded: shedding load' });

    let summary: unknown;
    void health.drain({ deadlineMs: 1_000, pollMs: 10 }).then((s) => (summary = s));
    expect([pool.draining, shedder.draining]).toEqual([true, true]);
    await expect(pool.execute(() => 'new')).rejects.toMatchObject({ code: 'ERR_BULKHEAD_FULL', reason: 'draining' });
    expect(shedder.tryAdmit('critical')).toBeUndefined();
    release();
    for (const permit of permits) permit?.release();
    await Promise.all(calls);
    await clock.advance(10);
    expect(summary).toMatchObject({ completed: 5, stillRunning: 0, timedOut: false });
  });

  it('component options: componentType, componentId, critical', async () => {
    const health = healthCheck({ clock: new ManualClock() }).addBulkhead('pool', { active: 0, queued: 0, limit: 1 }, {
      componentType: 'system',
      componentId: 'pool-1',
      critical: false,
    });
    expect((await health.report()).checks['pool:saturation']?.[0]).toMatchObject({ componentType: 'system', componentId: 'pool-1' });
    expect(Object.keys((await health.readiness()).checks)).toEqual(['lifecycle:state']);
  });

  it('a component that reads badly is reported, never thrown', async () => {
    const health = healthCheck({ clock: new ManualClock() })
      .addBreaker('weird', { state: 'sideways' as never })
      .addShedder('nan', { pressure: () => Number.NaN, isOverloaded: () => false })
      .addShedder('throws', {
        pressure: () => {
          throw new Error('sampler stopped');
        },
        isOverloaded: () => false,
      });
    const { checks } = await health.report();
    expect(checks['weird:state']?.[0]).toMatchObject({ status: 'fail', output: 'unknown circuit state "sideways"' });
    expect(checks['nan:pressure']?.[0]).toMatchObject({ status: 'warn', output: 'pressure() returned NaN' });
    expect(checks['throws:pressure']?.[0]).toMatchObject({ status: 'fail', output: 'Error: sampler stopped' });
  });
});
