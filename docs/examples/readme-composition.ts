import { bulkhead, circuitBreaker, pipeline, retry, timeout } from '../../src/index.js';

// Outermost first: retry, then the breaker, then a deadline per attempt, then the bulkhead.
const inventory = pipeline(
  retry({ name: 'inventory.retry', maxAttempts: 3 }),
  circuitBreaker({ name: 'inventory.breaker', window: { kind: 'count', size: 50, failureRate: 0.5, minimumCalls: 20 } }),
  timeout({ name: 'inventory.timeout', ms: 1_000 }),
  bulkhead({ name: 'inventory.bulkhead', limit: 10 }),
);

export function stockOf(sku: string, request: AbortSignal): Promise<Response> {
  return inventory.execute(({ signal }) => fetch(`https://inventory.example.com/stock/${sku}`, { signal }), { signal: request });
}
