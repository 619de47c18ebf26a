/**
 * Options of the load shedder, their defaults and their validation.
 *
 * @module
 */
import { systemRandom } from '../clock/random.js';
import { commonKeys, type CommonOptions } from '../core/policy-core.js';
import { checkNumber, checkOptions, optionalChoice, optionalFunction, optionalNumber } from '../core/validate.js';
import type { ShedPriority } from './priority.js';

/**
 * The latency signal of a load shedder: shed while the `percentile` of the durations of the
 * calls that ended in the last `windowMs` is over `targetMs`.
 *
 * @example
 * ```ts
 * import { loadShedder, type LatencyTarget } from 'crackstop';
 *
 * const latency: LatencyTarget = { targetMs: 250, percentile: 99, windowMs: 5_000 };
 * const shedder = loadShedder({ latency });
 * ```
 */
export interface LatencyTarget {
  /** The latency to stay under, in milliseconds, > 0. */
  readonly targetMs: number;
  /** Which percentile of the window is held to the target, in [1, 100] (99 for p99). @defaultValue 99 */
  readonly percentile?: number;
  /** The sliding window, in milliseconds (kept as 10 slices that expire by the clock). @defaultValue 10000 */
  readonly windowMs?: number;
  /** Fewer samples than this in the window say nothing (the signal reads 0). @defaultValue 10 */
  readonly minSamples?: number;
}

/**
 * Where each class starts being shed, as a fraction of every signal's limit or target (1 = at
 * it). `critical` has no threshold: it is refused only at the hard limit `maxInFlight`.
 *
 * @example
 * ```ts
 * import { loadShedder, type ShedThresholds } from 'crackstop';
 *
 * // Give normal traffic all of maxInFlight (no headroom kept for critical calls).
 * const thresholds: ShedThresholds = { sheddable: 0.8, normal: 1 };
 * const shedder = loadShedder({ maxInFlight: 50, thresholds });
 * ```
 */
export interface ShedThresholds {
  /** In (0, `normal`]. @defaultValue 0.75, or `normal` if that is lower */
  readonly sheddable?: number;
  /** In (0, 1]; 1 gives normal calls all of `maxInFlight`. @defaultValue 0.9 */
  readonly normal?: number;
}

/**
 * Options of {@link loadShedder}. Every signal is optional and they combine (the most loaded
 * one decides), but at least one of `maxInFlight`, `targetQueueDelayMs`, `latency` and
 * `pressure` must be given.
 *
 * @example
 * ```ts
 * import { loadShedder, type LoadShedderOptions } from 'crackstop';
 *
 * const options: LoadShedderOptions = {
 *   maxInFlight: 200,
 *   targetQueueDelayMs: 20,
 *   latency: { targetMs: 300, percentile: 99 },
 *   ramp: 0.2,
 * };
 * const shedder = loadShedder(options);
 * ```
 */
export interface LoadShedderOptions extends CommonOptions {
  /**
   * The hard limit of calls in flight (admitted and not yet settled), an integer >= 1. Only
   * `critical` calls may use all of it; the other classes stop at their threshold × this.
   */
  readonly maxInFlight?: number;
  /**
   * The queue-delay target, in milliseconds, > 0: shed when the time work waits before it starts
   * stayed above it for a whole `queueDelayIntervalMs` (CoDel). The shedder cannot see a queue
   * behind it: report each wait with `recordQueueDelay(ms)` or `permit.started()`.
   */
  readonly targetQueueDelayMs?: number;
  /** The CoDel interval, in milliseconds, > 0. @defaultValue 100 */
  readonly queueDelayIntervalMs?: number;
  /** The latency signal. */
  readonly latency?: LatencyTarget;
  /**
   * An external pressure signal, read at each decision: a number in [0, 1] (1 = saturated;
   * values outside are clamped). A throw or a non-number counts as 0 and is reported by a
   * `shed.pressure-error` event. Keep it cheap: return a value sampled elsewhere, such as
   * `eventLoopPressure()` from `crackstop/node`.
   */
  readonly pressure?: () => number;
  /** Where each class starts being shed. @defaultValue `{ sheddable: 0.75, normal: 0.9 }` */
  readonly thresholds?: ShedThresholds;
  /**
   * Probabilistic shedding: below its threshold, a class is shed with a probability that rises
   * linearly from 0 at `threshold - ramp` to 1 at the threshold, instead of a cliff. In
   * [0, thresholds.sheddable]; 0 turns it off.
   *
   * @defaultValue 0
   */
  readonly ramp?: number;
  /** The priority of calls that give none. @defaultValue `'normal'` */
  readonly defaultPriority?: ShedPriority;
  /** The retry-after hint given with every refusal, in milliseconds, >= 0. @defaultValue 1000 */
  readonly retryAfterMs?: number;
  /** A source of numbers in [0, 1) for probabilistic shedding. @defaultValue `systemRandom` (Math.random) */
  readonly random?: () => number;
}

