import { isTimeoutError, timeout } from '../../src/index.js';

const policy = timeout({ ms: 5_000 });
const controller = new AbortController();
const pending = policy.execute(({ signal }) => fetch('https://reports.example.com/large', { signal }), {
  signal: controller.signal,
});
controller.abort(new Error('user navigated away'));
const reason = await pending.catch((error: unknown) => error);
console.log((reason as Error).message, isTimeoutError(reason)); // user navigated away false
