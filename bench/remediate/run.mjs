// Benchmark of `signet plan` + `signet apply` (+ `rollback`) for one account-region of the `scale`
// fleet, with AWS's request quotas on: calls per operation and wall time against the quota lower bound.
//
//   npm run build && node bench/remediate/run.mjs [--functions 1000] [--cscs 20]
//
// The sandbox runs in a child process, seeded with quotas off; plan/apply/rollback run as the built CLI.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BOOTSTRAP = {
  AWS_ACCESS_KEY_ID: 'AKIASANDBOXADMIN0001',
  AWS_SECRET_ACCESS_KEY: 'sandbox/secret/admin/0000000000000000000',
  AWS_REGION: 'us-east-1',
};
// The sandbox's rates (AWS's documented Lambda quotas; 50/s where AWS publishes none).
const RATES = { 'lambda:GetFunction': 100, 'lambda:control': 15, other: 50 };

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const functions = Number(arg('functions', '1000'));
const cscs = Number(arg('cscs', '20'));

async function startSandbox() {
  const child = spawn(
    process.execPath,
    [
      'dist/cli/main.js',
      'sandbox',
      '--port',
      '0',
      '--no-quotas',
      '--seed',
      'scale',
      '--seed-param',
      `functions=${functions}`,
      '--seed-param',
      `cscs=${cscs}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const endpoint = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited ${code}: ${stderr}`)));
  });
  return { child, endpoint };
}

async function admin(endpoint, path, body) {
  const res = await fetch(`${endpoint}/_sandbox/${path}`, {
    method: body ? 'POST' : 'GET',
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return res.json();
}

function bucketOf(stat) {
  if (stat.service === 'lambda')
    return stat.operation === 'GetFunction' ? 'lambda:GetFunction' : 'lambda:control';
  return `${stat.service}:*`;
}

function summarise(calls) {
  const byOperation = {};
  const byBucket = new Map();
  let total = 0;
  let throttled = 0;
  for (const s of calls) {
    const ok = s.count - s.throttled;
    byOperation[`${s.service}:${s.operation}`] = (byOperation[`${s.service}:${s.operation}`] ?? 0) + ok;
    total += ok;
    throttled += s.throttled;
    const key = `${s.accountId}|${s.region}|${bucketOf(s)}`;
    byBucket.set(key, (byBucket.get(key) ?? 0) + ok);
  }
  let lowerBound = 0;
  for (const [key, count] of byBucket) {
    const seconds = count / (RATES[key.split('|')[2]] ?? RATES.other);
    if (seconds > lowerBound) lowerBound = seconds;
  }
  return { total, throttled, byOperation, lowerBound };
}

function signet(args, endpoint) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['dist/cli/main.js', ...args], {
      env: { ...process.env, ...BOOTSTRAP, AWS_ENDPOINT_URL: endpoint, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

async function measure(label, endpoint, args) {
  await admin(endpoint, 'stats/reset', {});
  const run = await signet(args, endpoint);
  if (run.code !== 0) throw new Error(`${label} failed (${run.code}): ${run.stderr}`);
  const stats = summarise((await admin(endpoint, 'stats')).calls);
  const ratio = stats.lowerBound ? run.seconds / stats.lowerBound : 0;
  console.log(
    `${label.padEnd(9)} ${run.seconds.toFixed(1).padStart(6)} s wall, ${String(stats.total).padStart(5)} calls (${stats.throttled} throttled), quota lower bound ${stats.lowerBound.toFixed(1)} s → ${ratio.toFixed(2)}x`,
  );
  console.log(
    `          ${Object.entries(stats.byOperation)
      .sort()
      .map(([op, n]) => `${op} ${n}`)
      .join(', ')}`,
  );
  return run;
}

const dir = mkdtempSync(join(tmpdir(), 'signet-bench-remediate-'));
const planFile = join(dir, 'plan.json');
const { child, endpoint } = await startSandbox();
try {
  await admin(endpoint, 'quotas', { enabled: true, scale: 1 });
  console.log(
    `remediation benchmark: 1 account × 1 region × ${functions} functions, ${cscs} CSCs (half Warn)`,
  );
  await measure('plan', endpoint, ['plan', '--regions', 'us-east-1', '--output', planFile]);
  const plan = JSON.parse(readFileSync(planFile, 'utf8'));
  const counts = {};
  for (const s of plan.steps) counts[s.action] = (counts[s.action] ?? 0) + 1;
  console.log(
    `          plan: ${plan.steps.length} steps (${Object.entries(counts)
      .map(([a, n]) => `${n} ${a}`)
      .join(', ')})`,
  );
  await measure('apply', endpoint, ['apply', planFile, '--yes']);
  await measure('verify', endpoint, ['verify', '--plan', planFile]);
  await measure('rollback', endpoint, ['rollback', planFile, '--yes']);
} finally {
  child.kill('SIGTERM');
}
