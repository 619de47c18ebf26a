import { describe, expect, it } from 'vitest';
import { createEventHub, healthCheck, type HealthChangedEvent, type HealthCheckOptions } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

const epoch = Date.UTC(2026, 10, 22, 8, 0, 0);

/** A started health check (readiness and the report fail while starting: see views.test.ts). */
function setup(options: HealthCheckOptions = {}) {
  const clock = new ManualClock();
  const events = createEventHub();
  const health = healthCheck({ clock, events, wallClock: () => epoch + clock.now(), ...options });
  health.markStarted();
  return { clock, events, health };
}

describe('healthCheck › report', () => {
  it('returns an application/health+json document with metadata, keyed checks and the lifecycle entry', async () => {
    const { health } = setup({ version: '1.2.0', releaseId: 'abc123', serviceId: 'orders', description: 'order service' });
    health.add('postgres', () => 'pass', { componentType: 'datastore', componentId: 'pg-1' });
    const report = await health.report();
    expect(report).toEqual({
      status: 'pass',
      version: '1.2.0',
      releaseId: 'abc123',
      serviceId: 'orders',
      description: 'order service',
      checks: {
        'postgres:responseTime': [
          { componentId: 'pg-1', componentType: 'datastore', observedValue: 0, observedUnit: 'ms', status: 'pass', time: '2026-11-22T08:00:00.000Z' },
        ],
        'lifecycle:state': [{ componentType: 'system', observedValue: 'running', status: 'pass', time: '2026-11-22T08:00:00.000Z' }],
      },
    });
    // Fields in the draft's order, output omitted on pass.
    expect(Object.keys(report)).toEqual(['status', 'version', 'releaseId', 'serviceId', 'description', 'checks']);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('reports the response time as observed value by default, measured on the clock', async () => {
    const { clock, health } = setup();
    health.add('api', async () => {
      await new Promise<void>((resolve) => clock.setTimeout(resolve, 42));
    });
    const pending = health.report();
    await clock.advance(42);
    const entry = (await pending).checks['api:responseTime']?.[0];
    expect(entry).toMatchObject({ observedValue: 42, observedUnit: 'ms', status: 'pass', time: '2026-11-22T08:00:00.042Z' });
  });

  it.each([
    ['undefined', undefined, 'pass', undefined],
    ['true', true, 'pass', undefined],
    ['false', false, 'fail', 'check returned false'],
    ["'warn'", 'warn', 'warn', "check returned 'warn'"],
    ["'fail'", 'fail', 'fail', "check returned 'fail'"],
  ] as const)('interprets a check returning %s', async (_label, value, status, output) => {
    const { health } = setup();
    health.add('c', () => value, { critical: false });
    const entry = (await health.report()).checks['c:responseTime']?.[0];
    expect(entry?.status).toBe(status);
    expect(entry?.output).toBe(output);
  });

  it('takes a number as the observed value, and a result object field by field', async () => {
    const { health } = setup();
    health.add('pool', () => 7, { measurement: 'connections' });
    health.add('disk', () => ({ status: 'warn', observedValue: 91.5, observedUnit: 'percent', output: 'nearly full' }), { measurement: 'utilization' });
    health.add('quiet', () => ({ status: 'pass', output: 'hidden on pass' }));
    const { checks } = await health.report();
    expect(checks['pool:connections']?.[0]).toMatchObject({ observedValue: 7, status: 'pass' });
    expect(checks['pool:connections']?.[0]).not.toHaveProperty('observedUnit');
    expect(checks['disk:utilization']?.[0]).toMatchObject({ observedValue: 91.5, observedUnit: 'percent', status: 'warn', output: 'nearly full' });
    expect(checks['quiet:responseTime']?.[0]).not.toHaveProperty('output');
  });

  it.each([
    ['a string that is not a status', 'ok'],
    ['NaN', Number.NaN],
    ['an array', []],
    ['an object with an unknown field', { healthy: true }],
    ['an invalid status', { status: 'up' }],
    ['an object observedValue', { observedValue: { nested: 1 } }],
    ['a non-string output', { status: 'fail', output: 42 }],
  ])('fails a check that returns %s, saying so', async (_label, value) => {
    const { health } = setup();
    health.add('c', () => value as never);
    const report = await health.report();
    const entry = report.checks['c:responseTime']?.[0];
    expect(entry?.status).toBe('fail');
    expect(entry?.output).toMatch(/^check returned /);
    expect(report.status).toBe('fail');
  });

  it('reports a thrown or rejected error as fail with its name and message', async () => {
    const { health } = setup();
    health.add('sync', () => {
      throw new TypeError('bad config');
    });
    health.add('async', () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:5432')));
    health.add('odd', () => {
      throw 'plain string'; // eslint-disable-line @typescript-eslint/only-throw-error
    });
    const { checks, status, output } = await health.report();
    expect(status).toBe('fail');
    expect(checks['sync:responseTime']?.[0]).toMatchObject({ status: 'fail', output: 'TypeError: bad config' });
    expect(checks['async:responseTime']?.[0]).toMatchObject({ status: 'fail', output: 'Error: ECONNREFUSED 127.0.0.1:5432' });
    expect(checks['odd:responseTime']?.[0]).toMatchObject({ status: 'fail', output: 'plain string' });
    expect(output).toBe('failing: sync:responseTime, async:responseTime, odd:responseTime');
  });

  it('describes errors with errorOutput (to keep secrets out), and survives one that throws', async () => {
    const { health } = setup({
      errorOutput: (error) => {
        if (error instanceof RangeError) throw new Error('describer broke');
        return 'dependency unavailable';
      },
    });
    health.add('db', () => Promise.reject(new Error('password=hunter2')));
    health.add('other', () => Promise.reject(new RangeError('x')));
    const { checks } = await health.report();
    expect(checks['db:responseTime']?.[0]?.output).toBe('dependency unavailable');
    expect(checks['other:responseTime']?.[0]?.output).toBe('check failed (and describing its error threw)');
  });

  it('clips long outputs', async () => {
    const { health } = setup();
    health.add('c', () => ({ status: 'fail', output: 'x'.repeat(10_000) }));
    const output = (await health.report()).checks['c:responseTime']?.[0]?.output ?? '';
    expect(output.length).toBe(500);
    expect(output.endsWith('…')).toBe(true);
  });

  it('makes a non-critical failure a warn and a critical failure a fail', async () => {
    const { health } = setup();
    health.add('cache', () => false, { critical: false });
    expect(await health.report()).toMatchObject({ status: 'warn', output: 'failing: cache:responseTime (non-critical)' });
    health.add('db', () => false);
    expect((await health.report()).status).toBe('fail');
  });

  it('keeps a check failing whose time field shows when it was observed (a cached result keeps its time)', async () => {
    const { clock, health } = setup();
    health.add('c', () => true, { cacheMs: 1_000 });
    const first = (await health.report()).checks['c:responseTime']?.[0]?.time;
    await clock.advance(500);
    const second = (await health.report()).checks['c:responseTime']?.[0]?.time;
    expect(second).toBe(first);
    await clock.advance(500);
    expect((await health.report()).checks['c:responseTime']?.[0]?.time).toBe('2026-11-22T08:00:01.000Z');
  });
});

describe('healthCheck › health.changed events', () => {
  it('reports each check status change and each overall change, with from and to', async () => {
    const clock = new ManualClock();
    const events = createEventHub();
    const health = healthCheck({ clock, events, name: 'orders-health' });
    const seen: HealthChangedEvent[] = [];
    events.on('health.changed', (e) => seen.push(e));
    let db: 'pass' | 'fail' = 'pass';
    health.add('db', () => db);
    health.add('cache', () => 'warn', { critical: false });
    health.markStarted(); // evaluates the overall status: nothing ran yet, the lifecycle passes
    await health.report();
    await health.report(); // no change: no event
    db = 'fail';
    await health.report();
    db = 'pass';
    await health.report();
    const summary = seen.map((e) => `${e.check ?? 'overall'}:${e.from ?? '-'}>${e.to}`);
    // The overall status is re-evaluated once a report has all its results, never half-way.
    expect(summary).toEqual([
      'overall:->pass',
      'db:->pass',
      'cache:->warn',
      'overall:pass>warn',
      'db:pass>fail',
      'overall:warn>fail',
      'db:fail>pass',
      'overall:fail>warn',
    ]);
    expect(seen.every((e) => e.kind === 'health' && e.name === 'orders-health' && e.type === 'health.changed')).toBe(true);
    expect(seen.find((e) => e.check === 'db' && e.to === 'fail')?.output).toBe("check returned 'fail'");
    expect(seen.find((e) => e.check === undefined && e.to === 'fail')?.output).toBe('failing: db:responseTime; warning: cache:responseTime');
  });

  it('the overall status does not flap inside one report: checks finishing one by one are not evaluated half-way', async () => {
    const { clock, events, health } = setup();
    const overall: string[] = [];
    events.on('health.changed', (e) => {
      if (e.check === undefined) overall.push(`${e.from ?? '-'}>${e.to}`);
    });
    let flip = false;
    // Each report: one of the two critical checks fails, the other passes; `b` answers later.
    health.add('a', () => flip);
    health.add('b', async () => {
      await new Promise<void>((resolve) => clock.setTimeout(resolve, 10));
      return !flip;
    });
    for (let i = 0; i < 4; i++) {
      const pending = health.report();
      await clock.advance(10);
      expect((await pending).status).toBe('fail');
      flip = !flip;
    }
    expect(overall).toEqual(['pass>fail']);
  });

  it('failure mode 34: a listener that throws on every event changes nothing, and the others still run', async () => {
    const clock = new ManualClock();
    const reported: unknown[] = [];
    const events = createEventHub({ onListenerError: (error) => reported.push(error) });
    events.on('health.changed', () => {
      throw new Error('listener broke');
    });
    const seen: string[] = [];
    events.on('health.changed', (e) => seen.push(`${e.check ?? 'overall'}>${e.to}`));
    const health = healthCheck({ clock, events }).add('db', () => false);
    const report = await health.report();
    expect(report.status).toBe('fail');
    expect(seen).toEqual(['db>fail', 'overall>fail']);
    expect(reported).toHaveLength(2);
    expect(await health.drain()).toMatchObject({ timedOut: false });
  });

  it('builds no payload when nobody listens', async () => {
    const clock = new ManualClock();
    const emitted: unknown[] = [];
    const hub = { on: () => () => {}, onAny: () => () => {}, hasListeners: () => false, emit: (e: unknown) => emitted.push(e) };
    const health = healthCheck({ clock, events: hub }).add('db', () => false);
    await health.report();
    await health.drain({ deadlineMs: 1 });
    expect(emitted).toEqual([]);
  });
});
