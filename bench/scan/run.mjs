// Benchmark of `signet scan` against the sandbox with AWS quotas on, next to a naive collector
// (one GetFunctionCodeSigningConfig and one ListTags per function, as CloudSploit does).
//
//   npm run build && node bench/scan/run.mjs [--cases 1x1x1000,1x1x10000,20x2x250] [--naive-max N]
//                                            [--cloudtrail on|off|both]
//
// --cloudtrail: scan with the governance CloudTrail collector (default, LookupEvents at 2 requests/s per
// busy account-region), without it (`signet scan --no-cloudtrail`), or both, one after the other.
//
// Each case is ACCOUNTSxREGIONSxFUNCTIONS (functions per account-region). The sandbox runs in a child
// process (so the memory figure is the scanner's own), seeded with quotas off, then quotas on.
import { spawn } from 'node:child_process';
import {
  GetFunctionCodeSigningConfigCommand,
  LambdaClient,
  ListTagsCommand,
  paginateListFunctions,
} from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { collectSnapshot } from '../../dist/aws/collect/scan.js';

const BOOTSTRAP = {
  accessKeyId: 'AKIASANDBOXADMIN0001',
  secretAccessKey: 'sandbox/secret/admin/0000000000000000000',
};
const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'];
// The sandbox's rates (AWS's documented Lambda quotas; 50/s where AWS publishes none).
const RATES = { 'lambda:GetFunction': 100, 'lambda:control': 15, 'cloudtrail:LookupEvents': 2, other: 50 };

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const cases = arg('cases', '1x1x1000,1x1x10000,20x2x250')
  .split(',')
  .map((c) => {
    const [accounts, regions, functions] = c.split('x').map(Number);
    return { accounts, regions, functions, cscs: accounts * regions > 1 ? 5 : 20 };
  });
const naiveMax = Number(arg('naive-max', '1000000'));
const trailModes = { on: [true], off: [false], both: [true, false] }[arg('cloudtrail', 'on')] ?? [true];

async function startSandbox(c) {
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
      `accounts=${c.accounts}`,
      '--seed-param',
      `regions=${c.regions}`,
      '--seed-param',
      `functions=${c.functions}`,
      '--seed-param',
      `cscs=${c.cscs}`,
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
  if (stat.service === 'cloudtrail' && stat.operation === 'LookupEvents') return 'cloudtrail:LookupEvents';
  return `${stat.service}:*`;
}

/** Calls per operation, and the lower bound: the busiest (account, region, quota bucket) ÷ its rate. */
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
  let busiest = '';
  for (const [key, count] of byBucket) {
    const bucket = key.split('|')[2];
    const seconds = count / (RATES[bucket] ?? RATES.other);
    if (seconds > lowerBound) {
      lowerBound = seconds;
      busiest = `${key} (${count} calls)`;
    }
  }
  return { total, throttled, byOperation, lowerBound, busiest };
}

async function naiveScan(endpoint, c, accounts) {
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials: BOOTSTRAP });
  const targets = [];
  for (const accountId of accounts) {
    let credentials = BOOTSTRAP;
    if (accountId !== '111111111111') {
      const out = await sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
          RoleSessionName: 'naive',
        }),
      );
      credentials = {
        accessKeyId: out.Credentials.AccessKeyId,
        secretAccessKey: out.Credentials.SecretAccessKey,
        sessionToken: out.Credentials.SessionToken,
      };
    }
    for (const region of REGIONS.slice(0, c.regions)) targets.push({ accountId, region, credentials });
  }
  sts.destroy();
  await Promise.all(
    targets.map(async (t) => {
      const lambda = new LambdaClient({
        endpoint,
        region: t.region,
        credentials: t.credentials,
        maxAttempts: 20,
      });
      const names = [];
      for await (const page of paginateListFunctions({ client: lambda }, {}))
        for (const f of page.Functions ?? []) names.push(f);
      let next = 0;
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          while (next < names.length) {
            const f = names[next++];
            if (f.PackageType !== 'Image')
              await lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: f.FunctionName }));
            await lambda.send(new ListTagsCommand({ Resource: f.FunctionArn }));
          }
        }),
      );
      lambda.destroy();
    }),
  );
}

