/**
 * The few parts of fast-check that crackstop's test helpers use, typed structurally: crackstop never
 * imports fast-check (not even its types), the caller passes the module in.
 *
 * @module
 */

/**
 * An arbitrary as crackstop's helpers receive it from fast-check: only `map` is used. Every
 * fast-check arbitrary matches.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import type { ArbitraryInput } from 'crackstop/testing';
 *
 * const latencies: ArbitraryInput<number> = fc.integer({ min: 0, max: 1_000 });
 * ```
 */
export interface ArbitraryInput<T> {
  map<U>(mapper: (value: T) => U): ArbitraryInput<U>;
}

/**
 * An arbitrary made by crackstop's helpers: fast-check's `Arbitrary<T>` described without
 * importing fast-check. It is assignable to fast-check 4's `fc.Arbitrary<T>`, so it goes wherever
 * fast-check takes an arbitrary (`fc.asyncProperty`, `fc.tuple`, `fc.array`, ...). The members
 * fast-check calls internally (`generate`, `shrink`) are typed opaquely: use them through
 * fast-check, not directly.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { failureSchedule, type FaultStep, type FcArbitrary } from 'crackstop/testing';
 *
 * const schedules: FcArbitrary<FaultStep<Error>[]> = failureSchedule(fc, { errors: [new Error('boom')] });
 * const asFastCheck: fc.Arbitrary<FaultStep<Error>[]> = schedules;
 * ```
 */
export interface FcArbitrary<T> {
  /** fast-check internals. */
  generate(random: never, biasFactor: number | undefined): never;
  canShrinkWithoutContext(value: unknown): value is T;
  /** fast-check internals. */
  shrink(value: T, context: unknown): never;
  filter<U extends T>(refinement: (value: T) => value is U): FcArbitrary<U>;
  filter(predicate: (value: T) => boolean): FcArbitrary<T>;
  map<U>(mapper: (value: T) => U, unmapper?: (possiblyU: unknown) => T): FcArbitrary<U>;
  chain<U>(chainer: (value: T) => ArbitraryInput<U>): FcArbitrary<U>;
}

/**
 * The functions of the fast-check module that crackstop's helpers call. Pass the module itself
 * (`import fc from 'fast-check'`, fast-check 4).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import type { FastCheck } from 'crackstop/testing';
 *
 * const api: FastCheck = fc;
 * ```
 */
export interface FastCheck {
  integer(constraints: { min: number; max: number }): ArbitraryInput<number>;
  constantFrom<T>(...values: T[]): ArbitraryInput<T>;
  oneof<T>(...arbitraries: ArbitraryInput<T>[]): ArbitraryInput<T>;
  tuple<A, B>(a: ArbitraryInput<A>, b: ArbitraryInput<B>): ArbitraryInput<[A, B]>;
  array<T>(arbitrary: ArbitraryInput<T>, constraints: { minLength: number; maxLength: number }): ArbitraryInput<T[]>;
}

/**
 * The parts of a fast-check scheduler (`fc.scheduler()`) that crackstop's helpers use.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import type { SchedulerLike } from 'crackstop/testing';
 *
 * fc.assert(fc.asyncProperty(fc.scheduler(), async (s) => {
 *   const scheduler: SchedulerLike = s;
 *   await scheduler.waitIdle();
 * }));
 * ```
 */
export interface SchedulerLike {
  schedule<T>(task: Promise<T>, label?: string, metadata?: undefined, customAct?: (release: () => Promise<void>) => Promise<void>): Promise<T>;
  waitIdle(): Promise<void>;
  count(): number;
}
