/**
 * Built-in checks for resilience components, defined against small structural interfaces (the
 * seams) so that any object with the same shape can be registered: a circuit breaker, a bulkhead
 * and a load shedder (crackstop's `circuitBreaker()`, `bulkhead()` and `loadShedder()` fit as
 * they are).
 *
 * @module
 */
import type { CircuitState } from '../circuit-breaker/options.js';
import type { CheckSpec } from './check-runner.js';
import type { CheckResult, HealthStatus } from './types.js';

/**
 * What the health check reads from a circuit breaker: its `state`. crackstop's `circuitBreaker()`
 * fits as it is (reading its `state` also moves an open circuit whose `openMs` has passed to
 * `half-open`, so the entry is right at any time); any object with a `state` of the same values
 * can be registered too.
 *
 * @example
 * ```ts
 * import { circuitBreaker, healthCheck, type BreakerLike } from 'crackstop';
 *
 * const payments: BreakerLike = circuitBreaker({ name: 'payments' });
 * const alwaysClosed: BreakerLike = { state: 'closed' };
 * healthCheck().addBreaker('payments', payments).addBreaker('legacy', alwaysClosed);
 * ```
 */
export interface BreakerLike {
  readonly state: CircuitState;
}

/**
 * Something that takes part in a drain (lame-duck mode): `drain()` is called once, when the
 * drain's grace period is over, and from then on it should refuse new work with its own typed
 * error while the work it already accepted (running or queued) goes on. Its return value is
 * ignored (a returned promise that rejects is observed, never unhandled). Optional: a component
 * without `drain()` is only read. crackstop's `bulkhead()` and `loadShedder()` have one: they then
 * refuse every new call with `BulkheadRejectedError` or `LoadShedError` (reason `'draining'`).
 *
 * @example
 * ```ts
 * import type { Drainable } from 'crackstop';
 *
 * let accepting = true;
 * const gate: Drainable = { drain: () => { accepting = false; } };
 * ```
 */
export interface Drainable {
  drain?(): unknown;
}

/**
 * What the health check reads from a bulkhead: `active / limit` is its saturation, `active +
 * queued` its in-flight work for a drain, and its optional `drain()` is how a drain tells it to
 * refuse new work. crackstop's `bulkhead()` fits as it is; the seam is structural, so any object
 * with these fields (a connection pool's counters, say) can be registered too.
 *
 * @example
 * ```ts
 * import { bulkhead, healthCheck, type BulkheadLike } from 'crackstop';
 *
 * const payments: BulkheadLike = bulkhead({ limit: 10, queue: { capacity: 20 } });
 * const pool: BulkheadLike = { active: 3, queued: 0, limit: 10 };
 * healthCheck().addBulkhead('payments', payments).addBulkhead('db-pool', pool);
 * ```
 */
export interface BulkheadLike extends Drainable {
  readonly active: number;
  readonly queued: number;
  readonly limit: number;
}

/**
 * What the health check reads from a load shedder: `pressure()` in [0, 1] and `isOverloaded()`;
 * if it has a numeric `inFlight`, that count is in-flight work for a drain, and its optional
 * `drain()` is how a drain tells it to refuse new work. crackstop's `loadShedder()` fits as it is
 * (all four are used).
 *
 * @example
 * ```ts
 * import { healthCheck, loadShedder, type ShedderLike } from 'crackstop';
 *
 * const admission: ShedderLike = loadShedder({ maxInFlight: 100 });
 * const idle: ShedderLike = { pressure: () => 0, isOverloaded: () => false };
 * healthCheck().addShedder('admission', admission).addShedder('batch', idle);
 * ```
 */
export interface ShedderLike extends Drainable {
  pressure(): number;
  isOverloaded(): boolean;
  readonly inFlight?: number;
}

/** A percentage rounded to 0.1. */
function percent(ratio: number): number {
  return Math.round(ratio * 1000) / 10;
}

