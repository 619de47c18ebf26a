import { createSystemClock, pipeline, retry, timeout } from '../../src/index.js';

// In a one-off script nothing else keeps Node alive during a backoff wait: with the default
// (unref'd) systemClock the process would exit mid-retry with code 13. Keep the timers ref'd.
const clock = createSystemClock({ unref: false });
const policy = pipeline(retry({ clock, maxAttempts: 5 }), timeout({ clock, ms: 10_000 }));
const response = await policy.execute(({ signal }) => fetch('https://api.example.com/export', { signal }));
console.log(response.status);
