/**
 * Events of health checks.
 *
 * @module
 */
import type { EventBase } from '../events/types.js';
import type { HealthStatus } from './types.js';

/**
 * A check's status, or the overall status, changed. For a check, `check` is its name and the
 * event comes when a run of the check gives a different status than the run before (the first
 * run of a check has `from: undefined`). For the overall status (no `check`), the status is that
 * of the full report computed from the latest result of every check and the lifecycle state; it
 * is re-evaluated once a view has all its results (never half-way through one), at
 * `markStarted()`, and when a drain starts or ends.
 *
 * @example
 * ```ts
 * import { createEventHub } from 'crackstop';
 *
 * createEventHub().on('health.changed', (e) =>
 *   console.warn(`${e.check ?? 'overall'}: ${e.from ?? 'unknown'} -> ${e.to}${e.output === undefined ? '' : ` (${e.output})`}`),
 * );
 * ```
 */
export interface HealthChangedEvent extends EventBase {
  readonly type: 'health.changed';
  readonly kind: 'health';
  /** The check's name; absent when the overall status changed. */
  readonly check?: string;
  /** The previous status; `undefined` for a check's first result or the first overall status. */
  readonly from: HealthStatus | undefined;
  readonly to: HealthStatus;
  /** The check's output (or the report's) when the new status is not `pass`. */
  readonly output?: string;
}

/**
 * A drain (lame-duck mode) moved on: `start` when `drain()` is called (readiness fails from now
 * on), `refuse` when the grace period is over and registered components are told to refuse new
 * work, `end` when in-flight work reached zero or the deadline passed. At `end`, `stillRunning`
 * work is reported here rather than silently dropped.
 *
 * @example
 * ```ts
 * import { createEventHub } from 'crackstop';
 *
 * createEventHub().on('health.drain', (e) => {
 *   if (e.phase === 'end') console.log(`drained: ${e.completed} completed, ${e.stillRunning} still running`);
 * });
 * ```
 */
export interface HealthDrainEvent extends EventBase {
  readonly type: 'health.drain';
  readonly kind: 'health';
  readonly phase: 'start' | 'refuse' | 'end';
  /** Work in flight at this moment (tracked promises plus registered components). */
  readonly inFlight: number;
  /** Work that finished since drain started (0 before `end`). */
  readonly completed: number;
  /** Work still running (equals `inFlight`). */
  readonly stillRunning: number;
  /** At `end`: whether the deadline passed before in-flight work reached zero. */
  readonly timedOut: boolean;
}
