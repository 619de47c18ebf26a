import { bulkhead, isTimeoutError, pipeline, timeout } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

const clock = new ManualClock();
const permits = bulkhead({ limit: 2, queue: { capacity: 10 }, clock });
// The timeout is OUTSIDE the bulkhead: it also bounds the wait for a permit, and when it gives
// up on a call whose work ignores its signal, the permit stays held until that work settles.
const policy = pipeline(timeout({ ms: 100, clock }), permits);

// Work that ignores its signal and takes 1 s.
const stubborn = () => new Promise<string>((resolve) => clock.setTimeout(() => resolve('done'), 1_000));
const calls = [1, 2, 3].map(() => policy.execute(stubborn).catch((error: unknown) => error));

await clock.advance(100);
console.log((await Promise.all(calls)).every(isTimeoutError)); // true: every caller got its deadline
console.log(permits.active, permits.queued); // 2 0: the third left the queue; two tasks still run
await clock.advance(900);
console.log(permits.active); // 0: the permits came back when the work really finished
