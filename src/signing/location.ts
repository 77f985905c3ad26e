// `s3://bucket/key` locations of signed objects, and the signing job id Signer puts at the end of a
// signed object's key (destination prefix + job id).
import { UsageError } from '../errors.js';

export interface S3Location {
  bucket: string;
  key: string;
  versionId?: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const JOB_ID_SUFFIX = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Parses `s3://bucket/key` with an optional `?versionId=…`. */
export function parseS3Uri(value: string, option = '--signed'): S3Location {
  const match = /^s3:\/\/([^/?]+)\/([^?]+)(?:\?versionId=([^&]+))?$/.exec(value);
  if (!match || !BUCKET.test(match[1]!)) {
    throw new UsageError(
      `${option} ${value} is not an S3 object location; use s3://BUCKET/KEY (as printed by signet sign)`,
    );
  }
  const key = decodeURIComponent(match[2]!);
  return { bucket: match[1]!, key, ...(match[3] ? { versionId: decodeURIComponent(match[3]) } : {}) };
}

export function formatS3Uri(location: S3Location, withVersion = false): string {
  const base = `s3://${location.bucket}/${location.key}`;
  return withVersion && location.versionId
    ? `${base}?versionId=${encodeURIComponent(location.versionId)}`
    : base;
}

/** The signing job id at the end of a signed object's key, if the key has one. */
export function jobIdOfKey(key: string): string | undefined {
  return JOB_ID_SUFFIX.exec(key)?.[1];
}

export function checkBucketName(bucket: string): string {
  if (!BUCKET.test(bucket))
    throw new UsageError(
      `--bucket ${bucket} is not a valid S3 bucket name (3-63 lower-case letters, digits, . and -)`,
    );
  return bucket;
}
