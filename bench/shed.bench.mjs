// loadShedder: the admitted path (with one signal, and with all four), the synchronous permit
// path, and the refusal path (the cost of saying no under overload).
import { bulkhead as ckBulkhead, BulkheadRejectedError } from 'cockatiel';
import { isLoadShedError, loadShedder } from '../dist/index.js';
import { task, VALUE } from './lib/tasks.mjs';

const LIMIT = 1_000_000; // never reached on the admitted path

// The nearest peer: cockatiel's bulkhead with no queue refuses calls past its limit.
const cockatiel = ckBulkhead(LIMIT, 0);

const inFlightOnly = loadShedder({ maxInFlight: LIMIT });
const allSignals = loadShedder({
  maxInFlight: LIMIT,
  targetQueueDelayMs: 50,
  latency: { targetMs: 1_000, percentile: 99, windowMs: 10_000 },
  pressure: () => 0.1,
});

// Refusal path: the pressure signal says saturated, so every normal call is shed.
const saturated = loadShedder({ pressure: () => 1 });
const fullCockatiel = ckBulkhead(1, 0);
void fullCockatiel.execute(() => new Promise(() => {})); // holds its only slot forever
const SHED = 'shed';
const rawRefusal = new Error('refused');
const refuse = async () => {
  throw rawRefusal;
};
const settleShed = (promise, isShed) =>
  promise.then(
    (value) => {
      throw new Error(`expected a refusal, got ${String(value)}`);
    },
    (error) => {
      if (isShed(error)) return SHED;
      throw error;
    },
  );

const syncWork = () => VALUE;

/** @type {import('./run.mjs').Scenario[]} */
export const scenarios = [
  {
    name: 'loadShedder (maxInFlight), admitted',
    expected: VALUE,
    raw: () => task(),
    crackstop: () => inFlightOnly.execute(task),
    peers: {
      'cockatiel bulkhead(n, 0)': () => cockatiel.execute(task),
    },
  },
  {
    name: 'loadShedder (all four signals), admitted',
    expected: VALUE,
    raw: () => task(),
    crackstop: () => allSignals.execute(task, { priority: 'sheddable' }),
  },
  {
    name: 'loadShedder tryAdmit + release (sync)',
    expected: VALUE,
    raw: () => syncWork(),
    crackstop: () => {
      const permit = allSignals.tryAdmit('normal');
      try {
        return syncWork();
      } finally {
        permit.release();
      }
    },
  },
  {
    name: 'loadShedder, refused (shed path)',
    expected: SHED,
    raw: () => settleShed(refuse(), (e) => e === rawRefusal),
    crackstop: () => settleShed(saturated.execute(task), isLoadShedError),
    peers: {
      'cockatiel bulkhead(1, 0), full': () => settleShed(fullCockatiel.execute(task), (e) => e instanceof BulkheadRejectedError),
    },
  },
];
