/**
 * Events of the load shedder.
 *
 * @module
 */
import type { EventBase } from '../events/types.js';
import type { ShedPriority, ShedReason } from './priority.js';

/**
 * A load shedder refused a call (through `execute`, a priority view or `tryAdmit`). Exactly one
 * per refused call; none for an admitted one.
 *
 * @example
 * ```ts
 * import { createEventHub } from 'crackstop';
 *
 * createEventHub().on('shed', (e) => console.warn(`${e.name}: shed a ${e.priority} call (${e.reason}, load ${e.load.toFixed(2)})`));
 * ```
 */
export interface ShedEvent extends EventBase {
  readonly type: 'shed';
  readonly kind: 'load-shedder';
  /** The priority class of the refused call. */
  readonly priority: ShedPriority;
  /** The signal that refused it (the most loaded one). */
  readonly reason: ShedReason;
  /**
   * The load of that signal, as a fraction of its limit or target (1 = at the limit; the latency
   * load can exceed 1, up to 2, and the queue-delay load has no upper bound: a minimum wait of 5 ×
   * the target is 5). 1 for `'draining'`.
   */
  readonly load: number;
  /** Calls in flight when it was refused. */
  readonly inFlight: number;
  /** The retry-after hint given to the caller. */
  readonly retryAfterMs: number;
  /** True when the call was refused by a random draw of probabilistic shedding (`ramp`), below the class threshold. */
  readonly random: boolean;
}

/**
 * The external `pressure` function of a load shedder threw or returned something that is not a
 * number. The shedder counted the pressure as 0 for that decision (it fails open: a broken probe
 * does not turn all traffic away). One event per failed read.
 *
 * @example
 * ```ts
 * import { createEventHub } from 'crackstop';
 *
 * createEventHub().on('shed.pressure-error', (e) => console.error(`${e.name}: pressure signal failed`, e.error));
 * ```
 */
export interface ShedPressureErrorEvent extends EventBase {
  readonly type: 'shed.pressure-error';
  readonly kind: 'load-shedder';
  /** What the function threw, or the value it returned instead of a number. */
  readonly error: unknown;
}
