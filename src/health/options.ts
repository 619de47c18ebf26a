/**
 * Options of the health check builder and of each registered check, with their validation.
 *
 * @module
 */
import type { Clock } from '../clock/clock.js';
import { commonKeys, type CommonOptions } from '../core/policy-core.js';
import {
  checkNumber,
  checkOptions,
  describeValue,
  optionalBoolean,
  optionalChoice,
  optionalClock,
  optionalEventHub,
  optionalFunction,
  optionalNumber,
  optionalString,
  type NumberRule,
} from '../core/validate.js';
import type { EventHub } from '../events/event-hub.js';
import type { Metadata } from './report.js';
import type { HealthStatus } from './types.js';

/**
 * Options of {@link healthCheck}.
 *
 * @example
 * ```ts
 * import { healthCheck, type HealthCheckOptions } from 'crackstop';
 *
 * const options: HealthCheckOptions = { serviceId: 'orders', version: '3', timeoutMs: 300, cacheMs: 1_000 };
 * const health = healthCheck(options);
 * ```
 */
export interface HealthCheckOptions extends CommonOptions {
  /** The report's `version` (public version of the service). */
  readonly version?: string;
  /** The report's `releaseId` (such as a commit or build id). */
  readonly releaseId?: string;
  /** The report's `serviceId`. */
  readonly serviceId?: string;
  /** The report's `description`. */
  readonly description?: string;
  /**
   * The default timeout of each check, in milliseconds: a check still running then is reported
   * `fail` and its signal is aborted. Keep it below the probe's timeout (Kubernetes'
   * `timeoutSeconds`, 1 s by default).
   *
   * @defaultValue 500
   */
  readonly timeoutMs?: number;
  /** The default time a check's result is reused, in milliseconds (0: every report runs it). @defaultValue 0 */
  readonly cacheMs?: number;
  /**
   * When `startup()` passes: `'manual'` once `markStarted()` is called; `'checks'` once every
   * critical check has passed at least once (or `markStarted()` is called).
   *
   * @defaultValue `'manual'`
   */
  readonly startup?: 'manual' | 'checks';
  /**
   * The process's own pressure in [0, 1] (for example event-loop delay or utilisation), read by
   * `liveness()`: liveness fails when it reaches `pressureFailAt`. A probe that throws gives
   * `warn`, never a restart. Never a dependency: liveness must not depend on other services.
   */
  readonly pressure?: () => number;
  /** The pressure at which liveness fails. @defaultValue 1 */
  readonly pressureFailAt?: number;
  /**
   * Describes a check's error in the report's `output`. Reports are often readable by anyone who
   * can reach the port: keep secrets (connection strings, tokens) out of it.
   *
   * @defaultValue `` `${error.name}: ${error.message}` ``
   */
  readonly errorOutput?: (error: unknown) => string;
  /** Wall-clock milliseconds since the epoch, for the entries' `time`. @defaultValue `Date.now` */
  readonly wallClock?: () => number;
}

/**
 * Options of {@link Health.add}.
 *
 * @example
 * ```ts
 * import { healthCheck, type AddCheckOptions } from 'crackstop';
 *
 * const options: AddCheckOptions = { critical: false, timeoutMs: 200, componentType: 'datastore' };
 * healthCheck().add('cache', () => true, options);
 * ```
 */
export interface AddCheckOptions {
  /** A failing critical check fails the report (503); a failing non-critical one only warns. @defaultValue true */
  readonly critical?: boolean;
  /** The check's timeout, in milliseconds (> 0). @defaultValue the builder's `timeoutMs` */
  readonly timeoutMs?: number;
  /** How long the check's result is reused, in milliseconds. @defaultValue the builder's `cacheMs` */
  readonly cacheMs?: number;
  /** The entry's `componentType`: `component`, `datastore`, `system` or a URI. @defaultValue `'component'` */
  readonly componentType?: string;
  /** The entry's `componentId`. */
  readonly componentId?: string;
  /**
   * What the observed value measures: the entry's key is `name:measurement`. With the default,
   * a check that returns no observed value reports its own response time in `ms`.
   *
   * @defaultValue `'responseTime'`
   */
  readonly measurement?: string;
}

