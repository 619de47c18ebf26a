/**
 * Priority classes of the load shedder.
 *
 * @module
 */

/**
 * The priority class of a call, given per call to a load shedder. Lower classes are shed first:
 * `sheddable` (prefetches, batch jobs, retries you can afford to lose), then `normal`; `critical`
 * calls (health checks, payments, the work that keeps the service useful) are refused only at
 * the hard limit `maxInFlight`, never by a soft signal.
 *
 * @example
 * ```ts
 * import { loadShedder, type ShedPriority } from 'crackstop';
 *
 * const shedder = loadShedder({ maxInFlight: 100 });
 * const priority: ShedPriority = 'sheddable';
 * await shedder.execute(() => fetch('http://127.0.0.1:8080/recommendations'), { priority });
 * ```
 */
export type ShedPriority = 'critical' | 'normal' | 'sheddable';

/**
 * Which signal refused a call:
 * - `in-flight`: the calls in flight reached the limit of the call's class (`maxInFlight` for
 *   `critical`, `thresholds[class]` × `maxInFlight` for the others);
 * - `queue-delay`: the time work waits before it starts stayed above the target for an interval;
 * - `latency`: the latency percentile of the window is over the target;
 * - `pressure`: the external pressure signal is high;
 * - `draining`: the shedder was drained (`drain()`, lame-duck mode) and takes no new work, of any
 *   class.
 *
 * @example
 * ```ts
 * import { createEventHub, type ShedReason } from 'crackstop';
 *
 * const byReason = new Map<ShedReason, number>();
 * createEventHub().on('shed', (e) => byReason.set(e.reason, (byReason.get(e.reason) ?? 0) + 1));
 * ```
 */
export type ShedReason = 'in-flight' | 'queue-delay' | 'latency' | 'pressure' | 'draining';

/** Priority classes by level: 0 is the most important. @internal */
export const priorities: readonly ShedPriority[] = ['critical', 'normal', 'sheddable'];

/** The level (0 critical, 1 normal, 2 sheddable) of a priority, or -1 when it is not one. @internal */
export function levelOf(priority: unknown): number {
  return priority === 'normal' ? 1 : priority === 'sheddable' ? 2 : priority === 'critical' ? 0 : -1;
}
