// `npm run bench:startup`: how long `signet` takes to start, against `node -e 0`, as a user runs it
// (the built executable, warm compile cache). Prints per case the median wall time, the mean CPU time
// (user + system, the steadier figure on a shared machine), the median peak RSS, and the ratios to
// node's. Needs hyperfine and /usr/bin/time (Debian: apt-get install hyperfine time).
// Options: --runs N (default 30), --cli PATH (another build's dist/cli/bin.js), --cases a,b.
// Records go to docs/benchmarks.md, "CLI start-up", with `uptime`'s load beside them.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    cli: { type: 'string', default: join(ROOT, 'dist/cli/bin.js') },
    cases: { type: 'string' },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs ${values.runs} must be a positive integer`);
const cli = resolve(values.cli);
if (!existsSync(cli)) throw new Error(`${cli} does not exist: run npm run build (or pass --cli)`);
if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is missing: apt-get install time');

const TEMPLATE = join(ROOT, 'docs/rules/examples/function-has-code-signing-config/sam-bad/template.yaml');
// The `signet` command as npm installs it: a symlink to the executable, run through its shebang.
const bin = join(mkdtempSync(join(tmpdir(), 'signet-startup-bin-')), 'signet');
symlinkSync(cli, bin);
const node = process.execPath;
const CASES = {
  node: ['node -e 0', [node, '-e', '0']],
  version: ['signet --version', [node, cli, '--version']],
  help: ['signet --help', [node, cli, '--help']],
  'bin-help': ['signet --help (npm bin symlink, shebang)', [bin, '--help']],
  'iac-help': ['signet iac --help', [node, cli, 'iac', '--help']],
  iac: ['signet iac (one small SAM template)', [node, cli, 'iac', TEMPLATE]],
  'bin-iac': ['signet iac (npm bin symlink, shebang)', [bin, 'iac', TEMPLATE]],
  'iac-json': ['signet iac --format json (same template)', [node, cli, 'iac', TEMPLATE, '--format', 'json']],
};
const chosen = values.cases ? values.cases.split(',') : Object.keys(CASES);
for (const c of chosen)
  if (!CASES[c]) throw new Error(`unknown case ${c}; use ${Object.keys(CASES).join(',')}`);
if (!chosen.includes('node')) chosen.unshift('node');

// A private compile cache, warmed by the first runs (what a user has after running signet once).
const cache = mkdtempSync(join(tmpdir(), 'signet-startup-cache-'));
// The shebang's `env node` must find the Node that runs this benchmark.
const env = {
  ...process.env,
  PATH: `${dirname(node)}:${process.env.PATH}`,
  XDG_CACHE_HOME: cache,
  NO_COLOR: '1',
};
delete env.NODE_COMPILE_CACHE;
delete env.NODE_DISABLE_COMPILE_CACHE;

/** Peak RSS (MB) of one run, from /usr/bin/time (its CPU figures have only 10 ms resolution). */
function peakRss(args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', ...args], { env, encoding: 'utf8' });
  const kb = Number(r.stderr.trim().split('\n').pop());
  if (!Number.isFinite(kb)) throw new Error(`cannot read /usr/bin/time's output: ${r.stderr}`);
  return kb / 1024;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
let commit = '';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
} catch {}
console.log(
  `signet ${version} ${commit} · node ${process.versions.node} · ${runs} runs per case after 3 warm-up (wall: median, CPU: mean user + system, RSS: median of 5) · load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
// hyperfine measures wall and CPU time (getrusage, microseconds) without a shell in between.
const json = join(cache, 'hyperfine.json');
const commands = chosen.map((name) => CASES[name][1].join(' '));
const hf = spawnSync(
  'hyperfine',
  ['-N', '-i', '-w', '3', '-r', String(runs), '--export-json', json, ...commands],
  { env, encoding: 'utf8' },
);
if (hf.error || hf.status !== 0)
  throw new Error(`hyperfine failed (apt-get install hyperfine): ${hf.error?.message ?? hf.stderr}`);
const measured = JSON.parse(readFileSync(json, 'utf8')).results;
const results = {};
chosen.forEach((name, i) => {
  const m = measured[i];
  results[name] = {
    wall: m.median * 1000,
    cpu: (m.user + m.system) * 1000,
    rss: median(Array.from({ length: 5 }, () => peakRss(CASES[name][1]))),
  };
});
const base = results.node;
const pad = (s, n) => String(s).padEnd(n);
console.log(
  `${pad('case', 42)}${pad('wall ms', 10)}${pad('CPU ms', 9)}${pad('RSS MB', 9)}${pad('wall ÷ node', 13)}CPU ÷ node`,
);
for (const name of chosen) {
  const r = results[name];
  console.log(
    `${pad(CASES[name][0], 42)}${pad(r.wall.toFixed(0), 10)}${pad(r.cpu.toFixed(0), 9)}${pad(r.rss.toFixed(0), 9)}${pad(`${(r.wall / base.wall).toFixed(2)}×`, 13)}${(r.cpu / base.cpu).toFixed(2)}×`,
  );
}
console.log(
  `load after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
rmSync(cache, { recursive: true, force: true });
rmSync(dirname(bin), { recursive: true, force: true });
