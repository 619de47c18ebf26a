import { createSystemClock, pipeline, retry, timeout } from '../../src/index.js';

// A one-off script: the default clock keeps the process alive through the backoff waits, and
// lets it exit as soon as the call settles.
const policy = pipeline(retry({ maxAttempts: 5 }), timeout({ ms: 10_000 }));
const response = await policy.execute(({ signal }) => fetch('https://api.example.com/export', { signal }));
console.log(response.status);

// For periodic work of your own that must never keep the process alive.
const background = createSystemClock({ unref: true });
const handle = background.setTimeout(() => console.log('still running'), 60_000);
background.clearTimeout(handle);
