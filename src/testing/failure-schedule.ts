/**
 * Arbitrary fault schedules: what a fake dependency does on each call.
 *
 * @module
 */
import { checkNumber, checkOptions, describeValue, optionalBoolean, optionalNumber, optionalObjectWith } from '../core/validate.js';
import type { FastCheck, FcArbitrary } from './fast-check-types.js';

/**
 * What a fake dependency does on one call (see {@link scriptedTask}):
 * - `succeed`: resolves with `value` after `latencyMs`;
 * - `fail`: rejects with `error` (the very object) after `latencyMs`;
 * - `hang`: never settles by itself; it settles only when its signal aborts.
 *
 * A latency of 0 settles without a timer; any other latency is a timer on the task's clock.
 *
 * @example
 * ```ts
 * import type { FaultStep } from 'crackstop/testing';
 *
 * const flakyThenSlow: FaultStep<Error, string>[] = [
 *   { kind: 'fail', latencyMs: 0, error: new Error('ECONNRESET') },
 *   { kind: 'hang' },
 *   { kind: 'succeed', latencyMs: 250, value: 'ok' },
 * ];
 * ```
 */
export type FaultStep<E = Error, V = undefined> =
  | { readonly kind: 'succeed'; readonly latencyMs: number; readonly value: V }
  | { readonly kind: 'fail'; readonly latencyMs: number; readonly error: E }
  | { readonly kind: 'hang' };

/**
 * Options of {@link failureSchedule}.
 *
 * @example
 * ```ts
 * import type { FailureScheduleOptions } from 'crackstop/testing';
 *
 * const options: FailureScheduleOptions<Error, number> = {
 *   errors: [new Error('ECONNRESET')],
 *   values: [200, 503],
 *   maxLatencyMs: 2_000,
 *   hangs: true,
 * };
 * ```
 */
export interface FailureScheduleOptions<E, V> {
  /** The errors a `fail` step rejects with (the same objects, so identity can be checked). Not empty. */
  readonly errors: readonly E[];
  /** The results a `succeed` step resolves with (an HTTP 503 response, say). @defaultValue `[undefined]` */
  readonly values?: readonly V[];
  /** Latencies are integers from 0 to this, in milliseconds. @defaultValue 1000 */
  readonly maxLatencyMs?: number;
  /** Whether steps may hang until aborted. @defaultValue false */
  readonly hangs?: boolean;
  /** The fewest steps in a schedule. @defaultValue 1 */
  readonly minLength?: number;
  /** The most steps in a schedule. @defaultValue 10 */
  readonly maxLength?: number;
}

/**
 * A fast-check arbitrary of fault schedules: arrays of {@link FaultStep}s, one per call of a fake
 * dependency, made of successes, failures and (with `hangs`) hangs, each with a latency. Feed a
 * schedule to {@link scriptedTask}. Shrinking goes towards short schedules, successes and zero
 * latencies, so a failing property reports a small, readable schedule.
 *
 * fast-check is passed in (`fc`), never imported: crackstop keeps zero dependencies. The result
 * is assignable to `fc.Arbitrary<FaultStep<E, V>[]>`.
 *
 * @throws TypeError or RangeError when an option is invalid.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { retry, constantBackoff } from 'crackstop';
 * import { failureSchedule, ManualClock, scriptedTask } from 'crackstop/testing';
 *
 * await fc.assert(
 *   fc.asyncProperty(failureSchedule(fc, { errors: [new Error('boom')], maxLength: 5 }), async (steps) => {
 *     const clock = new ManualClock();
 *     const downstream = scriptedTask(steps, { clock });
 *     const call = retry({ clock, maxAttempts: 3, backoff: constantBackoff(100) }).execute(downstream.run);
 *     call.catch(() => {});
 *     await clock.runAll();
 *     return downstream.calls <= 3;
 *   }),
 * );
 * ```
 */
export function failureSchedule<E, V>(
  fc: FastCheck,
  options: FailureScheduleOptions<E, V> & { readonly values: readonly V[] },
): FcArbitrary<FaultStep<E, V>[]>;
export function failureSchedule<E>(fc: FastCheck, options: FailureScheduleOptions<E, undefined>): FcArbitrary<FaultStep<E, undefined>[]>;
export function failureSchedule<E, V>(fc: FastCheck, options: FailureScheduleOptions<E, V>): FcArbitrary<FaultStep<E, V>[]> {
  const where = 'failureSchedule()';
  const api = optionalObjectWith<FastCheck>(where, 'fc', fc, ['integer', 'constantFrom', 'oneof', 'tuple', 'array']);
  if (api === undefined) throw new TypeError(`${where}: \`fc\` must be the fast-check module, got undefined`);
  const opts = checkOptions(where, options, ['errors', 'values', 'maxLatencyMs', 'hangs', 'minLength', 'maxLength']);
  const errors = nonEmptyArray<E>(where, 'errors', opts['errors']);
  const values = opts['values'] === undefined ? ([undefined] as readonly unknown[] as readonly V[]) : nonEmptyArray<V>(where, 'values', opts['values']);
  const maxLatencyMs = optionalNumber(where, 'maxLatencyMs', opts['maxLatencyMs'], { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }, 1_000);
  const hangs = optionalBoolean(where, 'hangs', opts['hangs'], false);
  const minLength = optionalNumber(where, 'minLength', opts['minLength'], { min: 0, max: 10_000, integer: true }, 1);
  const maxLength = optionalNumber(where, 'maxLength', opts['maxLength'], { min: minLength, max: 10_000, integer: true }, Math.max(10, minLength));

  const latency = api.integer({ min: 0, max: maxLatencyMs });
  const succeed = api
    .tuple(latency, api.constantFrom(...values))
    .map(([latencyMs, value]): FaultStep<E, V> => ({ kind: 'succeed', latencyMs, value }));
  const fail = api
    .tuple(latency, api.constantFrom(...errors))
    .map(([latencyMs, error]): FaultStep<E, V> => ({ kind: 'fail', latencyMs, error }));
  const step = hangs ? api.oneof(succeed, fail, api.constantFrom<FaultStep<E, V>>({ kind: 'hang' })) : api.oneof(succeed, fail);
  // The same object at run time: fast-check's own arbitrary, typed as crackstop sees it.
  return api.array(step, { minLength, maxLength }) as unknown as FcArbitrary<FaultStep<E, V>[]>;
}

function nonEmptyArray<T>(where: string, option: string, value: unknown): readonly T[] {
  if (!Array.isArray(value)) throw new TypeError(`${where}: \`${option}\` must be a non-empty array, got ${describeValue(value)}`);
  checkNumber(where, `${option}.length`, value.length, { min: 1 });
  return value as readonly T[];
}
