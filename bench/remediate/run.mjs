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
import { admin, arg, BOOTSTRAP, startScaleSandbox, summarise } from '../lib/sandbox.mjs';

const functions = Number(arg('functions', '1000'));
const cscs = Number(arg('cscs', '20'));

function signet(args, endpoint) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['dist/cli/main.js', ...args], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: BOOTSTRAP.accessKeyId,
        AWS_SECRET_ACCESS_KEY: BOOTSTRAP.secretAccessKey,
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: endpoint,
        NO_COLOR: '1',
      },
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
    `${label.padEnd(9)} ${run.seconds.toFixed(1).padStart(6)} s wall, ${String(stats.total).padStart(5)} calls (${stats.throttled} throttled), quota lower bound ${stats.lowerBound.toFixed(1)} s (${stats.busiest}) → ${ratio.toFixed(2)}x`,
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
const { child, endpoint } = await startScaleSandbox({ functions, cscs });
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
