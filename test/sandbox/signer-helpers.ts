// Shared setup for the Signer tests: SDK clients that record warnings, a second account, packages.
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SignerClient } from '@aws-sdk/client-signer';
import { createUserWithKey, emptyAccount } from '../../src/sandbox/identity.js';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import type { World } from '../../src/sandbox/world.js';
import { createZip } from '../../src/sandbox/zip.js';
import type { Credentials } from '../helpers/sandbox.js';

export const SECOND_ACCOUNT = '222222222222';

export interface Recorded {
  warnings: string[];
  clients: { destroy(): void }[];
}

export function recorder(): Recorded {
  return { warnings: [], clients: [] };
}

function logger(rec: Recorded) {
  return {
    debug: () => {},
    info: () => {},
    warn: (...args: unknown[]) => rec.warnings.push(JSON.stringify(args)),
    // The SDK logs every failed command at error level; failures are asserted where they happen.
    error: () => {},
  };
}

export function signerClient(
  rec: Recorded,
  endpoint: string,
  credentials: Credentials = BOOTSTRAP_CREDENTIALS,
  region = 'us-east-1',
): SignerClient {
  const client = new SignerClient({
    endpoint,
    region,
    credentials,
    maxAttempts: 1,
    // GetRevocationStatus carries a host prefix the SDK would prepend to a custom endpoint.
    disableHostPrefix: true,
    logger: logger(rec),
  });
  rec.clients.push(client);
  return client;
}

export function s3Client(
  rec: Recorded,
  endpoint: string,
  credentials: Credentials = BOOTSTRAP_CREDENTIALS,
  region = 'us-east-1',
): S3Client {
  const client = new S3Client({
    endpoint,
    region,
    credentials,
    forcePathStyle: true,
    maxAttempts: 1,
    logger: logger(rec),
  });
  rec.clients.push(client);
  return client;
}

/** Adds a second account with an administrator whose keys the test can use. */
export function addSecondAccount(world: World): Credentials {
  world.accounts[SECOND_ACCOUNT] = emptyAccount(SECOND_ACCOUNT, 'second', 'CREATED', Date.now());
  return createUserWithKey(
    world,
    SECOND_ACCOUNT,
    'builder',
    ['arn:aws:iam::aws:policy/AdministratorAccess'],
    Date.now(),
  );
}

export function aPackage(text = 'exports.handler = async () => "ok";'): Buffer {
  return createZip([{ name: 'index.js', data: text }]);
}

export async function createBucket(s3: S3Client, bucket: string, versioned: boolean): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  if (versioned) {
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
  }
}

/** Uploads a body and returns its version id (the bucket must be versioned). */
export async function upload(
  s3: S3Client,
  bucket: string,
  key: string,
  body: Buffer | string,
): Promise<string> {
  const out = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  if (!out.VersionId) throw new Error(`no version id for s3://${bucket}/${key}`);
  return out.VersionId;
}
