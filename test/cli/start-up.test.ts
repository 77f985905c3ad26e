// `signet --help` and `--version` must not pay for modules no command has asked for yet: the static
// import graph of the CLI entry point stays free of the AWS SDK, the sandbox, YAML/zod, the engine, the
// IaC adapters, the rules and the reporters (commands load those with `await import()` in their action).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const ENTRY = join(ROOT, 'src/cli/main.ts');

/** Module specifiers a file loads when it is evaluated (type-only imports are erased; `{ type X }` is not). */
function staticImports(source: string): string[] {
  const specs: string[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(re)) {
    if (m[2]) continue;
    // `export const x = …` and friends never reach here: they have no quoted specifier after from.
    specs.push(m[3]!);
  }
  return specs;
}

/** Every module reached through static imports from `entry`, with the chain that reached it. */
function staticGraph(entry: string): Map<string, string[]> {
  const reached = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  while (queue.length) {
    const file = queue.shift()!;
    const chain = reached.get(file)!;
    for (const spec of staticImports(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('node:')) continue;
      if (!spec.startsWith('.')) {
        if (!reached.has(spec)) reached.set(spec, [...chain, spec]);
        continue;
      }
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      if (!existsSync(target))
        throw new Error(`${relative(ROOT, file)} imports ${spec}, which does not exist`);
      if (reached.has(target)) continue;
      reached.set(target, [...chain, target]);
      queue.push(target);
    }
  }
  return reached;
}

const HEAVY: { what: string; test: (id: string) => boolean }[] = [
  { what: 'a package other than commander', test: (id) => !id.startsWith('/') && id !== 'commander' },
  {
    what: 'the sandbox (besides its lazy seeds registry)',
    test: (id) => id.includes('/src/sandbox/') && !id.endsWith('/src/sandbox/seeds/index.ts'),
  },
  ...['aws/clients.ts', 'aws/collect/scan.ts', 'aws/collect/region.ts'].map((p) => ({
    what: `src/${p}`,
    test: (id: string) => id.endsWith(`/src/${p}`),
  })),
  ...['engine', 'iac', 'report', 'rules', 'config'].map((dir) => ({
    what: `src/${dir}/`,
    test: (id: string) => id.includes(`/src/${dir}/`),
  })),
  {
    what: 'the zod snapshot/finding schemas',
    test: (id) => /\/src\/model\/(snapshot|finding)\.ts$/.test(id),
  },
];

describe('CLI start-up', () => {
  it('loads no heavy module before a command runs', () => {
    const graph = staticGraph(ENTRY);
    const offenders: string[] = [];
    for (const [id, chain] of graph) {
      const heavy = HEAVY.find((h) => h.test(id));
      if (heavy)
        offenders.push(
          `${heavy.what}: ${chain.map((c) => (c.startsWith('/') ? relative(ROOT, c) : c)).join(' → ')}`,
        );
    }
    // Move the import into the command's action: `const { x } = await import('…')`.
    expect(offenders).toEqual([]);
    // The walk really followed the command files.
    expect([...graph.keys()].some((id) => id.endsWith('/src/cli/scan-command.ts'))).toBe(true);
    expect(graph.has('commander')).toBe(true);
  });

  it('reads imports the way the compiler emits them', () => {
    const src = [
      "import type { A } from 'type-only';",
      "import { type B, c } from 'mixed';",
      "import {\n  d,\n  e,\n} from './multi.js';",
      "export { f } from './re-export.js';",
      "export type { G } from './type-re-export.js';",
      "import './side-effect.js';",
      'const later = await import("./lazy.js");',
    ].join('\n');
    expect(staticImports(src)).toEqual(['mixed', './multi.js', './re-export.js', './side-effect.js']);
  });
});
