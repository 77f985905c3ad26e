// Signing a Lambda package through AWS Signer: upload the ZIP to a versioned bucket (Signer signs an
// object version), start a signing job, wait for it within a bound, and read the signed object back.
// `signPackageBytes` is the reusable core (remediation's signed-package probe uses it).
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { GetBucketVersioningCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeSigningJobCommand,
  type DescribeSigningJobCommandOutput,
  GetSigningProfileCommand,
  type GetSigningProfileCommandOutput,
  StartSigningJobCommand,
} from '@aws-sdk/client-signer';
import { SignetError, UsageError } from '../errors.js';
import { partitionOfRegion, signingJobArn } from '../model/arn.js';
import type { SigningContext } from './context.js';
import { formatS3Uri, type S3Location } from './location.js';
import type { SignedArtifactRecord } from './provenance.js';

export const LAMBDA_SIGNING_PLATFORM = 'AWSLambda-SHA384-ECDSA';
/** Signer's size limit for the Lambda platform (`maxSizeInMB`). */
export const MAX_PACKAGE_BYTES = 250 * 1024 * 1024;
export const DEFAULT_SIGN_TIMEOUT_MS = 10 * 60 * 1000;

export interface SignOptions {
  profileName: string;
  /** Account that owns the profile when it is shared cross-account (AddProfilePermission). */
  profileOwner?: string;
  bucket: string;
  /** Key prefix for the uploaded and the signed objects. */
  prefix?: string;
  timeoutMs?: number;
  onStatus?: (status: string) => void;
  /** Test seam for the poll delay; the default backs off from 250 ms to 5 s. */
  delay?: (attempt: number) => Promise<void>;
}

export interface SignedArtifact extends SignedArtifactRecord {
  source: S3Location & { versionId: string };
  signedObject: S3Location & { sha256: string };
  jobId: string;
  jobOwner: string;
  /** When the job completed (the signature timestamp GetRevocationStatus asks for). */
  signedAt?: string;
  signedUri: string;
  /** The signed package bytes (CodeSha256 after deploy is their base64 SHA-256). */
  signedBytes: Buffer;
}

const ZIP_MAGIC = [Buffer.from('PK\u0003\u0004'), Buffer.from('PK\u0005\u0006')];

export function checkPackageBytes(name: string, bytes: Buffer): void {
  if (bytes.length === 0) throw new UsageError(`${name} is empty; pass a ZIP deployment package`);
  if (!ZIP_MAGIC.some((magic) => bytes.subarray(0, 4).equals(magic)))
    throw new UsageError(
      `${name} is not a ZIP archive; Lambda code signing signs ZIP deployment packages only`,
    );
  if (bytes.length > MAX_PACKAGE_BYTES)
    throw new UsageError(`${name} is ${bytes.length} bytes; AWS Signer signs Lambda packages up to 250 MB`);
}

export function readPackage(file: string): { name: string; bytes: Buffer } {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new UsageError(`${file} is not a file; pass a ZIP deployment package`);
    size = stat.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      cause: err,
    });
  }
  if (size > MAX_PACKAGE_BYTES)
    throw new UsageError(`${file} is ${size} bytes; AWS Signer signs Lambda packages up to 250 MB`);
  const bytes = readFileSync(file);
  const name = basename(file);
  checkPackageBytes(file, bytes);
  return { name, bytes };
}

function sha256(bytes: Uint8Array, encoding: 'hex' | 'base64' = 'hex'): string {
  return createHash('sha256').update(bytes).digest(encoding);
}

const defaultDelay = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt)));

function awsName(err: unknown): string {
  return (err as { name?: string }).name ?? '';
}

function awsMessage(err: unknown): string {
  return (err as { message?: string }).message ?? String(err);
}

