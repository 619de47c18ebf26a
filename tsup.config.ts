import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', testing: 'src/testing.ts', node: 'src/node.ts' },
  format: ['esm', 'cjs'],
  target: 'es2022',
  platform: 'neutral',
  // tsup#1388: its dts build passes `baseUrl`, which TypeScript 6 deprecates.
  // `types: ['node']` for the declarations of crackstop/node only: core is type-checked without
  // Node types by `tsc -p tsconfig.json`, which excludes src/node*.
  dts: { compilerOptions: { ignoreDeprecations: '6.0', types: ['node'] } },
  sourcemap: true,
  clean: true,
  splitting: false,
  // `treeshake: true` writes two sourceMappingURL lines (packaging.md).
  treeshake: false,
  removeNodeProtocol: false,
  external: [/^node:/],
});
