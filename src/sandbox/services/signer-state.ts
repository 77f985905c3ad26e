// Signer's world slice (profiles with their key pairs, signing jobs), the signing platforms, job
// completion (the real ECDSA P-384 signing) and the package check Lambda relies on.
import { generateKeyPairSync } from 'node:crypto';
import type { S3Internals, SignatureCheck, SignerInternals } from '../internals.js';
import { ARN_PARTITION, partitionOfRegion } from '../partition.js';
import { inspectPackage, signPackage, verifyDigest } from '../signature.js';
import { slice, type World } from '../world.js';
import { readZipLayout } from '../zip.js';

export const LAMBDA_PLATFORM = 'AWSLambda-SHA384-ECDSA';

export interface SigningPlatform {
  platformId: string;
  displayName: string;
  partner: string;
  target: string;
  category: string;
  signingConfiguration: {
    encryptionAlgorithmOptions: { allowedValues: string[]; defaultValue: string };
    hashAlgorithmOptions: { allowedValues: string[]; defaultValue: string };
  };
  signingImageFormat: { supportedFormats: string[]; defaultFormat: string };
  maxSizeInMB: number;
  revocationSupported: boolean;
  /** IoT platforms sign with a customer ACM certificate: `signingMaterial` is required. */
  requiresSigningMaterial: boolean;
}

function platform(
  platformId: string,
  displayName: string,
  partner: string,
  target: string,
  category: string,
  encryption: string,
  hash: string,
  format: string,
  maxSizeInMB: number,
  revocationSupported: boolean,
  requiresSigningMaterial: boolean,
): SigningPlatform {
  return {
    platformId,
    displayName,
    partner,
    target,
    category,
    signingConfiguration: {
      encryptionAlgorithmOptions: { allowedValues: [encryption], defaultValue: encryption },
      hashAlgorithmOptions: { allowedValues: [hash], defaultValue: hash },
    },
    signingImageFormat: { supportedFormats: [format], defaultFormat: format },
    maxSizeInMB,
    revocationSupported,
    requiresSigningMaterial,
  };
}

/** The platforms of spec §3.2; the Lambda record follows moto and observed responses. */
export const PLATFORMS: SigningPlatform[] = [
  platform(
    LAMBDA_PLATFORM,
    'AWS Lambda',
    'AWSLambda',
    'SHA384-ECDSA',
    'AWS',
    'ECDSA',
    'SHA384',
    'JSONDetached',
    250,
    true,
    false,
  ),
  platform(
    'AWSIoTDeviceManagement-SHA256-ECDSA',
    'AWS IoT Device Management SHA256-ECDSA ',
    'AWSIoTDeviceManagement',
    'SHA256-ECDSA',
    'AWSIoT',
    'ECDSA',
    'SHA256',
    'JSONDetached',
    2048,
    false,
    true,
  ),
  platform(
    'AmazonFreeRTOS-TI-CC3220SF',
    'Amazon FreeRTOS SHA1-RSA CC3220SF-Format',
    'AmazonFreeRTOS',
    'SHA1-RSA-TISHA1',
    'AWSIoT',
    'RSA',
    'SHA1',
    'JSONEmbedded',
    16,
    false,
    true,
  ),
  platform(
    'AmazonFreeRTOS-Default',
    'Amazon FreeRTOS SHA256-ECDSA',
    'AmazonFreeRTOS',
    'SHA256-ECDSA',
    'AWSIoT',
    'ECDSA',
    'SHA256',
    'JSONEmbedded',
    16,
    false,
    true,
  ),
  platform(
    'Notation-OCI-SHA384-ECDSA',
    'Notation for OCI registries',
    'AWSSigner',
    'SHA384-ECDSA',
    'AWS',
    'ECDSA',
    'SHA384',
    'JSONDetached',
    2048,
    true,
    false,
  ),
];

export function findPlatform(platformId: string): SigningPlatform | undefined {
  return PLATFORMS.find((p) => p.platformId === platformId);
}

export type ProfileStatus = 'Active' | 'Canceled' | 'Revoked';
export type JobStatus = 'InProgress' | 'Failed' | 'Succeeded';

export interface ValidityPeriod {
  value: number;
  type: 'DAYS' | 'MONTHS' | 'YEARS';
}

export interface ProfilePermission {
  statementId: string;
  action: string;
  principal: string;
  profileVersion?: string;
}

