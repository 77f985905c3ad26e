import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  AddProfilePermissionCommand,
  CancelSigningProfileCommand,
  DescribeSigningJobCommand,
  GetRevocationStatusCommand,
  GetSigningPlatformCommand,
  GetSigningProfileCommand,
  ListProfilePermissionsCommand,
  ListSigningJobsCommand,
  ListSigningPlatformsCommand,
  ListSigningProfilesCommand,
  ListTagsForResourceCommand,
  PutSigningProfileCommand,
  paginateListSigningJobs,
  paginateListSigningProfiles,
  RemoveProfilePermissionCommand,
  RevokeSignatureCommand,
  RevokeSigningProfileCommand,
  type SignerClient,
  SignerServiceException,
  StartSigningJobCommand,
  TagResourceCommand,
  UntagResourceCommand,
  waitUntilSuccessfulSigningJob,
} from '@aws-sdk/client-signer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserWithKey, emptyAccount } from '../../src/sandbox/identity.js';
import { internal, type SignatureCheck } from '../../src/sandbox/internals.js';
import { trailSlice } from '../../src/sandbox/trail.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { signedFetch } from '../helpers/signed-fetch.js';
import {
  addSecondAccount,
  aPackage,
  createBucket,
  type Recorded,
  recorder,
  SECOND_ACCOUNT,
  s3Client,
  signerClient,
  upload,
} from './signer-helpers.js';

const MAIN = '111111111111';
let t: TestSandbox;
const rec: Recorded = recorder();
let signer: SignerClient;
let s3: S3Client;

beforeAll(async () => {
  t = await startTestSandbox();
  signer = signerClient(rec, t.endpoint);
  s3 = s3Client(rec, t.endpoint);
  await createBucket(s3, 'src-bucket', true);
  await createBucket(s3, 'dst-bucket', false);
  await createBucket(s3, 'plain-bucket', false);
});
afterAll(async () => {
  for (const c of rec.clients) c.destroy();
  await t.close();
});

function check(pkg: Buffer): SignatureCheck {
  return internal(t.sandbox.internals, 'signer').checkPackage(pkg);
}

