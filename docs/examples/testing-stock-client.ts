import { exponentialBackoff, pipeline, retry, systemClock, systemRandom, timeout, type Clock } from '../../src/index.js';

export interface StockClientOptions {
  /** Loads the stock of one SKU; it should honour `signal`. */
  readonly load: (sku: string, signal: AbortSignal) => Promise<number>;
  /** Production leaves these out; tests pass a ManualClock and a seeded random. */
  readonly clock?: Clock;
  readonly random?: () => number;
}

export interface StockClient {
  stock(sku: string, signal?: AbortSignal): Promise<number>;
}

/** Up to 3 attempts of at most 1 s each; before retry n, a full-jitter wait of up to 200 ms × 2^(n-1). */
export function createStockClient({ load, clock = systemClock, random = systemRandom }: StockClientOptions): StockClient {
  const policy = pipeline(
    retry({ clock, random, maxAttempts: 3, backoff: exponentialBackoff({ initialMs: 200, maxMs: 2_000 }) }),
    timeout({ clock, ms: 1_000 }),
  );
  return {
    stock: (sku, signal) => policy.execute((attempt) => load(sku, attempt.signal), { signal }),
  };
}
