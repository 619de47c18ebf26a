/**
 * The latency signal: a percentile of recent call durations over a sliding window of fixed size.
 *
 * @internal
 * @module
 */

/** Buckets per `targetMs`: the resolution of the percentile is 1/32 of the target (about 3%). */
const perTarget = 32;
/** Linear buckets cover [0, 2 × target); one more bucket holds every longer duration. */
const buckets = 2 * perTarget + 1;
/** The window is kept as this many slices, each expiring as a whole by the clock. */
const slices = 10;

/** Non-negative modulo (clock time may start below 0). */
function mod(value: number, n: number): number {
  return ((value % n) + n) % n;
}

/**
 * A sliding window of call durations, as `slices` histograms of `buckets` counters each, plus
 * their running sum: memory is fixed (about 5 KB) whatever the call rate, recording is O(1) and
 * a slice whose time has passed is cleared when the clock says so (no timer, no stale bucket after
 * idle time). The percentile is read from the sum, interpolated inside its bucket, and cached
 * until the window changes.
 *
 * @internal
 */
export class LatencyWindow {
  readonly targetMs: number;
  readonly percentile: number;
  readonly windowMs: number;
  readonly minSamples: number;
  readonly #counts: Float64Array = new Float64Array(slices * buckets);
  readonly #sum: Float64Array = new Float64Array(buckets);
  readonly #sliceTotals: Float64Array = new Float64Array(slices);
  #total = 0;
  readonly #width: number;
  /** The index (time / width) of the newest slice. */
  #head: number;
  #ratio = 0;
  #dirty = false;

  constructor(targetMs: number, percentile: number, windowMs: number, minSamples: number, now: number) {
    this.targetMs = targetMs;
    this.percentile = percentile;
    this.windowMs = windowMs;
    this.minSamples = minSamples;
    this.#width = windowMs / slices;
    this.#head = Math.floor(now / this.#width);
  }

  /** Samples in the window. */
  count(now: number): number {
    this.#roll(now);
    return this.#total;
  }

  /** Records one duration, in milliseconds, ending at `now`. */
  record(durationMs: number, now: number): void {
    const slice = this.#roll(now);
    const scaled = (durationMs * perTarget) / this.targetMs;
    const bucket = scaled >= buckets - 1 ? buckets - 1 : scaled > 0 ? Math.floor(scaled) : 0;
    const counts = this.#counts;
    const at = slice * buckets + bucket;
    counts[at] = (counts[at] ?? 0) + 1;
    this.#sum[bucket] = (this.#sum[bucket] ?? 0) + 1;
    this.#sliceTotals[slice] = (this.#sliceTotals[slice] ?? 0) + 1;
    this.#total++;
    this.#dirty = true;
  }

  /**
   * The window's percentile as a fraction of the target (1 = at the target), between 0 and 2
   * (2 for anything at or past twice the target); 0 with fewer than `minSamples` samples.
   */
  ratio(now: number): number {
    this.#roll(now);
    if (!this.#dirty) return this.#ratio;
    this.#dirty = false;
    const total = this.#total;
    if (total < this.minSamples || total === 0) return (this.#ratio = 0);
    const rank = Math.max(1, Math.ceil((this.percentile / 100) * total));
    const sum = this.#sum;
    let below = 0;
    for (let b = 0; b < buckets; b++) {
      const n = sum[b] ?? 0;
      if (below + n >= rank) {
        if (b === buckets - 1) return (this.#ratio = 2);
        return (this.#ratio = (b + (rank - below) / n) / perTarget);
      }
      below += n;
    }
    return (this.#ratio = 2);
  }

  /** Moves the window to `now`, clearing the slices that fell out of it; returns the current slice. */
  #roll(now: number): number {
    const index = Math.floor(now / this.#width);
    const head = this.#head;
    // Forward: clear the slices that fell out. Backward (a clock that stepped back, which it
    // should not): how much time passed is unknown, so clear every slice, as after idle time,
    // rather than keep stale samples until the clock catches up.
    if (index > head || index < head) {
      const stale = index > head && index - head < slices ? index - head : slices;
      for (let i = 1; i <= stale; i++) this.#clear(mod(head + i, slices));
      this.#head = index;
    }
    return mod(this.#head, slices);
  }

  #clear(slice: number): void {
    const inSlice = this.#sliceTotals[slice] ?? 0;
    if (inSlice === 0) return;
    const counts = this.#counts;
    const sum = this.#sum;
    const base = slice * buckets;
    for (let b = 0; b < buckets; b++) {
      const n = counts[base + b] ?? 0;
      if (n !== 0) {
        sum[b] = (sum[b] ?? 0) - n;
        counts[base + b] = 0;
      }
    }
    this.#total -= inSlice;
    this.#sliceTotals[slice] = 0;
    this.#dirty = true;
  }
}
