/**
 * The base class of every error crackstop throws, and the brand that lets copies of the library
 * loaded twice (ESM and CJS) recognise each other's errors.
 *
 * @module
 */

const brand: unique symbol = Symbol.for('crackstop.error');

/**
 * Options shared by every {@link ResilienceError}.
 *
 * @example
 * ```ts
 * import { ResilienceError, type ResilienceErrorOptions } from 'crackstop';
 *
 * const options: ResilienceErrorOptions = { cause: new Error('socket hang up') };
 * const error = new ResilienceError('ERR_MY_POLICY', 'my policy gave up', options);
 * ```
 */
export interface ResilienceErrorOptions {
  /** The error that led to this one, if any. */
  readonly cause?: unknown;
}

/**
 * The base class of every error crackstop throws. Each subclass has a stable `code` (listed in
 * `docs/errors.md`) and a `name` equal to its class name. Match on `code` or use the `isXxx()`
 * guards: they work across the ESM and CJS copies of the library, where `instanceof` of a class
 * from the other copy would not (crackstop's own classes also make `instanceof` work across
 * copies). A subclass in crackstop sets `this.name` to a string literal after `super()`, since
 * bundlers may rename classes.
 *
 * @example
 * ```ts
 * import { isResilienceError } from 'crackstop';
 *
 * function describe(error: unknown): string {
 *   return isResilienceError(error) ? `crackstop refused or gave up: ${error.code}` : 'other';
 * }
 * ```
 */
export class ResilienceError extends Error {
  /** A stable identifier for the kind of error, such as `ERR_TIMEOUT`. */
  readonly code: string;

  constructor(code: string, message: string, options?: ResilienceErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    // Bundlers rename classes (esbuild emits `class _ResilienceError` for a class that refers to
    // itself), so crackstop's own classes set their name as a literal; a user's subclass keeps
    // its class name.
    this.name = new.target === ResilienceError ? 'ResilienceError' : new.target.name;
  }

  /** Recognises errors from any copy of crackstop (ESM or CJS) as ResilienceErrors. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === ResilienceError) return isResilienceError(value);
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}
Object.defineProperty(ResilienceError.prototype, brand, { value: true });

/**
 * Whether `value` is an error thrown by crackstop (from any loaded copy of the library).
 *
 * @example
 * ```ts
 * import { isResilienceError } from 'crackstop';
 *
 * isResilienceError(new Error('boom')); // false
 * ```
 */
export function isResilienceError(value: unknown): value is ResilienceError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/**
 * Whether `value` is a crackstop error with the given `code`.
 *
 * @example
 * ```ts
 * import { hasErrorCode } from 'crackstop';
 *
 * hasErrorCode(new Error('boom'), 'ERR_TIMEOUT'); // false
 * ```
 */
export function hasErrorCode(value: unknown, code: string): value is ResilienceError {
  return isResilienceError(value) && value.code === code;
}

/**
 * Codes of the errors by which a policy refuses to run a call (as opposed to giving up on one
 * that ran). Retry does not retry them by default and a breaker does not count them.
 *
 * @internal
 */
const rejectionCodes: ReadonlySet<string> = new Set([
  'ERR_CIRCUIT_OPEN',
  'ERR_CIRCUIT_ISOLATED',
  'ERR_BULKHEAD_FULL',
  'ERR_QUEUE_FULL',
  'ERR_QUEUE_CLOSED',
  'ERR_LOAD_SHED',
]);

/**
 * Whether `value` is a crackstop error by which a policy refused to start a call (circuit open or
 * isolated, bulkhead or queue full, load shed). Such errors mean "do not call now": retry does
 * not retry them by default, and a circuit breaker does not count them as failures.
 *
 * @example
 * ```ts
 * import { isRejection, TimeoutError } from 'crackstop';
 *
 * isRejection(new TimeoutError(100)); // false: the call ran and was given up
 * ```
 */
export function isRejection(value: unknown): value is ResilienceError {
  return isResilienceError(value) && rejectionCodes.has(value.code);
}
