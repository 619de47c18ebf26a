#!/usr/bin/env node
// Fails (exit 1) when an export of a public entry point has no `@example` in its TSDoc.
// Usage: node scripts/check-tsdoc.mjs [entry.ts ...]   (default: src/index.ts src/testing.ts src/node.ts)
// scripts/check-tsdoc-examples.mjs checks that those examples type-check.
import ts from 'typescript';
import { entriesFromArgv, publicExports, readCompilerOptions, relative, where } from './lib/public-exports.mjs';

const entries = entriesFromArgv();
const program = ts.createProgram({ rootNames: entries, options: readCompilerOptions() });

/** Whether a declaration (or, for a variable, its statement) has an `@example` tag. */
function hasExample(declaration) {
  return ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'example');
}

const missing = [];
let checked = 0;
for (const { entry, name, declarations } of publicExports(program, entries)) {
  checked++;
  if (!declarations.some(hasExample)) {
    const first = declarations[0];
    missing.push(`${relative(entry)}: ${name}${first === undefined ? '' : ` (${where(first)})`}`);
  }
}

if (missing.length > 0) {
  console.error(`check-tsdoc: ${missing.length} of ${checked} exports have no @example in their TSDoc:`);
  for (const line of missing) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`check-tsdoc: all ${checked} exports of ${entries.map(relative).join(', ')} have an @example`);
