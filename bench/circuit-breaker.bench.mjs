// circuit breaker: the closed success path (consecutive and time windows), paid by every call, and
// the open path: rejecting through execute, and the synchronous isCallPermitted() check.
import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  SamplingBreaker,
  circuitBreaker as ckBreaker,
  handleAll,
} from 'cockatiel';
import CircuitBreaker from 'opossum';
import { circuitBreaker, isCircuitOpenError } from '../dist/index.js';
import { task, VALUE } from './lib/tasks.mjs';

const LONG = 1e12; // an open circuit stays open for the whole run
const OPEN = 'open';

// Closed: every call succeeds, so the circuit never opens.
const consecutive = circuitBreaker({ window: { kind: 'consecutive', failures: 5 } });
const time = circuitBreaker({ window: { kind: 'time', durationMs: 10_000, buckets: 10, failureRate: 0.5, minimumCalls: 20 } });
const ckConsecutive = ckBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });
const ckSampling = ckBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new SamplingBreaker({ threshold: 0.5, duration: 10_000 }) });
// opossum has one (time-based, 10 × 1 s buckets) window; no timeout, so it measures the breaker.
const opossum = new CircuitBreaker(task, { timeout: false, resetTimeout: 10_000 });

// Open: opened by one failure, for longer than the run.
const fail = async () => {
  throw new Error('down');
};
const open = circuitBreaker({ window: { kind: 'consecutive', failures: 1 }, openMs: LONG });
await open.execute(fail).catch(() => undefined);
const ckOpen = ckBreaker(handleAll, { halfOpenAfter: LONG, breaker: new ConsecutiveBreaker(1) });
await ckOpen.execute(fail).catch(() => undefined);
const opossumOpen = new CircuitBreaker(task, { timeout: false, resetTimeout: 2 ** 31 - 1 });
opossumOpen.open();

const rawError = new Error('raw rejection');
const settleOpen = (promise, isOpen) =>
  promise.then(
    (value) => {
      throw new Error(`expected a rejection, got the value ${String(value)}`);
    },
    (error) => {
      if (isOpen(error)) return OPEN;
      throw error;
    },
  );

/** @type {import('./run.mjs').Scenario[]} */
export const scenarios = [
  {
    name: 'circuit breaker, closed (consecutive)',
    expected: VALUE,
    target: { ratio: 2.0 },
    raw: () => task(),
    crackstop: () => consecutive.execute(task),
    peers: {
      'cockatiel (consecutive)': () => ckConsecutive.execute(task),
      opossum: () => opossum.fire(),
    },
  },
  {
    name: 'circuit breaker, closed (time window)',
    expected: VALUE,
    target: { ratio: 2.5 },
    raw: () => task(),
    crackstop: () => time.execute(task),
    peers: {
      'cockatiel (sampling)': () => ckSampling.execute(task),
      opossum: () => opossum.fire(),
    },
  },
  {
    name: 'circuit breaker, open: rejecting via execute',
    expected: OPEN,
    target: { extraNs: 2_500 },
    raw: () => settleOpen(Promise.reject(rawError), (e) => e === rawError),
    crackstop: () => settleOpen(open.execute(task), isCircuitOpenError),
    peers: {
      cockatiel: () => settleOpen(ckOpen.execute(task), (e) => e instanceof BrokenCircuitError),
      opossum: () => settleOpen(opossumOpen.fire(), (e) => e?.code === 'EOPENBREAKER'),
    },
  },
  {
    name: 'circuit breaker, open: isCallPermitted()',
    expected: false,
    raw: () => false,
    crackstop: () => open.isCallPermitted(),
    peers: {
      'opossum (.opened)': () => !opossumOpen.opened,
    },
  },
];
