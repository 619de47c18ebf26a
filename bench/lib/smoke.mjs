// The smoke run (CI): every function of every scenario is called a few times and its value
// checked, then measured with tiny counts so that the harness itself is exercised too. A function
// fails if it returns another value, throws, hangs, or leaves an unhandled rejection.
import { implementations } from './discover.mjs';
import { bytesPerCall, SMOKE, timeCall } from './measure.mjs';

const CALLS = 3;
const LIMIT_MS = 2_000;

/** Runs the smoke checks; prints one line per function; returns the number of failures. */
export async function smoke(scenarios) {
  let failures = 0;
  const unhandled = [];
  const onUnhandled = (reason) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  for (const scenario of scenarios) {
    for (const [impl, fn] of implementations(scenario)) {
      const label = `${scenario.name} / ${impl}`;
      unhandled.length = 0;
      try {
        for (let i = 0; i < CALLS; i++) {
          const value = await withLimit(fn);
          if (!Object.is(value, scenario.expected)) {
            throw new Error(`returned ${String(value)}, expected ${String(scenario.expected)}`);
          }
        }
        const ns = await timeCall(fn, SMOKE);
        await bytesPerCall(fn, { calls: 5, trials: 1, warmup: 2 });
        if (!(ns > 0)) throw new Error(`measured ${ns} ns per call`);
        await new Promise((resolve) => setImmediate(resolve)); // let stray rejections surface
        if (unhandled.length > 0) throw new Error(`unhandled rejection (${unhandled.length}): ${String(unhandled[0])}`);
        console.log(`ok    ${label}`);
      } catch (error) {
        failures++;
        console.log(`FAIL  ${label}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  process.off('unhandledRejection', onUnhandled);
  return failures;
}

async function withLimit(fn) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${LIMIT_MS} ms`)), LIMIT_MS);
  });
  try {
    return await Promise.race([fn(), limit]);
  } finally {
    clearTimeout(timer);
  }
}
