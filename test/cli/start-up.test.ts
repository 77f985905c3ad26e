// `signet --help` and `--version` must not pay for modules no command has asked for yet: the static
// import graph of the CLI entry point stays free of the AWS SDK, the sandbox, YAML/zod, the engine, the
// IaC adapters, the rules and the reporters (commands load those with `await import()` in their action).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

/** The modules the command table (src/cli/commands.ts) loads with `import('./x.js')`. */
function commandModules(): string[] {
  const table = readFileSync(join(ROOT, 'src/cli/commands.ts'), 'utf8');
  const files = [...table.matchAll(/import\('(\.\/[^']+)'\)/g)].map((m) =>
    join(ROOT, 'src/cli', m[1]!.replace(/\.js$/, '.ts')),
  );
  return [...new Set(files)];
}

function heavyOffenders(entry: string): string[] {
  const offenders: string[] = [];
  for (const [id, chain] of staticGraph(entry)) {
    const heavy = HEAVY.find((h) => h.test(id));
    if (heavy)
      offenders.push(
        `${heavy.what}: ${chain.map((c) => (c.startsWith('/') ? relative(ROOT, c) : c)).join(' → ')}`,
      );
  }
  return offenders;
}

describe('CLI start-up', () => {
  it('`signet --help` loads commander and the command table, no command file', () => {
    const graph = staticGraph(ENTRY);
    expect([...graph.keys()].map((id) => (id.startsWith('/') ? relative(ROOT, id) : id)).sort()).toEqual([
      'commander',
      'src/cli/commands.ts',
      'src/cli/compile-cache.ts',
      'src/cli/main.ts',
      'src/cli/program.ts',
      'src/cli/usage.ts',
      'src/errors.ts',
      'src/version.ts',
    ]);
  });

  it('a command file loads no heavy module before its command runs', () => {
    const modules = commandModules();
    // The walk really follows the table's loaders.
    expect(modules.map((m) => relative(ROOT, m))).toContain('src/cli/iac-command.ts');
    expect(modules.length).toBeGreaterThanOrEqual(15);
    // Move the import into the command's action: `const { x } = await import('…')`.
    expect(modules.flatMap((m) => heavyOffenders(m))).toEqual([]);
  });

  it('every command file is in the table', () => {
    const files = readdirSync(join(ROOT, 'src/cli'))
      .filter((f) => /-commands?\.ts$/.test(f))
      .map((f) => join(ROOT, 'src/cli', f));
    expect(commandModules().sort()).toEqual(files.sort());
  });

  it('the executable answers --version from two tiny modules and loads the CLI only when needed', () => {
    const graph = staticGraph(join(ROOT, 'src/cli/bin.ts'));
    expect([...graph.keys()].map((id) => relative(ROOT, id)).sort()).toEqual([
      'src/cli/bin.ts',
      'src/cli/compile-cache.ts',
      'src/version.ts',
    ]);
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin.signet).toBe('dist/cli/bin.js');
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
