/**
 * The contract every policy keeps.
 *
 * @module
 */

/**
 * What a policy hands the function it runs. `signal` aborts when the caller's signal aborts or
 * when a policy gives up on this attempt (a timeout); pass it to `fetch`, undici, pg and the like.
 * The signal is created lazily, the first time `signal` is read, so a function that never reads
 * it costs no `AbortController`. For the same reason the context is not a plain object: `signal`
 * is a getter, which a spread (`{ ...context }`) drops; copy `signal` and `attempt` by name.
 *
 * @example
 * ```ts
 * import { retry, type AttemptContext } from 'crackstop';
 *
 * const load = ({ signal, attempt }: AttemptContext) => fetch(`http://127.0.0.1:8080/?try=${attempt}`, { signal });
 * await retry().execute(load);
 * ```
 */
export interface AttemptContext {
  /** Aborts when the caller aborts or a policy gives up on this attempt. */
  readonly signal: AbortSignal;
  /** The attempt number, from 1 (set by the nearest enclosing retry; 1 without one). */
  readonly attempt: number;
}

/**
 * Options of {@link Policy.execute}.
 *
 * @example
 * ```ts
 * import { timeout, type ExecuteOptions } from 'crackstop';
 *
 * const options: ExecuteOptions = { signal: AbortSignal.timeout(5_000) };
 * await timeout({ ms: 1_000 }).execute(({ signal }) => fetch('http://127.0.0.1:8080/', { signal }), options);
 * ```
 */
export interface ExecuteOptions {
  /**
   * The caller's signal. When it aborts, the call rejects at once with `signal.reason`, no
   * further work starts, every timer and listener of the call is released, and no policy counts
   * it as a failure. An already-aborted signal rejects without running the function.
   */
  readonly signal?: AbortSignal | undefined;
}

/**
 * The contract every crackstop policy keeps: `execute` runs `fn` under the policy and settles
 * exactly once, with `fn`'s own result or error, with the caller's abort reason, or with one of
 * crackstop's errors. Policies compose with `pipeline()`.
 *
 * @example
 * ```ts
 * import { pipeline, retry, timeout, type Policy } from 'crackstop';
 *
 * const policy: Policy = pipeline(retry({ maxAttempts: 3 }), timeout({ ms: 2_000 }));
 * const response = await policy.execute(({ signal }) => fetch('http://127.0.0.1:8080/', { signal }));
 * ```
 */
export interface Policy {
  /** Runs `fn` under this policy. */
  execute<T>(fn: (context: AttemptContext) => T | PromiseLike<T>, options?: ExecuteOptions): Promise<T>;
}

/**
 * The function a policy runs: it receives the attempt's context and returns a value or a promise.
 *
 * @example
 * ```ts
 * import { timeout, type Task } from 'crackstop';
 *
 * const load: Task<Response> = ({ signal }) => fetch('http://127.0.0.1:8080/', { signal });
 * await timeout({ ms: 1_000 }).execute(load);
 * ```
 */
export type Task<T> = (context: AttemptContext) => T | PromiseLike<T>;
