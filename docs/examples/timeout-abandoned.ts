import { createEventHub, isTimeoutError, timeout } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

const clock = new ManualClock();
const events = createEventHub();
events.on('timeout', (e) => console.log(`${e.name}: given up at ${e.timeoutMs} ms`));
events.on('timeout.late', (e) => console.log(`${e.name}: abandoned work ${e.outcome} ${e.lateByMs} ms late`));
const policy = timeout({ name: 'report', ms: 100, clock, events });

// Work that ignores its signal goes on after the deadline.
const stubborn = () => new Promise<string>((resolve) => clock.setTimeout(() => resolve('done'), 250));
const call = policy.execute(stubborn).catch((error: unknown) => error);
await clock.advance(100); // report: given up at 100 ms
console.log(isTimeoutError(await call), policy.abandoned); // true 1
await clock.advance(150); // report: abandoned work fulfilled 150 ms late
console.log(policy.abandoned); // 0
