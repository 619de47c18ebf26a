/**
 * The consecutive window: failures in a row.
 *
 * @internal
 * @module
 */
import type { WindowConfig } from '../config.js';
import type { CallWindow, WindowCounts, CircuitWindowSnapshot } from './call-window.js';

/** Counts failures (and, with `slowCallMs`, slow calls) in a row; any other call ends the run. */
export class ConsecutiveWindow implements CallWindow {
  readonly needsTime = false;
  readonly #threshold: number;
  #run = 0;

  constructor(config: WindowConfig) {
    this.#threshold = config.size;
  }

  record(failure: boolean, slow: boolean): boolean {
    if (!failure && !slow) {
      this.#run = 0;
      return false;
    }
    return ++this.#run >= this.#threshold;
  }

  clear(): void {
    this.#run = 0;
  }

  counts(): WindowCounts {
    return { calls: this.#run, failures: this.#run, slowCalls: 0 };
  }

  snapshot(): CircuitWindowSnapshot {
    return { kind: 'consecutive', failures: this.#run };
  }

  restore(snapshot: CircuitWindowSnapshot): void {
    if (snapshot.kind !== 'consecutive') return;
    // Capped at the threshold, not below it: an open circuit saves a full run, and its restored
    // twin must show (and save) the same window. A closed one with a full run opens on its next failure either way.
    this.#run = Math.min(snapshot.failures, this.#threshold);
  }
}
