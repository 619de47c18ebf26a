// Shared by the TSDoc checks: the repository root, the public entry points, and a walk over the
// exports of those entry points with the TypeScript compiler API.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import ts from 'typescript';

/** The repository root (the directory holding package.json). */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The entry points of the package: `crackstop`, `crackstop/testing`, `crackstop/node`. */
export const defaultEntries = ['src/index.ts', 'src/testing.ts', 'src/node.ts'];

/** The entry files named on the command line (default: {@link defaultEntries}), as absolute paths. */
export function entriesFromArgv(argv = process.argv) {
  return (argv.length > 2 ? argv.slice(2) : defaultEntries).map((f) => path.resolve(root, f));
}

/** A path relative to the root, for messages. */
export function relative(file) {
  return path.relative(root, file);
}

/**
 * The compiler options of `tsconfig.json` at the root, with `overrides` (tsconfig.json syntax,
 * e.g. `{ types: ['node'], paths: { ... } }`; relative paths resolve against the root).
 */
export function readCompilerOptions(overrides = {}) {
  const configPath = path.join(root, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const json = { ...config.config, compilerOptions: { ...config.config.compilerOptions, ...overrides } };
  const parsed = ts.parseJsonConfigFileContent(json, ts.sys, root, undefined, configPath);
  if (parsed.errors.length > 0) throw new Error(parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
  return { ...parsed.options, noEmit: true };
}

/** `file:line` (relative to the root, 1-based line) of a node's start. */
export function where(node) {
  const file = node.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
  return `${relative(file.fileName)}:${line + 1}`;
}

/**
 * Every export of every entry: `{ entry, name, declarations }`, with aliases (re-exports)
 * followed to the declarations they name. An entry that re-exports a name from another entry
 * yields it once per entry.
 */
export function publicExports(program, entries) {
  const checker = program.getTypeChecker();
  const result = [];
  for (const entry of entries) {
    const source = program.getSourceFile(entry);
    if (source === undefined) throw new Error(`cannot read ${entry}`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    if (moduleSymbol === undefined) throw new Error(`${entry} is not a module`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      result.push({ entry, name: exported.name, declarations: symbol.declarations ?? [] });
    }
  }
  return result;
}
