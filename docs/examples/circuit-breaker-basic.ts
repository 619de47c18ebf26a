import { circuitBreaker, isCircuitOpenError } from 'crackstop';

const breaker = circuitBreaker({
  name: 'inventory',
  window: { kind: 'count', size: 20, failureRate: 0.5, minimumCalls: 10 },
  openMs: 5_000,
});

export async function stockOf(sku: string): Promise<number | undefined> {
  try {
    return await breaker.execute(async ({ signal }) => {
      const response = await fetch(`https://inventory.example.com/stock/${sku}`, { signal });
      if (!response.ok) throw new Error(`inventory answered ${response.status}`);
      return ((await response.json()) as { count: number }).count;
    });
  } catch (error) {
    if (isCircuitOpenError(error)) return undefined; // failing fast: `error.retryAfterMs` says for how long
    throw error;
  }
}
