// `npm run build`, second step: bundle the `signet` executable (dist/cli/bin.js, package.json "bin")
// with rolldown so start-up reads a few files instead of ~200 modules (docs/benchmarks.md, "CLI
// start-up"). Each command stays its own chunk, loaded when it runs; the library (dist/index.js and
// the rest of dist/, from tsc) is untouched. Source maps point at src/: `signet --debug` turns them on
// for stack traces.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'rolldown';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'dist/cli');

/**
 * Pure-JavaScript packages on the start-up paths, bundled. Everything else (the AWS SDK, hono, the IAM
 * data set that reads its own JSON files) stays a normal import of node_modules.
 */
const BUNDLED = ['commander', 'yaml', 'zod', 'jsonc-parser', 'smol-toml', '@oxc-project/runtime'];
const bundled = (id) => BUNDLED.some((name) => id === name || id.startsWith(`${name}/`));

rmSync(join(OUT, 'chunks'), { recursive: true, force: true });
await build({
  input: { bin: join(ROOT, 'src/cli/bin.ts') },
  platform: 'node',
  tsconfig: join(ROOT, 'tsconfig.build.json'),
  // jsonc-parser's "main" is a UMD build whose require() calls a bundler cannot follow; its ESM build is "module".
  resolve: { mainFields: ['module', 'main'] },
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0') && !bundled(id),
  transform: { target: 'node22' },
  logLevel: 'warn',
  output: {
    dir: OUT,
    format: 'esm',
    sourcemap: true,
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    // Keep the `#!/usr/bin/env node` line and readable code: stack traces name real functions.
    minify: false,
  },
});
