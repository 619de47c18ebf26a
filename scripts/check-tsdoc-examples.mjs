#!/usr/bin/env node
// Fails (exit 1) when a ```ts code block of an `@example` in the TSDoc of an export of a public
// entry point (or of one of its members) does not type-check.
// Usage: node scripts/check-tsdoc-examples.mjs [entry.ts ...]   (default: src/index.ts src/testing.ts src/node.ts)
//
// Each block becomes a virtual ES module (`<root>/.tsdoc-examples/<file>.L<line>.mts`, never written
// to disk) compiled as application code: tsconfig.json's strict options with Node types, where
// 'crackstop', 'crackstop/testing' and 'crackstop/node' resolve to src/ (not dist/). All blocks are
// checked in one program. Examples get nothing but the libs (ES2022, DOM, Node: `fetch`, `console`,
// `process`, top-level await): anything else they use, they import or declare themselves.
import path from 'node:path';
import ts from 'typescript';
import { entriesFromArgv, publicExports, readCompilerOptions, relative, root } from './lib/public-exports.mjs';

const entries = entriesFromArgv();
const packageEntries = { crackstop: 'src/index.ts', 'crackstop/testing': 'src/testing.ts', 'crackstop/node': 'src/node.ts' };
const options = readCompilerOptions({
  types: ['node'],
  paths: Object.fromEntries(Object.entries(packageEntries).map(([name, file]) => [name, [`./${file}`]])),
  // Examples are application code: no declarations are emitted for them, and they live outside src/.
  declaration: false,
  declarationMap: false,
  isolatedDeclarations: false,
});
delete options.rootDir;
const examplesDir = path.join(root, '.tsdoc-examples');
const codeLanguages = new Set(['ts', 'typescript', 'mts']);

// A compiler host that also serves the virtual example files, and parses each real file once for
// both programs (the export walk, then the check).
const virtualFiles = new Map();
const parsed = new Map();
const host = ts.createCompilerHost(options, true);
const realGetSourceFile = host.getSourceFile.bind(host);
const realFileExists = host.fileExists.bind(host);
const realReadFile = host.readFile.bind(host);
host.fileExists = (file) => virtualFiles.has(file) || realFileExists(file);
host.readFile = (file) => virtualFiles.get(file) ?? realReadFile(file);
host.getSourceFile = (file, languageVersion, onError, shouldCreate) => {
  const text = virtualFiles.get(file);
  if (text !== undefined) return ts.createSourceFile(file, text, languageVersion, true);
  let source = parsed.get(file);
  if (source === undefined) {
    source = realGetSourceFile(file, languageVersion, onError, shouldCreate);
    parsed.set(file, source);
  }
  return source;
};

/** The `@example` tags of a declaration and of its members: `{ tag, host }`, outermost first. */
function exampleTags(declaration) {
  const found = [];
  const visit = (node) => {
    for (const tag of ts.getJSDocTags(node)) if (tag.tagName.text === 'example') found.push({ tag, host: node });
    ts.forEachChild(node, visit);
  };
  visit(declaration);
  return found;
}

/**
 * The fenced code blocks of an `@example` tag, read from the source text (so that a line of code
 * starting with `@` does not end the tag): `{ language, line, code }` with `line` the 0-based
 * line of the block's first line of code; `{ error }` for an unclosed fence.
 */
