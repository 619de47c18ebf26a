// crackstop's benchmark runner.
//
//   npm run bench                      builds, then the full run: a table on stdout
//   node bench/run.mjs [filter]        the full run (build first: npx tsup)
//   node bench/run.mjs --markdown      the same, printed as the markdown of docs/performance.md
//   node bench/run.mjs --update-docs   the same, written into docs/performance.md (between markers)
//   node bench/run.mjs --smoke         every function run and checked with tiny counts, in one
//                                      process, in seconds; exit code 1 on any error (CI)
//   --processes=N (default 5), --rounds=N (default 5), --json (the rows as JSON)
//   filter: only scenarios whose "<file stem> <scenario name>" contains it, e.g. `retry`, `emit`.
//
// Method: each of N child processes (node --expose-gc) runs one warm-up round, then R rounds; a
// round times every function of every scenario once with mitata (mean ns per call over ~60 ms),
// in an order rotated each round, and takes each function's ratio to the raw baseline timed in
// the same round. A process reports its medians over rounds; the table shows the medians over
// processes, and the range of the per-process ratios. One more child, with a young generation
// big enough that no GC runs during a trial, measures the bytes allocated per call.
//
// ADDING A BENCHMARK: create bench/<capability>.bench.mjs; the runner finds every *.bench.mjs.
// It imports crackstop from '../dist/index.js' and exports `scenarios`, an array of Scenario:
/**
 * @typedef {object} Scenario
 * @property {string} name            Unique across files; shown in the table.
 * @property {unknown} expected       What every function below resolves to (or returns); the
 *                                    smoke run checks it with Object.is.
 * @property {() => unknown} raw      The baseline: the bare work, e.g. `() => task()`.
 * @property {() => unknown} crackstop  The same work through crackstop, e.g. `() => policy.execute(task)`.
 * @property {Record<string, () => unknown>} [peers]  The same work through other libraries, by label.
 * @property {{ ratio?: number, extraNs?: number, extraBytes?: number }} [target]
 *   Limits for crackstop: ns ratio to raw, extra ns over raw, extra bytes per call over raw.
 */
// Every function takes no argument and returns a value or a promise; build policies once, at
// module level, so a call measures only the call. Shared tasks and clocks: bench/lib/tasks.mjs.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadScenarios } from './lib/discover.mjs';
import { aggregate, markdownTable, targetSummary, textTable } from './lib/report.mjs';
import { allocations, timeRounds } from './lib/rounds.mjs';
import { smoke } from './lib/smoke.mjs';

const SELF = fileURLToPath(import.meta.url);
const DOCS = fileURLToPath(new URL('../docs/performance.md', import.meta.url));
const MARKERS = ['<!-- bench:start -->', '<!-- bench:end -->'];
const ALLOC_FLAGS = ['--min-semi-space-size=64', '--max-semi-space-size=64'];

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name, fallback) => {
  const arg = args.find((a) => a.startsWith(`--${name}=`));
  const value = arg === undefined ? fallback : Number(arg.slice(name.length + 3));
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be an integer >= 1, got ${arg}`);
  return value;
};
const filter = args.find((a) => !a.startsWith('--')) ?? '';
const KNOWN = /^--(smoke|markdown|update-docs|json|(processes|rounds)=.*|worker=(time|alloc))$/;

async function main() {
  const unknown = args.filter((a) => a.startsWith('--') && !KNOWN.test(a));
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(' ')} (see the top of bench/run.mjs)`);
  const scenarios = await loadScenarios(filter);
  if (scenarios.length === 0) throw new Error(`no scenario matches "${filter}"`);
  const worker = args.find((a) => a.startsWith('--worker='))?.slice('--worker='.length);
  if (worker === 'time') return void console.log(JSON.stringify(await timeRounds(scenarios, option('rounds', 5))));
  if (worker === 'alloc') return void console.log(JSON.stringify(await allocations(scenarios)));
  if (flag('smoke')) {
    const failures = await smoke(scenarios);
    console.log(failures === 0 ? `smoke: ${scenarios.length} scenarios ok` : `smoke: ${failures} failure(s)`);
    return void (process.exitCode = failures === 0 ? 0 : 1);
  }
  await fullRun(scenarios);
}

async function fullRun(scenarios) {
  const processes = option('processes', 5);
  const rounds = option('rounds', 5);
  const loadBefore = loadavg()[0];
  const runs = [];
  for (let p = 1; p <= processes; p++) {
    process.stderr.write(`bench: timing, process ${p}/${processes} (${rounds} rounds)\n`);
    runs.push(child(['--worker=time', `--rounds=${rounds}`]));
  }
  process.stderr.write('bench: allocation\n');
  const rows = aggregate(scenarios, runs, child(['--worker=alloc'], ALLOC_FLAGS));
  const about = machine(loadBefore, loadavg()[0], processes, rounds);
  if (flag('json')) return void console.log(JSON.stringify({ about, rows }, null, 2));
  if (!flag('markdown') && !flag('update-docs')) {
    return void console.log(`${about.line}\n\n${textTable(rows)}\n\nTargets:\n${targetSummary(rows).join('\n')}`);
  }
  const noisy = about.busy ? ' **Taken on a busy machine: the figures are noisy.**' : '';
  const markdown = [MARKERS[0], `${about.line}${noisy}`, '', markdownTable(rows), '', 'Targets (crackstop):', '', ...targetSummary(rows, true), MARKERS[1]].join('\n');
  if (flag('markdown')) console.log(markdown);
  if (flag('update-docs')) updateDocs(markdown);
}

/** Runs this script as a child with `extra` arguments; returns the JSON it prints. */
function child(extra, nodeFlags = []) {
  const argv = [...nodeFlags, '--expose-gc', SELF, ...extra, ...(filter ? [filter] : [])];
  const result = spawnSync(process.execPath, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`bench worker failed (exit ${result.status}): node ${argv.join(' ')}`);
  return JSON.parse(result.stdout);
}

function machine(loadBefore, loadAfter, processes, rounds) {
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const cores = availableParallelism();
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  // The run itself keeps about one core busy, hence the allowance of 1 at the end.
  const busy = loadBefore > 0.5 || loadAfter > 1.5;
  const load = `load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`;
  const line = `${date} UTC, Node ${process.version}, ${cpu}, ${cores} cores, ${load}; ${processes} processes × ${rounds} rounds.`;
  return { date, node: process.version, cpu, cores, loadBefore, loadAfter, busy, processes, rounds, line };
}

function updateDocs(markdown) {
  const text = readFileSync(DOCS, 'utf8');
  const start = text.indexOf(MARKERS[0]);
  const end = text.indexOf(MARKERS[1]);
  if (start === -1 || end < start) throw new Error(`docs/performance.md has no ${MARKERS.join(' … ')} block`);
  writeFileSync(DOCS, text.slice(0, start) + markdown + text.slice(end + MARKERS[1].length));
  process.stderr.write('bench: docs/performance.md updated\n');
}

main().then(
  () => process.exit(),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && /[/\\]dist[/\\]/.test(error.message)) console.error('build first: npx tsup');
    process.exit(1);
  },
);
