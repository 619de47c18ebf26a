/**
 * Recognising a promise-like result.
 *
 * @internal
 * @module
 */

/**
 * Whether `value` has a callable `then` (a promise or any thenable, objects and functions alike).
 * Reading `then` may run a getter that throws: callers call this inside their `try`.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function';
}
