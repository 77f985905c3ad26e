// Benchmark: sign + verify + deploy N packages concurrently (the library behind `signet deploy`) against
// the sandbox with AWS's request quotas on, next to the quota lower bound (calls per quota bucket / rate).
//
//   npm run build && node bench/signing/run.mjs [--packages 50] [--job-latency-ms 2000] [--update-reads 1]
//
// Every package: upload + StartSigningJob + DescribeSigningJob polls, verify-artifact reads, pre-flight
// reads, UpdateFunctionCode, the LastUpdateStatus waiter, PublishVersion, alias. The sandbox runs in this
// process (its request handling shares the event loop; the figures are conservative).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateCodeSigningConfigCommand,
  CreateFunctionCommand,
  LambdaClient,
  PutFunctionCodeSigningConfigCommand,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { PutSigningProfileCommand, SignerClient } from '@aws-sdk/client-signer';
import { DEPLOY_CALLS } from '../../dist/aws/calls.js';
import { BOOTSTRAP_CREDENTIALS, createSandbox } from '../../dist/sandbox/index.js';
import { createZip } from '../../dist/sandbox/zip.js';
import { openSigningContext } from '../../dist/signing/context.js';
import { deployFunction, preflightFunction } from '../../dist/signing/deploy.js';
import { signPackage } from '../../dist/signing/sign.js';
import { verifyArtifact } from '../../dist/signing/verify.js';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const N = Number(arg('packages', '50'));
const jobLatencyMs = Number(arg('job-latency-ms', '2000'));
const updateReads = Number(arg('update-reads', '1'));
// Packages in flight at once (all of them by default: the question is what 50 at once cost).
const concurrency = Number(arg('concurrency', String(N)));
// The sandbox's rates: AWS's documented Lambda quotas; Signer and S3 publish none (sandbox default 50/s).
const RATE = { 'lambda:GetFunction': 100, 'lambda:control': 15 };
const bucketOf = (s) =>
  s.service === 'lambda'
    ? s.operation === 'GetFunction'
      ? 'lambda:GetFunction'
      : 'lambda:control'
    : s.service === 'signer'
      ? `signer:${s.operation}`
      : s.service === 's3'
        ? ['PutObject'].includes(s.operation)
          ? 's3:write'
          : 's3:read'
        : `${s.service}:${s.operation}`;
const rateOf = (bucket) => RATE[bucket] ?? 50;

const sandbox = createSandbox({
  quotas: { enabled: false },
  signerJobLatencyMs: jobLatencyMs,
  lambdaUpdateReads: updateReads,
});
const endpoint = await sandbox.listen();
const common = { endpoint, region: 'us-east-1', credentials: BOOTSTRAP_CREDENTIALS };
const s3 = new S3Client({ ...common, forcePathStyle: true });
const signer = new SignerClient({ ...common, disableHostPrefix: true });
const lambda = new LambdaClient(common);
const iam = new IAMClient(common);

await s3.send(new CreateBucketCommand({ Bucket: 'bench-artifacts' }));
await s3.send(
  new PutBucketVersioningCommand({
    Bucket: 'bench-artifacts',
    VersioningConfiguration: { Status: 'Enabled' },
  }),
);
const profile = await signer.send(
  new PutSigningProfileCommand({ profileName: 'bench_release', platformId: 'AWSLambda-SHA384-ECDSA' }),
);
const csc = await lambda.send(
  new CreateCodeSigningConfigCommand({
    AllowedPublishers: { SigningProfileVersionArns: [profile.profileVersionArn] },
    CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
  }),
);
const role = await iam.send(
  new CreateRoleCommand({
    RoleName: 'bench-exec',
    AssumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    }),
  }),
);
const dir = mkdtempSync(join(tmpdir(), 'signet-bench-signing-'));
const files = [];
for (let i = 0; i < N; i++) {
  const name = `svc-${String(i).padStart(3, '0')}`;
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: role.Role.Arn,
      Code: { ZipFile: createZip([{ name: 'index.js', data: `// ${name} v1\n` }]) },
    }),
  );
  await lambda.send(
    new PutFunctionCodeSigningConfigCommand({
      FunctionName: name,
      CodeSigningConfigArn: csc.CodeSigningConfig.CodeSigningConfigArn,
    }),
  );
  const file = join(dir, `${name}.zip`);
  // ~1 MB packages, distinct content.
  writeFileSync(
    file,
    createZip([
      { name: 'index.js', data: `exports.handler = async () => '${name} v2';\n` },
      { name: 'blob.bin', data: Buffer.alloc(1024 * 1024, i) },
    ]),
  );
  files.push({ name, file });
}
for (const c of [s3, signer, lambda, iam]) c.destroy();

