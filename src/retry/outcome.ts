/**
 * What one attempt gave.
 *
 * @module
 */

/**
 * What one attempt gave, as seen by `shouldRetry`, `retryAfterMs` and the retry events: a value
 * (`ok: true`) or an error (`ok: false`).
 *
 * @example
 * ```ts
 * import type { RetryOutcome } from 'crackstop';
 *
 * const isServerBusy = (o: RetryOutcome<unknown>) => o.ok && o.value instanceof Response && o.value.status === 503;
 * ```
 */
export type RetryOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly attempt: number }
  | { readonly ok: false; readonly error: unknown; readonly attempt: number };
