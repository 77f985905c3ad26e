// `signet verify-artifact`: before a deploy, check a signed object's signing job, its profile's status,
// revocation (Signer GetRevocationStatus) and, when given, that the provenance matches the object and
// the package that was signed. Every check is reported; a check that could not run fails (fail closed).
import { createHash } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeSigningJobCommand,
  type DescribeSigningJobCommandOutput,
  GetRevocationStatusCommand,
  GetSigningProfileCommand,
  type GetSigningProfileCommandOutput,
} from '@aws-sdk/client-signer';
import { UndeclaredCallError } from '../aws/clients.js';
import { UsageError } from '../errors.js';
import { partitionOfRegion, signingJobArn } from '../model/arn.js';
import type { SigningContext } from './context.js';
import { formatS3Uri, jobIdOfKey, type S3Location } from './location.js';
import { type ProvenanceStatement, signedRecordFor } from './provenance.js';

export interface ArtifactCheck {
  id:
    | 'signing-job'
    | 'signature-expiry'
    | 'profile-status'
    | 'revocation'
    | 'provenance-object'
    | 'provenance-package'
    | 'provenance-job';
  ok: boolean;
  detail: string;
}

export interface VerifiedArtifact {
  location: S3Location & { sha256: string; versionId?: string };
  uri: string;
  jobId: string;
  jobArn?: string;
  jobOwner?: string;
  profileName?: string;
  profileVersionArn?: string;
  platformId?: string;
  signedAt?: string;
  signatureExpiresAt?: string;
  profileStatus?: string;
  checks: ArtifactCheck[];
  ok: boolean;
  /** The signed bytes read for the digest; deploy compares Lambda's CodeSha256 with them. */
  bytes: Buffer;
}

/** A bug, not a finding: never turn it into a failed check. */
function rethrowBugs(err: unknown): void {
  if (err instanceof UndeclaredCallError) throw err;
}

function name(err: unknown): string {
  return (err as { name?: string }).name ?? 'Error';
}

function message(err: unknown): string {
  return (err as { message?: string }).message ?? String(err);
}

