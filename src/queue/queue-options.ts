/**
 * Validation of the bounded queue's options and of the signals its operations receive.
 *
 * @internal
 * @module
 */
import type { Clock } from '../clock/clock.js';
import { commonKeys, commonSettings } from '../core/policy-core.js';
import {
  checkNumber,
  checkOptions,
  describeValue,
  optionalChoice,
  optionalFunction,
  optionalNumber,
} from '../core/validate.js';
import type { EventHub } from '../events/event-hub.js';
import type { BoundedQueueOptions, QueueOverflow } from './bounded-queue.js';
import type { QueueDropReason } from './events.js';

const where = 'boundedQueue()';
const overflows: readonly QueueOverflow[] = ['reject', 'drop-newest', 'drop-oldest', 'block'];

/** The options of a queue, checked, with their defaults. */
export interface QueueSettings<T> {
  readonly name: string;
  readonly clock: Clock;
  readonly events: EventHub;
  readonly capacity: number;
  readonly overflow: QueueOverflow;
  readonly maxWaitMs: number;
  readonly onDrop: ((item: T, reason: QueueDropReason) => void) | undefined;
}

/** Checks the options of `boundedQueue()`: TypeError or RangeError naming the option and value. */
export function queueSettings<T>(options: BoundedQueueOptions<T>): QueueSettings<T> {
  const opts = checkOptions(where, options, [...commonKeys, 'capacity', 'overflow', 'maxWaitMs', 'onDrop']);
  const { name, clock, events } = commonSettings(where, 'queue', opts);
  const capacity = checkNumber(where, 'capacity', opts['capacity'], { min: 1, max: 2 ** 30, integer: true });
  const overflow = optionalChoice(where, 'overflow', opts['overflow'], overflows, 'reject');
  if (opts['maxWaitMs'] !== undefined && overflow !== 'block') {
    throw new TypeError(`${where}: \`maxWaitMs\` applies only to \`overflow: 'block'\`, got overflow ${JSON.stringify(overflow)}`);
  }
  const maxWaitMs = optionalNumber(where, 'maxWaitMs', opts['maxWaitMs'], { min: 0, allowInfinity: true }, Infinity);
  const onDrop = optionalFunction<(item: T, reason: QueueDropReason) => void>(where, 'onDrop', opts['onDrop']);
  return { name, clock, events, capacity, overflow, maxWaitMs, onDrop };
}

/** A TypeError when `signal` is given but is not an AbortSignal; operations reject with it. */
export function badSignal(operation: string, signal: unknown): TypeError | undefined {
  if (typeof signal === 'object' && signal !== null) {
    const { addEventListener, removeEventListener } = signal as AbortSignal;
    if (typeof addEventListener === 'function' && typeof removeEventListener === 'function') return undefined;
  }
  return new TypeError(`${operation}: \`signal\` must be an AbortSignal, got ${describeValue(signal)}`);
}
