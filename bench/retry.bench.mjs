// retry: the success path (the first attempt succeeds), the cost paid on every call.
import { handleAll, retry as ckRetry } from 'cockatiel';
import pRetry from 'p-retry';
import { retry } from '../dist/index.js';
import { task, VALUE } from './lib/tasks.mjs';

// Three attempts in all, for every implementation.
const crackstop = retry({ maxAttempts: 3 });
const cockatiel = ckRetry(handleAll, { maxAttempts: 2 });

/** @type {import('./run.mjs').Scenario[]} */
export const scenarios = [
  {
    name: 'retry',
    expected: VALUE,
    target: { ratio: 2.2 },
    raw: () => task(),
    crackstop: () => crackstop.execute(task),
    peers: {
      cockatiel: () => cockatiel.execute(task),
      'p-retry': () => pRetry(task, { retries: 2 }),
    },
  },
];