sandbox.setQuotas({ enabled: true, scale: 1 });
sandbox.resetCallStats();

const ctx = await openSigningContext({ ...common, declared: DEPLOY_CALLS });
const started = Date.now();
const perPackage = [];
const cscCache = new Map();
let nextFile = 0;
const one = async ({ name, file }) => {
  const t0 = Date.now();
  // As `signet deploy --package`: pre-flight first, then sign, verify, deploy.
  const checked = await preflightFunction(ctx, name, profile.profileVersionArn, {
    requireEnforce: true,
    cscCache,
  });
  const signed = await signPackage(ctx, file, {
    profileName: 'bench_release',
    bucket: 'bench-artifacts',
    prefix: `${name}/`,
  });
  const t1 = Date.now();
  const artifact = await verifyArtifact(ctx, signed.signedObject);
  const deployed = await deployFunction(ctx, name, artifact, {
    publish: true,
    alias: 'live',
    requireEnforce: true,
    knownCsc: { csc: checked.csc },
  });
  if (deployed.signingJobArn !== signed.signingJobArn) throw new Error(`${name}: not signed by its job`);
  perPackage.push({ sign: t1 - t0, total: Date.now() - t0 });
};
await Promise.all(
  Array.from({ length: Math.min(concurrency, N) }, async () => {
    while (nextFile < files.length) await one(files[nextFile++]);
  }),
);
const wall = (Date.now() - started) / 1000;
ctx.factory.destroy();

const stats = sandbox.callStats();
const buckets = new Map();
let calls = 0;
let throttled = 0;
const throttledBy = new Map();
for (const s of stats) {
  if (s.throttled) throttledBy.set(bucketOf(s), (throttledBy.get(bucketOf(s)) ?? 0) + s.throttled);
  const b = bucketOf(s);
  buckets.set(b, (buckets.get(b) ?? 0) + s.count);
  calls += s.count;
  throttled += s.throttled;
}
let bound = 0;
let boundBucket = '';
for (const [b, count] of buckets) {
  const seconds = count / rateOf(b);
  if (seconds > bound) {
    bound = seconds;
    boundBucket = b;
  }
}
const sorted = perPackage.map((p) => p.total).sort((a, b) => a - b);
console.log(
  `packages: ${N} (~1 MB each, ${Math.min(concurrency, N)} in flight), Signer job latency ${jobLatencyMs} ms, LastUpdateStatus InProgress for ${updateReads} read(s)`,
);
console.log(`wall time: ${wall.toFixed(1)} s`);
console.log(
  `API calls: ${calls} (${(calls / N).toFixed(1)} per package), throttled: ${throttled}${throttled ? ` (${[...throttledBy].map(([b, c]) => `${b} ${c}`).join(', ')})` : ''}`,
);
console.log(
  `quota lower bound: ${bound.toFixed(1)} s (${boundBucket}: ${buckets.get(boundBucket)} calls at ${rateOf(boundBucket)}/s)`,
);
console.log(`wall / bound: ${(wall / bound).toFixed(2)}`);
console.log(
  `per package (sign+verify+deploy): median ${(sorted[Math.floor(N / 2)] / 1000).toFixed(1)} s, max ${(sorted[N - 1] / 1000).toFixed(1)} s`,
);
console.log(
  `calls by quota bucket: ${[...buckets]
    .sort((a, b) => b[1] - a[1])
    .map(([b, c]) => `${b} ${c}`)
    .join(', ')}`,
);
console.log(
  `Lambda calls: ${stats
    .filter((s) => s.service === 'lambda')
    .map((s) => `${s.operation} ${s.count}`)
    .join(', ')}`,
);
await sandbox.close();
