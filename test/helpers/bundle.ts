import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A second, independent copy of crackstop built from src/ (ESM and CJS), in a temp directory. */
export interface Bundle {
  readonly dir: string;
  /** `index.mjs`: src/index.ts as one ES module. */
  readonly esm: string;
  /** `index.cjs`: src/index.ts as one CommonJS module. */
  readonly cjs: string;
  remove(): Promise<void>;
}

/** Bundles src/index.ts with esbuild (as tsup would, without minifying) into a fresh temp dir. */
export async function bundleCrackstop(): Promise<Bundle> {
  const dir = await mkdtemp(join(tmpdir(), 'crackstop-bundle-'));
  const common: BuildOptions = { entryPoints: [join(root, 'src/index.ts')], bundle: true, platform: 'node', target: 'es2022', logLevel: 'silent' };
  const esm = join(dir, 'index.mjs');
  const cjs = join(dir, 'index.cjs');
  await Promise.all([build({ ...common, format: 'esm', outfile: esm }), build({ ...common, format: 'cjs', outfile: cjs })]);
  return { dir, esm, cjs, remove: () => rm(dir, { recursive: true, force: true }) };
}
