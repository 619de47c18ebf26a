/**
 * An event-loop-delay pressure probe for the load shedder (Node only).
 *
 * @module
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Clock, TimerHandle } from '../clock/clock.js';
import { createSystemClock } from '../clock/system-clock.js';
import { checkOptions, optionalClock, optionalNumber } from '../core/validate.js';

/**
 * Options of {@link eventLoopPressure}.
 *
 * @example
 * ```ts
 * import { eventLoopPressure, type EventLoopPressureOptions } from 'crackstop/node';
 *
 * const options: EventLoopPressureOptions = { maxDelayMs: 200, percentile: 99, windowMs: 1_000 };
 * const probe = eventLoopPressure(options);
 * probe.dispose();
 * ```
 */
export interface EventLoopPressureOptions {
  /** The event-loop delay at which the pressure reaches 1, in milliseconds, > 0. @defaultValue 100 */
  readonly maxDelayMs?: number;
  /**
   * Which statistic of a window's delays is used: a percentile in [1, 100] (99 for p99). When
   * omitted, the mean (steadier: one long garbage-collection pause does not dominate it).
   */
  readonly percentile?: number;
  /** How often the delays are read and the histogram restarted, in milliseconds, >= 10. @defaultValue 500 */
  readonly windowMs?: number;
  /** The sampling resolution of `monitorEventLoopDelay`, in milliseconds, an integer >= 1. @defaultValue 10 */
  readonly resolutionMs?: number;
  /** The clock of the window timer (its timers should be `unref`'d: a sampler must never keep the process alive). @defaultValue `createSystemClock({ unref: true })` */
  readonly clock?: Clock;
}

/**
 * A pressure probe: call it for the current pressure in [0, 1]; hand it to a load shedder as its
 * `pressure` signal. `dispose()` stops the sampling; the probe then reads 0.
 *
 * @example
 * ```ts
 * import { loadShedder } from 'crackstop';
 * import { eventLoopPressure, type EventLoopPressure } from 'crackstop/node';
 *
 * const probe: EventLoopPressure = eventLoopPressure();
 * const shedder = loadShedder({ pressure: probe, maxInFlight: 200 });
 * process.once('SIGTERM', () => probe.dispose());
 * ```
 */
export interface EventLoopPressure {
  /** The pressure of the last complete window: its delay / `maxDelayMs`, clamped to [0, 1]. */
  (): number;
  /** The event-loop delay of the last complete window (beyond the sampling resolution), in milliseconds. */
  readonly delayMs: number;
  /** Whether `dispose()` was called. */
  readonly disposed: boolean;
  /** Stops the sampling and the window timer (idempotent). */
  dispose(): void;
}

/** What the probe needs of a `monitorEventLoopDelay` histogram (values in nanoseconds). @internal */
export interface DelayHistogram {
  enable(): boolean;
  disable(): boolean;
  reset(): void;
  readonly mean: number;
  readonly count?: number;
  percentile(p: number): number;
}

const where = 'eventLoopPressure()';

/**
 * Builds a probe on a given histogram; `eventLoopPressure()` passes the real one.
 *
 * @internal
 */
export function createDelayProbe(options: EventLoopPressureOptions | undefined, histogramFor: (resolutionMs: number) => DelayHistogram): EventLoopPressure {
  const opts = checkOptions(where, options, ['maxDelayMs', 'percentile', 'windowMs', 'resolutionMs', 'clock']);
  const maxDelayMs = optionalNumber(where, 'maxDelayMs', opts['maxDelayMs'], { min: 0, minExclusive: true, max: 3_600_000 }, 100);
  const percentile = opts['percentile'] === undefined ? undefined : optionalNumber(where, 'percentile', opts['percentile'], { min: 1, max: 100 }, 99);
  const windowMs = optionalNumber(where, 'windowMs', opts['windowMs'], { min: 10, max: 3_600_000 }, 500);
  const resolutionMs = optionalNumber(where, 'resolutionMs', opts['resolutionMs'], { min: 1, max: 60_000, integer: true }, 10);
  const clock = optionalClock(where, opts['clock']) ?? createSystemClock({ unref: true });

  const histogram = histogramFor(resolutionMs);
  let delayMs = 0;
  let pressure = 0;
  let disposed = false;
  let timer: TimerHandle = undefined;
  let dueAt = 0;

  const tick = (): void => {
    timer = undefined;
    if (disposed) return;
    // The window timer's own lateness is a delay sample too: the only one when the loop was
    // blocked for the whole window and the histogram could record nothing.
    const late = Math.max(0, clock.now() - dueAt);
    const raw = percentile === undefined ? histogram.mean : histogram.percentile(percentile);
    const measured = Number.isFinite(raw) && histogram.count !== 0 ? Math.max(0, raw / 1e6 - resolutionMs) : 0;
    delayMs = Math.max(measured, late);
    pressure = delayMs >= maxDelayMs ? 1 : delayMs / maxDelayMs;
    histogram.reset();
    arm();
  };
  const arm = (): void => {
    dueAt = clock.now() + windowMs;
    timer = clock.setTimeout(tick, windowMs);
  };

  histogram.enable();
  arm();
  const probe = (() => pressure) as EventLoopPressure;
  Object.defineProperties(probe, {
    delayMs: { get: () => delayMs, enumerable: true },
    disposed: { get: () => disposed, enumerable: true },
    dispose: {
      value: (): void => {
        if (disposed) return;
        disposed = true;
        clock.clearTimeout(timer);
        timer = undefined;
        histogram.disable();
        delayMs = 0;
        pressure = 0;
      },
      enumerable: true,
    },
  });
  return probe;
}

/**
 * Creates an event-loop-delay pressure probe on `perf_hooks.monitorEventLoopDelay`: the delay
 * of the event loop (the statistic of each window, mean by default, minus the sampling
 * resolution) as a fraction of `maxDelayMs`, in [0, 1]. Pass it as a load shedder's `pressure`:
 * with the default thresholds, sheddable calls are refused from a delay of 75 ms, normal ones
 * from 90 ms. Sampling costs nothing per read (the value of the last window is kept); both the
 * histogram's timer and the window timer are `unref`'d, so the probe never keeps a process
 * alive; `dispose()` stops both.
 *
 * @throws TypeError or RangeError when an option is invalid.
 *
 * @example
 * ```ts
 * import { loadShedder } from 'crackstop';
 * import { eventLoopPressure } from 'crackstop/node';
 *
 * const probe = eventLoopPressure({ maxDelayMs: 100 });
 * const shedder = loadShedder({ pressure: probe, maxInFlight: 500 });
 * // later, on shutdown:
 * probe.dispose();
 * ```
 */
export function eventLoopPressure(options?: EventLoopPressureOptions): EventLoopPressure {
  return createDelayProbe(options, (resolution) => monitorEventLoopDelay({ resolution }));
}
