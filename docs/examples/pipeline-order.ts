import { pipeline, retry, timeout } from '../../src/index.js';

// Outermost first: 5 s for the whole call (backoff waits included), 1 s for each attempt.
const policy = pipeline(
  timeout({ name: 'prices.total', ms: 5_000 }),
  retry({ name: 'prices.retry', maxAttempts: 4 }),
  timeout({ name: 'prices.attempt', ms: 1_000 }),
);

const response = await policy.execute(({ signal }) => fetch('https://prices.example.com/eur', { signal }));
console.log(response.status);
