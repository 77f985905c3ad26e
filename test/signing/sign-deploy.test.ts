// The signing library end to end on the sandbox with the real SDK: sign, verify, pre-flight, deploy.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GetFunctionCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { RevokeSignatureCommand } from '@aws-sdk/client-signer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_CALLS } from '../../src/aws/calls.js';
import { UndeclaredCallError } from '../../src/aws/clients.js';
import { UsageError } from '../../src/errors.js';
import type { SigningContext } from '../../src/signing/context.js';
import { deployFunction } from '../../src/signing/deploy.js';
import { DeployRefusedError } from '../../src/signing/explain.js';
import { parseS3Uri } from '../../src/signing/location.js';
import { signPackage, signPackages } from '../../src/signing/sign.js';
import { verifyArtifact } from '../../src/signing/verify.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { aFunction, aPackageFile, context, type SigningWorld, signingWorld } from './fixtures.js';

let t: TestSandbox;
let w: SigningWorld;
let ctx: SigningContext;
beforeAll(async () => {
  t = await startTestSandbox({ lambdaUpdateReads: 1, signerJobLatencyMs: 50 });
  w = await signingWorld(t);
  ctx = await context(t);
});
afterAll(async () => {
  ctx?.factory.destroy();
  await t?.close();
});

function calls(operation: string): number {
  return t.sandbox
    .callStats()
    .filter((s) => s.operation === operation)
    .reduce((sum, s) => sum + s.count, 0);
}

