// pipeline(retry, timeout): each attempt with its own deadline, the usual composition.
import { handleAll, retry as ckRetry, timeout as ckTimeout, TimeoutStrategy, wrap } from 'cockatiel';
import pRetry from 'p-retry';
import pTimeout from 'p-timeout';
import { pipeline, retry, timeout } from '../dist/index.js';
import { task, VALUE } from './lib/tasks.mjs';

const MS = 1_000;
const crackstop = pipeline(retry({ maxAttempts: 3 }), timeout({ ms: MS }));
const cockatiel = wrap(ckRetry(handleAll, { maxAttempts: 2 }), ckTimeout(MS, TimeoutStrategy.Aggressive));
const attempt = () => pTimeout(task(), { milliseconds: MS });

/** @type {import('./run.mjs').Scenario[]} */
export const scenarios = [
  {
    name: 'pipeline(retry, timeout)',
    expected: VALUE,
    target: { ratio: 12 },
    raw: () => task(),
    crackstop: () => crackstop.execute(task),
    peers: {
      'cockatiel wrap (aggressive)': () => cockatiel.execute(task),
      'p-retry + p-timeout': () => pRetry(attempt, { retries: 2 }),
    },
  },
];
