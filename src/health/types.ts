/**
 * The shapes of health checks and of the `application/health+json` documents they produce.
 *
 * @module
 */

/**
 * The status of a check or of a whole report, as in draft-inadarei-api-health-check:
 * `pass` (healthy), `warn` (healthy, with a concern) or `fail` (unhealthy). HTTP handlers answer
 * 200 for `pass` and `warn`, 503 for `fail`.
 *
 * @example
 * ```ts
 * import type { HealthStatus } from 'crackstop';
 *
 * const httpStatus = (status: HealthStatus) => (status === 'fail' ? 503 : 200);
 * ```
 */
export type HealthStatus = 'pass' | 'warn' | 'fail';

/**
 * An observed value in a report. Primitives only, so that a report always serialises to JSON.
 *
 * @example
 * ```ts
 * import type { ObservedValue } from 'crackstop';
 *
 * const connections: ObservedValue = 12;
 * ```
 */
export type ObservedValue = number | string | boolean | null;

/**
 * What a check hands its function: `signal` aborts when the check's timeout passes (pass it to
 * whatever the check waits on, so that abandoned probes stop).
 *
 * @example
 * ```ts
 * import type { CheckContext } from 'crackstop';
 *
 * const ping = async ({ signal }: CheckContext) => {
 *   const response = await fetch('http://127.0.0.1:8080/ping', { signal });
 *   return response.ok ? 'pass' : 'fail';
 * };
 * ```
 */
export interface CheckContext {
  /** Aborted (with a `TimeoutError`) when the check's `timeoutMs` passes. */
  readonly signal: AbortSignal;
}

/**
 * The detailed result a check may return. Every field is optional; `status` defaults to `pass`.
 *
 * @example
 * ```ts
 * import type { CheckResult } from 'crackstop';
 *
 * const result: CheckResult = { status: 'warn', observedValue: 93, observedUnit: 'percent', output: 'pool nearly full' };
 * ```
 */
export interface CheckResult {
  /** @defaultValue `'pass'` */
  readonly status?: HealthStatus;
  /** The value the check observed (replaces the default, the check's response time). */
  readonly observedValue?: ObservedValue;
  /** The unit of `observedValue`, such as `ms`, `percent` or `connections`. */
  readonly observedUnit?: string;
  /** Why the status is not `pass` (omitted from the report when the status is `pass`). */
  readonly output?: string;
}

/**
 * What a check function may return (directly or through a promise):
 *
 * - nothing (`undefined`) or `true`: `pass`;
 * - `false`: `fail`;
 * - `'pass'`, `'warn'` or `'fail'`: that status;
 * - a finite number: `pass`, with that number as the observed value;
 * - a {@link CheckResult} object.
 *
 * Throwing (synchronously or by rejecting) is `fail`, with the error as output. Anything else
 * (another string, an array, a `Response`...) is `fail` with an output that says so, so that a
 * check that returns the wrong thing is noticed instead of passing.
 *
 * @example
 * ```ts
 * import type { CheckReturn } from 'crackstop';
 *
 * const results: CheckReturn[] = [undefined, true, 'warn', 42, { status: 'fail', output: 'disk full' }];
 * ```
 */
export type CheckReturn = void | undefined | boolean | HealthStatus | number | CheckResult;

/**
 * A health check: probes one dependency (or one part of the process) and says how it is.
 *
 * @example
 * ```ts
 * import type { HealthCheckFunction } from 'crackstop';
 *
 * const upstream: HealthCheckFunction = async ({ signal }) => (await fetch('http://127.0.0.1:8080/ping', { signal })).ok;
 * ```
 */
export type HealthCheckFunction = (context: CheckContext) => CheckReturn | PromiseLike<CheckReturn>;

/**
 * One component's entry in a report (one element of a `checks` array).
 *
 * @example
 * ```ts
 * import type { HealthCheckEntry } from 'crackstop';
 *
 * const entry: HealthCheckEntry = { componentType: 'datastore', observedValue: 3.2, observedUnit: 'ms', status: 'pass', time: '2026-11-22T08:00:00.000Z' };
 * ```
 */
export interface HealthCheckEntry {
  /** A unique identifier of the component instance, when configured. */
  readonly componentId?: string;
  /** `component`, `datastore`, `system`, or a URI of your own. */
  readonly componentType: string;
  /** What the check observed; by default its response time in milliseconds. */
  readonly observedValue?: ObservedValue;
  /** The unit of `observedValue`. */
  readonly observedUnit?: string;
  readonly status: HealthStatus;
  /** When the observation was made (ISO 8601). A cached result keeps its original time. */
  readonly time: string;
  /** Why the status is not `pass`; absent on `pass`. */
  readonly output?: string;
}

/**
 * An `application/health+json` document (draft-inadarei-api-health-check-06).
 *
 * @example
 * ```ts
 * import type { HealthReport } from 'crackstop';
 *
 * const failing = (report: HealthReport) =>
 *   Object.entries(report.checks).filter(([, entries]) => entries.some((e) => e.status === 'fail')).map(([key]) => key);
 * ```
 */
export interface HealthReport {
  /** `fail` when a critical check fails; `warn` when any check warns or a non-critical one fails. */
  readonly status: HealthStatus;
  readonly version?: string;
  readonly releaseId?: string;
  readonly serviceId?: string;
  readonly description?: string;
  /** On `warn` and `fail`: which checks are not passing. */
  readonly output?: string;
  /** Entries keyed `name:measurement`, such as `postgres:responseTime`. */
  readonly checks: Readonly<Record<string, readonly HealthCheckEntry[]>>;
}
