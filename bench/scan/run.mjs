// Benchmark of `signet scan` as a user runs it — the built CLI in its own process, collecting with AWS's
// quotas on, evaluating, and writing a JSON report (--output) and a SARIF report (--report) to files —
// next to a model of the CloudSploit plugin `lambdaCodeSigningEnabled` against the same fleet.
//
//   npm run build && node bench/scan/run.mjs [--cases 1x1x1000,1x1x3000,1x1x10000] [--peer-max N]
//                                            [--cli dist/cli/main.js] [--runs N] [--endpoint URL]
//                                            [--scan-args='--no-cloudtrail --lookback 7d']
//
// Each case is ACCOUNTSxREGIONSxFUNCTIONS (functions per account-region). The sandbox runs in a child
// process seeded with quotas off, then quotas on. Per case it prints the wall time of the whole command,
// the quota lower bound (the busiest account-region quota bucket — Lambda's control plane, CloudTrail's
// LookupEvents at 2/s, … — its calls ÷ its rate), wall ÷ bound, the command's peak RSS and its CPU time (getrusage, via
// rss-probe.mjs). On a busy machine compare CPU time: it is what the command itself costs.
//
// The peer model does what CloudSploit's collector does for this plugin (collectors/aws/collector.js,
// helpers/aws/api.js): per region, ListFunctions pages, then one GetFunctionCodeSigningConfig per
// function (every function: the plugin does not skip container images), 10 at a time
// (`async.eachLimit(..., 10)`), unpaced, with the SDK's default retries (3 attempts, standard mode).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  GetFunctionCodeSigningConfigCommand,
  LambdaClient,
  paginateListFunctions,
} from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { admin, arg, BOOTSTRAP, startScaleSandbox, summarise } from '../lib/sandbox.mjs';

const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'];
const PROBE = resolve('bench/scan/rss-probe.mjs');

const cases = arg('cases', '1x1x1000,1x1x3000,1x1x10000')
  .split(',')
  .map((c) => {
    const [accounts, regions, functions] = c.split('x').map(Number);
    return { accounts, regions, functions, cscs: accounts * regions > 1 ? 5 : 20 };
  });
const peerMax = Number(arg('peer-max', '3000'));
const cli = resolve(arg('cli', 'dist/cli/main.js'));
const runs = Number(arg('runs', '1'));
// Extra `signet scan` arguments, e.g. --scan-args=--no-cloudtrail (one string, split on spaces).
const extraScanArgs = (
  process.argv.find((a) => a.startsWith('--scan-args='))?.slice('--scan-args='.length) ?? ''
)
  .split(' ')
  .filter(Boolean);
const reuse = arg('endpoint', undefined);

/** The whole command in a child process, as a user runs it; resolves with wall time, exit code, peak RSS. */
function runCli(endpoint, c, dir) {
  const rssFile = join(dir, 'rss');
  const args = [
    '--import',
    PROBE,
    cli,
    'scan',
    '--endpoint',
    endpoint,
    '--regions',
    REGIONS.slice(0, c.regions).join(','),
    ...(c.accounts > 1 ? ['--org'] : []),
    '--format',
    'json',
    '--output',
    join(dir, 'report.json'),
    '--report',
    `sarif=${join(dir, 'report.sarif')}`,
    ...extraScanArgs,
  ];
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: BOOTSTRAP.accessKeyId,
    AWS_SECRET_ACCESS_KEY: BOOTSTRAP.secretAccessKey,
    AWS_REGION: 'us-east-1',
    SIGNET_BENCH_RSS_FILE: rssFile,
  };
  return new Promise((resolveRun, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const wall = (performance.now() - start) / 1000;
      if (code !== 0) return reject(new Error(`signet scan exited ${code}: ${stderr}`));
      const usage = JSON.parse(readFileSync(rssFile, 'utf8'));
      resolveRun({
        wall,
        peakRssMb: usage.maxRSS / 1024,
        cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
        stderr,
      });
    });
  });
}

/** CloudSploit's collection for lambdaCodeSigningEnabled, as described at the top of this file. */
async function peerScan(endpoint, c, accounts) {
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials: BOOTSTRAP });
  const targets = [];
  for (const accountId of accounts) {
    let credentials = BOOTSTRAP;
    if (accountId !== '111111111111') {
      const out = await sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
          RoleSessionName: 'peer',
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
  let failed = 0;
  let listFailed = 0;
  await Promise.all(
    targets.map(async (t) => {
      // The SDK's defaults: standard retry mode, 3 attempts.
      const lambda = new LambdaClient({ endpoint, region: t.region, credentials: t.credentials });
      const functions = [];
      try {
        for await (const page of paginateListFunctions({ client: lambda }, {}))
          functions.push(...(page.Functions ?? []));
      } catch {
        // CloudSploit keeps the pages it got and reports the region UNKNOWN.
        listFailed += 1;
      }
      let next = 0;
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          while (next < functions.length) {
            const f = functions[next++];
            try {
              await lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: f.FunctionName }));
            } catch {
              // Retries exhausted: CloudSploit reports this function UNKNOWN ("Unable to query").
              failed += 1;
            }
          }
        }),
      );
      lambda.destroy();
    }),
  );
  return { failed, listFailed };
}

