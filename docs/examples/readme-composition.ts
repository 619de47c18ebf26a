import { bulkhead, circuitBreaker, isRejection, pipeline, retry, timeout } from '../../src/index.js';

// fetch resolves on a 5xx: say that it failed, so it is retried and counted by the breaker.
const is5xx = (value: unknown): boolean => value instanceof Response && value.status >= 500;

// Outermost first: retry, then the breaker, then a deadline per attempt, then the bulkhead.
const inventory = pipeline(
  retry({ name: 'inventory.retry', maxAttempts: 3, shouldRetry: (o) => (o.ok ? is5xx(o.value) : !isRejection(o.error)) }),
  circuitBreaker({
    name: 'inventory.breaker',
    window: { kind: 'count', size: 50, failureRate: 0.5, minimumCalls: 20 },
    isFailure: (o) => !o.ok || is5xx(o.value),
  }),
  timeout({ name: 'inventory.timeout', ms: 1_000 }),
  // 10 calls at once; up to 100 more wait, each at most 500 ms (well inside the deadline).
  bulkhead({ name: 'inventory.bulkhead', limit: 10, queue: { capacity: 100, maxWaitMs: 500 } }),
);

export function stockOf(sku: string, request: AbortSignal): Promise<Response> {
  return inventory.execute(({ signal }) => fetch(`https://inventory.example.com/stock/${sku}`, { signal }), { signal: request });
}
