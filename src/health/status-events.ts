/**
 * A health check's events (`health.changed`, `health.drain`) and its overall status. An event hub
 * whose `emit` (or `hasListeners`) throws is reported on `console.error` and never stops a report
 * or a drain half-way.
 *
 * @internal
 * @module
 */
import type { Clock } from '../clock/clock.js';
import type { EventHub } from '../events/event-hub.js';
import type { CheckRunner } from './check-runner.js';
import { lifecycleKey, summarize, type Item } from './report.js';
import type { HealthStatus } from './types.js';

export class StatusEvents {
  readonly name: string;
  readonly clock: Clock;
  readonly events: EventHub;
  /** The overall status last reported; `undefined` before the first evaluation. */
  #overall: HealthStatus | undefined = undefined;

  constructor(name: string, clock: Clock, events: EventHub) {
    this.name = name;
    this.clock = clock;
    this.events = events;
  }

  /** A run of `check` gave `to`; the run before gave `from`. Reported when they differ. */
  checkObserved(check: string, from: HealthStatus | undefined, to: HealthStatus, output: string | undefined): void {
    if (from !== to) this.#changed(check, from, to, output);
  }

  /**
   * Re-evaluates the overall status, the full report's: the latest result of every runner (those
   * that never ran left out) and the lifecycle entry's status. Reports a change.
   */
  updateOverall(runners: readonly CheckRunner[], extra: CheckRunner | undefined, lifecycle: HealthStatus): void {
    const items: Item[] = [];
    for (const runner of runners) addItem(items, runner);
    if (extra !== undefined) addItem(items, extra);
    items.push({ key: lifecycleKey, status: lifecycle, critical: true });
    const { status, output } = summarize(items);
    const previous = this.#overall;
    if (status === previous) return;
    this.#overall = status;
    this.#changed(undefined, previous, status, output);
  }

  /** A drain moved on (see `HealthDrainEvent`). */
  drain(phase: 'start' | 'refuse' | 'end', inFlight: number, completed: number, timedOut: boolean): void {
    try {
      if (!this.events.hasListeners('health.drain')) return;
      this.events.emit({ type: 'health.drain', kind: 'health', name: this.name, time: this.clock.now(), phase, inFlight, completed, stillRunning: inFlight, timedOut });
    } catch (error) {
      this.reportError("emitting 'health.drain' failed", error);
    }
  }

  /** Reports an error that has nowhere else to go. */
  reportError(what: string, error: unknown): void {
    console.error(`crackstop: health check '${this.name}': ${what}:`, error);
  }

  #changed(check: string | undefined, from: HealthStatus | undefined, to: HealthStatus, output: string | undefined): void {
    try {
      if (!this.events.hasListeners('health.changed')) return;
      const base = { type: 'health.changed', kind: 'health', name: this.name, time: this.clock.now(), from, to } as const;
      this.events.emit({ ...base, ...(check === undefined ? {} : { check }), ...(output === undefined ? {} : { output }) });
    } catch (error) {
      this.reportError("emitting 'health.changed' failed", error);
    }
  }
}

function addItem(items: Item[], runner: CheckRunner): void {
  const last = runner.last;
  if (last !== undefined) items.push({ key: runner.spec.key, status: last.status, critical: runner.spec.critical });
}
