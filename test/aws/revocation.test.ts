// Revocation as AWS Signer documents it (RevokeSigningProfile: signatures made after the effective time are
// not trusted, earlier ones stay valid; RevokeSignature revokes one job): the sandbox, the collector and
// the rules agree, on both sides of the effective time.
import { CreateCodeSigningConfigCommand, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import {
  GetRevocationStatusCommand,
  RevokeSignatureCommand,
  RevokeSigningProfileCommand,
} from '@aws-sdk/client-signer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../src/aws/collect/scan.js';
import { defaultConfig } from '../../src/config/schema.js';
import { evaluate } from '../../src/engine/evaluate.js';
import type { Finding } from '../../src/model/finding.js';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import {
  createLambdaExecRole,
  createSigningSetup,
  SeedClients,
  setClock,
  signPackage,
} from '../../src/sandbox/seeds/clients.js';
import { createZip } from '../../src/sandbox/zip.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const DAY = 86_400_000;
let t: TestSandbox;
let seed: SeedClients;
const jobs: Record<string, string> = {};
let profileVersionArn: string;
let effectiveTime: Date;

beforeAll(async () => {
  t = await startTestSandbox();
  seed = new SeedClients(t.endpoint, { ...BOOTSTRAP_CREDENTIALS }, 'us-east-1');
  const role = await createLambdaExecRole(seed);
  const setup = await createSigningSetup(seed, 'artifacts', 'release');
  profileVersionArn = setup.profileVersionArn;
  const csc = await seed.lambda.send(
    new CreateCodeSigningConfigCommand({
      AllowedPublishers: { SigningProfileVersionArns: [profileVersionArn] },
      CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
    }),
  );
  const deploySigned = async (name: string, ageDays: number) => {
    await setClock(t.endpoint, -ageDays * DAY);
    const pkg = createZip([{ name: 'index.js', data: `exports.handler = async () => '${name}';` }]);
    const signed = await signPackage(seed, 'artifacts', `${name}.zip`, pkg, 'release');
    jobs[name] = signed.jobId;
    await seed.lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: role,
        Code: { S3Bucket: 'artifacts', S3Key: signed.key },
        CodeSigningConfigArn: csc.CodeSigningConfig!.CodeSigningConfigArn!,
      }),
    );
  };
  await deploySigned('signed-before', 10);
  await deploySigned('signed-after', 2);
  await deploySigned('job-revoked', 1);
  await setClock(t.endpoint, 0);
  effectiveTime = new Date(Date.now() - 5 * DAY);
  await seed.signer.send(
    new RevokeSigningProfileCommand({
      profileName: 'release',
      profileVersion: profileVersionArn.split('/').pop()!,
      reason: 'key exposure INC-1',
      effectiveTime,
    }),
  );
  await seed.signer.send(new RevokeSignatureCommand({ jobId: jobs['job-revoked']!, reason: 'bad build' }));
}, 120_000);
afterAll(async () => {
  seed?.destroy();
  await t?.close();
});

// Each test scans for itself (inside the test, not in beforeAll) so mutation testing can tell which test
// covers which collector line.
async function scan(): Promise<Finding[]> {
  const snapshot = await collectSnapshot({
    endpoint: t.endpoint,
    credentials: { ...BOOTSTRAP_CREDENTIALS },
    homeRegion: 'us-east-1',
    regions: ['us-east-1'],
    // Quotas are off in this sandbox: pace CloudTrail's 2 requests/s 50x faster, as a scaled sandbox would.
    rateScale: 50,
  });
  expect(snapshot.collectionErrors).toEqual([]);
  return evaluate(snapshot, defaultConfig()).findings;
}

const sgn005 = async (name: string) =>
  (await scan()).find((f) => f.ruleId === 'SGN-005' && f.resource.name === name)!;

describe('revocation semantics', () => {
  it('keeps trusting a signature made before the profile revocation took effect', async () => {
    const f = await sgn005('signed-before');
    expect([f.status, f.message]).toEqual(['PASS', expect.stringMatching(/still trusted/)]);
  });

  it('rejects a signature made after the profile revocation took effect', async () => {
    const f = await sgn005('signed-after');
    expect(f.status).toBe('FAIL');
    expect(f.message).toMatch(/after signing profile release's revocation took effect/);
  });

  it('rejects a signature revoked on its own (RevokeSignature), even if made before nothing else changed', async () => {
    const f = await sgn005('job-revoked');
    expect([f.status, f.message]).toEqual(['FAIL', expect.stringMatching(/was revoked/)]);
  });

  it('agrees with the sandbox (GetRevocationStatus) on both sides of the effective time', async () => {
    const status = async (name: string, signedAt: Date) =>
      (
        await seed.signer.send(
          new GetRevocationStatusCommand({
            signatureTimestamp: signedAt,
            platformId: 'AWSLambda-SHA384-ECDSA',
            profileVersionArn,
            jobArn: `arn:aws:signer:us-east-1:111111111111:/signing-jobs/${jobs[name]}`,
            certificateHashes: ['0'.repeat(64)],
          }),
        )
      ).revokedEntities ?? [];
    expect(await status('signed-before', new Date(effectiveTime.getTime() - DAY))).toEqual([]);
    expect(await status('signed-after', new Date(effectiveTime.getTime() + DAY))).toEqual([
      profileVersionArn,
    ]);
  });

  it('still flags the revoked profile where a CSC allows it (it can sign nothing new)', async () => {
    const sgn003 = (await scan()).find((f) => f.ruleId === 'SGN-003')!;
    expect(sgn003.status).toBe('FAIL');
    expect(sgn003.message).toMatch(/is revoked \(effective .*\): it signs nothing new/);
  });
});
