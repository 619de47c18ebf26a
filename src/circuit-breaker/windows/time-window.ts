/**
 * The time window: buckets of calls that expire by the clock.
 *
 * @internal
 * @module
 */
import type { WindowConfig } from '../config.js';
import { crossed, type CallWindow, type WindowCounts, type CircuitWindowSnapshot } from './call-window.js';

/**
 * The calls of the last `durationMs`, in `buckets` buckets of `durationMs / buckets` ms. Bucket
 * `floor(now / width)` is the current one; the window holds it and the `buckets - 1` before it.
 * Moving to a later bucket clears every bucket that fell out of the window (all of them after an
 * idle gap as long as the window), so stale calls never count.
 */
export class TimeWindow implements CallWindow {
  readonly needsTime = true;
  readonly #config: WindowConfig;
  readonly #width: number;
  readonly #calls: Float64Array;
  readonly #failures: Float64Array;
  readonly #slow: Float64Array;
  /** The index (time / width) of the current bucket, and its slot in the arrays. */
  #head = -Infinity;
  #slot = 0;
  #totalCalls = 0;
  #totalFailures = 0;
  #totalSlow = 0;

  constructor(config: WindowConfig) {
    this.#config = config;
    this.#width = config.durationMs / config.size;
    this.#calls = new Float64Array(config.size);
    this.#failures = new Float64Array(config.size);
    this.#slow = new Float64Array(config.size);
  }

  /** Moves the current bucket to `now`'s, clearing the buckets that expired on the way. */
  #advance(now: number): void {
    const index = Math.floor(now / this.#width);
    if (index <= this.#head) return; // same bucket (or a clock that went back: stay)
    const n = this.#calls.length;
    if (index - this.#head >= n) {
      this.clear();
    } else {
      for (let i = this.#head + 1; i <= index; i++) {
        const b = ((i % n) + n) % n;
        this.#totalCalls -= this.#calls[b] as number;
        this.#totalFailures -= this.#failures[b] as number;
        this.#totalSlow -= this.#slow[b] as number;
        this.#calls[b] = this.#failures[b] = this.#slow[b] = 0;
      }
    }
    this.#head = index;
    this.#slot = ((index % n) + n) % n;
  }

  record(failure: boolean, slow: boolean, now: number): boolean {
    this.#advance(now);
    const b = this.#slot;
    this.#calls[b] = (this.#calls[b] as number) + 1;
    this.#totalCalls++;
    if (failure) {
      this.#failures[b] = (this.#failures[b] as number) + 1;
      this.#totalFailures++;
    }
    if (slow) {
      this.#slow[b] = (this.#slow[b] as number) + 1;
      this.#totalSlow++;
    }
    return crossed(this.#config, this.#totalCalls, this.#totalFailures, this.#totalSlow);
  }

  clear(): void {
    this.#calls.fill(0);
    this.#failures.fill(0);
    this.#slow.fill(0);
    this.#totalCalls = this.#totalFailures = this.#totalSlow = 0;
  }

  counts(now: number): WindowCounts {
    this.#advance(now);
    return { calls: this.#totalCalls, failures: this.#totalFailures, slowCalls: this.#totalSlow };
  }

  snapshot(now: number): CircuitWindowSnapshot {
    this.#advance(now);
    const n = this.#calls.length;
    const calls: number[] = [];
    const failures: number[] = [];
    const slowCalls: number[] = [];
    // Oldest bucket first; the last one is the current bucket.
    for (let k = 1; k <= n; k++) {
      const b = (this.#slot + k) % n;
      calls.push(this.#calls[b] as number);
      failures.push(this.#failures[b] as number);
      slowCalls.push(this.#slow[b] as number);
    }
    return { kind: 'time', bucketMs: this.#width, calls, failures, slowCalls };
  }

  restore(snapshot: CircuitWindowSnapshot, now: number): void {
    const n = this.#calls.length;
    if (snapshot.kind !== 'time' || snapshot.bucketMs !== this.#width || snapshot.calls.length !== n) return;
    this.clear();
    this.#advance(now);
    for (let k = 1; k <= n; k++) {
      const b = (this.#slot + k) % n;
      const calls = snapshot.calls[k - 1] ?? 0;
      const failures = snapshot.failures[k - 1] ?? 0;
      const slow = snapshot.slowCalls[k - 1] ?? 0;
      this.#calls[b] = calls;
      this.#failures[b] = failures;
      this.#slow[b] = slow;
      this.#totalCalls += calls;
      this.#totalFailures += failures;
      this.#totalSlow += slow;
    }
  }
}
