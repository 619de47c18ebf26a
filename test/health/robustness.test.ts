import { afterEach, describe, expect, it, vi } from 'vitest';
import { healthCheck, type EventHub } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

afterEach(() => vi.restoreAllMocks());

/** Collects unhandled rejections while `body` runs (and one macrotask after it). */
async function unhandledDuring(body: () => Promise<void>): Promise<unknown[]> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    await body();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  return unhandled;
}

/** An object whose `status` getter throws, like a detached database row. */
const detachedRow = () =>
  ({
    get status(): never {
      throw new Error('row is detached');
    },
  }) as never;

/** An event hub whose `emit` throws, against the EventHub contract. */
const throwingHub = (): EventHub => ({
  on: () => () => {},
  onAny: () => () => {},
  hasListeners: () => true,
  emit: () => {
    throw new Error('emit broke');
  },
});

describe('healthCheck › robustness', () => {
  it('a value that throws when read fails that check only, returned directly or through a promise, with no unhandled rejection', async () => {
    const clock = new ManualClock();
    const health = healthCheck({ clock, timeoutMs: 100 })
      .add('db', () => true)
      .add('sync', () => detachedRow(), { critical: false })
      .add('async', async () => detachedRow(), { critical: false })
      .add('then', () => ({ get then(): never { throw new Error('then getter broke'); } }) as never, { critical: false });
    health.markStarted();
    let report: Awaited<ReturnType<typeof health.report>> | undefined;
    const unhandled = await unhandledDuring(async () => {
      report = await health.report(); // no clock advance: nothing waits for a timeout
    });
    expect(unhandled).toEqual([]);
    expect(report?.status).toBe('warn');
    expect(report?.checks['db:responseTime']?.[0]?.status).toBe('pass');
    for (const key of ['sync:responseTime', 'async:responseTime']) {
      expect(report?.checks[key]?.[0]).toMatchObject({ status: 'fail', output: expect.stringMatching(/^check returned a value that threw when read \(Error: row is detached\)/) as unknown });
    }
    expect(report?.checks['then:responseTime']?.[0]).toMatchObject({ status: 'fail', output: 'Error: then getter broke' });
    expect(clock.pendingTimers).toBe(0);
  });

  it('a custom event hub whose emit throws neither hangs a report nor loses its observations, and a drain still ends', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const clock = new ManualClock();
    const health = healthCheck({ clock, events: throwingHub(), timeoutMs: 100 })
      .add('async', async () => false)
      .add('sync', () => 'warn', { critical: false });
    health.markStarted();
    let settled = false;
    const unhandled = await unhandledDuring(async () => {
      const pending = health.report().then((r) => {
        settled = true;
        return r;
      });
      await clock.advance(0);
      expect(settled).toBe(true); // before any timeout
      const report = await pending;
      expect(report.status).toBe('fail');
      expect(report.checks['async:responseTime']?.[0]?.status).toBe('fail');
      expect(report.checks['sync:responseTime']?.[0]?.status).toBe('warn');
      health.track(new Promise<void>((resolve) => clock.setTimeout(resolve, 50)));
      const drained = health.drain({ deadlineMs: 1_000 });
      await clock.advance(50);
      expect(await drained).toMatchObject({ completed: 1, stillRunning: 0, timedOut: false });
    });
    expect(unhandled).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
    expect(errors.mock.calls.map((c) => c[0])).toContain("crackstop: health check 'health': emitting 'health.changed' failed:");
    expect(errors.mock.calls.map((c) => c[0])).toContain("crackstop: health check 'health': emitting 'health.drain' failed:");
  });
});
