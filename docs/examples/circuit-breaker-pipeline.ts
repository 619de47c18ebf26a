import { circuitBreaker, exponentialBackoff, pipeline, retry, timeout } from 'crackstop';

// Outermost first: each retry attempt goes through the breaker, and each call through the
// breaker has its own deadline, so a hung dependency counts as a failure (a TimeoutError).
const breaker = circuitBreaker({
  name: 'payments',
  window: { kind: 'time', durationMs: 30_000, buckets: 10, failureRate: 0.5, minimumCalls: 20, slowCallMs: 2_000, slowCallRate: 0.8 },
  openMs: exponentialBackoff({ initialMs: 5_000, maxMs: 60_000, jitter: 'none' }),
  halfOpen: { maxProbes: 2, probeTimeoutMs: 3_000 },
  // A 5xx response is a failure even though fetch resolved; a 4xx is the caller's problem.
  isFailure: (o) => (o.ok ? o.value instanceof Response && o.value.status >= 500 : true),
});
const policy = pipeline(retry({ maxAttempts: 3 }), breaker, timeout({ ms: 2_500 }));

export function charge(body: string): Promise<Response> {
  return policy.execute(({ signal }) => fetch('https://payments.example.com/charge', { method: 'POST', body, signal }));
}