/** The validated options (signals absent when not configured). @internal */
export interface ShedConfig {
  readonly maxInFlight: number | undefined;
  readonly targetQueueDelayMs: number | undefined;
  readonly queueDelayIntervalMs: number;
  readonly latency: Required<LatencyTarget> | undefined;
  readonly pressure: (() => number) | undefined;
  readonly sheddable: number;
  readonly normal: number;
  readonly ramp: number;
  readonly defaultPriority: ShedPriority;
  readonly retryAfterMs: number;
  readonly random: () => number;
}

const where = 'loadShedder()';
const keys = [
  ...commonKeys,
  'maxInFlight',
  'targetQueueDelayMs',
  'queueDelayIntervalMs',
  'latency',
  'pressure',
  'thresholds',
  'ramp',
  'defaultPriority',
  'retryAfterMs',
  'random',
];
const maxMs = Number.MAX_SAFE_INTEGER;

function parseLatency(value: unknown): Required<LatencyTarget> | undefined {
  if (value === undefined) return undefined;
  const opts = checkOptions(`${where} \`latency\``, value, ['targetMs', 'percentile', 'windowMs', 'minSamples']);
  return {
    targetMs: checkNumber(where, 'latency.targetMs', opts['targetMs'], { min: 0, minExclusive: true, max: maxMs }),
    percentile: optionalNumber(where, 'latency.percentile', opts['percentile'], { min: 1, max: 100 }, 99),
    windowMs: optionalNumber(where, 'latency.windowMs', opts['windowMs'], { min: 10, max: 86_400_000 }, 10_000),
    minSamples: optionalNumber(where, 'latency.minSamples', opts['minSamples'], { min: 1, max: 1e9, integer: true }, 10),
  };
}

/** Validates the options of {@link loadShedder}; throws TypeError or RangeError naming the option. @internal */
export function parseShedOptions(options: LoadShedderOptions | undefined): { readonly raw: Readonly<Record<string, unknown>>; readonly config: ShedConfig } {
  const raw = checkOptions(where, options, keys);
  const maxInFlight = raw['maxInFlight'] === undefined ? undefined : checkNumber(where, 'maxInFlight', raw['maxInFlight'], { min: 1, max: maxMs, integer: true });
  const targetQueueDelayMs =
    raw['targetQueueDelayMs'] === undefined ? undefined : checkNumber(where, 'targetQueueDelayMs', raw['targetQueueDelayMs'], { min: 0, minExclusive: true, max: maxMs });
  const queueDelayIntervalMs = optionalNumber(where, 'queueDelayIntervalMs', raw['queueDelayIntervalMs'], { min: 0, minExclusive: true, max: maxMs }, 100);
  const latency = parseLatency(raw['latency']);
  const pressure = optionalFunction<() => number>(where, 'pressure', raw['pressure']);
  if (maxInFlight === undefined && targetQueueDelayMs === undefined && latency === undefined && pressure === undefined) {
    throw new TypeError(`${where}: give at least one signal: \`maxInFlight\`, \`targetQueueDelayMs\`, \`latency\` or \`pressure\``);
  }
  const t = raw['thresholds'] === undefined ? {} : checkOptions(`${where} \`thresholds\``, raw['thresholds'], ['sheddable', 'normal']);
  const normal = optionalNumber(where, 'thresholds.normal', t['normal'], { min: 0, minExclusive: true, max: 1 }, 0.9);
  const sheddable = optionalNumber(where, 'thresholds.sheddable', t['sheddable'], { min: 0, minExclusive: true, max: normal }, Math.min(0.75, normal));
  const ramp = optionalNumber(where, 'ramp', raw['ramp'], { min: 0, max: sheddable }, 0);
  return {
    raw,
    config: {
      maxInFlight,
      targetQueueDelayMs,
      queueDelayIntervalMs,
      latency,
      pressure,
      sheddable,
      normal,
      ramp,
      defaultPriority: optionalChoice(where, 'defaultPriority', raw['defaultPriority'], ['critical', 'normal', 'sheddable'], 'normal'),
      retryAfterMs: optionalNumber(where, 'retryAfterMs', raw['retryAfterMs'], { min: 0, max: maxMs }, 1_000),
      random: optionalFunction<() => number>(where, 'random', raw['random']) ?? systemRandom,
    },
  };
}
