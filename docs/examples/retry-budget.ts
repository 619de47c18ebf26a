import { createEventHub, retry, retryBudget } from '../../src/index.js';

const events = createEventHub();
events.on('retry.giveup', (e) => {
  if (e.reason === 'budget') console.warn(`${e.name}: retry budget spent, failed after ${e.attempts} attempt(s)`);
});

// One budget per dependency, shared by every policy that calls it: retries stay within 10% of
// the calls of the last 10 s, plus 5 per second so that low traffic can still retry.
const budget = retryBudget({ ratio: 0.1, minPerSecond: 5, windowMs: 10_000 });
export const reads = retry({ name: 'users.read', events, budget, maxAttempts: 3 });
export const writes = retry({ name: 'users.write', events, budget, maxAttempts: 2 });

console.log(budget.snapshot()); // { calls: 0, retries: 0, available: 50 }