/** The profile must exist, be Active and sign Lambda packages; anything else is refused before any write. */
export async function activeProfile(
  ctx: SigningContext,
  profileName: string,
  profileOwner: string | undefined,
): Promise<{ profileVersionArn: string; profileVersion: string; platformId: string }> {
  if (!/^[a-zA-Z0-9_]{2,64}$/.test(profileName))
    throw new UsageError(
      `--profile ${profileName} is not a signing profile name (2-64 letters, digits and _; no hyphens)`,
    );
  if (profileOwner !== undefined && !/^\d{12}$/.test(profileOwner))
    throw new UsageError(`--profile-owner ${profileOwner} must be a 12-digit account id`);
  const signer = ctx.factory.signer(ctx.target);
  let profile: GetSigningProfileCommandOutput;
  try {
    profile = await signer.send(
      new GetSigningProfileCommand({ profileName, ...(profileOwner ? { profileOwner } : {}) }),
    );
  } catch (err) {
    if (awsName(err) === 'ResourceNotFoundException')
      throw new UsageError(
        `signing profile ${profileName} does not exist in ${profileOwner ?? ctx.target.accountId} ${ctx.target.region}; create it (aws signer put-signing-profile) or check --profile-owner and --region`,
      );
    if (awsName(err) === 'AccessDeniedException')
      throw new UsageError(
        `not allowed to use signing profile ${profileName}${profileOwner ? ` of ${profileOwner}` : ''}: ${awsMessage(err)}; a shared profile needs AddProfilePermission for signer:GetSigningProfile and signer:StartSigningJob`,
      );
    throw err;
  }
  if (profile.status !== 'Active')
    throw new UsageError(
      `signing profile ${profileName} is ${profile.status}${profile.revocationRecord?.revocationEffectiveFrom ? ` (revoked from ${profile.revocationRecord.revocationEffectiveFrom.toISOString()})` : ''}; it cannot sign, and Lambda rejects its signatures; use an Active profile`,
    );
  if (profile.platformId !== LAMBDA_SIGNING_PLATFORM)
    throw new UsageError(
      `signing profile ${profileName} is for ${profile.platformId}; Lambda packages need a ${LAMBDA_SIGNING_PLATFORM} profile`,
    );
  return {
    profileVersionArn: profile.profileVersionArn!,
    profileVersion: profile.profileVersion!,
    platformId: profile.platformId,
  };
}

/** Signer needs the object version of the source: an unversioned bucket is refused up front. */
export async function requireVersionedBucket(ctx: SigningContext, bucket: string): Promise<void> {
  const s3 = ctx.factory.s3(ctx.target);
  let status: string | undefined;
  try {
    status = (await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status;
  } catch (err) {
    if (awsName(err) === 'NoSuchBucket')
      throw new UsageError(
        `bucket ${bucket} does not exist; create a versioned bucket in ${ctx.target.region}`,
      );
    if (awsName(err) === 'PermanentRedirect' || awsName(err) === 'AuthorizationHeaderMalformed')
      throw new UsageError(
        `bucket ${bucket} is in another region than ${ctx.target.region}; Signer signs only in the bucket's own region`,
      );
    throw err;
  }
  if (status !== 'Enabled')
    throw new UsageError(
      `bucket ${bucket} has versioning ${status ? status.toLowerCase() : 'never enabled'}; AWS Signer signs an object version, so enable it: aws s3api put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled`,
    );
}

async function waitForJob(
  ctx: SigningContext,
  jobId: string,
  options: SignOptions,
): Promise<DescribeSigningJobCommandOutput> {
  const signer = ctx.factory.signer(ctx.target);
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_SIGN_TIMEOUT_MS);
  const delay = options.delay ?? defaultDelay;
  for (let attempt = 0; ; attempt++) {
    const job = await signer.send(new DescribeSigningJobCommand({ jobId }));
    options.onStatus?.(job.status ?? 'Unknown');
    if (job.status === 'Succeeded') return job;
    if (job.status === 'Failed')
      throw new SignetError(
        'SIGNING_FAILED',
        `signing job ${jobId} failed: ${job.statusReason ?? 'no reason given'}`,
      );
    if (Date.now() >= deadline)
      throw new SignetError(
        'SIGNING_TIMEOUT',
        `signing job ${jobId} is still ${job.status ?? 'running'} after ${Math.round((options.timeoutMs ?? DEFAULT_SIGN_TIMEOUT_MS) / 1000)} s; check it with aws signer describe-signing-job --job-id ${jobId} or raise --timeout`,
      );
    await delay(attempt);
  }
}