async function bytes(s3c: S3Client, bucket: string, key: string): Promise<Buffer> {
  const out = await s3c.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(
    await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

async function putProfile(
  name: string,
  extra: Partial<ConstructorParameters<typeof PutSigningProfileCommand>[0]> = {},
) {
  return signer.send(
    new PutSigningProfileCommand({ profileName: name, platformId: 'AWSLambda-SHA384-ECDSA', ...extra }),
  );
}

/** Starts a job on a fresh upload of `body` and returns its id. */
async function sign(profileName: string, body: Buffer | string, key = 'fn.zip', client = signer, s3c = s3) {
  const version = await upload(s3c, 'src-bucket', key, body);
  const out = await client.send(
    new StartSigningJobCommand({
      profileName,
      source: { s3: { bucketName: 'src-bucket', key, version } },
      destination: { s3: { bucketName: 'dst-bucket', prefix: 'signed/' } },
    }),
  );
  return out.jobId!;
}

describe('Signer platforms', () => {
  it('lists and describes the Lambda platform', async () => {
    const out = await signer.send(new ListSigningPlatformsCommand({}));
    const ids = out.platforms?.map((p) => p.platformId);
    expect(ids).toEqual(
      expect.arrayContaining([
        'AWSLambda-SHA384-ECDSA',
        'AWSIoTDeviceManagement-SHA256-ECDSA',
        'AmazonFreeRTOS-Default',
        'AmazonFreeRTOS-TI-CC3220SF',
        'Notation-OCI-SHA384-ECDSA',
      ]),
    );
    const lambda = await signer.send(new GetSigningPlatformCommand({ platformId: 'AWSLambda-SHA384-ECDSA' }));
    expect(lambda).toMatchObject({
      displayName: 'AWS Lambda',
      partner: 'AWSLambda',
      target: 'SHA384-ECDSA',
      maxSizeInMB: 250,
      revocationSupported: true,
      signingConfiguration: { hashAlgorithmOptions: { defaultValue: 'SHA384' } },
    });
    await expect(signer.send(new GetSigningPlatformCommand({ platformId: 'Nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
  });
});

describe('Signer profiles', () => {
  it('creates a profile version with its own key, defaults validity to 135 months, and reserves the name', async () => {
    const put = await putProfile('app_signer', { tags: { env: 'prod' } });
    expect(put.arn).toBe(`arn:aws:signer:us-east-1:${MAIN}:/signing-profiles/app_signer`);
    expect(put.profileVersion).toMatch(/^[a-zA-Z0-9]{10}$/);
    expect(put.profileVersionArn).toBe(`${put.arn}/${put.profileVersion}`);
    const got = await signer.send(new GetSigningProfileCommand({ profileName: 'app_signer' }));
    expect(got).toMatchObject({
      profileName: 'app_signer',
      profileVersion: put.profileVersion,
      profileVersionArn: put.profileVersionArn,
      platformId: 'AWSLambda-SHA384-ECDSA',
      platformDisplayName: 'AWS Lambda',
      signatureValidityPeriod: { value: 135, type: 'MONTHS' },
      status: 'Active',
      arn: put.arn,
      tags: { env: 'prod' },
    });
    const err = await putProfile('app_signer').catch((e) => e);
    expect(err).toBeInstanceOf(SignerServiceException);
    expect(err).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    const other = await putProfile('second_signer');
    const keys = Object.values(
      (
        t.sandbox.world.services.signer as {
          profiles: Record<string, Record<string, Record<string, { publicKeyPem: string }>>>;
        }
      ).profiles[MAIN]!['us-east-1']!,
    ).map((p) => p.publicKeyPem);
    expect(new Set(keys).size).toBe(keys.length);
    expect(other.profileVersion).not.toBe(put.profileVersion);
  });

  it('validates names, platforms and validity periods', async () => {
    await expect(putProfile('has-hyphen')).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(putProfile('x')).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      signer.send(new PutSigningProfileCommand({ profileName: 'unknown_platform', platformId: 'Nope' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    await expect(
      putProfile('too_long', { signatureValidityPeriod: { value: 136, type: 'MONTHS' } }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      putProfile('too_long_years', { signatureValidityPeriod: { value: 12, type: 'YEARS' } }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    const days = await putProfile('short_lived', { signatureValidityPeriod: { value: 30, type: 'DAYS' } });
    expect(days.profileVersion).toBeDefined();
    await expect(
      signer.send(new GetSigningProfileCommand({ profileName: 'missing_one' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('cancels a profile: hidden from lists unless includeCanceled, name stays reserved, no new jobs', async () => {
    await putProfile('to_cancel');
    await signer.send(new CancelSigningProfileCommand({ profileName: 'to_cancel' }));
    expect((await signer.send(new GetSigningProfileCommand({ profileName: 'to_cancel' }))).status).toBe(
      'Canceled',
    );
    const active = await signer.send(new ListSigningProfilesCommand({}));
    expect(active.profiles?.map((p) => p.profileName)).not.toContain('to_cancel');
    const all = await signer.send(new ListSigningProfilesCommand({ includeCanceled: true }));
    expect(all.profiles?.find((p) => p.profileName === 'to_cancel')?.status).toBe('Canceled');
    const onlyCanceled = await signer.send(
      new ListSigningProfilesCommand({ includeCanceled: true, statuses: ['Canceled'] }),
    );
    expect(onlyCanceled.profiles?.map((p) => p.profileName)).toEqual(['to_cancel']);
    await expect(putProfile('to_cancel')).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(sign('to_cancel', aPackage())).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('pages ListSigningProfiles 25 at a time with the SDK paginator', async () => {
    for (let i = 0; i < 27; i++)
      await putProfile(`bulk_${String(i).padStart(2, '0')}`, { platformId: 'Notation-OCI-SHA384-ECDSA' });
    const sizes: number[] = [];
    const names: string[] = [];
    for await (const p of paginateListSigningProfiles(
      { client: signer },
      { platformId: 'Notation-OCI-SHA384-ECDSA', maxResults: 25 },
    )) {
      sizes.push(p.profiles?.length ?? 0);
      names.push(...(p.profiles ?? []).map((x) => x.profileName!));
    }
    expect(sizes).toEqual([25, 2]);
    expect(new Set(names).size).toBe(27);
    await expect(signer.send(new ListSigningProfilesCommand({ maxResults: 26 }))).rejects.toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('tags profiles and lists them for the Tagging API', async () => {
    const { arn } = await putProfile('tagged_one');
    await signer.send(new TagResourceCommand({ resourceArn: arn, tags: { team: 'a', env: 'dev' } }));
    await signer.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['env'] }));
    expect((await signer.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({
      team: 'a',
    });
    await expect(
      signer.send(
        new ListTagsForResourceCommand({
          resourceArn: `arn:aws:signer:us-east-1:${MAIN}:/signing-profiles/ghost`,
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotFoundException', $metadata: { httpStatusCode: 404 } });
    const providers = internal(t.sandbox.internals, 'taggingProviders');
    const listed = providers.flatMap((p) => p(MAIN, 'us-east-1')).find((r) => r.arn === arn);
    expect(listed).toEqual({ arn, resourceType: 'signer:signing-profile', tags: { team: 'a' } });
  });
});

describe('Signer signing jobs', () => {
  it('signs a package: the signed object lands at prefix + jobId and verifies', async () => {
    const { profileVersionArn, profileVersion } = await putProfile('job_signer');
    const jobId = await sign('job_signer', aPackage());
    const job = await signer.send(new DescribeSigningJobCommand({ jobId }));
    expect(job).toMatchObject({
      jobId,
      status: 'Succeeded',
      profileName: 'job_signer',
      profileVersion,
      platformId: 'AWSLambda-SHA384-ECDSA',
      platformDisplayName: 'AWS Lambda',
      requestedBy: `arn:aws:iam::${MAIN}:user/admin`,
      jobOwner: MAIN,
      jobInvoker: MAIN,
      signedObject: { s3: { bucketName: 'dst-bucket', key: `signed/${jobId}` } },
      source: { s3: { bucketName: 'src-bucket', key: 'fn.zip' } },
    });
    expect(job.createdAt).toBeInstanceOf(Date);
    expect(job.completedAt).toBeInstanceOf(Date);
    const months = (job.signatureExpiresAt!.getTime() - job.completedAt!.getTime()) / (30.44 * 86_400_000);
    expect(Math.round(months)).toBe(135);
    const signed = await bytes(s3, 'dst-bucket', `signed/${jobId}`);
    const verdict = check(signed);
    expect(verdict).toMatchObject({
      kind: 'signed',
      profileVersionArn,
      jobArn: `arn:aws:signer:us-east-1:${MAIN}:/signing-jobs/${jobId}`,
      platformId: 'AWSLambda-SHA384-ECDSA',
      profileStatus: 'Active',
      jobRevoked: false,
    });
    if (verdict.kind !== 'signed') throw new Error('unreachable');
    expect(verdict.expiresAt).toBe(job.signatureExpiresAt!.getTime());

    // One flipped byte inside the archive fails integrity.
    const tampered = Buffer.from(signed);
    tampered[40] = tampered[40]! ^ 0xff;
    expect(check(tampered)).toMatchObject({ kind: 'integrity-failed', profileVersionArn });
    // A copy (GetObject, then PutObject elsewhere) keeps its signature.
    await s3.send(new PutObjectCommand({ Bucket: 'plain-bucket', Key: 'copy.zip', Body: signed }));
    expect(check(await bytes(s3, 'plain-bucket', 'copy.zip'))).toMatchObject({
      kind: 'signed',
      profileVersionArn,
    });
    expect(check(aPackage())).toEqual({ kind: 'unsigned' });
    expect(check(Buffer.from('not a zip'))).toEqual({ kind: 'not-zip' });
  });

  it('fails jobs whose source is not a zip, is empty or is already signed', async () => {
    await putProfile('fail_signer');
    const notZip = await sign('fail_signer', 'plain text', 'notzip.txt');
    const empty = await sign('fail_signer', Buffer.alloc(0), 'empty.zip');
    const firstJob = await sign('fail_signer', aPackage(), 'twice.zip');
    const once = await bytes(s3, 'dst-bucket', `signed/${firstJob}`);
    const twice = await sign('fail_signer', once, 'twice.zip');
    for (const [jobId, reason] of [
      [notZip, /not a valid ZIP/],
      [empty, /empty/],
      [twice, /already has a signature/],
    ] as const) {
      const job = await signer.send(new DescribeSigningJobCommand({ jobId }));
      expect(job.status).toBe('Failed');
      expect(job.statusReason).toMatch(reason);
      expect(job.signedObject).toBeUndefined();
    }
    await expect(
      waitUntilSuccessfulSigningJob(
        { client: signer, maxWaitTime: 5, minDelay: 1, maxDelay: 1 },
        { jobId: notZip },
      ),
    ).rejects.toThrow();
  });

  it('requires a versioned source bucket in the profile’s Region, and a version', async () => {
    await putProfile('req_signer');
    await s3.send(new PutObjectCommand({ Bucket: 'plain-bucket', Key: 'x.zip', Body: aPackage() }));
    await expect(
      signer.send(
        new StartSigningJobCommand({
          profileName: 'req_signer',
          source: { s3: { bucketName: 'plain-bucket', key: 'x.zip', version: 'null' } },
          destination: { s3: { bucketName: 'dst-bucket' } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/versioning/) });
    const eu = s3Client(rec, t.endpoint, undefined, 'eu-west-1');
    await eu.send(
      new CreateBucketCommand({
        Bucket: 'eu-src-bucket',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    await expect(
      signer.send(
        new StartSigningJobCommand({
          profileName: 'req_signer',
          source: { s3: { bucketName: 'eu-src-bucket', key: 'x.zip', version: 'v' } },
          destination: { s3: { bucketName: 'dst-bucket' } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/Region/) });
    await expect(
      signer.send(
        new StartSigningJobCommand({
          profileName: 'req_signer',
          source: { s3: { bucketName: 'src-bucket', key: 'x.zip' } } as never,
          destination: { s3: { bucketName: 'dst-bucket' } },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/source\.s3\.version/),
    });
    await expect(
      signer.send(
        new StartSigningJobCommand({
          profileName: 'ghost_profile',
          source: { s3: { bucketName: 'src-bucket', key: 'x.zip', version: 'v' } },
          destination: { s3: { bucketName: 'dst-bucket' } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  });

  it('is idempotent on clientRequestToken', async () => {
    await putProfile('idem_signer');
    const version = await upload(s3, 'src-bucket', 'idem.zip', aPackage('idem'));
    const input = {
      profileName: 'idem_signer',
      source: { s3: { bucketName: 'src-bucket', key: 'idem.zip', version } },
      destination: { s3: { bucketName: 'dst-bucket', prefix: 'idem-' } },
      clientRequestToken: 'token-1',
    };
    const a = await signer.send(new StartSigningJobCommand(input));
    const b = await signer.send(new StartSigningJobCommand(input));
    expect(b.jobId).toBe(a.jobId);
    await expect(
      signer.send(
        new StartSigningJobCommand({ ...input, destination: { s3: { bucketName: 'dst-bucket' } } }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('the waiter succeeds at once for a synchronous job', async () => {
    await putProfile('wait_signer');
    const jobId = await sign('wait_signer', aPackage('wait'));
    const result = await waitUntilSuccessfulSigningJob(
      { client: signer, maxWaitTime: 5, minDelay: 1, maxDelay: 1 },
      { jobId },
    );
    expect(result.state).toBe('SUCCESS');
    await expect(
      signer.send(new DescribeSigningJobCommand({ jobId: '00000000-0000-0000-0000-000000000000' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  });

  it('lists and filters jobs 25 per page with the SDK paginator', async () => {
    await putProfile('list_signer', { signatureValidityPeriod: { value: 10, type: 'DAYS' } });
    for (let i = 0; i < 26; i++) await sign('list_signer', aPackage(`list ${i}`), `list-${i}.zip`);
    const sizes: number[] = [];
    let listed = 0;
    for await (const p of paginateListSigningJobs({ client: signer }, { status: 'Succeeded' })) {
      sizes.push(p.jobs?.length ?? 0);
      listed += (p.jobs ?? []).filter((j) => j.profileName === 'list_signer').length;
    }
    expect(sizes[0]).toBe(25);
    expect(listed).toBe(26);
    const failed = await signer.send(new ListSigningJobsCommand({ status: 'Failed' }));
    expect(failed.jobs?.every((j) => j.status === 'Failed')).toBe(true);
    expect(failed.jobs?.length).toBeGreaterThanOrEqual(3);
    const soon = new Date(Date.now() + 20 * 86_400_000);
    const expiring = await signer.send(
      new ListSigningJobsCommand({ signatureExpiresBefore: soon, maxResults: 25 }),
    );
    expect(expiring.jobs?.length).toBe(25);
    expect(expiring.jobs?.every((j) => j.profileName === 'list_signer')).toBe(true);
    expect(expiring.nextToken).toBeDefined();
    const later = await signer.send(new ListSigningJobsCommand({ signatureExpiresAfter: soon }));
    expect(later.jobs?.some((j) => j.profileName === 'list_signer')).toBe(false);
    const mine = await signer.send(
      new ListSigningJobsCommand({
        requestedBy: `arn:aws:iam::${MAIN}:user/admin`,
        platformId: 'AWSLambda-SHA384-ECDSA',
      }),
    );
    expect(mine.jobs?.length).toBe(25);
    const nobody = await signer.send(
      new ListSigningJobsCommand({ requestedBy: 'arn:aws:iam::111111111111:user/x' }),
    );
    expect(nobody.jobs).toEqual([]);
  });
});

describe('Signer revocation', () => {
  it('revokes a signature: job record, isRevoked filter, package check, GetRevocationStatus', async () => {
    const { profileVersionArn } = await putProfile('rev_signer');
    const jobId = await sign('rev_signer', aPackage('revoke me'), 'rev.zip');
    const keep = await sign('rev_signer', aPackage('keep me'), 'keep.zip');
    await expect(signer.send(new RevokeSignatureCommand({ jobId, reason: '' }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await signer.send(new RevokeSignatureCommand({ jobId, reason: 'leaked build' }));
    const job = await signer.send(new DescribeSigningJobCommand({ jobId }));
    expect(job.revocationRecord).toMatchObject({
      reason: 'leaked build',
      revokedBy: `arn:aws:iam::${MAIN}:user/admin`,
    });
    expect(job.revocationRecord?.revokedAt).toBeInstanceOf(Date);
    const revoked = await signer.send(new ListSigningJobsCommand({ isRevoked: true }));
    expect(revoked.jobs?.map((j) => j.jobId)).toEqual([jobId]);
    expect(revoked.jobs?.[0]?.isRevoked).toBe(true);
    const signed = await bytes(s3, 'dst-bucket', `signed/${jobId}`);
    expect(check(signed)).toMatchObject({ kind: 'signed', jobRevoked: true, profileStatus: 'Active' });
    expect(check(await bytes(s3, 'dst-bucket', `signed/${keep}`))).toMatchObject({ jobRevoked: false });
    const jobArn = `arn:aws:signer:us-east-1:${MAIN}:/signing-jobs/${jobId}`;
    const status = await signer.send(
      new GetRevocationStatusCommand({
        signatureTimestamp: new Date(),
        platformId: 'AWSLambda-SHA384-ECDSA',
        profileVersionArn,
        jobArn,
        certificateHashes: ['abc'],
      }),
    );
    expect(status.revokedEntities).toEqual([jobArn]);
    await expect(
      signer.send(
        new GetRevocationStatusCommand({
          signatureTimestamp: new Date(),
          platformId: 'AWSLambda-SHA384-ECDSA',
          profileVersionArn,
          jobArn,
        } as never),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
  });

  it('revokes a profile from an effective time in the past, which can only move earlier', async () => {
    const { profileVersion, profileVersionArn } = await putProfile('prof_rev');
    const jobId = await sign('prof_rev', aPackage('before revocation'), 'pr.zip');
    const signed = await bytes(s3, 'dst-bucket', `signed/${jobId}`);
    const now = Date.now();
    await expect(
      signer.send(
        new RevokeSigningProfileCommand({
          profileName: 'prof_rev',
          profileVersion,
          reason: 'future',
          effectiveTime: new Date(now + 3_600_000),
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    const effective = new Date(now - 60_000);
    await signer.send(
      new RevokeSigningProfileCommand({
        profileName: 'prof_rev',
        profileVersion,
        reason: 'key compromise',
        effectiveTime: effective,
      }),
    );
    const got = await signer.send(new GetSigningProfileCommand({ profileName: 'prof_rev' }));
    expect(got.status).toBe('Revoked');
    expect(got.revocationRecord?.revocationEffectiveFrom?.getTime()).toBe(effective.getTime());
    expect(got.revocationRecord?.revokedBy).toBe(`arn:aws:iam::${MAIN}:user/admin`);
    await expect(
      signer.send(
        new RevokeSigningProfileCommand({
          profileName: 'prof_rev',
          profileVersion,
          reason: 'later',
          effectiveTime: new Date(now - 1000),
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await signer.send(
      new RevokeSigningProfileCommand({
        profileName: 'prof_rev',
        profileVersion,
        reason: 'earlier',
        effectiveTime: new Date(now - 120_000),
      }),
    );
    const verdict = check(signed);
    expect(verdict).toMatchObject({
      kind: 'signed',
      profileStatus: 'Revoked',
      profileRevokedFrom: now - 120_000,
    });
    await expect(sign('prof_rev', aPackage('after'), 'pr2.zip')).rejects.toMatchObject({
      name: 'ValidationException',
    });
    const jobArn = `arn:aws:signer:us-east-1:${MAIN}:/signing-jobs/${jobId}`;
    const ask = (signatureTimestamp: Date) =>
      signer.send(
        new GetRevocationStatusCommand({
          signatureTimestamp,
          platformId: 'AWSLambda-SHA384-ECDSA',
          profileVersionArn,
          jobArn,
          certificateHashes: ['abc'],
        }),
      );
    expect((await ask(new Date(now))).revokedEntities).toEqual([profileVersionArn]);
    expect((await ask(new Date(now - 3_600_000))).revokedEntities).toEqual([]);
    const listed = await signer.send(new ListSigningProfilesCommand({ statuses: ['Revoked'] }));
    expect(listed.profiles?.map((p) => p.profileName)).toEqual(['prof_rev']);
  });
});

describe('Signer cross-account use through profile permissions', () => {
  let other: SignerClient;
  let otherS3: S3Client;

  beforeAll(async () => {
    const creds = addSecondAccount(t.sandbox.world);
    other = signerClient(rec, t.endpoint, creds);
    otherS3 = s3Client(rec, t.endpoint, creds);
    await createBucket(otherS3, 'b-src-bucket', true);
    await createBucket(otherS3, 'b-dst-bucket', false);
    await putProfile('shared_signer');
  });

  async function startAsOther() {
    const version = await upload(otherS3, 'b-src-bucket', 'fn.zip', aPackage('account b code'));
    return other.send(
      new StartSigningJobCommand({
        profileName: 'shared_signer',
        profileOwner: MAIN,
        source: { s3: { bucketName: 'b-src-bucket', key: 'fn.zip', version } },
        destination: { s3: { bucketName: 'b-dst-bucket', prefix: 'signed/' } },
      }),
    );
  }

  it('denies another account until the owner adds a permission', async () => {
    await expect(
      other.send(new GetSigningProfileCommand({ profileName: 'shared_signer', profileOwner: MAIN })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    await expect(startAsOther()).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('manages permissions with revision ids and unique statement ids', async () => {
    const first = await signer.send(
      new AddProfilePermissionCommand({
        profileName: 'shared_signer',
        action: 'signer:StartSigningJob',
        principal: SECOND_ACCOUNT,
        statementId: 'b-start',
      }),
    );
    expect(first.revisionId).toBeDefined();
    await expect(
      signer.send(
        new AddProfilePermissionCommand({
          profileName: 'shared_signer',
          action: 'signer:GetSigningProfile',
          principal: SECOND_ACCOUNT,
          statementId: 'b-start',
          revisionId: first.revisionId,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConflictException', $metadata: { httpStatusCode: 409 } });
    await expect(
      signer.send(
        new AddProfilePermissionCommand({
          profileName: 'shared_signer',
          action: 'signer:GetSigningProfile',
          principal: SECOND_ACCOUNT,
          statementId: 'b-get',
          revisionId: 'stale-revision',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConflictException', $metadata: { httpStatusCode: 409 } });
    const second = await signer.send(
      new AddProfilePermissionCommand({
        profileName: 'shared_signer',
        action: 'signer:GetSigningProfile',
        principal: SECOND_ACCOUNT,
        statementId: 'b-get',
        revisionId: first.revisionId,
      }),
    );
    const temp = await signer.send(
      new AddProfilePermissionCommand({
        profileName: 'shared_signer',
        action: 'signer:RevokeSignature',
        principal: '333333333333',
        statementId: 'temp',
        revisionId: second.revisionId,
      }),
    );
    const listed = await signer.send(new ListProfilePermissionsCommand({ profileName: 'shared_signer' }));
    expect(listed.revisionId).toBe(temp.revisionId);
    expect(listed.permissions?.map((p) => p.statementId)).toEqual(['b-start', 'b-get', 'temp']);
    expect(listed.policySizeBytes).toBeGreaterThan(0);
    await expect(
      signer.send(
        new RemoveProfilePermissionCommand({
          profileName: 'shared_signer',
          statementId: 'temp',
          revisionId: first.revisionId,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConflictException' });
    const removed = await signer.send(
      new RemoveProfilePermissionCommand({
        profileName: 'shared_signer',
        statementId: 'temp',
        revisionId: temp.revisionId,
      }),
    );
    expect(removed.revisionId).not.toBe(temp.revisionId);
    await expect(
      signer.send(
        new AddProfilePermissionCommand({
          profileName: 'shared_signer',
          action: 'signer:DeleteEverything',
          principal: SECOND_ACCOUNT,
          statementId: 'bad',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('lets the other account read the profile and sign with it; the owner sees the job', async () => {
    const profile = await other.send(
      new GetSigningProfileCommand({ profileName: 'shared_signer', profileOwner: MAIN }),
    );
    expect(profile.arn).toBe(`arn:aws:signer:us-east-1:${MAIN}:/signing-profiles/shared_signer`);
    const started = await startAsOther();
    expect(started.jobOwner).toBe(MAIN);
    const job = await other.send(new DescribeSigningJobCommand({ jobId: started.jobId }));
    expect(job).toMatchObject({ status: 'Succeeded', jobOwner: MAIN, jobInvoker: SECOND_ACCOUNT });
    expect(job.requestedBy).toBe(`arn:aws:iam::${SECOND_ACCOUNT}:user/builder`);
    const signed = await bytes(otherS3, 'b-dst-bucket', `signed/${started.jobId}`);
    expect(check(signed)).toMatchObject({
      kind: 'signed',
      profileVersionArn: profile.profileVersionArn,
      jobArn: `arn:aws:signer:us-east-1:${MAIN}:/signing-jobs/${started.jobId}`,
    });
    const byInvoker = await signer.send(new ListSigningJobsCommand({ jobInvoker: SECOND_ACCOUNT }));
    expect(byInvoker.jobs?.map((j) => j.jobId)).toEqual([started.jobId]);
    // Revoking needs its own permission.
    await expect(
      other.send(new RevokeSignatureCommand({ jobId: started.jobId, jobOwner: MAIN, reason: 'mine' })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    // Both accounts' trails record the cross-account call.
    const trail = trailSlice(t.sandbox.world).events;
    for (const account of [MAIN, SECOND_ACCOUNT]) {
      const names = (trail[account]?.['us-east-1'] ?? [])
        .filter(
          (e) =>
            e.record.eventSource === 'signer.amazonaws.com' &&
            e.record.userIdentity.accountId === SECOND_ACCOUNT,
        )
        .map((e) => e.record.eventName);
      expect(names).toContain('StartSigningJob');
    }
  });

  it('a permission for one account does not extend to a third', async () => {
    t.sandbox.world.accounts['444444444444'] = emptyAccount('444444444444', 'third', 'CREATED', Date.now());
    const creds = createUserWithKey(
      t.sandbox.world,
      '444444444444',
      'x',
      ['arn:aws:iam::aws:policy/AdministratorAccess'],
      Date.now(),
    );
    const third = signerClient(rec, t.endpoint, creds);
    await expect(
      third.send(new GetSigningProfileCommand({ profileName: 'shared_signer', profileOwner: MAIN })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe('Signer and the SDK', () => {
  it('records Signer calls in CloudTrail with their API names', () => {
    const names = (trailSlice(t.sandbox.world).events[MAIN]?.['us-east-1'] ?? [])
      .filter((e) => e.record.eventSource === 'signer.amazonaws.com')
      .map((e) => e.record.eventName);
    for (const name of [
      'PutSigningProfile',
      'StartSigningJob',
      'RevokeSignature',
      'RevokeSigningProfile',
      'AddProfilePermission',
    ]) {
      expect(names).toContain(name);
    }
    const failed = (trailSlice(t.sandbox.world).events[MAIN]?.['us-east-1'] ?? []).find(
      (e) => e.record.eventName === 'PutSigningProfile' && e.record.errorCode === 'ValidationException',
    );
    expect(failed).toBeDefined();
  });

  it('answers malformed and unknown requests with AWS-shaped errors', async () => {
    const bad = await signedFetch(`${t.endpoint}/signing-profiles/bad_json`, 'signer', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"platformId": ',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-amzn-errortype')).toBe('SerializationException');
    const wrongType = await signedFetch(`${t.endpoint}/signing-profiles/bad_type`, 'signer', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"platformId": 42}',
    });
    expect(wrongType.status).toBe(400);
    expect(await wrongType.json()).toMatchObject({ code: 'ValidationException' });
    const unknown = await signedFetch(`${t.endpoint}/signing-things`, 'signer');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });

  it('parsed every response without warnings', () => {
    expect(rec.warnings).toEqual([]);
  });
});
