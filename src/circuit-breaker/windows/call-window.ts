/**
 * The window of recent calls a closed circuit records, and the threshold it checks.
 *
 * @internal
 * @module
 */
import type { WindowConfig } from '../config.js';
import type { CircuitWindowSnapshot } from '../snapshot.js';

export type { CircuitWindowSnapshot };

/** What a window holds now. */
export interface WindowCounts {
  readonly calls: number;
  readonly failures: number;
  readonly slowCalls: number;
}

/**
 * A window of recent calls. State is fixed-size (a counter, a ring or buckets), whatever the call
 * rate; recording is O(1).
 */
export interface CallWindow {
  /** Whether `record` and `counts` need the current time (only the time window does). */
  readonly needsTime: boolean;
  /** Records one call; true when the window now crosses its threshold (the circuit must open). */
  record(failure: boolean, slow: boolean, now: number): boolean;
  /** Forgets every call. */
  clear(): void;
  counts(now: number): WindowCounts;
  snapshot(now: number): CircuitWindowSnapshot;
  /** Loads a snapshot's content; a snapshot that does not fit this window leaves it empty. */
  restore(snapshot: CircuitWindowSnapshot, now: number): void;
}

/** Whether a window holding these counts must open the circuit. */
export function crossed(config: WindowConfig, calls: number, failures: number, slowCalls: number): boolean {
  return calls >= config.minimumCalls && (failures / calls >= config.failureRate || slowCalls / calls >= config.slowCallRate);
}
