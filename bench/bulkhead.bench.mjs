// bulkhead: one call at a time (the fast path: a permit is free and nobody waits), one call with
// a caller's signal, a refused call (every permit taken, no queue), and bursts of 1,000 calls at
// limit 10 (990 of them wait for a permit).
import { BulkheadRejectedError as CkRejected, bulkhead as ckBulkhead } from 'cockatiel';
import pLimit from 'p-limit';
import PQueue from 'p-queue';
import { bulkhead, isBulkheadRejectedError } from '../dist/index.js';
import { hang, task, VALUE } from './lib/tasks.mjs';

const LIMIT = 10;
const BURST = 1_000;

// One policy per implementation, built once; the wait queues hold a whole burst.
const crackstop = bulkhead({ limit: LIMIT, queue: { capacity: BURST } });
const cockatiel = ckBulkhead(LIMIT, BURST);
const limit = pLimit(LIMIT);
const queue = new PQueue({ concurrency: LIMIT });

// The refusal path: every permit held by a call that never settles, and no queue.
const full = bulkhead({ limit: 1 });
const ckFull = ckBulkhead(1, 0);
void full.execute(hang);
void ckFull.execute(hang);
const rawError = new Error('refused');
/** VALUE when `promise` rejects with an error `isRefusal` recognises. */
const refused = (promise, isRefusal) => promise.then(() => -1, (error) => (isRefusal(error) ? VALUE : -1));

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
    name: 'bulkhead, refused (full)',
    expected: VALUE,
    raw: () => refused(Promise.reject(rawError), (error) => error === rawError),
    crackstop: () => refused(full.execute(task), isBulkheadRejectedError),
    peers: { cockatiel: () => refused(ckFull.execute(task), (error) => error instanceof CkRejected) },
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
