// timeout: the success path (with and without an AbortSignal), and the failure path.
import { TimeoutStrategy, timeout as ckTimeout } from 'cockatiel';
import CircuitBreaker from 'opossum';
import pTimeout, { TimeoutError as PTimeoutError } from 'p-timeout';
import { isTimeoutError, timeout } from '../dist/index.js';
import { hang, immediateClock, settleTimeout, task, taskReadingSignal, TIMED_OUT, VALUE } from './lib/tasks.mjs';

const MS = 1_000; // never reached on the success path

const crackstop = timeout({ ms: MS });
const aggressive = ckTimeout(MS, TimeoutStrategy.Aggressive);
const cooperative = ckTimeout(MS, TimeoutStrategy.Cooperative);
// opossum is a circuit breaker; with `timeout` set it is the timeout its users reach for.
const breaker = new CircuitBreaker(task, { timeout: MS });

// A caller's signal that stays open, as with a request-scoped signal passed to every call.
const callerSignal = new AbortController().signal;
const withSignal = { signal: callerSignal };

// The failure path: every call times out. Timers fire on the next microtask (immediateClock), so
// this is the CPU cost of giving up; cockatiel and opossum have no injectable timers.
const expiring = timeout({ ms: MS, clock: immediateClock });
const rawError = new Error('raw failure');
const failing = async () => {
  throw rawError;
};

/** @type {import('./run.mjs').Scenario[]} */
export const scenarios = [
  {
    name: 'timeout',
    expected: VALUE,
    target: { ratio: 9, extraNs: 1_000, extraBytes: 1_200 },
    raw: () => task(),
    crackstop: () => crackstop.execute(task),
    peers: {
      'cockatiel (aggressive)': () => aggressive.execute(task),
      'cockatiel (cooperative)': () => cooperative.execute(task),
      'p-timeout': () => pTimeout(task(), { milliseconds: MS }),
      opossum: () => breaker.fire(),
    },
  },
  {
    name: 'timeout, fn reads ctx.signal',
    expected: VALUE,
    raw: () => taskReadingSignal(withSignal),
    crackstop: () => crackstop.execute(taskReadingSignal),
    peers: {
      'cockatiel (aggressive)': () => aggressive.execute(taskReadingSignal),
    },
  },
  {
    name: 'timeout, caller signal',
    expected: VALUE,
    raw: () => task(),
    crackstop: () => crackstop.execute(task, withSignal),
    peers: {
      'cockatiel (aggressive)': () => aggressive.execute(task, callerSignal),
      'p-timeout': () => pTimeout(task(), { milliseconds: MS, signal: callerSignal }),
    },
  },
  {
    name: 'timeout, timed out (failure path)',
    expected: TIMED_OUT,
    raw: () => settleTimeout(failing(), (error) => error === rawError),
    crackstop: () => settleTimeout(expiring.execute(hang), isTimeoutError),
    peers: {
      'p-timeout': () =>
        settleTimeout(pTimeout(hang(), { milliseconds: MS, customTimers: immediateClock }), (e) => e instanceof PTimeoutError),
    },
  },
];
