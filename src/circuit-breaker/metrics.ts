/**
 * What `breaker.metrics()` returns.
 *
 * @module
 */
import type { CircuitState } from './options.js';

/**
 * The circuit's state and the content of its window, for dashboards and health pages. Rates are
 * 0 when the window is empty (never NaN). For a `consecutive` window, `calls` and `failures` are
 * the current run of failures in a row (slow calls included, with `slowCallMs`).
 *
 * @example
 * ```ts
 * import { circuitBreaker, type CircuitMetrics } from 'crackstop';
 *
 * const breaker = circuitBreaker({ window: { kind: 'count', size: 20 } });
 * const m: CircuitMetrics = breaker.metrics();
 * console.log(`${m.state}: ${m.failures}/${m.calls} failed (${(m.failureRate * 100).toFixed(0)}%)`);
 * ```
 */
export interface CircuitMetrics {
  readonly state: CircuitState;
  readonly window: 'consecutive' | 'count' | 'time';
  /** Calls recorded in the window. */
  readonly calls: number;
  /** Failures among them. */
  readonly failures: number;
  /** Slow calls among them (failed or not). */
  readonly slowCalls: number;
  /** `failures / calls`, 0 when the window is empty. */
  readonly failureRate: number;
  /** `slowCalls / calls`, 0 when the window is empty. */
  readonly slowCallRate: number;
  /** Probes running now, including any left over from an earlier half-open period (each holds a slot until it ends). */
  readonly probesInFlight: number;
  /** Openings in a row since the circuit last closed. */
  readonly openings: number;
  /** When a call may be admitted again, in ms (0 when one would be now; Infinity when isolated). */
  readonly retryAfterMs: number;
}
