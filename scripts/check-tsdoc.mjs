#!/usr/bin/env node
// Fails (exit 1) when an export of a public entry point has no `@example` in its TSDoc.
// Usage: node scripts/check-tsdoc.mjs [entry.ts ...]   (default: src/index.ts src/testing.ts src/node.ts)
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entries = (process.argv.length > 2 ? process.argv.slice(2) : ['src/index.ts', 'src/testing.ts', 'src/node.ts']).map((f) => path.resolve(root, f));

const configPath = path.join(root, 'tsconfig.json');
const config = ts.readConfigFile(configPath, ts.sys.readFile);
if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
const program = ts.createProgram({ rootNames: entries, options: { ...parsed.options, noEmit: true } });
const checker = program.getTypeChecker();

/** Whether a declaration (or, for a variable, its statement) has an `@example` tag. */
function hasExample(declaration) {
  return ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'example');
}

function where(declaration) {
  const file = declaration.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(declaration.getStart(file));
  return `${path.relative(root, file.fileName)}:${line + 1}`;
}

const missing = [];
let checked = 0;
for (const entry of entries) {
  const source = program.getSourceFile(entry);
  if (source === undefined) throw new Error(`cannot read ${entry}`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) throw new Error(`${entry} is not a module`);
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declarations = symbol.declarations ?? [];
    checked++;
    if (!declarations.some(hasExample)) {
      const first = declarations[0];
      missing.push(`${path.relative(root, entry)}: ${exported.name}${first === undefined ? '' : ` (${where(first)})`}`);
    }
  }
}

if (missing.length > 0) {
  console.error(`check-tsdoc: ${missing.length} of ${checked} exports have no @example in their TSDoc:`);
  for (const line of missing) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`check-tsdoc: all ${checked} exports of ${entries.map((e) => path.relative(root, e)).join(', ')} have an @example`);
