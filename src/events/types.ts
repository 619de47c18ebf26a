/**
 * The typed event stream shared by every policy: a discriminated union on `type`.
 * Event names and payloads are public API under semver.
 *
 * @module
 */
import type { HealthChangedEvent, HealthDrainEvent } from '../health/events.js';
import type {
  CircuitFailureEvent,
  CircuitIgnoredEvent,
  CircuitRejectedEvent,
  CircuitStateEvent,
  CircuitSuccessEvent,
} from '../circuit-breaker/events.js';
import type { BulkheadRejectedEvent } from '../bulkhead/events.js';
import type { QueueDroppedEvent, QueueRejectedEvent } from '../queue/events.js';
import type { RetryEvent, RetryGiveUpEvent } from '../retry/events.js';
import type { ShedEvent, ShedPressureErrorEvent } from '../shed/events.js';
import type { TimeoutEvent, TimeoutLateEvent } from '../timeout/events.js';

/**
 * Fields every event carries.
 *
 * @example
 * ```ts
 * import type { EventBase } from 'crackstop';
 *
 * const label = (event: EventBase) => `${event.kind}/${event.name} at ${event.time.toFixed(1)} ms`;
 * ```
 */
export interface EventBase {
  /** What happened, such as `retry` or `timeout`. */
  readonly type: string;
  /** The kind of policy that emitted it, such as `retry` or `timeout`. */
  readonly kind: string;
  /** The `name` of the policy that emitted it. */
  readonly name: string;
  /** The policy clock's `now()` when it happened, in milliseconds. */
  readonly time: number;
}

/**
 * Every event type, by its `type`.
 *
 * @example
 * ```ts
 * import type { ResilienceEventMap } from 'crackstop';
 *
 * type RetryPayload = ResilienceEventMap['retry'];
 * ```
 */
export interface ResilienceEventMap {
  timeout: TimeoutEvent;
  'timeout.late': TimeoutLateEvent;
  retry: RetryEvent;
  'retry.giveup': RetryGiveUpEvent;
  'health.changed': HealthChangedEvent;
  'health.drain': HealthDrainEvent;
  'circuit.state': CircuitStateEvent;
  'circuit.rejected': CircuitRejectedEvent;
  'circuit.success': CircuitSuccessEvent;
  'circuit.failure': CircuitFailureEvent;
  'circuit.ignored': CircuitIgnoredEvent;
  shed: ShedEvent;
  'shed.pressure-error': ShedPressureErrorEvent;
  'bulkhead.rejected': BulkheadRejectedEvent;
  'queue.dropped': QueueDroppedEvent;
  'queue.rejected': QueueRejectedEvent;
}

/**
 * The `type` of any event.
 *
 * @example
 * ```ts
 * import type { ResilienceEventType } from 'crackstop';
 *
 * const watched: ResilienceEventType[] = ['retry', 'timeout'];
 * ```
 */
export type ResilienceEventType = keyof ResilienceEventMap;

/**
 * Any event: a discriminated union on `type`.
 *
 * @example
 * ```ts
 * import type { ResilienceEvent } from 'crackstop';
 *
 * function log(event: ResilienceEvent): string {
 *   switch (event.type) {
 *     case 'retry': return `retry ${event.attempt} in ${event.delayMs} ms`;
 *     case 'timeout': return `timed out after ${event.timeoutMs} ms`;
 *     default: return event.type;
 *   }
 * }
 * ```
 */
export type ResilienceEvent = ResilienceEventMap[ResilienceEventType];
