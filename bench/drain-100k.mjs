// Draining 100,000 queued items, and 100,000 calls waiting in a bulkhead: time per item and
// bytes retained per queued item (heap after a full GC with everything queued, minus before).
// Not a *.bench.mjs scenario file: one measurement here holds 100,000 items and takes up to
// seconds for the O(n) peers, which the harness's per-call rounds are not made for.
//
//   npx tsup && node --expose-gc bench/drain-100k.mjs [--runs=N] [--smoke]
//
// --smoke: 1,000 items and one run, checking every count (CI).
import { bulkhead as ckBulkhead } from 'cockatiel';
import pLimit from 'p-limit';
import PQueue from 'p-queue';
import { boundedQueue, bulkhead } from '../dist/index.js';
import { median } from './lib/measure.mjs';
import { task, VALUE } from './lib/tasks.mjs';

const smoke = process.argv.includes('--smoke');
const runsArg = process.argv.find((a) => a.startsWith('--runs='));
const RUNS = smoke ? 1 : runsArg === undefined ? 5 : Number(runsArg.slice('--runs='.length));
const N = smoke ? 1_000 : 100_000;
const LIMIT = 10;
const gc = globalThis.gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const item = { id: 1 }; // one shared item: the figures are the queue's own cost

function check(ok, what) {
  if (!ok) throw new Error(`drain-100k: ${what}`);
}

/** boundedQueue: N tryPush, then N tryTake; or N take() awaited one after the other. */
async function queueRun(asyncTake) {
  const queue = boundedQueue({ capacity: N });
  const before = heap();
  for (let i = 0; i < N; i++) queue.tryPush(item);
  const bytes = (heap() - before) / N;
  const start = performance.now();
  let n = 0;
  if (asyncTake) while (queue.size > 0) n += (await queue.take()) === item ? 1 : 0;
  else while (queue.size > 0) n += queue.tryTake() === item ? 1 : 0;
  const ns = ((performance.now() - start) * 1e6) / N;
  check(n === N && queue.taken === N && queue.pushed === N, `queue drained ${n} of ${N}`);
  return { ns, bytes };
}

/** A bulkhead-like limiter: N + LIMIT calls started at once; time from the first call to the last result. */
async function limiterRun(call) {
  const calls = new Array(N + LIMIT);
  const before = heap();
  const start = performance.now();
  for (let i = 0; i < calls.length; i++) calls[i] = call();
  const queuedAt = performance.now();
  const bytes = (heap() - before) / calls.length;
  const restart = performance.now();
  const values = await Promise.all(calls);
  const ns = ((queuedAt - start + performance.now() - restart) * 1e6) / calls.length;
  check(values.every((v) => v === VALUE), 'a call did not give VALUE');
  return { ns, bytes };
}

const crackstop = bulkhead({ limit: LIMIT, queue: { capacity: N } });
const cockatiel = ckBulkhead(LIMIT, N);
const limit = pLimit(LIMIT);
const pQueue = new PQueue({ concurrency: LIMIT });

const cases = [
  ['boundedQueue: tryTake() drain', () => queueRun(false)],
  ['boundedQueue: await take() drain', () => queueRun(true)],
  ['bulkhead (crackstop), limit 10', () => limiterRun(() => crackstop.execute(task))],
  ['cockatiel bulkhead, limit 10', () => limiterRun(() => cockatiel.execute(task))],
  ['p-limit, limit 10', () => limiterRun(() => limit(task))],
  ['p-queue, concurrency 10', () => limiterRun(() => pQueue.add(task))],
];

const rows = [];
for (const [label, run] of cases) {
  const results = [];
  for (let r = 0; r < RUNS; r++) results.push(await run());
  rows.push([label, median(results.map((x) => x.ns)), median(results.map((x) => x.bytes))]);
}
console.log(`${N.toLocaleString('en-US')} queued items, Node ${process.version}, median of ${RUNS} run(s)\n`);
console.log('| case | ns per item | bytes retained per queued item |\n| --- | --: | --: |');
for (const [label, ns, bytes] of rows) console.log(`| ${label} | ${ns.toFixed(0)} | ${bytes.toFixed(0)} |`);
