import { bulkhead, circuitBreaker, loadShedder, pipeline, retry, retryBudget, timeout } from '../../src/index.js';

// Every call to the inventory service goes through this stack, outermost first.
export const inventory = pipeline(
  // The whole call, backoff waits included.
  timeout({ name: 'inventory.total', ms: 3_000 }),
  // Each attempt goes through the breaker; an open circuit (a rejection) is not retried.
  retry({ name: 'inventory.retry', maxAttempts: 3, budget: retryBudget({ ratio: 0.1 }) }),
  circuitBreaker({ name: 'inventory.breaker', window: { kind: 'time', durationMs: 30_000, failureRate: 0.5, minimumCalls: 20 } }),
  // Inside the breaker: a hung attempt is a failure it counts.
  timeout({ name: 'inventory.attempt', ms: 800 }),
  // Inside the timeout: an abandoned attempt keeps its permit until its work stops. The wait for a
  // permit is short (100 ms, well below the attempt's 800 ms), so it ends as a refusal, not a timeout.
  bulkhead({ name: 'inventory.bulkhead', limit: 10, queue: { capacity: 10, maxWaitMs: 100 } }),
);

// Admission at the edge: the shedder refuses a call before any layer above does any work.
const admission = loadShedder({ name: 'http', maxInFlight: 200 });
export const stockPage = pipeline(admission.for('sheddable'), inventory);

export function stockOf(sku: string, request: AbortSignal): Promise<Response> {
  return stockPage.execute(({ signal }) => fetch(`https://inventory.example.com/stock/${sku}`, { signal }), { signal: request });
}
