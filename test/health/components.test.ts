import { describe, expect, it } from 'vitest';
import { healthCheck, type BreakerLike, type BulkheadLike, type ShedderLike } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

describe('healthCheck › built-in components (structural seams)', () => {
  it('a breaker: closed passes, half-open warns, open and isolated warn by default', async () => {
    const breaker: { state: BreakerLike['state'] } = { state: 'closed' };
    const health = healthCheck({ clock: new ManualClock() }).addBreaker('payments', breaker);
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
