/**
 * The one test for "is this a promise?" shared by every policy.
 *
 * @internal
 * @module
 */

/**
 * Whether `value` has a callable `then` (a promise or any thenable, objects and functions alike,
 * as `Promise.resolve` adopts them). Reading `then` may run a getter that throws: callers call
 * this inside their `try` and treat such a throw as the value's own error.
 */
export function isThenable<T = unknown>(value: unknown): value is PromiseLike<T> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<T>).then === 'function';
}
