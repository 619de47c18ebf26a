import { loadShedder, pipeline, retry, timeout } from '../../src/index.js';

const shedder = loadShedder({ maxInFlight: 64, targetQueueDelayMs: 20 });

// One policy per class, sharing the shedder's state: the view is an ordinary policy.
const prefetch = pipeline(shedder.for('sheddable'), timeout({ ms: 500 }));
const payments = pipeline(retry({ maxAttempts: 2 }), shedder.for('critical'), timeout({ ms: 2_000 }));

await prefetch.execute(({ signal }) => fetch('http://127.0.0.1:8080/recommendations', { signal }));
await payments.execute(({ signal }) => fetch('http://127.0.0.1:8080/checkout', { method: 'POST', signal }));
