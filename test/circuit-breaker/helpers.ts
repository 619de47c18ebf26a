// Shared helpers of the circuit breaker tests.
import { createEventHub, type CircuitBreakerPolicy, type ResilienceEvent } from '../../src/index.js';
export { deferred, type Deferred } from '../helpers/deferred.js';


/** Lets every pending promise continuation run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A hub that records every event, or only the `circuit.state` events with `only: 'state'` (then
 * nobody listens to the call events, and the breaker takes its untimed closed path).
 */
export function recorder(only?: 'state'): { readonly events: ReturnType<typeof createEventHub>; readonly log: ResilienceEvent[]; states(): string[] } {
  const events = createEventHub();
  const log: ResilienceEvent[] = [];
  if (only === 'state') events.on('circuit.state', (e) => log.push(e));
  else events.onAny((e) => log.push(e));
  return {
    events,
    log,
    states: () => log.flatMap((e) => (e.type === 'circuit.state' ? [`${e.from}->${e.to}:${e.reason}`] : [])),
  };
}

export const boom = (): Promise<never> => Promise.reject(new Error('boom'));
export const ok = (): Promise<string> => Promise.resolve('ok');

/** Runs `n` failing calls, each awaited (their rejections swallowed). */
export async function fail(breaker: CircuitBreakerPolicy, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await breaker.execute(boom).catch(() => undefined);
}

/** Runs `n` successful calls, each awaited. */
export async function succeed(breaker: CircuitBreakerPolicy, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await breaker.execute(ok);
}

/** The error a promise rejects with (fails the test if it fulfils). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