const results = [];
for (const c of cases) {
  const label = `${c.accounts} account(s) × ${c.regions} region(s) × ${c.functions} functions, ${c.cscs} CSCs each`;
  process.stderr.write(`\n== ${label}\nseeding…\n`);
  const seedStart = Date.now();
  const { child, endpoint } = await startSandbox(c);
  process.stderr.write(`seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s\n`);
  try {
    await admin(endpoint, 'quotas', { enabled: true, scale: 1 });
    let row;
    let snapshot;
    for (const cloudtrail of trailModes) {
      await admin(endpoint, 'stats/reset', {});
      // Let the token buckets refill after seeding.
      await new Promise((r) => setTimeout(r, 1100));
      const memBefore = process.memoryUsage().rss;
      let peak = memBefore;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 50);
      const start = performance.now();
      snapshot = await collectSnapshot({
        endpoint,
        credentials: BOOTSTRAP,
        homeRegion: 'us-east-1',
        regions: REGIONS.slice(0, c.regions),
        ...(c.accounts > 1 ? { org: true } : {}),
        governance: { cloudtrail },
      });
      const wall = (performance.now() - start) / 1000;
      clearInterval(sampler);
      const signet = summarise((await admin(endpoint, 'stats')).calls);
      const N = snapshot.functions.length;
      const errors = snapshot.collectionErrors.length;
      const result = {
        calls: signet.total,
        byOperation: signet.byOperation,
        throttled: signet.throttled,
        wallSeconds: wall,
        lowerBoundSeconds: signet.lowerBound,
        busiest: signet.busiest,
        ratioToLowerBound: wall / signet.lowerBound,
        peakRssMb: peak / 2 ** 20,
        collectionErrors: errors,
      };
      row ??= { case: label, functions: N };
      row[cloudtrail ? 'signet' : 'signetNoCloudTrail'] = result;
      process.stderr.write(
        `signet${cloudtrail ? '' : ' --no-cloudtrail'}: ${signet.total} calls (${signet.throttled} throttled) in ${wall.toFixed(1)} s (lower bound ${signet.lowerBound.toFixed(1)} s, ${signet.busiest}), peak RSS ${(peak / 2 ** 20).toFixed(0)} MB\n`,
      );
    }
    const wall = (row.signet ?? row.signetNoCloudTrail).wallSeconds;
    const signet = { total: (row.signet ?? row.signetNoCloudTrail).calls };
    if (c.accounts * c.regions * c.functions <= naiveMax) {
      await admin(endpoint, 'stats/reset', {});
      await new Promise((r) => setTimeout(r, 1100));
      process.stderr.write('naive collector (one GetFunctionCodeSigningConfig + ListTags per function)…\n');
      const naiveStart = performance.now();
      await naiveScan(
        endpoint,
        c,
        snapshot.accounts.map((a) => a.accountId),
      );
      const naiveWall = (performance.now() - naiveStart) / 1000;
      const naive = summarise((await admin(endpoint, 'stats')).calls);
      row.naive = {
        calls: naive.total,
        throttled: naive.throttled,
        wallSeconds: naiveWall,
        lowerBoundSeconds: naive.lowerBound,
      };
      row.callRatio = naive.total / signet.total;
      row.timeRatio = naiveWall / wall;
      process.stderr.write(
        `naive: ${naive.total} calls in ${naiveWall.toFixed(1)} s → ${row.callRatio.toFixed(1)}× the calls\n`,
      );
    }
    results.push(row);
  } finally {
    child.kill('SIGTERM');
  }
}
process.stdout.write(
  `${JSON.stringify({ node: process.version, date: new Date().toISOString(), results }, null, 2)}\n`,
);
