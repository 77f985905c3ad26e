// Reading a deployment package from a request: inline `ZipFile` bytes or an S3 object read on the
// caller's behalf, checked to be a ZIP archive and stored content-addressed in the world.
import { createHash } from 'node:crypto';
import { isAwsError } from '../../errors.js';
import type { S3Internals } from '../../internals.js';
import { partitionOfRegion } from '../../partition.js';
import type { OperationContext } from '../../service.js';
import { readZipLayout } from '../../zip.js';
import { invalidParameter } from './errors.js';
import { type Body, optBlob, optString } from './input.js';
import { storeBlob } from './state.js';

export interface LoadedPackage {
  bytes: Buffer;
  /** Base64 SHA-256, Lambda's `CodeSha256`. */
  sha256: string;
  /** Key of the stored bytes. */
  blob: string;
}

function s3Error(code: string, message: string): Error {
  return invalidParameter(
    `Error occurred while GetObject. S3 Error Code: ${code}. S3 Error Message: ${message}`,
  );
}

/** Reads `ZipFile` or `S3Bucket`/`S3Key`/`S3ObjectVersion` from a `Code` or `Content` member. */
export function loadPackage(ctx: OperationContext, code: Body, member: 'Code' | 'Content'): LoadedPackage {
  const zip = optBlob(code, 'ZipFile');
  const bucket = optString(code, 'S3Bucket', { min: 3, max: 63 });
  const key = optString(code, 'S3Key', { min: 1, max: 1024 });
  const version = optString(code, 'S3ObjectVersion', { min: 1, max: 1024 });
  let bytes: Buffer;
  if (zip !== undefined) {
    if (bucket !== undefined || key !== undefined) {
      throw invalidParameter('Please provide either a ZipFile or an S3 location for the code, not both.');
    }
    bytes = zip;
  } else if (bucket !== undefined && key !== undefined) {
    bytes = readS3(ctx, bucket, key, version);
  } else {
    throw invalidParameter(
      member === 'Code'
        ? 'Please provide a source for function code.'
        : 'Please provide a source for the layer content: ZipFile or S3Bucket and S3Key.',
    );
  }
  if (!readZipLayout(bytes)) {
    throw invalidParameter(
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
    );
  }
  return {
    bytes,
    sha256: createHash('sha256').update(bytes).digest('base64'),
    blob: storeBlob(ctx.world, bytes),
  };
}

function readS3(ctx: OperationContext, bucket: string, key: string, version: string | undefined): Buffer {
  const s3 = ctx.internals.s3 as S3Internals | undefined;
  const info = s3?.bucket(bucket);
  if (!s3 || !info) throw s3Error('NoSuchBucket', 'The specified bucket does not exist');
  if (info.region !== ctx.region) {
    throw s3Error(
      'PermanentRedirect',
      `The bucket is in this region: ${info.region}. Please use this region to retry the request`,
    );
  }
  // Lambda reads the object with the caller's permissions; bucket policies are not modelled, so an
  // object in another account's bucket is not readable (conservative).
  try {
    ctx.authorize(
      `arn:${partitionOfRegion(ctx.region)}:s3:::${bucket}/${key}`,
      {},
      version ? 's3:GetObjectVersion' : 's3:GetObject',
    );
  } catch (err) {
    if (isAwsError(err)) throw s3Error('AccessDenied', 'Access Denied');
    throw err;
  }
  if (info.accountId !== ctx.caller.accountId) throw s3Error('AccessDenied', 'Access Denied');
  const object = s3.getObject(bucket, key, version);
  if (!object) {
    if (version && s3.getObject(bucket, key))
      throw s3Error('NoSuchVersion', 'The specified version does not exist.');
    throw s3Error('NoSuchKey', 'The specified key does not exist.');
  }
  return object.body;
}
