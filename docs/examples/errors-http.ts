import {
  isBulkheadRejectedError,
  isCircuitOpenError,
  isLoadShedError,
  isRejection,
  isTimeoutError,
} from '../../src/index.js';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
}

const retryAfter = (ms: number): Record<string, string> => ({ 'retry-after': String(Math.max(1, Math.ceil(ms / 1_000))) });

/** Maps the outcome of a failed call to an HTTP answer, at the edge of the service. */
export function toHttp(error: unknown, request: AbortSignal): Answer | undefined {
  if (request.aborted) return undefined; // the client went away: nothing to answer, not an incident
  if (isLoadShedError(error)) return { status: 503, headers: retryAfter(error.retryAfterMs) };
  if (isCircuitOpenError(error)) return { status: 503, headers: retryAfter(error.retryAfterMs) };
  if (isBulkheadRejectedError(error)) return { status: 503, headers: retryAfter(1_000) };
  if (isRejection(error)) return { status: 503, headers: {} }; // isolated circuit, queue full or closed
  if (isTimeoutError(error)) return { status: 504, headers: {} };
  return { status: 502, headers: {} }; // the dependency's own error
}
