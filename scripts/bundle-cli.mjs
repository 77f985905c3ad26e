// `npm run build`, second step: bundle the `signet` executable (dist/cli/bin.js, package.json "bin")
// with rolldown so start-up reads a few files instead of ~200 modules (docs/benchmarks.md, "CLI
// start-up"). Each command stays its own chunk, loaded when it runs; the library (dist/index.js and
// the rest of dist/, from tsc) is untouched. Source maps point at src/: `signet --debug` turns them on
// for stack traces.
import { chmodSync, rmSync } from 'node:fs';
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

/**
 * yaml's Node build is CommonJS (~10 ms more to start than its ES module build, which tree-shakes too).
 * Its ES build is the "browser" one, which differs only in log.js: warnings go to console.warn instead of
 * process.emitWarning. This plugin bundles the ES build with the Node log.js, so `signet` behaves as the
 * tsc build does (test/e2e/bundle.test.ts compares them on a YAML warning).
 */
const YAML_ESM = join(ROOT, 'node_modules/yaml/browser/index.js');
const YAML_ESM_LOG = join(ROOT, 'node_modules/yaml/browser/dist/log.js');
const yamlEsmWithNodeLog = {
  name: 'yaml-esm-with-node-log',
  resolveId(source) {
    return source === 'yaml' ? YAML_ESM : null;
  },
  load(id) {
    if (id !== YAML_ESM_LOG) return null;
    // node_modules/yaml/dist/log.js, as an ES module.
    return `import node_process from 'node:process';
function debug(logLevel, ...messages) {
  if (logLevel === 'debug') console.log(...messages);
}
function warn(logLevel, warning) {
  if (logLevel === 'debug' || logLevel === 'warn') {
    if (typeof node_process.emitWarning === 'function') node_process.emitWarning(warning);
    else console.warn(warning);
  }
}
export { debug, warn };
`;
  },
};

/**
 * commander loads node:child_process when it loads (~3 ms), for executable subcommands (`git-style`
 * commands run as separate programs), which Signet has none of: the bundle loads it only if one ran.
 */
const COMMANDER_COMMAND = /node_modules[\\/]commander[\\/]lib[\\/]command\.js$/;
const CHILD_PROCESS_EAGER = "const childProcess = require('node:child_process');";
const commanderLazyChildProcess = {
  name: 'commander-lazy-child-process',
  transform(code, id) {
    if (!COMMANDER_COMMAND.test(id)) return null;
    if (!code.includes(CHILD_PROCESS_EAGER))
      throw new Error(`${id} no longer loads child_process as expected: update scripts/bundle-cli.mjs`);
    const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
    const lines = code.split('\n').length;
    // One line replaced by one line: a line-for-line map keeps stack traces pointing at commander's lines.
    const mappings = ['AAAA', ...Array(lines - 1).fill('AACA')].join(';');
    return {
      code: code.replace(CHILD_PROCESS_EAGER, lazy),
      map: { version: 3, sources: [id], names: [], mappings },
    };
  },
};

/**
 * `import { readFileSync } from "node:fs"` makes Node build an ES module facade of the builtin, which
 * reads every export (fs's lazy ReadStream getters load its streams): ~4 ms over the iac path. The
 * chunks take the builtins Node has already loaded, as CommonJS does: `process.getBuiltinModule`
 * (Node >= 22.3), else `createRequire`. Each rewrite keeps its line, so the source maps stay right.
 */
const BUILTIN_IMPORT = /^import (?:(\w+)|\{([^}\n]*)\}) from "(node:[a-z_/]+)";$/gm;
const KEEP_AS_IMPORT = new Set(['node:module', 'node:sqlite']);
const builtinsWithoutFacades = {
  name: 'builtins-without-esm-facades',
  renderChunk(code) {
    let first = true;
    let rewritten = 0;
    const out = code.replace(BUILTIN_IMPORT, (line, defaultName, named, id) => {
      if (KEEP_AS_IMPORT.has(id)) return line;
      rewritten++;
      const bindings = defaultName
        ? defaultName
        : `{ ${named
            .split(',')
            .map((b) => b.trim())
            .filter(Boolean)
            .map((b) => b.replace(/^(\S+) as (\S+)$/, '$1: $2'))
            .join(', ')} }`;
      const helper = first
        ? 'import { createRequire as __signetCreateRequire } from "node:module"; const __signetBuiltin = typeof process.getBuiltinModule === "function" ? (id) => process.getBuiltinModule(id) : __signetCreateRequire(import.meta.url); '
        : '';
      first = false;
      return `${helper}const ${bindings} = __signetBuiltin("${id}");`;
    });
    if (!rewritten) return null;
    const lines = out.split('\n').length;
    return {
      code: out,
      map: {
        version: 3,
        sources: [''],
        names: [],
        mappings: ['AAAA', ...Array(lines - 1).fill('AACA')].join(';'),
      },
    };
  },
};

rmSync(join(OUT, 'chunks'), { recursive: true, force: true });
await build({
  input: { bin: join(ROOT, 'src/cli/bin.ts') },
  platform: 'node',
  plugins: [yamlEsmWithNodeLog, commanderLazyChildProcess, builtinsWithoutFacades],
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
// npm makes package bins executable on install; `npm link` and a checkout need it too.
chmodSync(join(OUT, 'bin.js'), 0o755);
