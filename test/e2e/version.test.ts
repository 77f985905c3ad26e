// The built CLI answers --version and --help without a command: what users and packagers try first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SIGNET_VERSION } from '../../src/version.js';

const CLI = join(process.cwd(), 'dist/cli/main.js');
// A private cache directory: the compile cache must never change what the CLI prints.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'signet-cache-')),
  NO_COLOR: '1',
};
delete env.NODE_COMPILE_CACHE;

function signet(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/ is missing: run npm run build first');
});

describe('signet --version / --help', () => {
  it('prints the version alone on stdout and exits 0 (long and short form)', () => {
    for (const flag of ['--version', '-V']) {
      const r = signet(flag);
      expect(r).toEqual({ code: 0, stdout: `${SIGNET_VERSION}\n`, stderr: '' });
    }
  });

  it('prints the same output the second time, when the compile cache is warm', () => {
    const first = signet('--help');
    const second = signet('--help');
    expect(first.code).toBe(0);
    expect(second).toEqual(first);
    expect(first.stdout).toMatch(/-V, --version\s+print Signet's version/);
    for (const command of ['demo', 'scan', 'iac', 'init', 'iam-policy', 'sandbox'])
      expect(first.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it("shows a command's options and defaults without loading it", () => {
    const r = signet('scan', '--help');
    expect(r.code).toBe(0);
    // Help wraps to the terminal width: compare with whitespace collapsed.
    const help = r.stdout.replace(/\s+/g, ' ');
    expect(help).toContain(
      '--role-name <name> role to assume in other accounts (default: "OrganizationAccountAccessRole")',
    );
    expect(help).toContain('--concurrency <n> account-regions collected at once (default: "16")');
    const sandbox = signet('sandbox', '--help').stdout.replace(/\s+/g, ' ');
    expect(sandbox).toContain('--seed <name> build a fleet first: demo, scale');
  });

  it('an unknown option still fails as a usage error', () => {
    const r = signet('--versoin');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("unknown option '--versoin'");
  });
});
