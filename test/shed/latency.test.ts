import { describe, expect, it } from 'vitest';
import { isLoadShedError, loadShedder, pipeline, timeout } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { deferred, flush } from './helpers.js';

/** Runs `count` calls that each take `ms` on the manual clock, one after the other. */
async function calls(shedder: ReturnType<typeof loadShedder>, clock: ManualClock, count: number, ms: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const permit = shedder.tryAdmit('critical');
    await clock.advance(ms);
    permit?.release();
  }
}

describe('loadShedder › latency target', () => {
  it('reads the percentile of the window as a fraction of the target', async () => {
    const clock = new ManualClock();
    const shedder = loadShedder({ clock, latency: { targetMs: 100, percentile: 90, windowMs: 10_000, minSamples: 1 } });
    await calls(shedder, clock, 9, 20); // 9 calls of 20 ms
    await calls(shedder, clock, 1, 300); // 1 call of 300 ms
    // p90 of [20 × 9, 300] is 20 ms: interpolated inside the bucket [18.75, 21.875).
    expect(shedder.snapshot().loads.latency).toBeGreaterThan(0.18);
    expect(shedder.snapshot().loads.latency).toBeLessThan(0.22);
    await calls(shedder, clock, 2, 300);
    expect(shedder.snapshot().loads.latency).toBe(2); // p90 now in the overflow bucket (>= 2 × target)
    expect(shedder.pressure()).toBe(1);
  });

  it('sheds sheddable then normal as the percentile nears the target; never critical', async () => {
    const clock = new ManualClock();
    const shedder = loadShedder({ clock, latency: { targetMs: 100, percentile: 50, minSamples: 5 } });
    await calls(shedder, clock, 5, 80);
    expect(shedder.tryAdmit('sheddable')).toBeUndefined(); // 0.8 >= 0.75
    const n = shedder.tryAdmit('normal');
    expect(n).toBeDefined();
    n?.release();
    await calls(shedder, clock, 10, 120);
    expect(shedder.isOverloaded()).toBe(true);
    await expect(shedder.execute(() => 1)).rejects.toMatchObject({ reason: 'latency', priority: 'normal' });
    expect(await shedder.execute(() => 'ok', { priority: 'critical' })).toBe('ok');
  });

  it('needs minSamples before it says anything', async () => {
    const clock = new ManualClock();
    const shedder = loadShedder({ clock, latency: { targetMs: 10, minSamples: 3 } });
    await calls(shedder, clock, 2, 1_000);
    expect(shedder.pressure()).toBe(0);
    await calls(shedder, clock, 1, 1_000);
    expect(shedder.pressure()).toBe(1);
  });

  it('failure mode 33: after overload ends the window empties within windowMs and everything is admitted again', async () => {
    const clock = new ManualClock();
    const shedder = loadShedder({ clock, latency: { targetMs: 50, windowMs: 1_000, minSamples: 5 } });
    await calls(shedder, clock, 10, 100);
    expect(shedder.isOverloaded()).toBe(true);
    // Nothing but critical traffic ran, and it stopped. Refused calls are never sampled:
    for (let i = 0; i < 1_000; i++) expect(shedder.tryAdmit('sheddable')).toBeUndefined();
    await clock.advance(1_000);
    expect(shedder.pressure()).toBe(0);
    expect(shedder.snapshot().loads.latency).toBe(0);
    const p = shedder.tryAdmit('sheddable');
    expect(p).toBeDefined();
    p?.release();
  });

  it('slices expire one by one as the clock moves (no stale bucket, no timer)', async () => {
    const clock = new ManualClock();
    const shedder = loadShedder({ clock, latency: { targetMs: 100, windowMs: 1_000, minSamples: 1, percentile: 100 } });
    await calls(shedder, clock, 1, 150); // ends at t=150, in slice [100, 200)
    await clock.advance(800); // t=950
    await calls(shedder, clock, 1, 60); // ends at t=1010
    expect(shedder.snapshot().loads.latency).toBeCloseTo(1.5, 1); // max: still the 150 ms call
    await clock.advance(150); // t=1160: the slice [100, 200) has left the window
    expect(shedder.snapshot().loads.latency).toBeCloseTo(0.6, 1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('aborted calls feed no near-zero sample, but a long one still proves slowness', async () => {
    const clock = new ManualClock();
    const shedder = loadShedder({ clock, latency: { targetMs: 100, minSamples: 1, percentile: 50 } });
    const policy = pipeline(timeout({ clock, ms: 5 }), shedder);
    // 20 calls abandoned after 5 ms by an outer timeout; their work ends at once on abort.
    for (let i = 0; i < 20; i++) {
      const call = policy
        .execute(({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))))
        .catch((e: unknown) => e);
      await clock.advance(5);
      expect(await call).toMatchObject({ code: 'ERR_TIMEOUT' });
    }
    expect(shedder.snapshot().loads.latency).toBe(0);
    // A call that ran 150 ms before its caller aborted it is sampled (150 ms is a lower bound).
    const controller = new AbortController();
    const work = deferred();
    const call = shedder.execute(() => work.promise, { signal: controller.signal }).catch(() => undefined);
    await clock.advance(150);
    controller.abort();
    work.resolve();
    await call;
    await flush();
    expect(shedder.snapshot().loads.latency).toBeGreaterThan(1.4);
  });

  it('execute() samples the time from admission to settlement', async () => {
    const clock = new ManualClock();
    const shedder = loadShedder({ clock, latency: { targetMs: 10, minSamples: 1 } });
    const call = shedder.execute(() => new Promise<void>((resolve) => clock.setTimeout(resolve, 30)));
    await clock.advance(30);
    await call;
    await expect(shedder.execute(() => 1)).rejects.toSatisfy(isLoadShedError);
  });
});
