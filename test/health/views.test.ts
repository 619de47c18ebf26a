import { describe, expect, it } from 'vitest';
import { healthCheck } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

describe('healthCheck › views', () => {
  it('liveness never runs a dependency check', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const health = healthCheck({ clock }).add('db', () => {
      calls++;
      return false;
    });
    const report = await health.liveness();
    expect(calls).toBe(0);
    expect(report.status).toBe('pass');
    expect(Object.keys(report.checks)).toEqual(['lifecycle:state']);
  });

  it('liveness reads the process pressure probe and fails from pressureFailAt; a throwing probe only warns', async () => {
    const clock = new ManualClock();
    let pressure: number | (() => never) = 0.2;
    const health = healthCheck({
      clock,
      pressureFailAt: 0.9,
      pressure: () => (typeof pressure === 'number' ? pressure : pressure()),
    });
    expect((await health.liveness()).checks['process:pressure']?.[0]).toMatchObject({ status: 'pass', observedValue: 20, observedUnit: 'percent', componentType: 'system' });
    pressure = 0.95;
    const failing = await health.liveness();
    expect(failing.status).toBe('fail');
    expect(failing.checks['process:pressure']?.[0]?.output).toBe('process pressure 95% >= 90%');
    pressure = () => {
      throw new Error('probe broken');
    };
    const broken = await health.liveness();
    expect(broken.status).toBe('warn');
    expect(broken.checks['process:pressure']?.[0]?.output).toBe('pressure probe threw: Error: probe broken');
    // The process probe is part of the full report, not of readiness.
    expect(Object.keys((await health.report()).checks)).toContain('process:pressure');
    expect(Object.keys((await health.readiness()).checks)).not.toContain('process:pressure');
  });

  it('readiness runs only critical checks; report runs them all', async () => {
    const clock = new ManualClock();
    const ran: string[] = [];
    const health = healthCheck({ clock })
      .add('db', () => void ran.push('db'))
      .add('cache', () => void ran.push('cache'), { critical: false });
    const readiness = await health.readiness();
    expect(ran).toEqual(['db']);
    expect(Object.keys(readiness.checks)).toEqual(['db:responseTime', 'lifecycle:state']);
    ran.length = 0;
    await health.report();
    expect(ran).toEqual(['db', 'cache']);
  });

  it('readiness fails as soon as a drain starts; liveness fails only once the drain outlasts its deadline', async () => {
    const clock = new ManualClock();
    const health = healthCheck({ clock }).add('db', () => true);
    health.markStarted();
    expect((await health.readiness()).status).toBe('pass');
    let release: () => void = () => {};
    health.track(new Promise<void>((resolve) => (release = resolve)));
    const drained = health.drain({ deadlineMs: 1_000 });
    const readiness = await health.readiness();
    expect(readiness.status).toBe('fail');
    expect(readiness.checks['lifecycle:state']?.[0]).toMatchObject({ observedValue: 'draining', status: 'fail', output: 'draining: shutting down, not taking new work' });
    expect((await health.liveness()).status).toBe('pass');
    await clock.advance(1_000);
    expect(await drained).toMatchObject({ timedOut: true, stillRunning: 1 });
    const liveness = await health.liveness();
    expect(liveness.status).toBe('fail');
    expect(liveness.checks['lifecycle:state']?.[0]).toMatchObject({ observedValue: 'drained', output: 'shutting down for 1000 ms, past its 1000 ms deadline' });
    release();
  });

  it("startup in 'manual' mode fails until markStarted(), then passes for good", async () => {
    const clock = new ManualClock();
    let calls = 0;
    const health = healthCheck({ clock }).add('db', () => void calls++);
    const before = await health.startup();
    expect(before.status).toBe('fail');
    expect(before.checks['lifecycle:state']?.[0]).toMatchObject({ observedValue: 'starting', output: 'not started: waiting for markStarted()' });
    expect(calls).toBe(0);
    expect(health.state).toBe('starting');
    health.markStarted();
    expect(health.started).toBe(true);
    expect(health.state).toBe('running');
    expect((await health.startup()).status).toBe('pass');
  });

  it("startup in 'checks' mode passes once every critical check has passed once (not necessarily together)", async () => {
    const clock = new ManualClock();
    let db = false;
    let queue = true;
    const health = healthCheck({ clock, startup: 'checks' })
      .add('db', () => db)
      .add('queue', () => queue)
      .add('optional', () => false, { critical: false });
    const first = await health.startup();
    expect(first.status).toBe('fail');
    expect(first.checks['lifecycle:state']?.[0]?.output).toBe('not started: waiting for a first pass of db');
    expect(Object.keys(first.checks)).toEqual(['db:responseTime', 'queue:responseTime', 'lifecycle:state']);
    db = true;
    queue = false;
    // A readiness run counts too.
    await health.readiness();
    expect(health.started).toBe(true);
    const after = await health.startup();
    expect(after.status).toBe('pass');
    // Once started, startup runs no check.
    expect(Object.keys(after.checks)).toEqual(['lifecycle:state']);
  });

  it("readiness and the full report fail while starting ('manual' mode): not taking traffic before markStarted()", async () => {
    const clock = new ManualClock();
    const health = healthCheck({ clock }).add('db', () => true);
    expect(health.started).toBe(false);
    for (const report of [await health.readiness(), await health.report()]) {
      expect(report.status).toBe('fail');
      expect(report.output).toBe('failing: lifecycle:state');
      expect(report.checks['lifecycle:state']?.[0]).toMatchObject({
        observedValue: 'starting',
        status: 'fail',
        output: 'not started yet: not taking traffic (waiting for markStarted())',
      });
    }
    expect((await health.liveness()).status).toBe('pass'); // the process itself is fine
    health.markStarted();
    expect((await health.readiness()).status).toBe('pass');
    expect((await health.report()).status).toBe('pass');
  });

  it("readiness in 'checks' startup mode passes as soon as every critical check has passed (in that same run)", async () => {
    const clock = new ManualClock();
    let db = false;
    const health = healthCheck({ clock, startup: 'checks' }).add('db', () => db);
    const before = await health.readiness();
    expect(before.status).toBe('fail');
    expect(before.checks['lifecycle:state']?.[0]?.output).toBe('not started yet: not taking traffic (waiting for a first pass of db)');
    db = true;
    const after = await health.readiness();
    expect(after.status).toBe('pass');
    expect(after.checks['lifecycle:state']?.[0]?.observedValue).toBe('running');
  });

  it('every view answers and never rejects, even when the wall clock throws', async () => {
    const clock = new ManualClock();
    const health = healthCheck({
      clock,
      wallClock: () => {
        throw new Error('no wall clock');
      },
    }).add('db', () => true);
    const reports = await Promise.all([health.report(), health.liveness(), health.readiness(), health.startup()]);
    for (const report of reports) expect(report.checks['lifecycle:state']?.[0]?.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });
});
