/**
 * The circuit's state machine: states, transitions with their events, generations, isolation,
 * reset, snapshot and restore. No timers: open becomes half-open when the state is next looked at
 * after `openMs`.
 *
 * @internal
 * @module
 */
import { PolicyCore } from '../core/policy-core.js';
import type { BreakerConfig } from './config.js';
import type { ResilienceEvent } from '../events/types.js';
import type { CircuitTransitionReason } from './events.js';
import type { CircuitMetrics } from './metrics.js';
import type { CircuitState } from './options.js';
import { parseSnapshot, type CircuitSnapshot } from './snapshot.js';
import type { CallWindow } from './windows/call-window.js';
import { createWindow } from './windows/create-window.js';

export const Closed = 0;
export const Open = 1;
export const HalfOpen = 2;
export const Isolated = 3;
export type StateCode = typeof Closed | typeof Open | typeof HalfOpen | typeof Isolated;

export const stateNames: readonly CircuitState[] = ['closed', 'open', 'half-open', 'isolated'];

/**
 * A hold on an isolated circuit: the circuit stays isolated until every handle is released.
 *
 * @example
 * ```ts
 * import { circuitBreaker, type CircuitIsolation } from 'crackstop';
 *
 * const breaker = circuitBreaker();
 * const maintenance: CircuitIsolation = breaker.isolate();
 * maintenance.release(); // idempotent
 * ```
 */
export interface CircuitIsolation {
  /** Gives up this hold (a second call does nothing). The last release closes the circuit. */
  release(): void;
}

export abstract class CircuitStateMachine extends PolicyCore {
  readonly config: BreakerConfig;
  readonly window: CallWindow;
  code: StateCode = Closed;
  /** Bumped by every transition (and reset): outcomes of calls admitted earlier are stale. */
  generation = 0;
  openUntil = 0;
  openings = 0;
  lastOpenMs = 0;
  /**
   * Probes in flight, whatever generation admitted them: each holds a half-open slot until it
   * ends, so the dependency never sees more than `maxProbes` trial calls at once.
   */
  probes = 0;
  /** Successful probes of the current half-open generation. */
  probeSuccesses = 0;
  /** The deadline of the latest probe admitted: by then every probe in flight has ended. */
  probeDeadline = 0;
  isolations = 0;
  /** Bumped by reset(): handles taken before it no longer count. */
  isolationEpoch = 0;
  /** Whether an event is being delivered, and the events its listeners caused meanwhile (see emitEvent). */
  #delivering = false;
  readonly #pending: ResilienceEvent[] = [];

  constructor(where: string, options: Readonly<Record<string, unknown>>, config: BreakerConfig) {
    super(where, 'circuit-breaker', options);
    this.config = config;
    this.window = createWindow(config.window);
    if (config.initialState !== undefined) this.#restore(parseSnapshot(config.initialState));
  }

  /** The state now: an open circuit whose `openMs` has passed becomes half-open here. */
  currentCode(now: number): StateCode {
    if (this.code === Open && now >= this.openUntil) this.toHalfOpen();
    return this.code;
  }

  transition(to: StateCode, reason: CircuitTransitionReason, openMs?: number): void {
    const from = this.code;
    this.code = to;
    this.generation++;
    if (to === HalfOpen) {
      this.probeSuccesses = 0;
    } else if (to === Closed) {
      this.openings = this.lastOpenMs = 0;
      this.window.clear();
    }
    if (from !== to && this.events.hasListeners('circuit.state')) {
      const base = { type: 'circuit.state', kind: 'circuit-breaker', name: this.name, time: this.clock.now(), from: stateNames[from] as CircuitState, to: stateNames[to] as CircuitState, reason } as const;
      this.emitEvent(openMs === undefined ? base : { ...base, openMs });
    }
  }

  /**
   * Delivers one of the breaker's events. A listener that makes the breaker emit again while an
   * event is being delivered (it calls `execute()`, `isolate()`, `reset()`...) queues that event
   * behind the one in delivery, so that every listener sees the events in the order they happened.
   */
  emitEvent(event: ResilienceEvent): void {
    const pending = this.#pending;
    if (this.#delivering) {
      pending.push(event);
      return;
    }
    this.#delivering = true;
    try {
      this.events.emit(event);
      for (let i = 0; i < pending.length; i++) this.events.emit(pending[i] as ResilienceEvent);
    } finally {
      pending.length = 0;
      this.#delivering = false;
    }
  }