export interface SignerProfile {
  profileName: string;
  accountId: string;
  region: string;
  arn: string;
  profileVersion: string;
  profileVersionArn: string;
  platformId: string;
  status: ProfileStatus;
  statusReason?: string;
  signatureValidityPeriod: ValidityPeriod;
  signingMaterial?: { certificateArn: string };
  overrides?: Record<string, unknown>;
  signingParameters?: Record<string, string>;
  tags: Record<string, string>;
  /** epoch ms */
  createdAt: number;
  /** The profile version's own ECDSA P-384 key pair (PEM). */
  publicKeyPem: string;
  privateKeyPem: string;
  /** epoch ms */
  revocation?: { effectiveFrom: number; revokedAt: number; revokedBy: string; reason: string };
  permissions: { revisionId?: string; statements: ProfilePermission[] };
}

export interface SigningJob {
  jobId: string;
  arn: string;
  seq: number;
  ownerAccountId: string;
  invokerAccountId: string;
  region: string;
  requestedBy: string;
  clientRequestToken: string;
  /** Fingerprint of the request, to detect a reused idempotency token. */
  requestKey: string;
  profileName: string;
  profileVersion: string;
  profileVersionArn: string;
  platformId: string;
  platformDisplayName: string;
  source: { bucketName: string; key: string; version: string };
  destination: { bucketName: string; prefix?: string };
  signingMaterial?: { certificateArn: string };
  overrides?: Record<string, unknown>;
  signingParameters?: Record<string, string>;
  /** epoch ms */
  createdAt: number;
  /** epoch ms: the job completes (lazily, or by timer) once the clock reaches it. */
  readyAt: number;
  completedAt?: number;
  status: JobStatus;
  statusReason?: string;
  signedObject?: { bucketName: string; key: string };
  /** epoch ms */
  signedAt?: number;
  /** epoch ms */
  signatureExpiresAt?: number;
  revocation?: { reason: string; revokedAt: number; revokedBy: string };
}

export interface SignerSlice {
  /** accountId → region → profileName → profile. */
  profiles: Record<string, Record<string, Record<string, SignerProfile>>>;
  /** jobId → job (ids are UUIDs; each job carries its owner and Region). */
  jobs: Record<string, SigningJob>;
}

export function signerSlice(world: World): SignerSlice {
  return slice<SignerSlice>(world, 'signer', () => ({ profiles: {}, jobs: {} }));
}

export function profileArn(region: string, accountId: string, name: string): string {
  return `arn:${partitionOfRegion(region)}:signer:${region}:${accountId}:/signing-profiles/${name}`;
}

export function jobArn(region: string, accountId: string, jobId: string): string {
  return `arn:${partitionOfRegion(region)}:signer:${region}:${accountId}:/signing-jobs/${jobId}`;
}

export function getProfile(
  world: World,
  accountId: string,
  region: string,
  name: string,
): SignerProfile | undefined {
  return signerSlice(world).profiles[accountId]?.[region]?.[name];
}

export function newKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-384',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

/** Adds a validity period to an instant with calendar arithmetic (UTC). */
export function addPeriod(ms: number, period: ValidityPeriod): number {
  const date = new Date(ms);
  if (period.type === 'DAYS') return ms + period.value * 86_400_000;
  if (period.type === 'MONTHS') date.setUTCMonth(date.getUTCMonth() + period.value);
  else date.setUTCFullYear(date.getUTCFullYear() + period.value);
  return date.getTime();
}

const PROFILE_VERSION_ARN = new RegExp(
  `^${ARN_PARTITION}signer:([a-z0-9-]+):(\\d{12}):/signing-profiles/([a-zA-Z0-9_]{2,64})/([a-zA-Z0-9]{10})$`,
);
const JOB_ARN = new RegExp(`^${ARN_PARTITION}signer:([a-z0-9-]+):(\\d{12}):/signing-jobs/([a-zA-Z0-9-]+)$`);

/** The profile a profile-version ARN names, if that exact version exists. */
export function profileByVersionArn(world: World, arn: string): SignerProfile | undefined {
  const match = PROFILE_VERSION_ARN.exec(arn);
  if (!match) return undefined;
  const [, region, accountId, name, version] = match as unknown as [string, string, string, string, string];
  const profile = getProfile(world, accountId, region, name);
  return profile?.profileVersion === version ? profile : undefined;
}

export function jobByArn(world: World, arn: string): SigningJob | undefined {
  const match = JOB_ARN.exec(arn);
  if (!match) return undefined;
  const job = signerSlice(world).jobs[match[3]!];
  return job && job.arn === arn ? job : undefined;
}