/** The check of a breaker: its state as observed value; closed passes, half-open warns, open and isolated give `whenOpen`. */
export function breakerCheck(breaker: BreakerLike, whenOpen: HealthStatus): () => CheckResult {
  return () => {
    const state = breaker.state;
    switch (state) {
      case 'closed':
        return { observedValue: state };
      case 'half-open':
        return { status: 'warn', observedValue: state, output: 'circuit half-open: probing the dependency' };
      case 'open':
        return { status: whenOpen, observedValue: state, output: 'circuit open: calls are refused' };
      case 'isolated':
        return { status: whenOpen, observedValue: state, output: 'circuit isolated by hand: calls are refused' };
      default:
        return { status: 'fail', observedValue: String(state), output: `unknown circuit state ${JSON.stringify(String(state))}` };
    }
  };
}

/** The check of a bulkhead: the share of its limit in use, warning from `warnAt`. */
export function bulkheadCheck(bulkhead: BulkheadLike, warnAt: number): () => CheckResult {
  return () => {
    const { active, queued, limit } = bulkhead;
    const saturation = limit > 0 ? active / limit : 1;
    if (!Number.isFinite(saturation)) return { status: 'warn', output: `unreadable bulkhead: active ${active}, limit ${limit}` };
    const observedValue = percent(saturation);
    if (saturation < warnAt) return { observedValue, observedUnit: 'percent' };
    return { status: 'warn', observedValue, observedUnit: 'percent', output: `${active} of ${limit} active, ${queued} queued` };
  };
}

/** The check of a shedder: its pressure; `whenOverloaded` while it sheds. */
export function shedderCheck(shedder: ShedderLike, whenOverloaded: HealthStatus): () => CheckResult {
  return () => {
    const pressure = shedder.pressure();
    const overloaded = shedder.isOverloaded();
    if (typeof pressure !== 'number' || !Number.isFinite(pressure)) return { status: 'warn', output: `pressure() returned ${String(pressure)}` };
    const observedValue = percent(pressure);
    if (!overloaded) return { observedValue, observedUnit: 'percent' };
    return { status: whenOverloaded, observedValue, observedUnit: 'percent', output: 'overloaded: shedding load' };
  };
}

/** The liveness check of the process's own pressure probe: `fail` from `failAt`; a probe that throws only warns. */
export function pressureCheck(probe: () => number, failAt: number, describe: (error: unknown) => string): () => CheckResult {
  return () => {
    let value: number;
    try {
      value = probe();
    } catch (error) {
      return { status: 'warn', output: `pressure probe threw: ${describe(error)}` };
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) return { status: 'warn', output: `pressure probe returned ${String(value)}` };
    const observedValue = percent(value);
    if (value < failAt) return { observedValue, observedUnit: 'percent' };
    return { status: 'fail', observedValue, observedUnit: 'percent', output: `process pressure ${observedValue}% >= ${percent(failAt)}%` };
  };
}

/** The spec of the process's own pressure check (`process:pressure`, critical, never cached). */
export function pressureSpec(probe: () => number, failAt: number, timeoutMs: number, describe: (error: unknown) => string): CheckSpec {
  const fn = pressureCheck(probe, failAt, describe);
  return { name: 'process', key: 'process:pressure', measurement: 'pressure', fn, critical: true, timeoutMs, cacheMs: 0, componentType: 'system', componentId: undefined };
}

/** Checks that a registered component has the properties and methods the health check reads. */
export function checkComponent(at: string, what: string, value: unknown, properties: readonly string[], methods: readonly string[]): void {
  const ok =
    typeof value === 'object' &&
    value !== null &&
    properties.every((p) => p in value) &&
    methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
  if (!ok) {
    const wanted = [...properties.map((p) => `\`${p}\``), ...methods.map((m) => `\`${m}()\``)].join(', ');
    throw new TypeError(`${at}: \`${what}\` must be an object with ${wanted}, got ${value === null ? 'null' : typeof value}`);
  }
}

/** The seam's optional `drain()`, bound, or undefined. */
export function drainOf(at: string, component: { drain?(): unknown }): (() => unknown) | undefined {
  const drain = (component as { readonly drain?: unknown }).drain;
  if (drain === undefined) return undefined;
  if (typeof drain !== 'function') throw new TypeError(`${at}: \`drain\` must be a method when present, got ${typeof drain}`);
  return () => (drain as () => unknown).call(component);
}
