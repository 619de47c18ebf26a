/**
 * Events of the circuit breaker.
 *
 * @module
 */
import type { EventBase } from '../events/types.js';
import type { CircuitOutcome, CircuitState } from './options.js';

/**
 * Why a circuit changed state:
 * - `failure-threshold`: the closed window crossed its failure or slow-call threshold (to `open`);
 * - `open-elapsed`: `openMs` passed and a call or a read of `state` came (to `half-open`);
 * - `probe-failed`: a probe failed or was slow (to `open`, with a fresh `openMs`);
 * - `probe-timeout`: a probe ran past `probeTimeoutMs` (to `open`, with a fresh `openMs`);
 * - `probes-succeeded`: `successesToClose` probes succeeded (to `closed`);
 * - `isolated`: `isolate()` (to `isolated`);
 * - `released`: the last isolation handle was released (to `closed`);
 * - `reset`: `reset()` (to `closed`).
 *
 * @example
 * ```ts
 * import { createEventHub, type CircuitTransitionReason } from 'crackstop';
 *
 * const manual: ReadonlySet<CircuitTransitionReason> = new Set(['isolated', 'released', 'reset']);
 * createEventHub().on('circuit.state', (e) => {
 *   if (!manual.has(e.reason)) console.warn(`${e.name}: ${e.from} -> ${e.to} (${e.reason})`);
 * });
 * ```
 */
export type CircuitTransitionReason =
  | 'failure-threshold'
  | 'open-elapsed'
  | 'probe-failed'
  | 'probe-timeout'
  | 'probes-succeeded'
  | 'isolated'
  | 'released'
  | 'reset';

/**
 * The circuit changed state: exactly one event per transition, never with `from === to`. A
 * transition made by a listener while an event is being delivered is delivered after it, so every
 * listener sees the transitions in order.
 *
 * @example
 * ```ts
 * import { createEventHub } from 'crackstop';
 *
 * createEventHub().on('circuit.state', (e) => console.warn(`${e.name}: ${e.from} -> ${e.to} (${e.reason})`));
 * ```
 */
export interface CircuitStateEvent extends EventBase {
  readonly type: 'circuit.state';
  readonly kind: 'circuit-breaker';
  readonly from: CircuitState;
  readonly to: CircuitState;
  readonly reason: CircuitTransitionReason;
  /** When `to` is `open`: how long it stays open, in ms. */
  readonly openMs?: number;
}

/**
 * A call was refused without running: the circuit is open, half-open with every probe slot
 * taken, or isolated.
 *
 * @example
 * ```ts
 * import { createEventHub } from 'crackstop';
 *
 * createEventHub().on('circuit.rejected', (e) => console.log(`${e.name} rejected a call (${e.state})`));
 * ```
 */
export interface CircuitRejectedEvent extends EventBase {
  readonly type: 'circuit.rejected';
  readonly kind: 'circuit-breaker';
  readonly state: 'open' | 'half-open' | 'isolated';
  /** The `retryAfterMs` of the `CircuitOpenError` (absent when isolated). */
  readonly retryAfterMs?: number;
}

/** Fields of the events of calls that ran. */
interface CircuitCallEventBase extends EventBase {
  readonly kind: 'circuit-breaker';
  /**
   * How long the call ran, in ms. Calls are timed from their start only while somebody listens
   * to a call event (or the window has `slowCallMs`), so a call that started before the first
   * listener subscribed is not reported.
   */
  readonly durationMs: number;
  /** Whether the call was a half-open probe. */
  readonly probe: boolean;
}

/**
 * A call that ran was recorded as a success (`slow` when slower than `slowCallMs`).
 *
 * @example
 * ```ts
 * import { createEventHub } from 'crackstop';
 *
 * createEventHub().on('circuit.success', (e) => console.log(`${e.name}: ok in ${e.durationMs} ms${e.slow ? ' (slow)' : ''}`));
 * ```
 */
export interface CircuitSuccessEvent extends CircuitCallEventBase {
  readonly type: 'circuit.success';
  readonly slow: boolean;
}

/**
 * A call that ran was recorded as a failure: an error, a result `isFailure` rejected, or a probe
 * given up at `probeTimeoutMs` (its outcome is then the `TimeoutError`).
 *
 * @example
 * ```ts
 * import { createEventHub } from 'crackstop';
 *
 * createEventHub().on('circuit.failure', (e) => console.warn(`${e.name}: failure`, e.outcome));
 * ```
 */
export interface CircuitFailureEvent extends CircuitCallEventBase {
  readonly type: 'circuit.failure';
  readonly slow: boolean;
  readonly outcome: CircuitOutcome<unknown>;
}

/**
 * Why a call that ran was not recorded:
 * - `aborted`: its caller (or an outer policy) aborted it (whatever it settled with afterwards);
 * - `rejection`: it failed with another policy's rejection (`isRejection`: bulkhead full, load
 *   shed, a nested breaker open);
 * - `not-failure`: `isFailure` declined its error;
 * - `stale`: it was admitted in an earlier state of the circuit (an earlier generation), so its
 *   outcome no longer says anything about the current one.
 *
 * @example
 * ```ts
 * import { createEventHub, type CircuitIgnoredReason } from 'crackstop';
 *
 * const ignored = new Map<CircuitIgnoredReason, number>();
 * createEventHub().on('circuit.ignored', (e) => ignored.set(e.reason, (ignored.get(e.reason) ?? 0) + 1));
 * ```
 */
export type CircuitIgnoredReason = 'aborted' | 'rejection' | 'not-failure' | 'stale';

/**
 * A call that ran settled but counted neither as a success nor as a failure.
 *
 * @example
 * ```ts
 * import { createEventHub } from 'crackstop';
 *
 * createEventHub().on('circuit.ignored', (e) => console.log(`${e.name}: not counted (${e.reason})`));
 * ```
 */
export interface CircuitIgnoredEvent extends CircuitCallEventBase {
  readonly type: 'circuit.ignored';
  readonly reason: CircuitIgnoredReason;
}
