import { describe, expect, it } from 'vitest';
import { healthCheck, isTimeoutError, type CheckContext } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

/** A promise that never settles. */
const never = (): Promise<never> => new Promise<never>(() => {});

describe('healthCheck › timeouts, parallelism, single flight, caching', () => {
  it('failure mode 38: a dependency that never resolves is reported unhealthy within the deadline', async () => {
    const clock = new ManualClock();
    let signal: AbortSignal | undefined;
    const health = healthCheck({ clock }).add('db', (ctx) => {
      signal = ctx.signal;
      return never();
    }, { timeoutMs: 300 });
    let settled = false;
    const pending = health.readiness().then((report) => {
      settled = true;
      return report;
    });
    await clock.advance(299);
    expect(settled).toBe(false);
    await clock.advance(1);
    expect(settled).toBe(true);
    const report = await pending;
    expect(report.status).toBe('fail');
    expect(report.checks['db:responseTime']?.[0]).toMatchObject({ status: 'fail', observedValue: 300, output: 'timed out after 300 ms' });
    // The check's signal is aborted with a TimeoutError, so that the probe can stop.
    expect(signal?.aborted).toBe(true);
    expect(isTimeoutError(signal?.reason)).toBe(true);
    expect(String((signal?.reason as Error).message)).toBe("Health check 'db' timed out after 300 ms");
    expect(clock.pendingTimers).toBe(0);
  });

  it('failure mode 38: checks run in parallel (a report takes the longest timeout, not the sum)', async () => {
    const clock = new ManualClock();
    const started: number[] = [];
    const health = healthCheck({ clock, timeoutMs: 1_000 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      health.add(name, () => {
        started.push(clock.now());
        return never();
      });
    }
    let done = false;
    const pending = health.report().then(() => (done = true));
    await clock.advance(0);
    expect(started).toEqual([0, 0, 0, 0, 0]);
    await clock.advance(1_000);
    expect(done).toBe(true);
    await pending;
  });

  it('failure mode 38: a synchronous throw reports unhealthy (and never escapes report())', async () => {
    const clock = new ManualClock();
    const health = healthCheck({ clock }).add('config', () => {
      throw new Error('missing DATABASE_URL');
    });
    const report = await health.report();
    expect(report.status).toBe('fail');
    expect(report.checks['config:responseTime']?.[0]).toMatchObject({ status: 'fail', output: 'Error: missing DATABASE_URL' });
    expect(clock.pendingTimers).toBe(0);
  });

  it('failure mode 38: slow probes never overlap: concurrent reports share one run', async () => {
    const clock = new ManualClock();
    let calls = 0;
    let running = 0;
    let maxRunning = 0;
    const health = healthCheck({ clock, timeoutMs: 1_000 }).add('db', async () => {
      calls++;
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise<void>((resolve) => clock.setTimeout(resolve, 400));
      running--;
    });
    health.markStarted();
    const reports = [health.report(), health.readiness(), health.report(), health.readiness()];
    await clock.advance(400);
    const results = await Promise.all(reports);
    expect(calls).toBe(1);
    expect(maxRunning).toBe(1);
    expect(results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    // Same observation for everybody.
    expect(new Set(results.map((r) => r.checks['db:responseTime']?.[0]?.time)).size).toBe(1);
  });

  it('failure mode 38: a probe abandoned at its timeout is not started again while it still runs', async () => {
    const clock = new ManualClock();
    let calls = 0;
    let release: () => void = () => {};
    // A probe that ignores its signal and hangs until released.
    const health = healthCheck({ clock }).add('db', () => {
      calls++;
      return calls === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
    }, { timeoutMs: 100 });
    health.markStarted();
    const first = health.report();
    await clock.advance(100);
    expect((await first).checks['db:responseTime']?.[0]?.output).toBe('timed out after 100 ms');
    await clock.advance(150);
    const second = await health.report();
    expect(calls).toBe(1);
    expect(second.checks['db:responseTime']?.[0]).toMatchObject({
      status: 'fail',
      observedValue: 250,
      output: 'not started again: its previous run is still running after 250 ms (timeout 100 ms)',
    });
    release();
    await clock.advance(0);
    const third = await health.report();
    expect(calls).toBe(2);
    expect(third.status).toBe('pass');
  });

  it('a run that never settles is written off after max(30 s, 10 × timeoutMs): the check starts again, and the late run changes nothing', async () => {
    const clock = new ManualClock();
    const releases: (() => void)[] = [];
    // Runs 1 and 2 ignore their signal and hang (node-postgres ignores it); run 3 answers.
    const health = healthCheck({ clock }).add('db', () => (releases.length < 2 ? new Promise<void>((resolve) => releases.push(resolve)) : true), { timeoutMs: 100 });
    health.markStarted();
    const output = async () => (await health.readiness()).checks['db:responseTime']?.[0]?.output;
    const first = health.readiness();
    await clock.advance(100);
    expect((await first).status).toBe('fail');
    await clock.advance(29_899); // 29,999 ms after the start of run 1
    expect(await output()).toBe('not started again: its previous run is still running after 29999 ms (timeout 100 ms)');
    expect(releases).toHaveLength(1);
    await clock.advance(1); // 30,000 ms: written off, run 2 starts (and hangs too)
    const second = health.readiness();
    expect(releases).toHaveLength(2);
    await clock.advance(100);
    expect((await second).checks['db:responseTime']?.[0]?.output).toBe('timed out after 100 ms');
    releases[0]?.(); // run 1 settles late: run 2 is still the one stuck
    await clock.advance(100);
    expect(await output()).toBe('not started again: its previous run is still running after 200 ms (timeout 100 ms)');
    await clock.advance(29_800); // 30,000 ms after the start of run 2
    expect((await health.readiness()).status).toBe('pass');
    expect(releases).toHaveLength(2);
    releases[1]?.();
    expect(clock.pendingTimers).toBe(0);
  });

  it('the write-off bound of a stuck run grows with a long timeout (10 × timeoutMs)', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const health = healthCheck({ clock }).add('slow', () => {
      calls++;
      return new Promise<never>(() => {});
    }, { timeoutMs: 5_000 });
    const first = health.report();
    await clock.advance(5_000);
    await first;
    await clock.advance(44_999); // 49,999 ms after the start
    await health.report();
    expect(calls).toBe(1);
    await clock.advance(1);
    const again = health.report();
    expect(calls).toBe(2);
    await clock.advance(5_000);
    await again;
  });

  it('a probe that honours its signal is started again at the next report after its timeout', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const health = healthCheck({ clock }).add('db', ({ signal }: CheckContext) => {
      calls++;
      return new Promise<void>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
    }, { timeoutMs: 100 });
    const first = health.report();
    await clock.advance(100);
    expect((await first).status).toBe('fail');
    const second = health.report();
    expect(calls).toBe(2);
    await clock.advance(100);
    expect((await second).checks['db:responseTime']?.[0]?.output).toBe('timed out after 100 ms');
  });

  it('reuses a result for cacheMs, then runs the check again', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const health = healthCheck({ clock, cacheMs: 1_000 }).add('db', () => {
      calls++;
      return calls % 2 === 1;
    });
    health.markStarted();
    expect((await health.report()).status).toBe('pass');
    await clock.advance(999);
    expect((await health.report()).status).toBe('pass');
    expect(calls).toBe(1);
    await clock.advance(1);
    expect((await health.report()).status).toBe('fail');
    expect(calls).toBe(2);
  });

  it('a per-check cacheMs and timeoutMs override the builder defaults', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const health = healthCheck({ clock, cacheMs: 10_000, timeoutMs: 5_000 }).add('db', () => {
      calls++;
      return never();
    }, { cacheMs: 0, timeoutMs: 50 });
    const first = health.report();
    await clock.advance(50);
    expect((await first).status).toBe('fail');
    expect(calls).toBe(1);
  });

  it('the timeout covers the synchronous part of a check too', async () => {
    const manual = new ManualClock();
    let offset = 0;
    // A clock whose time jumps while the check's synchronous part runs (a busy start of 80 ms).
    const clock = { now: () => manual.now() + offset, setTimeout: (f: () => void, ms: number) => manual.setTimeout(f, ms), clearTimeout: (h: unknown) => manual.clearTimeout(h) };
    const health = healthCheck({ clock }).add('slow-start', () => {
      offset += 80;
      return never();
    }, { timeoutMs: 100 });
    let done = false;
    const pending = health.report().then(() => (done = true));
    await manual.advance(19);
    expect(done).toBe(false);
    await manual.advance(1);
    expect(done).toBe(true);
    await pending;
  });

  it('leaves no timer behind once every check has settled', async () => {
    const clock = new ManualClock();
    const health = healthCheck({ clock })
      .add('a', async () => 'pass' as const)
      .add('b', () => Promise.reject(new Error('x')))
      .add('c', () => 'warn');
    await health.report();
    await health.readiness();
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('healthCheck › odd thenables', () => {
  it('a thenable that calls back twice, or throws from then(), is counted once', async () => {
    const clock = new ManualClock();
    const twice: PromiseLike<'pass'> = {
      then(onFulfilled, onRejected) {
        onFulfilled?.('pass');
        onRejected?.(new Error('and also failed'));
        return Promise.resolve() as never;
      },
    };
    const throwing: PromiseLike<'pass'> = {
      then() {
        throw new Error('then() broke');
      },
    };
    let calls = 0;
    const health = healthCheck({ clock })
      .add('twice', () => {
        calls++;
        return twice;
      })
      .add('throwing', () => throwing);
    const first = await health.report();
    expect(first.checks['twice:responseTime']?.[0]?.status).toBe('pass');
    expect(first.checks['throwing:responseTime']?.[0]).toMatchObject({ status: 'fail', output: 'Error: then() broke' });
    await health.report();
    expect(calls).toBe(2); // not stuck as "still running"
    expect(clock.pendingTimers).toBe(0);
  });
});
