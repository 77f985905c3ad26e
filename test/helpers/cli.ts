// Test helper: the built CLI (dist/, from `npm run build`), refused when it is older than src/ so an
// e2e run can never pass (or fail) on yesterday's build.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const ROOT = process.cwd();
export const CLI = join(ROOT, 'dist/cli/main.js');

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/**
 * Why dist/ cannot be trusted for `src` (undefined when every src/X.ts has a dist/X.js at least as
 * new). Pass other roots in tests.
 */
export function staleDistReason(root = ROOT): string | undefined {
  const src = join(root, 'src');
  const dist = join(root, 'dist');
  if (!existsSync(join(dist, 'cli/main.js'))) return 'dist/cli/main.js is missing';
  for (const file of tsFiles(src)) {
    const rel = relative(src, file);
    const built = join(dist, rel.replace(/\.ts$/, '.js'));
    if (!existsSync(built)) return `dist/${relative(dist, built)} is missing (src/${rel} has no build)`;
    if (statSync(built).mtimeMs < statSync(file).mtimeMs)
      return `src/${rel} changed after dist/${relative(dist, built)} was built`;
  }
  return undefined;
}

/** Throws a clear error when dist/ is stale: e2e tests call it before running the CLI. */
export function requireFreshDist(root = ROOT): void {
  const reason = staleDistReason(root);
  if (reason)
    throw new Error(`dist/ is stale: ${reason}; run 'npm run build' (npm test does) and test again`);
}

export interface CliRun {
  code: number | null;
  /** The signal that ended the process, if one did. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

let freshChecked = false;

/**
 * Runs the built CLI asynchronously (an in-process sandbox must keep answering meanwhile), after checking
 * once that dist/ is not older than src/. `env` is added to this process's environment, with NO_COLOR set.
 */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  if (!freshChecked) {
    requireFreshDist();
    freshChecked = true;
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
