// Shared scaffolding of the benchmarks that run against the sandbox in a child process: arguments, a
// seeded sandbox, its admin endpoints, and the quota lower bound of the calls a command made.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The sandbox's bootstrap admin (sandbox-only keys, printed by `signet sandbox`). */
export const BOOTSTRAP = {
  accessKeyId: 'AKIASANDBOXADMIN0001',
  secretAccessKey: 'sandbox/secret/admin/0000000000000000000',
};

/** `--name value` from the command line, or the fallback. */
export function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

// The sandbox's rates (AWS's documented Lambda and CloudTrail quotas; 50/s where AWS publishes none),
// taken from the build so the bound cannot drift from what the sandbox enforces.
const { DEFAULT_RATES, DEFAULT_UNDOCUMENTED_RATE } = await import(resolve('dist/sandbox/quotas.js'));

/** Starts `signet sandbox` (quotas off) seeded with the `scale` fleet; resolves with its endpoint. */
export async function startScaleSandbox(params) {
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
      ...Object.entries(params).flatMap(([k, v]) => ['--seed-param', `${k}=${v}`]),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const endpoint = await new Promise((resolveEndpoint, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) resolveEndpoint(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited ${code}: ${stderr}`)));
  });
  return { child, endpoint };
}

/** A sandbox control endpoint (`/_sandbox/PATH`): GET without a body, POST with one. */
export async function admin(endpoint, path, body) {
  const res = await fetch(`${endpoint}/_sandbox/${path}`, {
    method: body ? 'POST' : 'GET',
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return res.json();
}

/** The sandbox's quota bucket of a call (per operation where AWS publishes a quota of its own). */
function bucketOf(stat) {
  const own = `${stat.service}:${stat.operation}`;
  if (own in DEFAULT_RATES) return own;
  return stat.service === 'lambda' ? 'lambda:control' : `${stat.service}:*`;
}

/**
 * Calls per operation, and the lower bound: the busiest (account, region, quota bucket)'s successful
 * calls ÷ its rate (it ignores the bucket's initial burst, which is why a short command can beat it).
 */
export function summarise(calls) {
  const byOperation = {};
  const byBucket = new Map();
  let total = 0;
  let throttled = 0;
  const throttledByOperation = {};
  for (const s of calls) {
    const ok = s.count - s.throttled;
    const op = `${s.service}:${s.operation}`;
    byOperation[op] = (byOperation[op] ?? 0) + ok;
    total += ok;
    throttled += s.throttled;
    if (s.throttled) throttledByOperation[op] = (throttledByOperation[op] ?? 0) + s.throttled;
    const key = `${s.accountId}|${s.region}|${bucketOf(s)}`;
    byBucket.set(key, (byBucket.get(key) ?? 0) + ok);
  }
  let lowerBound = 0;
  let busiest = '';
  for (const [key, count] of byBucket) {
    const bucket = key.split('|')[2];
    const seconds = count / (DEFAULT_RATES[bucket] ?? DEFAULT_UNDOCUMENTED_RATE);
    if (seconds > lowerBound) {
      lowerBound = seconds;
      busiest = `${key} (${count} calls)`;
    }
  }
  return { total, throttled, throttledByOperation, byOperation, lowerBound, busiest };
}
