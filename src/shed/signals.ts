/**
 * The signals of a load shedder, combined: each one's load as a fraction of its limit or target,
 * and which one is the most loaded.
 *
 * @internal
 * @module
 */
import type { Clock } from '../clock/clock.js';
import { LatencyWindow } from './latency-window.js';
import type { ShedConfig } from './options.js';
import type { ShedReason } from './priority.js';
import { PressureSignal } from './pressure-signal.js';
import { QueueDelaySignal } from './queue-delay.js';

/** Reasons of a refusal, by index: `ShedSignals.reason` is one of these indexes. @internal */
export const reasons: readonly ShedReason[] = ['in-flight', 'queue-delay', 'latency', 'pressure', 'draining'];

/** The index of `'in-flight'` in {@link reasons}. @internal */
export const inFlightReason = 0;
/** The index of `'draining'` in {@link reasons}. @internal */
export const drainingReason = 4;

/** The load of each configured signal (absent when not configured). @internal */
export interface SignalLoads {
  inFlight?: number;
  queueDelay?: number;
  latency?: number;
  pressure?: number;
}

/**
 * The configured signals of one shedder. Every time is read from the clock when needed; nothing
 * is scheduled.
 *
 * @internal
 */
export class ShedSignals {
  readonly maxInFlight: number | undefined;
  /** Set by {@link ShedSignals.measure}: the load of the most loaded signal. */
  load = 0;
  /** Set by {@link ShedSignals.measure}: the index in {@link reasons} of the most loaded signal. */
  reason = 0;
  readonly #clock: Clock;
  readonly #queue: QueueDelaySignal | undefined;
  readonly #latency: LatencyWindow | undefined;
  readonly #pressure: PressureSignal | undefined;

  constructor(config: ShedConfig, clock: Clock, pressureFailed: (error: unknown) => void) {
    const now = clock.now();
    this.maxInFlight = config.maxInFlight;
    this.#clock = clock;
    this.#queue = config.targetQueueDelayMs === undefined ? undefined : new QueueDelaySignal(config.targetQueueDelayMs, config.queueDelayIntervalMs, now);
    const l = config.latency;
    this.#latency = l === undefined ? undefined : new LatencyWindow(l.targetMs, l.percentile, l.windowMs, l.minSamples, now);
    this.#pressure = config.pressure === undefined ? undefined : new PressureSignal(config.pressure, pressureFailed);
  }

  /** Whether the latency signal is configured: only then does an admitted call need its start time. */
  get timesCalls(): boolean {
    return this.#latency !== undefined;
  }

  /** The load of the most loaded signal with `inFlight` calls in flight; sets `load` and `reason`. */
  measure(inFlight: number): number {
    const max = this.maxInFlight;
    let load = max === undefined ? 0 : inFlight / max;
    let reason = 0;
    const queue = this.#queue;
    const latency = this.#latency;
    if (queue !== undefined || latency !== undefined) {
      const now = this.#clock.now();
      if (queue !== undefined) {
        const r = queue.ratio(now);
        if (r > load) {
          load = r;
          reason = 1;
        }
      }
      if (latency !== undefined) {
        const r = latency.ratio(now);
        if (r > load) {
          load = r;
          reason = 2;
        }
      }
    }
    if (this.#pressure !== undefined) {
      const r = this.#pressure.read();
      if (r > load) {
        load = r;
        reason = 3;
      }
    }
    this.load = load;
    this.reason = reason;
    return load;
  }

  /** The load of each configured signal, each read once. */
  loads(inFlight: number): SignalLoads {
    const now = this.#clock.now();
    const loads: SignalLoads = {};
    if (this.maxInFlight !== undefined) loads.inFlight = inFlight / this.maxInFlight;
    if (this.#queue !== undefined) loads.queueDelay = this.#queue.ratio(now);
    if (this.#latency !== undefined) loads.latency = this.#latency.ratio(now);
    if (this.#pressure !== undefined) loads.pressure = this.#pressure.read();
    return loads;
  }

  /** Records one wait before work started, in milliseconds (already validated). */
  recordQueueDelay(delayMs: number): void {
    this.#queue?.record(delayMs, this.#clock.now());
  }

  /**
   * Ends an admitted call. Its duration is a latency sample if it ran to its end; a call cut short
   * by an abort counts only if it had already run past the target (a lower bound that proves
   * slowness), so that aborts never feed the window near-zero samples (failure mode 33).
   */
  settled(admittedAt: number, complete: boolean): void {
    const latency = this.#latency;
    if (latency === undefined) return;
    const now = this.#clock.now();
    const duration = now - admittedAt;
    if (complete || duration >= latency.targetMs) latency.record(duration, now);
  }
}