/**
 * Options of the built-in component checks ({@link Health.addBreaker}, {@link Health.addBulkhead},
 * {@link Health.addShedder}).
 *
 * @example
 * ```ts
 * import type { ComponentCheckOptions } from 'crackstop';
 *
 * const options: ComponentCheckOptions = { critical: false, componentId: 'pg-primary' };
 * ```
 */
export interface ComponentCheckOptions {
  /** @defaultValue true */
  readonly critical?: boolean;
  /** @defaultValue `'component'` */
  readonly componentType?: string;
  readonly componentId?: string;
  /** @defaultValue 0 (reading a component is cheap) */
  readonly cacheMs?: number;
}

/**
 * Options of {@link Health.addBreaker}.
 *
 * @example
 * ```ts
 * import type { BreakerCheckOptions } from 'crackstop';
 *
 * const options: BreakerCheckOptions = { whenOpen: 'fail' };
 * ```
 */
export interface BreakerCheckOptions extends ComponentCheckOptions {
  /**
   * The status of an open (or isolated) circuit. `'fail'` takes the instance out of rotation
   * while its breaker is open; with a dependency shared by every instance, that takes them all
   * out at once, hence the default.
   *
   * @defaultValue `'warn'`
   */
  readonly whenOpen?: 'warn' | 'fail';
}

/**
 * Options of {@link Health.addBulkhead}.
 *
 * @example
 * ```ts
 * import type { BulkheadCheckOptions } from 'crackstop';
 *
 * const options: BulkheadCheckOptions = { warnAt: 0.9 };
 * ```
 */
export interface BulkheadCheckOptions extends ComponentCheckOptions {
  /** The share of the limit in use (`active / limit`, in (0, 1]) from which the entry warns. @defaultValue 1 */
  readonly warnAt?: number;
}

/**
 * Options of {@link Health.addShedder}.
 *
 * @example
 * ```ts
 * import type { ShedderCheckOptions } from 'crackstop';
 *
 * const options: ShedderCheckOptions = { whenOverloaded: 'warn' };
 * ```
 */
export interface ShedderCheckOptions extends ComponentCheckOptions {
  /** The status while the shedder is overloaded. @defaultValue `'warn'` */
  readonly whenOverloaded?: 'warn' | 'fail';
}

/** Everything a check registration resolves to. */
export interface ResolvedCheckOptions {
  readonly critical: boolean;
  readonly timeoutMs: number;
  readonly cacheMs: number;
  readonly componentType: string;
  readonly componentId: string | undefined;
  readonly measurement: string;
}

/** Names the library uses for its own entries. */
export const reservedNames: readonly string[] = ['lifecycle', 'process'];

export const timeoutRule: NumberRule = { min: 0, minExclusive: true, max: Number.MAX_SAFE_INTEGER };
export const cacheRule: NumberRule = { min: 0, max: Number.MAX_SAFE_INTEGER };

function noColon(where: string, option: string, value: string): string {
  if (value.includes(':')) throw new RangeError(`${where}: \`${option}\` must not contain ':' (entries are keyed name:measurement), got ${describeValue(value)}`);
  return value;
}

/** Validates a check's name. */
export function checkName(where: string, name: unknown, taken: ReadonlySet<string>): string {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError(`${where}: \`name\` must be a non-empty string, got ${describeValue(name)}`);
  noColon(where, 'name', name);
  if (reservedNames.includes(name)) throw new RangeError(`${where}: \`name\` ${JSON.stringify(name)} is reserved (${reservedNames.join(', ')})`);
  if (taken.has(name)) throw new RangeError(`${where}: a check named ${JSON.stringify(name)} is already registered`);
  return name;
}

