// Timing and allocation of one function, the only place that knows mitata.
import { GCProfiler, getHeapStatistics } from 'node:v8';
import { measure } from 'mitata';

/** mitata options of one timed measurement in a full run (~60 ms of work each). */
export const FULL = { min_cpu_time: 60e6, batch_samples: 512, min_samples: 8, warmup_samples: 2 };
/** mitata options of the smoke run: a handful of calls, just enough to exercise the harness. */
export const SMOKE = { min_cpu_time: 0, batch_samples: 8, min_samples: 2, max_samples: 2, warmup_samples: 1 };

/**
 * Mean ns per call of `fn` (mitata's mean over its batches, the 2 slowest and 2 fastest dropped):
 * the mean keeps the cost of the garbage a call makes, which a median of batches would hide.
 * Each measurement starts after a full GC when the process runs with --expose-gc.
 */
export async function timeCall(fn, options) {
  const stats = await measure(fn, { ...options, gc: globalThis.gc ?? false });
  return stats.avg;
}

const AsyncFunction = (async () => {}).constructor;
const used = () => getHeapStatistics().used_heap_size;

/**
 * Bytes allocated per call of `fn`: heap growth over `calls` sequential awaited calls, in trials
 * that saw no GC (checked with v8.GCProfiler); the median of the clean trials, or NaN if none.
 * Run it with a young generation big enough for a trial (the runner passes
 * --min-semi-space-size/--max-semi-space-size) and after a warm-up, so that JIT code is not
 * counted. Includes the loop's own `await` (the raw baseline shows that part).
 */
export async function bytesPerCall(fn, { calls = 1000, trials = 7, warmup = 3000 } = {}) {
  // A fresh loop per function (as mitata does), so no loop is shared, polymorphic or deoptimized.
  const loop = new AsyncFunction('fn', 'n', 'for (let i = 0; i < n; i++) await fn();');
  await loop(fn, warmup);
  const clean = [];
  for (let t = 0; t < trials; t++) {
    globalThis.gc?.();
    const profiler = new GCProfiler();
    profiler.start();
    const before = used();
    await loop(fn, calls);
    const after = used();
    if (profiler.stop().statistics.length === 0) clean.push((after - before) / calls);
  }
  return median(clean);
}

/** The median of a list of numbers (NaN when empty). */
export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
