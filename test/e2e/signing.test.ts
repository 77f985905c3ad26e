import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetFunctionCommand, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import { createZip } from '../../src/sandbox/zip.js';
import { requireFreshDist, runCli } from '../helpers/cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { aFunction, aPackageFile, type SigningWorld, signingWorld } from '../signing/fixtures.js';

let t: TestSandbox;
let w: SigningWorld;

function signet(args: string[]) {
  return runCli(args, {
    env: {
      AWS_ACCESS_KEY_ID: BOOTSTRAP_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: BOOTSTRAP_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: t.endpoint,
    },
  });
}

function calls(operation: string): number {
  return t.sandbox
    .callStats()
    .filter((s) => s.operation === operation)
    .reduce((sum, s) => sum + s.count, 0);
}

interface Finding {
  ruleId: string;
  status: string;
  resource: { name: string; arn?: string };
}

async function scanFindings(): Promise<Finding[]> {
  const scan = await signet(['scan', '--regions', 'us-east-1', '--format', 'json']);
  expect([0, 3], scan.stderr).toContain(scan.code);
  return (JSON.parse(scan.stdout) as { findings: Finding[] }).findings;
}

function statusOf(findings: Finding[], ruleId: string, name: string): string | undefined {
  return findings.find((f) => f.ruleId === ruleId && f.resource.name === name)?.status;
}

beforeAll(async () => {
  requireFreshDist();
  t = await startTestSandbox({ lambdaUpdateReads: 1, signerJobLatencyMs: 20 });
  w = await signingWorld(t);
}, 60_000);
afterAll(async () => t?.close());

