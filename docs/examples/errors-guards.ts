import { hasErrorCode, isRejection, isResilienceError, isTimeoutError, LoadShedError, TimeoutError } from '../../src/index.js';

export function classify(error: unknown): string {
  if (isTimeoutError(error)) return `timed out after ${error.timeoutMs} ms`;
  if (isRejection(error)) return `refused to run (${error.code}): do not retry now`;
  if (isResilienceError(error)) return `crackstop gave up (${error.code})`;
  return 'the operation itself failed';
}

console.log(classify(new TimeoutError(250))); // timed out after 250 ms
console.log(classify(new LoadShedError({ retryAfterMs: 1_000, priority: 'normal', reason: 'in-flight' }))); // refused to run (ERR_LOAD_SHED): ...
console.log(classify(new Error('ECONNRESET'))); // the operation itself failed
console.log(hasErrorCode(new TimeoutError(250), 'ERR_TIMEOUT')); // true