describe('signPackage', () => {
  it('uploads to the versioned bucket, signs, and returns the signed object, job and digests', async () => {
    const file = aPackageFile(w.dir);
    const signed = await signPackage(ctx, file, { profileName: w.profile, bucket: w.bucket, prefix: 'ci/' });
    expect(signed.packageSha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    expect(signed.signedUri).toMatch(/^s3:\/\/pipeline-artifacts\/ci\/signed\/app-\d+-[0-9a-f-]{36}$/);
    expect(signed.signedObject.versionId).toMatch(/^[A-Za-z0-9._-]{32}$/);
    expect(signed.signingProfileVersionArn).toBe(w.profileVersionArn);
    expect(signed.signingJobArn).toBe(`arn:aws:signer:us-east-1:111111111111:/signing-jobs/${signed.jobId}`);
    const object = await t.clients.s3.send(
      new GetObjectCommand({ Bucket: w.bucket, Key: signed.signedObject.key }),
    );
    const bytes = Buffer.from(await object.Body!.transformToByteArray());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(signed.signedObject.sha256);
  });

  it('refuses an unversioned bucket before uploading anything', async () => {
    const before = calls('PutObject');
    const err = await signPackage(ctx, aPackageFile(w.dir), {
      profileName: w.profile,
      bucket: w.unversioned,
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain('put-bucket-versioning --bucket plain-bucket');
    expect(calls('PutObject')).toBe(before);
  });

  it('refuses a file that is not a ZIP and an unknown profile with one clear line', async () => {
    const notZip = `${w.dir}/notes.zip`;
    (await import('node:fs')).writeFileSync(notZip, 'hello');
    await expect(signPackage(ctx, notZip, { profileName: w.profile, bucket: w.bucket })).rejects.toThrow(
      /is not a ZIP archive/,
    );
    await expect(
      signPackage(ctx, aPackageFile(w.dir), { profileName: 'nobody_here', bucket: w.bucket }),
    ).rejects.toThrow(/signing profile nobody_here does not exist/);
  });

  it('signs several packages concurrently, each with its own job', async () => {
    const files = [aPackageFile(w.dir), aPackageFile(w.dir), aPackageFile(w.dir)];
    const signed = await signPackages(ctx, files, {
      profileName: w.profile,
      bucket: w.bucket,
      concurrency: 3,
    });
    expect(new Set(signed.map((s) => s.jobId)).size).toBe(3);
    expect(signed.map((s) => s.packageName)).toEqual(files.map((f) => f.split('/').pop()));
  });

  it('makes only the calls its command declares: sign cannot deploy', async () => {
    const signOnly = await context(t, SIGN_CALLS);
    try {
      const signed = await signPackage(signOnly, aPackageFile(w.dir), {
        profileName: w.profile,
        bucket: w.bucket,
      });
      expect(signed.jobId).toBeTruthy();
      await expect(verifyArtifact(signOnly, parseS3Uri(signed.signedUri))).rejects.toBeInstanceOf(
        UndeclaredCallError,
      );
    } finally {
      signOnly.factory.destroy();
    }
  });
});

describe('deployFunction', () => {
  it('deploys signed code under Enforce, publishes a version and moves an alias', async () => {
    await aFunction(t, w, 'api', w.enforceCsc);
    const signed = await signPackage(ctx, aPackageFile(w.dir), { profileName: w.profile, bucket: w.bucket });
    const artifact = await verifyArtifact(ctx, parseS3Uri(signed.signedUri));
    expect(artifact.ok).toBe(true);
    const deployed = await deployFunction(ctx, 'api', artifact, {
      publish: true,
      alias: 'live',
      requireEnforce: true,
    });
    expect(deployed.version).toBe('1');
    expect(deployed.signingJobArn).toBe(signed.signingJobArn);
    const fn = await t.clients.lambda.send(
      new GetFunctionCommand({ FunctionName: 'api', Qualifier: 'live' }),
    );
    expect(fn.Configuration?.SigningProfileVersionArn).toBe(w.profileVersionArn);
    expect(fn.Configuration?.SigningJobArn).toBe(signed.signingJobArn);
    expect(fn.Configuration?.CodeSha256).toBe(
      createHash('sha256').update(signed.signedBytes).digest('base64'),
    );
    // A second deploy moves the same alias to version 2.
    const again = await signPackage(ctx, aPackageFile(w.dir), { profileName: w.profile, bucket: w.bucket });
    const second = await deployFunction(ctx, 'api', await verifyArtifact(ctx, parseS3Uri(again.signedUri)), {
      publish: true,
      alias: 'live',
    });
    expect(second.version).toBe('2');
    const live = await t.clients.lambda.send(
      new GetFunctionCommand({ FunctionName: 'api', Qualifier: 'live' }),
    );
    expect(live.Configuration?.Version).toBe('2');
  });

  it('refuses a profile the CSC does not allow before any write', async () => {
    await aFunction(t, w, 'payments', w.enforceCsc);
    const signed = await signPackage(ctx, aPackageFile(w.dir), { profileName: w.rogue, bucket: w.bucket });
    const artifact = await verifyArtifact(ctx, parseS3Uri(signed.signedUri));
    const before = calls('UpdateFunctionCode');
    const err = await deployFunction(ctx, 'payments', artifact).catch((e: Error) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain(`${w.rogueVersionArn} is not among the allowed publishers`);
    expect(calls('UpdateFunctionCode')).toBe(before);
  });

  it('refuses Warn and no-CSC functions only with requireEnforce', async () => {
    await aFunction(t, w, 'legacy', w.warnCsc);
    await aFunction(t, w, 'bare');
    const signed = await signPackage(ctx, aPackageFile(w.dir), { profileName: w.profile, bucket: w.bucket });
    const artifact = await verifyArtifact(ctx, parseS3Uri(signed.signedUri));
    await expect(deployFunction(ctx, 'legacy', artifact, { requireEnforce: true })).rejects.toThrow(
      /in Warn mode, and --require-enforce was given/,
    );
    await expect(deployFunction(ctx, 'bare', artifact, { requireEnforce: true })).rejects.toThrow(
      /has no code signing config, and --require-enforce was given/,
    );
    const warnings: string[] = [];
    const ok = await deployFunction(ctx, 'bare', artifact, { onWarning: (m) => warnings.push(m) });
    expect(ok.signingJobArn).toBe(signed.signingJobArn);
    expect(warnings).toEqual([
      'function bare has no code signing config: Lambda will not check this signature',
    ]);
  });

  it('refuses a revoked signature before any write', async () => {
    await aFunction(t, w, 'revoked-target', w.enforceCsc);
    const signed = await signPackage(ctx, aPackageFile(w.dir), { profileName: w.profile, bucket: w.bucket });
    await t.clients.signer.send(new RevokeSignatureCommand({ jobId: signed.jobId, reason: 'leaked build' }));
    const artifact = await verifyArtifact(ctx, parseS3Uri(signed.signedUri));
    expect(artifact.ok).toBe(false);
    expect(artifact.checks.find((c) => c.id === 'revocation')).toMatchObject({ ok: false });
    const before = calls('UpdateFunctionCode');
    await expect(deployFunction(ctx, 'revoked-target', artifact)).rejects.toThrow(/signature is revoked/);
    expect(calls('UpdateFunctionCode')).toBe(before);
  });

  it('explains the sandbox refusing a tampered signed object (InvalidCodeSignatureException)', async () => {
    await aFunction(t, w, 'tampered', w.enforceCsc);
    const signed = await signPackage(ctx, aPackageFile(w.dir), { profileName: w.profile, bucket: w.bucket });
    // Someone with write access replaces the signed object: flip one byte of the archive's content.
    const bytes = Buffer.from(signed.signedBytes);
    bytes[40] = bytes[40]! ^ 0xff;
    await t.clients.s3.send(
      new PutObjectCommand({ Bucket: w.bucket, Key: signed.signedObject.key, Body: bytes }),
    );
    const artifact = await verifyArtifact(ctx, parseS3Uri(signed.signedUri));
    // Signer's records still look fine: only Lambda's integrity check (or the provenance digest) sees it.
    expect(artifact.ok).toBe(true);
    const err = await deployFunction(ctx, 'tampered', artifact).catch((e: Error) => e);
    expect(err).toBeInstanceOf(DeployRefusedError);
    expect((err as Error).message).toMatch(
      /^Lambda refused the code for function tampered \(InvalidCodeSignatureException\): the package failed the signature integrity check/,
    );
    const versions = await t.clients.lambda.send(
      new ListVersionsByFunctionCommand({ FunctionName: 'tampered' }),
    );
    expect(versions.Versions?.[0]?.SigningJobArn).toBeUndefined();
  });
});
