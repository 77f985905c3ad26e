// The same fleet in each AWS partition (commercial, China, GovCloud), end to end: the sandbox plays the
// partition (its ARNs are `arn:aws-cn:…`, ListRegions lists the partition's regions), Signet takes the
// partition from the caller identity, and the verdicts are the same everywhere — in particular a revoked
// signing job still FAILs (with a hard-coded `arn:aws:` the job ARNs never matched and it PASSed).
import { CreateCodeSigningConfigCommand, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { RevokeSignatureCommand } from '@aws-sdk/client-signer';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../src/aws/collect/scan.js';
import { defaultConfig } from '../../src/config/schema.js';
import { evaluate } from '../../src/engine/evaluate.js';
import type { Finding } from '../../src/model/finding.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { BOOTSTRAP_CREDENTIALS, type Partition } from '../../src/sandbox/index.js';
import {
  createLambdaExecRole,
  createSigningSetup,
  SeedClients,
  signPackage,
} from '../../src/sandbox/seeds/clients.js';
import { createZip } from '../../src/sandbox/zip.js';
import { clientsFor, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const CASES: { partition: Partition; region: string; other: string }[] = [
  { partition: 'aws', region: 'us-east-1', other: 'cn-north-1' },
  { partition: 'aws-cn', region: 'cn-north-1', other: 'us-east-1' },
  { partition: 'aws-us-gov', region: 'us-gov-west-1', other: 'us-east-1' },
];

describe.each(CASES)('partition $partition ($region)', ({ partition, region, other }) => {
  let t: TestSandbox;
  let seed: SeedClients;
  let snapshot: Snapshot;
  let findings: Finding[];

  beforeAll(async () => {
    t = await startTestSandbox({ partition });
    seed = new SeedClients(t.endpoint, { ...BOOTSTRAP_CREDENTIALS }, region);
    const role = await createLambdaExecRole(seed);
    const { profileVersionArn } = await createSigningSetup(seed, 'artifacts', 'release');
    const csc = await seed.lambda.send(
      new CreateCodeSigningConfigCommand({
        AllowedPublishers: { SigningProfileVersionArns: [profileVersionArn] },
        CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
      }),
    );
    const deploy = async (name: string, options: { sign: boolean; csc: boolean }) => {
      const pkg = createZip([{ name: 'index.js', data: `exports.handler = async () => '${name}';` }]);
      const signed = options.sign
        ? await signPackage(seed, 'artifacts', `${name}.zip`, pkg, 'release')
        : undefined;
      await seed.lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Role: role,
          Code: signed ? { S3Bucket: 'artifacts', S3Key: signed.key } : { ZipFile: pkg },
          ...(options.csc ? { CodeSigningConfigArn: csc.CodeSigningConfig!.CodeSigningConfigArn! } : {}),
        }),
      );
      return signed?.jobId;
    };
    await deploy('signed', { sign: true, csc: true });
    await deploy('unsigned', { sign: false, csc: false });
    const revokedJob = await deploy('job-revoked', { sign: true, csc: true });
    await seed.signer.send(new RevokeSignatureCommand({ jobId: revokedJob!, reason: 'bad build' }));
    snapshot = await collectSnapshot({
      endpoint: t.endpoint,
      credentials: { ...BOOTSTRAP_CREDENTIALS },
      homeRegion: region,
    });
    // The pipeline's principals, written in this partition (the admin user did everything here).
    const admin = `arn:${partition}:iam::*:user/admin`;
    const config = {
      ...defaultConfig(),
      pipeline: { deployers: [admin], signers: [admin], admins: [admin] },
    };
    findings = evaluate(snapshot, config).findings;
  }, 120_000);
  afterAll(async () => {
    seed?.destroy();
    await t?.close();
  });

  const status = (ruleId: string, name: string) =>
    findings.find((f) => f.ruleId === ruleId && f.resource.name === name)?.status;

  it('answers in its partition: caller, regions, every ARN collected', async () => {
    const caller = await seed.sts.send(new GetCallerIdentityCommand({}));
    expect(caller.Arn).toBe(`arn:${partition}:iam::111111111111:user/admin`);
    expect(snapshot.collectionErrors).toEqual([]);
    // ListRegions gave the partition's regions; the fleet is in the first.
    expect(snapshot.regions).toContain(region);
    expect(snapshot.regions).not.toContain(other);
    const arns = [
      ...snapshot.functions.map((f) => f.id),
      ...snapshot.codeSigningConfigs.map((c) => c.arn),
      ...snapshot.signingProfiles.map((p) => p.arn),
      ...snapshot.signingJobs.map((j) => j.jobArn),
    ];
    expect(arns.length).toBeGreaterThanOrEqual(5);
    for (const arn of arns) expect(arn?.startsWith(`arn:${partition}:`), arn).toBe(true);
  });

  it('judges the fleet the same way in every partition', () => {
    expect(status('SGN-001', 'signed')).toBe('PASS');
    expect(status('SGN-001', 'unsigned')).toBe('FAIL');
    expect(status('SGN-002', 'signed')).toBe('PASS');
    expect(status('SGN-005', 'signed')).toBe('PASS');
    // The revoked job is found by its ARN in this partition: FAIL, not a silent PASS.
    expect(status('SGN-005', 'job-revoked')).toBe('FAIL');
    // The pipeline patterns matched the CloudTrail actors of this partition: deployments and signing
    // jobs came from the pipeline; one identity both signs and deploys (separation of duties).
    expect(status('SGN-009', 'signed')).toBe('PASS');
    expect(findings.find((f) => f.ruleId === 'SGN-011' && f.status === 'FAIL')?.message).toMatch(/admin/);
    expect(findings.filter((f) => f.status === 'ERROR' || f.status === 'UNKNOWN')).toEqual([]);
    // Account-level findings name the account root in this partition.
    const accountArns = findings
      .filter((f) => f.resource.type === 'account')
      .map((f) => f.resource.provenance);
    expect(accountArns.length).toBeGreaterThan(0);
    for (const p of accountArns)
      expect(p.source === 'aws' && p.arn).toBe(`arn:${partition}:iam::111111111111:root`);
  });

  it('refuses a request signed for another partition’s region (its keys do not exist there)', async () => {
    const foreign = clientsFor(t.endpoint, { ...BOOTSTRAP_CREDENTIALS }, other);
    try {
      await expect(foreign.sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
        name: 'InvalidClientTokenId',
      });
    } finally {
      for (const client of Object.values(foreign)) client.destroy();
    }
  });
});
