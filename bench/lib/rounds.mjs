// The measuring side of a full run: interleaved timing rounds, and allocation per call. Each runs
// in a child process spawned by run.mjs and prints JSON on stdout.
import { implementations } from './discover.mjs';
import { bytesPerCall, FULL, median, timeCall } from './measure.mjs';

/**
 * Runs `rounds` timed rounds after one warm-up round (discarded). A round measures every function
 * of every scenario once, in an order rotated each round; each function's ratio is taken to the
 * raw baseline of the same round. Returns, per scenario and function, the medians over rounds:
 * `{ [scenario]: { [impl]: { ns, ratio } } }`.
 */
export async function timeRounds(scenarios, rounds, options = FULL) {
  const samples = scenarios.map((s) => implementations(s).map(() => ({ ns: [], ratio: [] })));
  for (let round = 0; round <= rounds; round++) {
    for (const [si, scenario] of scenarios.entries()) {
      const impls = implementations(scenario);
      const ns = [];
      for (let k = 0; k < impls.length; k++) {
        const i = (k + round) % impls.length;
        ns[i] = await timeCall(impls[i][1], options);
        await turn();
      }
      if (round === 0) continue;
      for (const [i, value] of ns.entries()) {
        samples[si][i].ns.push(value);
        samples[si][i].ratio.push(value / ns[0]);
      }
    }
  }
  return Object.fromEntries(
    scenarios.map((s, si) => [
      s.name,
      Object.fromEntries(implementations(s).map(([impl], i) => [impl, { ns: median(samples[si][i].ns), ratio: median(samples[si][i].ratio) }])),
    ]),
  );
}

/**
 * One turn of the event loop. A measurement runs on microtasks only, so without this no timer
 * would ever fire (opossum rotates its statistics window on an interval).
 */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Bytes allocated per call of every function: `{ [scenario]: { [impl]: bytes } }`. */
export async function allocations(scenarios) {
  await bytesPerCall(() => undefined); // the first measurement of a process reads high: warm up
  const result = {};
  for (const scenario of scenarios) {
    result[scenario.name] = {};
    for (const [impl, fn] of implementations(scenario)) result[scenario.name][impl] = await bytesPerCall(fn);
  }
  return result;
}
