// Shared work for the scenarios: the function every policy wraps, and the helpers of the
// failure-path scenarios. Every implementation in a scenario wraps the SAME function, so the
// difference to the raw `await fn()` baseline is the policy's own cost.

/** The value every success-path task resolves with; scenarios use it as `expected`. */
export const VALUE = 42;

/** The task of the success path: an async function that resolves at once. */
export const task = async () => VALUE;

/** A task that reads `ctx.signal` (crackstop then creates its AbortController), then resolves. */
export const taskReadingSignal = async (ctx) => (ctx.signal.aborted ? -1 : VALUE);

/** A task that never settles: the call can only end by its deadline. */
export const hang = () => new Promise(noop);

/** What a timed-out call resolves to once its error is recognised (see `settleTimeout`). */
export const TIMED_OUT = 'timed out';

export function noop() {}

/**
 * A clock whose timers fire on the next microtask: the failure path of a timeout then costs
 * only CPU (giving up, building the error, aborting), not the 1 ms minimum of a real timer.
 * Shape of crackstop's `Clock`; `setTimeout`/`clearTimeout` also fit p-timeout's `customTimers`.
 */
export const immediateClock = {
  now: () => performance.now(),
  setTimeout(callback) {
    queueMicrotask(callback);
    return undefined;
  },
  clearTimeout: noop,
};

/**
 * Turns a timeout rejection recognised by `isTimeout` into `TIMED_OUT`; anything else rethrows,
 * so the smoke run fails if a "timed-out" call ends otherwise.
 */
export function settleTimeout(promise, isTimeout) {
  return promise.then(
    (value) => {
      throw new Error(`expected a timeout, got the value ${String(value)}`);
    },
    (error) => {
      if (isTimeout(error)) return TIMED_OUT;
      throw error;
    },
  );
}