const results = [];
const workDir = mkdtempSync(join(tmpdir(), 'signet-bench-scan-'));
for (const c of cases) {
  const label = `${c.accounts} account(s) × ${c.regions} region(s) × ${c.functions} functions, ${c.cscs} CSCs each`;
  process.stderr.write(`\n== ${label}\nseeding…\n`);
  const seedStart = Date.now();
  // --endpoint reuses a sandbox already seeded with this case's fleet (e.g. one restored with --state).
  const { child, endpoint } = reuse
    ? { child: undefined, endpoint: reuse }
    : await startScaleSandbox({
        accounts: c.accounts,
        regions: c.regions,
        functions: c.functions,
        cscs: c.cscs,
      });
  process.stderr.write(`seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s\n`);
  try {
    await admin(endpoint, 'quotas', { enabled: true, scale: 1 });
    for (let run = 1; run <= runs; run++) {
      await admin(endpoint, 'stats/reset', {});
      // Let the token buckets refill after seeding (or the previous run).
      await new Promise((r) => setTimeout(r, 1100));
      const load = loadavg()[0];
      const scan = await runCli(endpoint, c, workDir);
      const signet = summarise((await admin(endpoint, 'stats')).calls);
      const report = JSON.parse(readFileSync(join(workDir, 'report.json'), 'utf8'));
      const row = {
        case: label,
        run,
        loadAverage1m: Number(load.toFixed(1)),
        functions: c.accounts * c.regions * c.functions,
        findings: report.findings.length,
        collectionErrors: report.collectionErrors.length,
        signet: {
          calls: signet.total,
          byOperation: signet.byOperation,
          throttled: signet.throttled,
          throttledByOperation: signet.throttledByOperation,
          wallSeconds: Number(scan.wall.toFixed(2)),
          lowerBoundSeconds: Number(signet.lowerBound.toFixed(2)),
          busiest: signet.busiest,
          wallOverBound: Number((scan.wall / signet.lowerBound).toFixed(2)),
          peakRssMb: Math.round(scan.peakRssMb),
          cpuSeconds: Number(scan.cpuSeconds.toFixed(2)),
        },
      };
      process.stderr.write(
        `signet scan (JSON + SARIF to files): ${signet.total} calls (${signet.throttled} throttled), wall ${scan.wall.toFixed(1)} s, bound ${signet.lowerBound.toFixed(1)} s (${signet.busiest}) → ${(scan.wall / signet.lowerBound).toFixed(2)}× the bound, peak RSS ${Math.round(scan.peakRssMb)} MB, CPU ${scan.cpuSeconds.toFixed(1)} s, ${row.findings} findings (load ${load.toFixed(1)})\n`,
      );
      if (run === 1 && c.accounts * c.regions * c.functions <= peerMax) {
        await admin(endpoint, 'stats/reset', {});
        await new Promise((r) => setTimeout(r, 1100));
        process.stderr.write('peer model (CloudSploit lambdaCodeSigningEnabled)…\n');
        const peerStart = performance.now();
        const outcome = await peerScan(
          endpoint,
          c,
          report.accounts.map((a) => a.accountId),
        );
        const peerWall = (performance.now() - peerStart) / 1000;
        const peer = summarise((await admin(endpoint, 'stats')).calls);
        row.peer = {
          calls: peer.total,
          byOperation: peer.byOperation,
          throttled: peer.throttled,
          throttledPerCall: Number((peer.throttled / peer.total).toFixed(2)),
          unknownAfterRetries: outcome.failed,
          regionsUnlisted: outcome.listFailed,
          wallSeconds: Number(peerWall.toFixed(1)),
        };
        row.callRatio = Number((peer.total / signet.total).toFixed(1));
        row.timeRatio = Number((peerWall / scan.wall).toFixed(1));
        process.stderr.write(
          `peer: ${peer.total} calls (${peer.throttled} throttled, ${outcome.failed} functions UNKNOWN after the SDK's retries) in ${peerWall.toFixed(1)} s → ${row.callRatio}× the calls, ${row.timeRatio}× the time\n`,
        );
      }
      results.push(row);
    }
  } finally {
    child?.kill('SIGTERM');
  }
}
rmSync(workDir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({ node: process.version, cli, date: new Date().toISOString(), results }, null, 2)}\n`,
);