function codeBlocks(tag) {
  const source = tag.getSourceFile();
  const { text } = source;
  const starts = source.getLineStarts();
  const tagStart = tag.getStart(source);
  const comment = ts.findAncestor(tag, ts.isJSDoc) ?? tag;
  const first = source.getLineAndCharacterOfPosition(tagStart).line;
  const last = source.getLineAndCharacterOfPosition(comment.end).line;
  const blocks = [];
  let open;
  for (let line = first; line <= last; line++) {
    let content = text.slice(line === first ? tagStart + '@example'.length : starts[line], starts[line + 1] ?? text.length).replace(/\r?\n$/, '');
    if (line === last) content = content.replace(/\*\/.*$/, '');
    if (line !== first) content = content.replace(/^\s*\* ?/, '');
    if (open === undefined) {
      if (line !== first && /^\s*@\w/.test(content)) break;
      const fence = /^\s*(`{3,}|~{3,})\s*([\w-]*)/.exec(content);
      if (fence !== null) open = { fence: fence[1], language: fence[2].toLowerCase(), fenceLine: line, line: line + 1, lines: [] };
    } else if (content.trim() === open.fence) {
      blocks.push({ language: open.language, line: open.line, code: open.lines.join('\n') });
      open = undefined;
    } else {
      open.lines.push(content);
    }
  }
  if (open !== undefined) blocks.push({ error: `unclosed ${open.fence} fence (line ${open.fenceLine + 1})` });
  return blocks;
}

// 1. Walk the exports and collect their examples (each tag once, even when exported twice).
const walk = ts.createProgram({ rootNames: entries, options, host });
const examples = [];
const failures = [];
const seen = new Set();
let exportCount = 0;
for (const { name, declarations } of publicExports(walk, entries)) {
  exportCount++;
  for (const declaration of declarations) {
    for (const { tag, host: owner } of exampleTags(declaration)) {
      if (seen.has(tag)) continue;
      seen.add(tag);
      const source = tag.getSourceFile();
      const tagLine = source.getLineAndCharacterOfPosition(tag.getStart(source)).line;
      const member = owner === declaration ? undefined : ts.getNameOfDeclaration(owner)?.getText(source);
      const label = `export ${name}${member === undefined ? '' : `.${member}`}`;
      const at = (line) => `${relative(source.fileName)}:${line + 1} (${label})`;
      const fail = (line, text) => failures.push({ file: source.fileName, tagLine, line, message: `${at(line)}: ${text}` });
      const blocks = codeBlocks(tag);
      const code = blocks.filter((block) => block.error === undefined && codeLanguages.has(block.language));
      for (const block of blocks) if (block.error !== undefined) fail(tagLine, block.error);
      if (code.length === 0 && blocks.every((block) => block.error === undefined)) fail(tagLine, '@example has no ```ts code block');
      for (const block of code) {
        const file = path.join(examplesDir, `${relative(source.fileName)}.L${block.line + 1}.mts`);
        virtualFiles.set(file, block.code);
        examples.push({ file, line: block.line, fail });
      }
    }
  }
}

// 2. Check every example in one program.
const program = ts.createProgram({ rootNames: [...entries, ...examples.map((e) => e.file)], options, host, oldProgram: walk });
const message = (diagnostic) => `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n').replaceAll('\n', '\n    ')}`;
for (const diagnostic of [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()]) {
  failures.push({ file: '', tagLine: 0, line: 0, message: `compiler options: ${message(diagnostic)}` });
}
if (examples.length > 0) {
  // The package names must reach src/, not a stale dist/ through package.json's `exports`.
  for (const [name, file] of Object.entries(packageEntries)) {
    const resolved = ts.resolveModuleName(name, examples[0].file, options, host).resolvedModule?.resolvedFileName;
    if (resolved !== path.join(root, file)) failures.push({ file: '', tagLine: 0, line: 0, message: `'${name}' resolves to ${resolved ?? 'nothing'}, not ${file}` });
  }
}
for (const example of examples) {
  const source = program.getSourceFile(example.file);
  for (const diagnostic of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
    const line = example.line + source.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line;
    example.fail(line, message(diagnostic));
  }
}

if (failures.length > 0) {
  failures.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const failing = new Set(failures.map((f) => `${f.file}:${f.tagLine}`)).size;
  console.error(`check-tsdoc-examples: ${failures.length} error(s) in ${failing} @example(s) of ${entries.map(relative).join(', ')}:`);
  for (const failure of failures) console.error(`  ${failure.message}`);
  process.exit(1);
}
console.log(`check-tsdoc-examples: all ${examples.length} @example blocks of the ${exportCount} exports of ${entries.map(relative).join(', ')} type-check`);