/** Validates the options of a registration; `extra` lists the keys specific to it. */
export function resolveCheckOptions(
  where: string,
  options: unknown,
  extra: readonly string[],
  defaults: { readonly timeoutMs: number; readonly cacheMs: number; readonly measurement: string },
): { readonly resolved: ResolvedCheckOptions; readonly raw: Readonly<Record<string, unknown>> } {
  const general = extra.length === 0;
  const known = general
    ? ['critical', 'timeoutMs', 'cacheMs', 'componentType', 'componentId', 'measurement']
    : ['critical', 'cacheMs', 'componentType', 'componentId', ...extra];
  const raw = checkOptions(where, options, known);
  const componentId = raw['componentId'];
  if (componentId !== undefined && typeof componentId !== 'string') {
    throw new TypeError(`${where}: \`componentId\` must be a string, got ${describeValue(componentId)}`);
  }
  const resolved: ResolvedCheckOptions = {
    critical: optionalBoolean(where, 'critical', raw['critical'], true),
    timeoutMs: optionalNumber(where, 'timeoutMs', raw['timeoutMs'], timeoutRule, defaults.timeoutMs),
    cacheMs: optionalNumber(where, 'cacheMs', raw['cacheMs'], cacheRule, defaults.cacheMs),
    componentType: optionalString(where, 'componentType', raw['componentType'], 'component'),
    componentId,
    measurement: noColon(where, 'measurement', optionalString(where, 'measurement', raw['measurement'], defaults.measurement)),
  };
  return { resolved, raw };
}

/** Validates `'warn' | 'fail'` options. */
export function warnOrFail(where: string, option: string, value: unknown): HealthStatus {
  return optionalChoice(where, option, value, ['warn', 'fail'] as const, 'warn');
}

/** Validates `warnAt` of a bulkhead. */
export function warnAtOption(where: string, value: unknown): number {
  return value === undefined ? 1 : checkNumber(where, 'warnAt', value, { min: 0, minExclusive: true, max: 1 });
}

/** The builder's options, validated; `undefined` where the builder picks the default. */
export interface ResolvedHealthOptions {
  readonly name: string;
  readonly clock: Clock | undefined;
  readonly events: EventHub | undefined;
  readonly metadata: Metadata;
  readonly timeoutMs: number;
  readonly cacheMs: number;
  readonly startup: 'manual' | 'checks';
  readonly pressure: (() => number) | undefined;
  readonly pressureFailAt: number;
  readonly errorOutput: ((error: unknown) => string) | undefined;
  readonly wallClock: (() => number) | undefined;
}

/** Validates the options of `healthCheck()`. */
export function resolveHealthOptions(where: string, options: unknown): ResolvedHealthOptions {
  const opts = checkOptions(where, options, [
    ...commonKeys,
    ...['version', 'releaseId', 'serviceId', 'description', 'timeoutMs', 'cacheMs', 'startup'],
    ...['pressure', 'pressureFailAt', 'errorOutput', 'wallClock'],
  ]);
  const text = (key: string): string | undefined => (opts[key] === undefined ? undefined : optionalString(where, key, opts[key], ''));
  return {
    name: optionalString(where, 'name', opts['name'], 'health'),
    clock: optionalClock(where, opts['clock']),
    events: optionalEventHub(where, opts['events']),
    metadata: { version: text('version'), releaseId: text('releaseId'), serviceId: text('serviceId'), description: text('description') },
    timeoutMs: optionalNumber(where, 'timeoutMs', opts['timeoutMs'], timeoutRule, 500),
    cacheMs: optionalNumber(where, 'cacheMs', opts['cacheMs'], cacheRule, 0),
    startup: optionalChoice(where, 'startup', opts['startup'], ['manual', 'checks'] as const, 'manual'),
    pressure: optionalFunction<() => number>(where, 'pressure', opts['pressure']),
    pressureFailAt: optionalNumber(where, 'pressureFailAt', opts['pressureFailAt'], { min: 0, minExclusive: true, max: 1 }, 1),
    errorOutput: optionalFunction<(error: unknown) => string>(where, 'errorOutput', opts['errorOutput']),
    wallClock: optionalFunction<() => number>(where, 'wallClock', opts['wallClock']),
  };
}
