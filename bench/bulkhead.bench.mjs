// bulkhead: one call at a time (the fast path: a permit is free and nobody waits), one call with
// a caller's signal, and bursts of 1,000 calls at limit 10 (990 of them wait for a permit).
import { bulkhead as ckBulkhead } from 'cockatiel';
import pLimit from 'p-limit';
import PQueue from 'p-queue';
import { bulkhead } from '../dist/index.js';
import { task, VALUE } from './lib/tasks.mjs';

const LIMIT = 10;
const BURST = 1_000;

// One policy per implementation, built once; the wait queues hold a whole burst.
const crackstop = bulkhead({ limit: LIMIT, queue: { capacity: BURST } });
const cockatiel = ckBulkhead(LIMIT, BURST);
const limit = pLimit(LIMIT);
const queue = new PQueue({ concurrency: LIMIT });

const callerSignal = new AbortController().signal;
const withSignal = { signal: callerSignal };

/** Starts `BURST` calls at once and waits for all of them; VALUE when every one gave VALUE. */
async function burst(call) {
  const calls = new Array(BURST);
  for (let i = 0; i < BURST; i++) calls[i] = call();
  const values = await Promise.all(calls);
  for (let i = 0; i < BURST; i++) if (values[i] !== VALUE) return -1;
  return VALUE;
}

const crackstopCall = () => crackstop.execute(task);
const cockatielCall = () => cockatiel.execute(task);
const pLimitCall = () => limit(task);
const pQueueCall = () => queue.add(task);
const rawCall = () => task();

/** @type {import('./run.mjs').Scenario[]} */
export const scenarios = [
  {
    name: 'bulkhead',
    expected: VALUE,
    raw: rawCall,
    crackstop: crackstopCall,
    peers: { cockatiel: cockatielCall, 'p-limit': pLimitCall, 'p-queue': pQueueCall },
  },
  {
    name: 'bulkhead, caller signal',
    expected: VALUE,
    raw: rawCall,
    crackstop: () => crackstop.execute(task, withSignal),
    peers: {
      cockatiel: () => cockatiel.execute(task, callerSignal),
      'p-queue': () => queue.add(task, withSignal),
    },
  },
  {
    // Per call of the burst: divide by 1,000. Target: <= 0.25 µs per call over raw.
    name: 'bulkhead, 1,000 calls at limit 10',
    expected: VALUE,
    target: { extraNs: 250 * BURST },
    raw: () => burst(rawCall),
    crackstop: () => burst(crackstopCall),
    peers: { cockatiel: () => burst(cockatielCall), 'p-limit': () => burst(pLimitCall), 'p-queue': () => burst(pQueueCall) },
  },
];
