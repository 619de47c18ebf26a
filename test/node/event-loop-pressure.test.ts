import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { build } from 'esbuild';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadShedder, systemClock, type Clock, type TimerHandle } from '../../src/index.js';
import { eventLoopPressure } from '../../src/node.js';
import { createDelayProbe, type DelayHistogram } from '../../src/node/event-loop-pressure.js';
import { ManualClock } from '../../src/testing.js';

/** A histogram the test fills by hand (values in milliseconds, reported in nanoseconds). */
class FakeHistogram implements DelayHistogram {
  samples: number[] = [];
  enabled = false;
  enables = 0;
  disables = 0;
  resets = 0;
  enable(): boolean {
    this.enables++;
    const was = this.enabled;
    this.enabled = true;
    return !was;
  }
  disable(): boolean {
    this.disables++;
    const was = this.enabled;
    this.enabled = false;
    return was;
  }
  reset(): void {
    this.resets++;
    this.samples = [];
  }
  get count(): number {
    return this.samples.length;
  }
  get mean(): number {
    return this.samples.length === 0 ? Number.NaN : (this.samples.reduce((a, b) => a + b, 0) / this.samples.length) * 1e6;
  }
  percentile(p: number): number {
    if (this.samples.length === 0) return 0;
    const sorted = [...this.samples].sort((a, b) => a - b);
    return (sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number) * 1e6;
  }
}

function fakeProbe(options: Parameters<typeof eventLoopPressure>[0] = {}) {
  const clock = new ManualClock();
  const histogram = new FakeHistogram();
  const probe = createDelayProbe({ clock, ...options }, () => histogram);
  return { clock, histogram, probe };
}

