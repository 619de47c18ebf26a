import { circuitBreaker, createEventHub, type CircuitSnapshot } from 'crackstop';

const events = createEventHub();
events.on('circuit.state', (e) => console.warn(`${e.name}: ${e.from} -> ${e.to} (${e.reason})`));
events.on('circuit.failure', (e) => console.debug(`${e.name}: failure after ${e.durationMs.toFixed(1)} ms`));

declare const saved: string | undefined; // for example, read from a file at start-up
const breaker = circuitBreaker({
  name: 'search',
  events,
  ...(saved === undefined ? {} : { initialState: JSON.parse(saved) as CircuitSnapshot }),
});

// Fail fast without a promise, for example to skip an optional widget.
if (!breaker.isCallPermitted()) console.log('search is down; retry later');

// Maintenance: hold the circuit open until the handle is released.
const maintenance = breaker.isolate();
maintenance.release();

// At shutdown: keep the state for the next process.
export const toSave: string = JSON.stringify(breaker.snapshot());
console.log(breaker.state, breaker.metrics());