export async function verifyArtifact(
  ctx: SigningContext,
  location: S3Location,
  options: { provenance?: ProvenanceStatement; now?: Date } = {},
): Promise<VerifiedArtifact> {
  const jobId = jobIdOfKey(location.key);
  if (!jobId)
    throw new UsageError(
      `${formatS3Uri(location)} does not end in a signing job id; pass the signed object signet sign printed (AWS Signer writes it to PREFIX + job id)`,
    );
  const now = options.now ?? new Date();
  const checks: ArtifactCheck[] = [];
  const s3 = ctx.factory.s3(ctx.target);
  let bytes: Buffer;
  let versionId: string | undefined;
  try {
    const object = await s3.send(
      new GetObjectCommand({
        Bucket: location.bucket,
        Key: location.key,
        ...(location.versionId ? { VersionId: location.versionId } : {}),
      }),
    );
    bytes = Buffer.from(await object.Body!.transformToByteArray());
    versionId = object.VersionId && object.VersionId !== 'null' ? object.VersionId : undefined;
  } catch (err) {
    if (['NoSuchKey', 'NoSuchBucket', 'NoSuchVersion', 'NotFound'].includes(name(err)))
      throw new UsageError(`signed object ${formatS3Uri(location, true)} does not exist (${name(err)})`);
    throw err;
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const resolved = { ...location, ...(versionId ? { versionId } : {}), sha256 };
  const result: VerifiedArtifact = {
    location: resolved,
    uri: formatS3Uri(resolved),
    jobId,
    checks,
    ok: false,
    bytes,
  };

  const signer = ctx.factory.signer(ctx.target);
  let job: DescribeSigningJobCommandOutput | undefined;
  try {
    job = await signer.send(new DescribeSigningJobCommand({ jobId }));
  } catch (err) {
    rethrowBugs(err);
    checks.push({
      id: 'signing-job',
      ok: false,
      detail: `cannot read signing job ${jobId} (${name(err)}: ${message(err)})`,
    });
  }
  if (job) {
    const signed = job.signedObject?.s3;
    const sameObject = signed?.bucketName === location.bucket && signed?.key === location.key;
    const succeeded = job.status === 'Succeeded';
    checks.push({
      id: 'signing-job',
      ok: succeeded && sameObject,
      detail: !succeeded
        ? `signing job ${jobId} is ${job.status}${job.statusReason ? `: ${job.statusReason}` : ''}`
        : !sameObject
          ? `signing job ${jobId} wrote s3://${signed?.bucketName}/${signed?.key}, not this object`
          : `signing job ${jobId} succeeded with profile ${job.profileName} version ${job.profileVersion}`,
    });
    const owner = job.jobOwner ?? ctx.target.accountId;
    result.jobOwner = owner;
    result.jobArn = signingJobArn(partitionOfRegion(ctx.target.region), ctx.target.region, owner, jobId);
    result.profileName = job.profileName;
    result.platformId = job.platformId;
    const signedAt = job.completedAt ?? job.createdAt;
    if (signedAt) result.signedAt = signedAt.toISOString();
    if (job.signatureExpiresAt) result.signatureExpiresAt = job.signatureExpiresAt.toISOString();
    checks.push({
      id: 'signature-expiry',
      ok: job.signatureExpiresAt !== undefined && job.signatureExpiresAt > now,
      detail: job.signatureExpiresAt
        ? job.signatureExpiresAt > now
          ? `signature valid until ${job.signatureExpiresAt.toISOString()}`
          : `signature expired at ${job.signatureExpiresAt.toISOString()}`
        : 'the signing job reports no signature expiry',
    });

    let profile: GetSigningProfileCommandOutput | undefined;
    try {
      profile = await signer.send(
        new GetSigningProfileCommand({
          profileName: job.profileName,
          ...(owner !== ctx.target.accountId ? { profileOwner: owner } : {}),
        }),
      );
    } catch (err) {
      rethrowBugs(err);
      checks.push({
        id: 'profile-status',
        ok: false,
        detail: `cannot read signing profile ${job.profileName} (${name(err)}: ${message(err)})`,
      });
    }
    if (profile) {
      result.profileStatus = profile.status;
      // One version per profile name is current; the job's version is the one that signed.
      result.profileVersionArn =
        profile.profileVersion === job.profileVersion
          ? profile.profileVersionArn
          : `${profile.arn}/${job.profileVersion}`;
      checks.push({
        id: 'profile-status',
        ok: profile.status === 'Active',
        detail:
          profile.status === 'Active'
            ? `signing profile ${job.profileName} is Active`
            : `signing profile ${job.profileName} is ${profile.status}${profile.revocationRecord?.revocationEffectiveFrom ? ` (revoked from ${profile.revocationRecord.revocationEffectiveFrom.toISOString()})` : ''}`,
      });
    }
    if (result.profileVersionArn && result.jobArn && signedAt) {
      try {
        // Lambda signatures' certificate chain is not exposed by any AWS API, so certificate revocation
        // cannot be asked about; the digest of the signed object stands in for the required member.
        const status = await signer.send(
          new GetRevocationStatusCommand({
            signatureTimestamp: signedAt,
            platformId: job.platformId ?? 'AWSLambda-SHA384-ECDSA',
            profileVersionArn: result.profileVersionArn,
            jobArn: result.jobArn,
            certificateHashes: [sha256],
          }),
        );
        const revoked = status.revokedEntities ?? [];
        const jobRevoked = job.revocationRecord !== undefined;
        checks.push({
          id: 'revocation',
          ok: revoked.length === 0 && !jobRevoked,
          detail:
            revoked.length === 0 && !jobRevoked
              ? 'neither the signature nor the profile version is revoked'
              : `revoked: ${[...new Set([...revoked, ...(jobRevoked ? [result.jobArn] : [])])].join(', ')}${job.revocationRecord?.reason ? ` (${job.revocationRecord.reason})` : ''}`,
        });
      } catch (err) {
        rethrowBugs(err);
        checks.push({
          id: 'revocation',
          ok: false,
          detail: `cannot check revocation (${name(err)}: ${message(err)})`,
        });
      }
    } else {
      checks.push({
        id: 'revocation',
        ok: false,
        detail: 'cannot check revocation: the job or profile could not be read',
      });
    }
  }

  if (options.provenance) {
    // The package the job signed is the source object version: its digest must be the subject's.
    let sourceSha256: string | undefined;
    const source = job?.source?.s3;
    if (source?.bucketName && source.key) {
      try {
        const object = await s3.send(
          new GetObjectCommand({
            Bucket: source.bucketName,
            Key: source.key,
            ...(source.version ? { VersionId: source.version } : {}),
          }),
        );
        sourceSha256 = createHash('sha256')
          .update(await object.Body!.transformToByteArray())
          .digest('hex');
      } catch (err) {
        rethrowBugs(err);
        sourceSha256 = undefined;
      }
    }
    checkProvenance(options.provenance, result, job, sourceSha256);
  }
  result.ok = checks.every((c) => c.ok);
  return result;
}

function checkProvenance(
  statement: ProvenanceStatement,
  result: VerifiedArtifact,
  job: DescribeSigningJobCommandOutput | undefined,
  sourceSha256: string | undefined,
): void {
  const record = signedRecordFor(statement, result.location);
  if (!record) {
    result.checks.push({
      id: 'provenance-object',
      ok: false,
      detail: `the provenance names no signed object ${result.uri}`,
    });
    return;
  }
  const recordedDigest = record.byproduct.digest?.sha256;
  const versionMatches =
    !record.versionId || !result.location.versionId || record.versionId === result.location.versionId;
  result.checks.push({
    id: 'provenance-object',
    ok: recordedDigest === result.location.sha256 && versionMatches,
    detail:
      recordedDigest !== result.location.sha256
        ? `the signed object's sha256 ${result.location.sha256} differs from the provenance's ${recordedDigest ?? '(none)'}: it changed after signing`
        : !versionMatches
          ? `the signed object is version ${result.location.versionId}, the provenance records ${record.versionId}`
          : `the signed object matches the provenance (sha256 ${recordedDigest})`,
  });
  const annotations = record.byproduct.annotations ?? {};
  const packageName = annotations.package;
  const packageSha256 = annotations.packageSha256;
  const subject = statement.subject.find((s) => s.name === packageName);
  const subjectSha256 = subject?.digest.sha256;
  result.checks.push({
    id: 'provenance-package',
    ok: subjectSha256 !== undefined && subjectSha256 === packageSha256 && subjectSha256 === sourceSha256,
    detail:
      subjectSha256 === undefined || subjectSha256 !== packageSha256
        ? `the provenance's subject and its signed object disagree about package ${String(packageName)}`
        : sourceSha256 === undefined
          ? `cannot read the package the signing job signed, so subject ${String(packageName)} is unconfirmed`
          : sourceSha256 !== subjectSha256
            ? `the signing job signed a package with sha256 ${sourceSha256}, not subject ${String(packageName)} (${subjectSha256})`
            : `the signing job signed subject ${String(packageName)} (sha256 ${subjectSha256})`,
  });
  const recordedJob = annotations.signingJobArn;
  const recordedProfile = annotations.signingProfileVersionArn;
  const jobMatches = recordedJob === result.jobArn && job !== undefined;
  const profileMatches = recordedProfile === result.profileVersionArn;
  result.checks.push({
    id: 'provenance-job',
    ok: jobMatches && profileMatches,
    detail:
      jobMatches && profileMatches
        ? 'the provenance names this signing job and profile version'
        : `the provenance names job ${String(recordedJob)} / profile ${String(recordedProfile)}, the object was signed by ${result.jobArn ?? '(unknown job)'} / ${result.profileVersionArn ?? '(unknown profile)'}`,
  });
}
