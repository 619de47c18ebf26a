#!/usr/bin/env node
// Checks that every code block marked `<!-- example: docs/examples/<file>.ts -->` in README.md and
// docs/*.md is an exact copy of that file, with the relative imports of src written as the package
// name ('../../src/index.js' -> 'crackstop', '../../src/testing.js' -> 'crackstop/testing', '../../src/node.js' -> 'crackstop/node').
// The files themselves are type-checked by `npx tsc -p tsconfig.test.json`.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pages = ['README.md', ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const marker = /^<!-- example: (\S+) -->\n```(\w+)\n([\s\S]*?)```/gm;

const asPublished = (source) =>
  source.replaceAll("'../../src/index.js'", "'crackstop'").replaceAll("'../../src/testing.js'", "'crackstop/testing'").replaceAll("'../../src/node.js'", "'crackstop/node'");

const problems = [];
let checked = 0;
for (const page of pages) {
  const text = readFileSync(path.join(root, page), 'utf8');
  for (const match of text.matchAll(marker)) {
    const [, file, , block] = match;
    checked++;
    const line = text.slice(0, match.index).split('\n').length;
    const full = path.join(root, file);
    if (!existsSync(full)) {
      problems.push(`${page}:${line}: ${file} does not exist`);
      continue;
    }
    if (block !== asPublished(readFileSync(full, 'utf8'))) problems.push(`${page}:${line}: the block differs from ${file}`);
  }
  const markers = text.match(/^<!-- example: /gm)?.length ?? 0;
  const matched = [...text.matchAll(marker)].length;
  if (markers !== matched) problems.push(`${page}: ${markers - matched} example marker(s) not directly followed by a code block`);
}

if (problems.length > 0) {
  console.error(`check-doc-examples: ${problems.length} problem(s):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`check-doc-examples: ${checked} examples in ${pages.length} pages match their files`);