/**
 * Completes an `InProgress` job whose time has come: reads the source version, refuses what AWS
 * refuses (not a zip, empty, already signed) with a `Failed` status, otherwise signs the package with
 * the profile version's private key and writes it to `destination.prefix + jobId`.
 */
export function settleJob(world: World, s3: S3Internals, job: SigningJob, now: number): void {
  if (job.status !== 'InProgress' || now < job.readyAt) return;
  job.completedAt = job.readyAt;
  const outcome = signJob(world, s3, job, job.readyAt);
  if (typeof outcome === 'string') {
    job.status = 'Failed';
    job.statusReason = outcome;
    return;
  }
  job.status = 'Succeeded';
  job.statusReason = 'Signing Succeeded';
  job.signedObject = outcome.signedObject;
  job.signedAt = outcome.signedAt;
  job.signatureExpiresAt = outcome.signatureExpiresAt;
}

/** Signs a job's source package; returns the failure reason AWS would report, or what was written. */
function signJob(
  world: World,
  s3: S3Internals,
  job: SigningJob,
  completedAt: number,
):
  | string
  | { signedObject: { bucketName: string; key: string }; signedAt: number; signatureExpiresAt: number } {
  const profile = getProfile(world, job.ownerAccountId, job.region, job.profileName);
  if (!profile) return 'Signing failed: the signing profile no longer exists.';
  const source = s3.getObject(job.source.bucketName, job.source.key, job.source.version);
  if (!source) {
    return `Signing failed: unable to read version ${job.source.version} of s3://${job.source.bucketName}/${job.source.key}.`;
  }
  if (source.body.length === 0) return 'Signing failed: the source file is empty.';
  if (source.body.length > 250 * 1024 * 1024)
    return 'Signing failed: the source file exceeds the platform maximum size of 250 MB.';
  const inspection = inspectPackage(source.body);
  if (inspection.kind === 'not-zip') return 'Signing failed: the source file is not a valid ZIP archive.';
  if (inspection.kind === 'signed' || inspection.kind === 'malformed-signature')
    return 'Signing failed: the source file already has a signature.';
  if (readZipLayout(source.body)?.entryCount === 0) return 'Signing failed: the source ZIP archive is empty.';
  const signedAtSeconds = Math.floor(completedAt / 1000);
  const expiresAtSeconds = Math.floor(
    addPeriod(signedAtSeconds * 1000, profile.signatureValidityPeriod) / 1000,
  );
  const signed = signPackage(source.body, profile.privateKeyPem, {
    platformId: job.platformId,
    profileVersionArn: job.profileVersionArn,
    jobArn: job.arn,
    signedAt: signedAtSeconds,
    expiresAt: expiresAtSeconds,
  });
  const key = `${job.destination.prefix ?? ''}${job.jobId}`;
  const written = s3.putObject(job.destination.bucketName, key, signed);
  if (written instanceof Error)
    return `Signing failed: unable to write to s3://${job.destination.bucketName}/${key}.`;
  return {
    signedObject: { bucketName: job.destination.bucketName, key },
    signedAt: signedAtSeconds * 1000,
    signatureExpiresAt: expiresAtSeconds * 1000,
  };
}

/** `SignerInternals`: verify a package's embedded signature against Signer's records (any account). */
export function createSignerInternals(world: World): SignerInternals {
  return {
    checkPackage(pkg: Buffer): SignatureCheck {
      const inspection = inspectPackage(pkg);
      if (inspection.kind === 'not-zip') return { kind: 'not-zip' };
      if (inspection.kind === 'unsigned') return { kind: 'unsigned' };
      if (inspection.kind === 'malformed-signature') return { kind: 'integrity-failed' };
      const { metadata } = inspection;
      const arns = { profileVersionArn: metadata.profileVersionArn, jobArn: metadata.jobArn };
      const profile = profileByVersionArn(world, metadata.profileVersionArn);
      if (!profile || !verifyDigest(inspection.digest, inspection.signature, profile.publicKeyPem)) {
        return { kind: 'integrity-failed', ...arns };
      }
      const job = jobByArn(world, metadata.jobArn);
      return {
        kind: 'signed',
        ...arns,
        platformId: metadata.platformId,
        signedAt: metadata.signedAt * 1000,
        expiresAt: metadata.expiresAt * 1000,
        profileStatus: profile.status,
        ...(profile.revocation ? { profileRevokedFrom: profile.revocation.effectiveFrom } : {}),
        jobRevoked: job?.revocation !== undefined,
      };
    },
  };
}