/** Signs package bytes named `name`; the reusable core of `signet sign`. */
export async function signPackageBytes(
  ctx: SigningContext,
  name: string,
  bytes: Buffer,
  options: SignOptions,
): Promise<SignedArtifact> {
  checkPackageBytes(name, bytes);
  const prefix = options.prefix ?? '';
  const profile = await activeProfile(ctx, options.profileName, options.profileOwner);
  await requireVersionedBucket(ctx, options.bucket);
  const s3 = ctx.factory.s3(ctx.target);
  const digest = sha256(bytes);
  const stem = name.replace(/\.zip$/i, '').replace(/[^A-Za-z0-9._-]/g, '-') || 'package';
  const sourceKey = `${prefix}unsigned/${digest.slice(0, 16)}/${name.replace(/[^A-Za-z0-9._-]/g, '-')}`;
  options.onStatus?.('uploading');
  const put = await s3.send(
    new PutObjectCommand({
      Bucket: options.bucket,
      Key: sourceKey,
      Body: bytes,
      ContentType: 'application/zip',
      ChecksumSHA256: sha256(bytes, 'base64'),
      Metadata: { 'signet-sha256': digest },
    }),
  );
  if (!put.VersionId || put.VersionId === 'null')
    throw new SignetError(
      'UNVERSIONED_UPLOAD',
      `S3 returned no version id for s3://${options.bucket}/${sourceKey}; the bucket's versioning must be Enabled for Signer`,
    );
  const source = { bucket: options.bucket, key: sourceKey, versionId: put.VersionId };
  const signer = ctx.factory.signer(ctx.target);
  // Same package version + profile + destination = same token: a retried pipeline step gets the same job.
  const clientRequestToken = createHash('sha256')
    .update(JSON.stringify([source, options.profileName, options.profileOwner ?? '', prefix]))
    .digest('hex')
    .slice(0, 64);
  options.onStatus?.('starting signing job');
  const started = await signer.send(
    new StartSigningJobCommand({
      source: { s3: { bucketName: source.bucket, key: source.key, version: source.versionId } },
      destination: { s3: { bucketName: options.bucket, prefix: `${prefix}signed/${stem}-` } },
      profileName: options.profileName,
      ...(options.profileOwner ? { profileOwner: options.profileOwner } : {}),
      clientRequestToken,
    }),
  );
  const jobId = started.jobId!;
  const job = await waitForJob(ctx, jobId, options);
  const signed = job.signedObject?.s3;
  if (!signed?.bucketName || !signed.key)
    throw new SignetError('SIGNING_FAILED', `signing job ${jobId} succeeded but names no signed object`);
  options.onStatus?.('reading signed object');
  const object = await s3.send(new GetObjectCommand({ Bucket: signed.bucketName, Key: signed.key }));
  const signedBytes = Buffer.from(await object.Body!.transformToByteArray());
  const jobOwner = started.jobOwner ?? job.jobOwner ?? ctx.target.accountId;
  const signedObject = {
    bucket: signed.bucketName,
    key: signed.key,
    ...(object.VersionId && object.VersionId !== 'null' ? { versionId: object.VersionId } : {}),
    sha256: sha256(signedBytes),
  };
  return {
    packageName: name,
    packageSha256: digest,
    source,
    signedObject,
    signedUri: formatS3Uri(signedObject),
    signedBytes,
    jobId,
    jobOwner,
    signingJobArn: signingJobArn(partitionOfRegion(ctx.target.region), ctx.target.region, jobOwner, jobId),
    signingProfileVersionArn: profile.profileVersionArn,
    signingProfile: options.profileName,
    platformId: profile.platformId,
    ...(job.completedAt ? { signedAt: job.completedAt.toISOString() } : {}),
    ...(job.signatureExpiresAt ? { signatureExpiresAt: job.signatureExpiresAt.toISOString() } : {}),
  };
}

/** Signs a package file. */
export async function signPackage(
  ctx: SigningContext,
  file: string,
  options: SignOptions,
): Promise<SignedArtifact> {
  const { name, bytes } = readPackage(file);
  return signPackageBytes(ctx, name, bytes, options);
}

/**
 * Signs several packages, at most `concurrency` at a time. Signer's per-API rates are account settings
 * (Service Quotas, unpublished defaults): the bound keeps bursts small and the SDK retries throttling.
 */
export async function signPackages(
  ctx: SigningContext,
  files: string[],
  options: SignOptions & { concurrency?: number; onDone?: (file: string, done: number) => void },
): Promise<SignedArtifact[]> {
  // Read and check every file first, so a bad one fails before anything is uploaded.
  const packages = files.map((file) => ({ file, ...readPackage(file) }));
  const names = new Map<string, string>();
  for (const p of packages) {
    const other = names.get(p.name);
    if (other && other !== p.file)
      throw new UsageError(
        `${other} and ${p.file} have the same file name; sign them in separate runs or rename one`,
      );
    names.set(p.name, p.file);
  }
  const results: SignedArtifact[] = new Array(packages.length);
  let next = 0;
  let done = 0;
  let failed = false;
  const worker = async () => {
    // After a failure no new package starts; jobs already started finish (Signer cannot cancel them).
    while (next < packages.length && !failed) {
      const i = next++;
      const p = packages[i]!;
      try {
        results[i] = await signPackageBytes(ctx, p.name, p.bytes, options);
      } catch (err) {
        failed = true;
        throw err;
      }
      options.onDone?.(p.file, ++done);
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, packages.length));
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}
