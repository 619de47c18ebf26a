import { exponentialBackoff, retry } from '../../src/index.js';

const policy = retry({
  name: 'orders.read',
  maxAttempts: 4, // the first attempt included
  backoff: exponentialBackoff({ initialMs: 200, maxMs: 5_000 }), // full jitter by default
  maxElapsedMs: 10_000, // no attempt starts later than 10 s after the call began
});

export function loadOrder(id: number): Promise<{ id: number }> {
  return policy.execute(async ({ signal, attempt }) => {
    const response = await fetch(`https://orders.example.com/orders/${id}`, { signal, headers: { 'x-attempt': String(attempt) } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`); // errors are retried by default
    return (await response.json()) as { id: number };
  });
}
