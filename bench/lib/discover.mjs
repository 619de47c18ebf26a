// Finds bench/*.bench.mjs, loads their scenarios and checks their shape.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * Every scenario of every bench/*.bench.mjs (files in name order, scenarios in file order) whose
 * "<file stem> <scenario name>" contains `filter` (case-insensitive), each with its `file`.
 */
export async function loadScenarios(filter = '') {
  const files = readdirSync(BENCH_DIR).filter((f) => f.endsWith('.bench.mjs')).sort();
  const all = [];
  for (const file of files) {
    const module = await import(pathToFileURL(join(BENCH_DIR, file)).href);
    if (!Array.isArray(module.scenarios)) throw new Error(`bench/${file} must export \`scenarios\`, an array`);
    for (const scenario of module.scenarios) all.push({ ...check(scenario, file), file });
  }
  const names = new Set();
  for (const { name, file } of all) {
    if (names.has(name)) throw new Error(`bench/${file}: scenario name "${name}" is used twice`);
    names.add(name);
  }
  const wanted = filter.toLowerCase();
  return all.filter((s) => `${s.file.replace('.bench.mjs', '')} ${s.name}`.toLowerCase().includes(wanted));
}

/** The functions of a scenario, baseline first: [['raw', fn], ['crackstop', fn], ...peers]. */
export function implementations(scenario) {
  return [['raw', scenario.raw], ['crackstop', scenario.crackstop], ...Object.entries(scenario.peers ?? {})];
}

function check(scenario, file) {
  const where = `bench/${file}, scenario ${JSON.stringify(scenario?.name)}`;
  if (typeof scenario?.name !== 'string' || scenario.name === '') throw new Error(`${where}: \`name\` must be a non-empty string`);
  if (!('expected' in scenario)) throw new Error(`${where}: \`expected\` (the value every function returns) is missing`);
  for (const [label, fn] of implementations(scenario)) {
    if (typeof fn !== 'function') throw new Error(`${where}: \`${label}\` must be a function taking no argument`);
  }
  return scenario;
}