describe('crackstop/node › eventLoopPressure', () => {
  it('reads the mean delay of each window, minus the resolution, as a fraction of maxDelayMs', async () => {
    const { clock, histogram, probe } = fakeProbe({ maxDelayMs: 100, windowMs: 500, resolutionMs: 10 });
    expect(histogram.enabled).toBe(true);
    expect(probe()).toBe(0); // no complete window yet
    histogram.samples.push(10, 20, 90); // mean 40 ms, 30 ms beyond the 10 ms resolution
    await clock.advance(500);
    expect(probe.delayMs).toBe(30);
    expect(probe()).toBeCloseTo(0.3);
    expect(histogram.resets).toBe(1);
    histogram.samples.push(400);
    await clock.advance(500);
    expect(probe()).toBe(1); // clamped
    await clock.advance(500); // an empty window (no sample, no lateness): back to 0
    expect(probe()).toBe(0);
  });

  it('can use a percentile instead of the mean', async () => {
    const { clock, histogram, probe } = fakeProbe({ percentile: 99, maxDelayMs: 50 });
    histogram.samples.push(...Array.from({ length: 98 }, () => 11), 60, 60); // p99: 60 ms; the mean would be 12
    await clock.advance(500);
    expect(probe.delayMs).toBe(50);
    expect(probe()).toBe(1);
  });

  it('drives a load shedder as its pressure signal', async () => {
    const { clock, histogram, probe } = fakeProbe({ maxDelayMs: 100 });
    const shedder = loadShedder({ clock, pressure: probe });
    histogram.samples.push(10 + 80); // 80 ms of delay: pressure 0.8
    await clock.advance(500);
    expect(shedder.tryAdmit('sheddable')).toBeUndefined();
    const normal = shedder.tryAdmit('normal');
    expect(normal).toBeDefined();
    normal?.release();
    probe.dispose();
  });

  it('failure mode 2: dispose stops sampling and the window timer, once; then the probe reads 0', async () => {
    const { clock, histogram, probe } = fakeProbe();
    histogram.samples.push(500);
    await clock.advance(500);
    expect(probe()).toBe(1);
    expect(clock.pendingTimers).toBe(1);
    probe.dispose();
    probe.dispose();
    expect(probe.disposed).toBe(true);
    expect(histogram.enabled).toBe(false);
    expect(histogram.disables).toBe(1);
    expect(clock.pendingTimers).toBe(0);
    expect(probe()).toBe(0);
    expect(probe.delayMs).toBe(0);
    await clock.advance(10_000);
    expect(histogram.resets).toBe(1);
  });

  it('failure mode 2: 1,000 probes created and disposed leave no timer', () => {
    const clock = new ManualClock();
    for (let i = 0; i < 1_000; i++) createDelayProbe({ clock }, () => new FakeHistogram()).dispose();
    expect(clock.pendingTimers).toBe(0);
  });

  it('counts a window timer that fires late as delay (the loop was blocked the whole window)', async () => {
    const histogram = new FakeHistogram();
    let now = 0;
    let fire: (() => void) | undefined;
    const clock = {
      now: () => now,
      setTimeout: (callback: () => void) => {
        fire = callback;
        return 1;
      },
      clearTimeout: () => undefined,
    };
    const probe = createDelayProbe({ clock, maxDelayMs: 100, windowMs: 500 }, () => histogram);
    now = 560; // fired 60 ms late, with no sample in the histogram
    fire?.();
    expect(probe.delayMs).toBe(60);
    expect(probe()).toBeCloseTo(0.6);
    probe.dispose();
  });

  it('failure mode 37: validates its options', () => {
    expect(() => eventLoopPressure({ maxDelayMs: 0 })).toThrow('eventLoopPressure(): `maxDelayMs` must be a finite number > 0');
    expect(() => eventLoopPressure({ maxDelayMs: Number.NaN })).toThrow(RangeError);
    expect(() => eventLoopPressure({ percentile: 0.99 })).toThrow('`percentile` must be a finite number >= 1 and <= 100, got 0.99 (number)');
    expect(() => eventLoopPressure({ windowMs: 5 })).toThrow(RangeError);
    expect(() => eventLoopPressure({ windowMs: Infinity })).toThrow(RangeError);
    expect(() => eventLoopPressure({ resolutionMs: 0.5 })).toThrow('`resolutionMs` must be an integer');
    expect(() => eventLoopPressure({ maxDelayMs: '5' as unknown as number })).toThrow(TypeError);
    expect(() => eventLoopPressure({ interval: 5 } as never)).toThrow('unknown option `interval`');
  });

  it('the real probe keeps no handle alive (process.getActiveResourcesInfo)', () => {
    const before = process.getActiveResourcesInfo().sort();
    const probes = Array.from({ length: 100 }, () => eventLoopPressure({ windowMs: 10 }));
    expect(process.getActiveResourcesInfo().sort()).toEqual(before);
    for (const probe of probes) probe.dispose();
    expect(probes.every((p) => p.disposed && p() === 0)).toBe(true);
  });

  it('failure mode 2: dispose disables the real histogram and clears the real window timer', () => {
    // Neither shows in getActiveResourcesInfo (both are unref'd), so they are observed directly:
    // the histogram through enable() (true only if it was disabled), the timer through the clock.
    const histograms: IntervalHistogram[] = [];
    const live = new Set<TimerHandle>();
    const clock: Clock = {
      now: () => systemClock.now(),
      setTimeout: (callback, ms) => {
        const handle: TimerHandle = systemClock.setTimeout(() => {
          live.delete(handle);
          callback();
        }, ms);
        live.add(handle);
        return handle;
      },
      clearTimeout: (handle) => {
        live.delete(handle);
        systemClock.clearTimeout(handle);
      },
    };
    const probes = Array.from({ length: 20 }, () =>
      createDelayProbe({ clock, windowMs: 60_000 }, (resolution) => {
        const histogram = monitorEventLoopDelay({ resolution });
        histograms.push(histogram);
        return histogram;
      }),
    );
    expect(live.size).toBe(20);
    for (const probe of probes) probe.dispose();
    expect(live.size).toBe(0);
    expect(histograms.map((h) => h.enable())).toEqual(histograms.map(() => true)); // each had been disabled
    for (const h of histograms) h.disable();
  });

  it('property: the pressure is always in [0, 1] and the delay never negative, whatever the histogram and the lateness', async () => {
    const reading = fc.oneof(fc.double({ noNaN: false }), fc.constantFrom(Number.NaN, Infinity, -Infinity, 0, 1e30));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ mean: reading, p: reading, count: fc.nat(5), lateMs: fc.double({ min: -1e6, max: 1e9, noNaN: true }) }), { minLength: 1, maxLength: 8 }),
        fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
        async (windows, percentile) => {
          let now = 0;
          let fire: (() => void) | undefined;
          const clock: Clock = {
            now: () => now,
            setTimeout: (callback) => {
              fire = callback;
              return 1;
            },
            clearTimeout: () => undefined,
          };
          let current = windows[0] as (typeof windows)[number];
          const histogram: DelayHistogram = {
            enable: () => true,
            disable: () => true,
            reset: () => undefined,
            get mean() {
              return current.mean;
            },
            get count() {
              return current.count;
            },
            percentile: () => current.p,
          };
          const probe = createDelayProbe({ clock, windowMs: 100, ...(percentile === undefined ? {} : { percentile }) }, () => histogram);
          for (const w of windows) {
            current = w;
            now += 100 + w.lateMs;
            fire?.();
            const value = probe();
            expect(value >= 0 && value <= 1).toBe(true);
            expect(probe.delayMs >= 0).toBe(true);
          }
          probe.dispose();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('failure mode 1: a live probe never keeps a process alive (child process, with a negative control)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crackstop-node-'));
    try {
      const entry = fileURLToPath(new URL('../../src/node.ts', import.meta.url));
      const bundle = join(dir, 'node.mjs');
      await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'es2022', outfile: bundle, logLevel: 'silent' });
      const script = (keepAlive: boolean) =>
        [
          `import { eventLoopPressure } from ${JSON.stringify(bundle)};`,
          keepAlive
            ? `const clock = { now: () => performance.now(), setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (h) => clearTimeout(h) };`
            : `const clock = undefined;`,
          `const probe = eventLoopPressure({ windowMs: 50, ...(clock ? { clock } : {}) });`,
          `console.log('started', probe());`,
        ].join('\n');
      const live = join(dir, 'live.mjs');
      const control = join(dir, 'control.mjs');
      await writeFile(live, script(false));
      await writeFile(control, script(true));
      expect(await exitsWithin(live, 5_000)).toBe(true);
      expect(await exitsWithin(control, 400)).toBe(false); // a ref'd window timer keeps it alive
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** Whether `node file` exits by itself within `ms`; killed otherwise. */
function exitsWithin(file: string, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], { stdio: 'ignore' });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(false);
    }, ms);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === null) resolve(code === 0);
    });
  });
}
