import { circuitBreaker, createEventHub, pipeline, retry, timeout } from '../../src/index.js';

// One hub for every policy of the service.
const events = createEventHub({
  onListenerError: (error, event) => console.error(`telemetry listener failed on '${event.type}'`, error),
});
const stopRetryLog = events.on('retry', (e) => console.log(`${e.name}: attempt ${e.attempt} failed, next in ${Math.round(e.delayMs)} ms`));
events.on('retry.giveup', (e) => console.warn(`${e.name}: gave up after ${e.attempts} attempts (${e.reason})`));
events.on('timeout', (e) => console.warn(`${e.name}: attempt ${e.attempt} timed out at ${e.timeoutMs} ms`));
events.on('timeout.late', (e) => {
  if (e.lateByMs > 1_000) console.warn(`${e.name}: abandoned work ignored its signal for ${e.lateByMs} ms`);
});
events.on('circuit.state', (e) => console.warn(`${e.name}: ${e.from} -> ${e.to} (${e.reason})`));

// Counters by event type and policy name, ready for any metrics library.
const counts = new Map<string, number>();
events.onAny((event) => {
  const key = `${event.type}{name="${event.name}"}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
});

export const search = pipeline(
  retry({ name: 'search.retry', events }),
  circuitBreaker({ name: 'search.breaker', events }),
  timeout({ name: 'search.timeout', events, ms: 800 }),
);

stopRetryLog(); // unsubscribes; calling it again does nothing
