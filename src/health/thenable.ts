/**
 * The one test for "is this a promise?" used by health checks, drain and `track()`.
 *
 * @internal
 * @module
 */

/**
 * Whether `value` is a promise or another thenable. Reading `then` may run a getter: a getter that
 * throws makes this throw, and callers treat that as the value's own error.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}
