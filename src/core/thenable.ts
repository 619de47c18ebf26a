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

/** The intrinsic `then`, immune to a `then` patched on a promise instance. */
const promiseThen = Promise.prototype.then;

/**
 * Reacts to `value` as `await` would: adopted as `Promise.resolve` does (a native promise as
 * itself, any other thenable through a fresh promise), then observed with the intrinsic `then`.
 * So each handler runs at most once, even for a promise whose own `then` was patched to call back
 * twice (a double release, a double count). It may throw (a throwing `then` or `constructor`
 * getter): call it inside the `try` that handles the value's own errors, and no handler is
 * registered when it throws.
 */
export function adopt<T, R1, R2 = never>(value: T | PromiseLike<T>, onFulfilled: (value: T) => R1 | PromiseLike<R1>, onRejected: ((error: unknown) => R2 | PromiseLike<R2>) | undefined): Promise<R1 | R2> {
  return promiseThen.call(Promise.resolve(value), onFulfilled, onRejected) as Promise<R1 | R2>;
}