  open(reason: CircuitTransitionReason, now: number): void {
    this.openings++;
    const ms = this.#nextOpenMs();
    this.lastOpenMs = ms;
    this.openUntil = now + ms;
    this.transition(Open, reason, ms);
  }

  toHalfOpen(): void {
    this.transition(HalfOpen, 'open-elapsed');
  }

  /** The open duration of this opening: the number, or the backoff's delay for opening n. */
  #nextOpenMs(): number {
    const openMs = this.config.openMs;
    if (typeof openMs === 'number') return openMs;
    let ms: number;
    try {
      ms = openMs.delay(this.openings, this.lastOpenMs, this.config.random);
    } catch {
      ms = NaN; // a custom backoff that throws must not break the breaker
    }
    if (ms >= 0 && ms <= Number.MAX_SAFE_INTEGER) return ms;
    const max = openMs.maxMs;
    return typeof max === 'number' && max >= 0 && max <= Number.MAX_SAFE_INTEGER ? max : ms > 0 ? Number.MAX_SAFE_INTEGER : 0;
  }

  /** When a call may be admitted again, in whole ms. */
  retryAfter(code: StateCode, now: number): number {
    if (code === Open) return Math.ceil(this.openUntil - now);
    if (code === HalfOpen) return this.probes < this.config.maxProbes ? 0 : Math.max(0, Math.ceil(this.probeDeadline - now));
    return code === Isolated ? Infinity : 0;
  }

  get state(): CircuitState {
    return stateNames[this.code === Open ? this.currentCode(this.clock.now()) : this.code] as CircuitState;
  }

  isCallPermitted(): boolean {
    let code = this.code;
    if (code === Closed) return true;
    if (code === Open) code = this.currentCode(this.clock.now());
    return code === HalfOpen ? this.probes < this.config.maxProbes : code === Closed;
  }

  isolate(): CircuitIsolation {
    const epoch = this.isolationEpoch;
    this.isolations++;
    if (this.code !== Isolated) this.transition(Isolated, 'isolated');
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        if (epoch !== this.isolationEpoch) return;
        if (--this.isolations === 0 && this.code === Isolated) this.transition(Closed, 'released');
      },
    };
  }

  reset(): void {
    this.isolationEpoch++;
    this.isolations = 0;
    if (this.code !== Closed) {
      this.transition(Closed, 'reset');
    } else {
      this.generation++;
      this.openings = this.lastOpenMs = 0;
      this.window.clear();
    }
  }

  snapshot(): CircuitSnapshot {
    const now = this.clock.now();
    const code = this.currentCode(now);
    return {
      version: 1,
      state: stateNames[code] as CircuitState,
      openings: this.openings,
      lastOpenMs: this.lastOpenMs,
      remainingOpenMs: code === Open ? this.openUntil - now : 0,
      window: this.window.snapshot(now),
    };
  }

  #restore(snapshot: CircuitSnapshot): void {
    const now = this.clock.now();
    this.window.restore(snapshot.window, now);
    this.openings = snapshot.openings;
    this.lastOpenMs = snapshot.lastOpenMs;
    this.code = stateNames.indexOf(snapshot.state) as StateCode;
    if (this.code === Open) this.openUntil = now + snapshot.remainingOpenMs;
    // The hold that isolated it did not survive the restart and can never be released: it counts
    // as one held until reset(), so a hold taken and given up since does not end the isolation.
    if (this.code === Isolated) this.isolations = 1;
  }

  metrics(): CircuitMetrics {
    const now = this.clock.now();
    const code = this.currentCode(now);
    const { calls, failures, slowCalls } = this.window.counts(now);
    return {
      state: stateNames[code] as CircuitState,
      window: this.config.window.kind,
      calls,
      failures,
      slowCalls,
      failureRate: calls === 0 ? 0 : failures / calls,
      slowCallRate: calls === 0 ? 0 : slowCalls / calls,
      probesInFlight: this.probes,
      openings: this.openings,
      retryAfterMs: this.retryAfter(code, now),
    };
  }
}