describe('signet sign / deploy / verify-artifact', () => {
  it('signs and deploys a function under Enforce; GetFunction and a re-scan show it verified', async () => {
    await aFunction(t, w, 'checkout', w.enforceCsc);
    const before = await scanFindings();
    expect(statusOf(before, 'SGN-004', 'checkout')).toBe('FAIL');
    const pkg = aPackageFile(w.dir, 'checkout.zip');
    const provenance = join(w.dir, 'checkout.provenance.json');
    const run = await signet([
      'deploy',
      '--function',
      'checkout',
      '--package',
      pkg,
      '--profile',
      w.profile,
      '--bucket',
      w.bucket,
      '--prefix',
      'checkout/',
      '--publish',
      '--alias',
      'live',
      '--require-enforce',
      '--provenance',
      provenance,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /^signed s3:\/\/pipeline-artifacts\/checkout\/signed\/checkout-[0-9a-f-]{36} {2}job [0-9a-f-]{36}$/m,
    );
    expect(run.stdout).toMatch(
      /^deployed arn:aws:lambda:us-east-1:111111111111:function:checkout:1 {2}CodeSha256 \S+ {2}alias live → 1$/m,
    );
    const fn = await t.clients.lambda.send(
      new GetFunctionCommand({ FunctionName: 'checkout', Qualifier: 'live' }),
    );
    expect(fn.Configuration?.SigningProfileVersionArn).toBe(w.profileVersionArn);
    expect(fn.Configuration?.SigningJobArn).toMatch(
      /^arn:aws:signer:us-east-1:111111111111:\/signing-jobs\//,
    );

    // The provenance: subject = the package and its sha256; the deployment recorded after it.
    const statement = JSON.parse(readFileSync(provenance, 'utf8'));
    expect(statement.subject).toEqual([
      {
        name: 'checkout.zip',
        digest: { sha256: createHash('sha256').update(readFileSync(pkg)).digest('hex') },
      },
    ]);
    const byproducts = statement.predicate.runDetails.byproducts as {
      name: string;
      uri: string;
      annotations: Record<string, string>;
    }[];
    expect(byproducts.find((b) => b.name === 'signed:checkout.zip')?.annotations.signingJobArn).toBe(
      fn.Configuration?.SigningJobArn,
    );
    expect(byproducts.find((b) => b.name === 'deployed:function:checkout')).toMatchObject({
      uri: 'arn:aws:lambda:us-east-1:111111111111:function:checkout:1',
      annotations: { codeSha256: fn.Configuration?.CodeSha256, alias: 'live' },
    });
    expect(readFileSync(provenance, 'utf8')).not.toContain(BOOTSTRAP_CREDENTIALS.secretAccessKey);

    const after = await scanFindings();
    expect(statusOf(after, 'SGN-004', 'checkout')).toBe('PASS');
    expect(statusOf(after, 'SGN-005', 'checkout')).toBe('PASS');
  });

  it('signs several packages at once and prints JSON for scripts; verify-artifact checks one against its provenance', async () => {
    const files = [aPackageFile(w.dir, 'a.zip'), aPackageFile(w.dir, 'b.zip')];
    const provenance = join(w.dir, 'ab.provenance.json');
    const run = await signet([
      'sign',
      ...files,
      '--profile',
      w.profile,
      '--bucket',
      w.bucket,
      '--format',
      'json',
      '--provenance',
      provenance,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as {
      artifacts: { package: string; signed: string; jobArn: string }[];
    };
    expect(out.artifacts.map((a) => a.package)).toEqual(['a.zip', 'b.zip']);
    const verify = await signet([
      'verify-artifact',
      '--signed',
      out.artifacts[1]!.signed,
      '--provenance',
      provenance,
    ]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^VERIFIED s3:\/\/pipeline-artifacts\/signed\/b-/);
    expect(verify.stdout).toContain('ok   provenance-package: the signing job signed subject b.zip');
  });

  it('refuses a package signed by a profile the CSC does not allow, before any write (exit 2)', async () => {
    await aFunction(t, w, 'ledger', w.enforceCsc);
    const updates = calls('UpdateFunctionCode');
    const uploads = calls('PutObject');
    const jobs = calls('StartSigningJob');
    const run = await signet([
      'deploy',
      '--function',
      'ledger',
      '--package',
      aPackageFile(w.dir),
      '--profile',
      w.rogue,
      '--bucket',
      w.bucket,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(
      `refusing to deploy to function ledger: the signing profile version ${w.rogueVersionArn} is not among the allowed publishers`,
    );
    expect(calls('UpdateFunctionCode')).toBe(updates);
    // Pre-flight runs before the package is even uploaded or signed.
    expect(calls('PutObject')).toBe(uploads);
    expect(calls('StartSigningJob')).toBe(jobs);
  });

  it('explains a tampered signed object: verify-artifact fails it, the sandbox refuses it (InvalidCodeSignatureException)', async () => {
    await aFunction(t, w, 'billing', w.enforceCsc);
    const provenance = join(w.dir, 'billing.provenance.json');
    const signed = await signet([
      'sign',
      aPackageFile(w.dir, 'billing.zip'),
      '--profile',
      w.profile,
      '--bucket',
      w.bucket,
      '--provenance',
      provenance,
    ]);
    expect(signed.code, signed.stderr).toBe(0);
    const uri = signed.stdout.split(/\s+/)[0]!;
    const key = uri.replace('s3://pipeline-artifacts/', '');
    const bytes = Buffer.from(
      createZip([{ name: 'index.js', data: 'exports.handler = async () => "pwned";\n' }]),
    );
    // Keep the original signature block (ZIP comment) so only Lambda's integrity check can tell.
    const original = await t.clients.s3.send(
      new (await import('@aws-sdk/client-s3')).GetObjectCommand({ Bucket: w.bucket, Key: key }),
    );
    const signedBytes = Buffer.from(await original.Body!.transformToByteArray());
    const comment = signedBytes.subarray(signedBytes.lastIndexOf(Buffer.from('PK\u0005\u0006')) + 22);
    const tampered = Buffer.concat([
      bytes.subarray(0, bytes.length - 2),
      Buffer.from([comment.length & 0xff, comment.length >> 8]),
      comment,
    ]);
    await t.clients.s3.send(new PutObjectCommand({ Bucket: w.bucket, Key: key, Body: tampered }));

    const verify = await signet(['verify-artifact', '--signed', uri, '--provenance', provenance]);
    expect(verify.code).toBe(3);
    expect(verify.stdout).toMatch(
      /FAIL provenance-object: the signed object's sha256 \w+ differs from the provenance's \w+: it changed after signing/,
    );

    const run = await signet(['deploy', '--function', 'billing', '--signed', uri]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^signet: Lambda refused the code for function billing \(InvalidCodeSignatureException\): the package failed the signature integrity check/,
    );
  });

  it('publishes a signed layer and moves its users; SGN-006 passes; a user whose CSC does not allow it is reported', async () => {
    const old = await t.clients.lambda.send(
      new PublishLayerVersionCommand({
        LayerName: 'shared-libs',
        Content: {
          ZipFile: new Uint8Array(createZip([{ name: 'nodejs/lib.js', data: 'module.exports = 1;\n' }])),
        },
      }),
    );
    const strict = await t.clients.lambda.send(
      new (await import('@aws-sdk/client-lambda')).CreateCodeSigningConfigCommand({
        AllowedPublishers: { SigningProfileVersionArns: [w.rogueVersionArn] },
        CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
      }),
    );
    await aFunction(t, w, 'worker-a', w.enforceCsc, [old.LayerVersionArn!]);
    await aFunction(t, w, 'worker-b', w.warnCsc, [old.LayerVersionArn!]);
    await aFunction(t, w, 'worker-c', strict.CodeSigningConfig!.CodeSigningConfigArn!, [
      old.LayerVersionArn!,
    ]);
    const before = await scanFindings();
    expect(statusOf(before, 'SGN-006', 'worker-a')).toBe('FAIL');

    const layerZip = join(w.dir, 'shared-libs.zip');
    writeFileSync(layerZip, createZip([{ name: 'nodejs/lib.js', data: 'module.exports = 2;\n' }]));
    const signed = await signet([
      'sign',
      layerZip,
      '--profile',
      w.profile,
      '--bucket',
      w.bucket,
      '--format',
      'json',
    ]);
    expect(signed.code, signed.stderr).toBe(0);
    const uri = (JSON.parse(signed.stdout) as { artifacts: { signed: string }[] }).artifacts[0]!.signed;
    const run = await signet(['deploy', '--layer', 'shared-libs', '--signed', uri, '--update-functions']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('published arn:aws:lambda:us-east-1:111111111111:layer:shared-libs:2');
    expect(run.stdout).toContain(
      `moved worker-a: ${old.LayerVersionArn} → arn:aws:lambda:us-east-1:111111111111:layer:shared-libs:2`,
    );
    expect(run.stdout).toContain('moved worker-b:');
    expect(run.stdout).toMatch(/NOT moved worker-c \(still \S+:1\): .*is not among the allowed publishers/);
    const a = await t.clients.lambda.send(new GetFunctionCommand({ FunctionName: 'worker-a' }));
    expect(a.Configuration?.Layers?.[0]?.SigningProfileVersionArn).toBe(w.profileVersionArn);
    const after = await scanFindings();
    expect(statusOf(after, 'SGN-006', 'worker-a')).toBe('PASS');
    expect(statusOf(after, 'SGN-006', 'worker-c')).toBe('FAIL');
  });

  it('refuses an unversioned bucket and bad options with one line and exit 2', async () => {
    const unversioned = await signet([
      'sign',
      aPackageFile(w.dir),
      '--profile',
      w.profile,
      '--bucket',
      w.unversioned,
    ]);
    expect(unversioned.code).toBe(2);
    expect(unversioned.stderr).toContain(
      'bucket plain-bucket has versioning never enabled; AWS Signer signs an object version',
    );
    const both = await signet(['deploy', '--function', 'x', '--layer', 'y', '--signed', 's3://b/k']);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('signet: give exactly one of --function NAME and --layer NAME\n');
    const alias = await signet(['deploy', '--function', 'x', '--signed', 's3://bucket/k', '--alias', 'live']);
    expect(alias.code).toBe(2);
    expect(alias.stderr).toContain('--alias points at a published version: add --publish');
    const badUri = await signet(['verify-artifact', '--signed', 'https://example.com/x']);
    expect(badUri.code).toBe(2);
  });

  it('prints the pipeline IAM policies', async () => {
    for (const command of ['sign', 'deploy', 'verify-artifact']) {
      const run = await signet(['iam-policy', command]);
      expect(run.code, run.stderr).toBe(0);
      const policy = JSON.parse(run.stdout) as { Statement: { Sid: string; Action: string[] }[] };
      expect(policy.Statement[0]!.Sid).toMatch(/^Signet[A-Za-z]+$/);
      expect(policy.Statement[0]!.Action).toContain('signer:DescribeSigningJob');
    }
  });
});
