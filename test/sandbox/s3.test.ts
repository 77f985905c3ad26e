import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserWithKey, emptyAccount } from '../../src/sandbox/identity.js';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import { internal } from '../../src/sandbox/internals.js';
import { trailSlice } from '../../src/sandbox/trail.js';
import { type Credentials, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { signedFetch } from '../helpers/signed-fetch.js';

const OTHER_ACCOUNT = '222222222222';

let t: TestSandbox;
let s3: S3Client;
const warnings: string[] = [];
const clients: S3Client[] = [];
let other: Credentials;

/** An S3 client that records every SDK warning, so tests can assert the SDK parsed responses cleanly. */
function s3Client(region = 'us-east-1', credentials: Credentials = BOOTSTRAP_CREDENTIALS): S3Client {
  const client = new S3Client({
    endpoint: t.endpoint,
    region,
    credentials,
    forcePathStyle: true,
    maxAttempts: 1,
    logger: {
      debug: () => {},
      info: () => {},
      warn: (...args: unknown[]) => warnings.push(`warn ${JSON.stringify(args)}`),
      // The SDK logs every failed command at error level; failures are asserted where they happen.
      error: () => {},
    },
  });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  t = await startTestSandbox();
  s3 = s3Client();
  const world = t.sandbox.world;
  world.accounts[OTHER_ACCOUNT] = emptyAccount(OTHER_ACCOUNT, 'other', 'CREATED', Date.now());
  other = createUserWithKey(
    world,
    OTHER_ACCOUNT,
    'dev',
    ['arn:aws:iam::aws:policy/AdministratorAccess'],
    Date.now(),
  );
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await t.close();
});

async function text(body: unknown): Promise<string> {
  return (body as { transformToString(): Promise<string> }).transformToString();
}

describe('S3 buckets', () => {
  it('creates a bucket in us-east-1 by default and answers HeadBucket with its Region', async () => {
    const out = await s3.send(new CreateBucketCommand({ Bucket: 'alpha-bucket' }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.Location).toBe('/alpha-bucket');
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'alpha-bucket' }));
    expect(head.BucketRegion).toBe('us-east-1');
    // AWS's documented legacy behaviour: re-creating your own us-east-1 bucket succeeds.
    const again = await s3.send(new CreateBucketCommand({ Bucket: 'alpha-bucket' }));
    expect(again.$metadata.httpStatusCode).toBe(200);
  });

  it('places a bucket in its LocationConstraint Region and enforces global names', async () => {
    const eu = s3Client('eu-west-1');
    await eu.send(
      new CreateBucketCommand({
        Bucket: 'euro-bucket',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    expect((await eu.send(new HeadBucketCommand({ Bucket: 'euro-bucket' }))).BucketRegion).toBe('eu-west-1');
    await expect(
      eu.send(
        new CreateBucketCommand({
          Bucket: 'euro-bucket',
          CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'BucketAlreadyOwnedByYou', $metadata: { httpStatusCode: 409 } });
    const stranger = s3Client('us-east-1', other);
    const err = await stranger.send(new CreateBucketCommand({ Bucket: 'alpha-bucket' })).catch((e) => e);
    expect(err).toBeInstanceOf(S3ServiceException);
    expect(err).toMatchObject({ name: 'BucketAlreadyExists', $metadata: { httpStatusCode: 409 } });
  });

  it('rejects invalid names and mismatched location constraints', async () => {
    await expect(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' }))).rejects.toMatchObject({
      name: 'InvalidBucketName',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      s3Client('eu-west-1').send(
        new CreateBucketCommand({
          Bucket: 'elsewhere-bucket',
          CreateBucketConfiguration: { LocationConstraint: 'ap-south-1' },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'IllegalLocationConstraintException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('redirects a request sent to another Region and hides other accounts’ buckets', async () => {
    await expect(
      s3.send(new PutObjectCommand({ Bucket: 'euro-bucket', Key: 'k', Body: 'x' })),
    ).rejects.toMatchObject({ name: 'PermanentRedirect', $metadata: { httpStatusCode: 301 } });
    const stranger = s3Client('us-east-1', other);
    await expect(
      stranger.send(new GetObjectCommand({ Bucket: 'alpha-bucket', Key: 'k' })),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(stranger.send(new HeadBucketCommand({ Bucket: 'alpha-bucket' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'missing-bucket' }))).rejects.toMatchObject({
      name: 'NotFound',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('configures versioning', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'versioned-bucket' }));
    expect(
      (await s3.send(new GetBucketVersioningCommand({ Bucket: 'versioned-bucket' }))).Status,
    ).toBeUndefined();
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: 'versioned-bucket',
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'versioned-bucket' }))).Status).toBe(
      'Enabled',
    );
    await expect(s3.send(new GetBucketVersioningCommand({ Bucket: 'missing-bucket' }))).rejects.toMatchObject(
      { name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } },
    );
  });

  it('lists the caller’s buckets only', async () => {
    const out = await s3.send(new ListBucketsCommand({}));
    const names = out.Buckets?.map((b) => b.Name);
    expect(names).toEqual(['alpha-bucket', 'euro-bucket', 'versioned-bucket']);
    expect(out.Buckets?.[1]?.BucketRegion).toBe('eu-west-1');
  });

  it('records bucket calls in CloudTrail but keeps object calls (data events) out', async () => {
    const events = trailSlice(t.sandbox.world).events['111111111111']?.['us-east-1'] ?? [];
    const names = events
      .filter((e) => e.record.eventSource === 's3.amazonaws.com')
      .map((e) => e.record.eventName);
    expect(names).toContain('CreateBucket');
    expect(names).toContain('PutBucketVersioning');
    expect(names).not.toContain('PutObject');
    expect(names).not.toContain('GetObject');
  });
});

describe('S3 objects', () => {
  it('stores metadata and returns it with the object (unversioned bucket: no version id)', async () => {
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'alpha-bucket',
        Key: 'dir/hello world.txt',
        Body: 'hello',
        ContentType: 'text/plain',
        Metadata: { purpose: 'greeting', 'Mixed-Case': 'v' },
      }),
    );
    expect(put.ETag).toBe('"5d41402abc4b2a76b9719d911017c592"');
    expect(put.VersionId).toBeUndefined();
    const got = await s3.send(new GetObjectCommand({ Bucket: 'alpha-bucket', Key: 'dir/hello world.txt' }));
    expect(await text(got.Body)).toBe('hello');
    expect(got.ContentLength).toBe(5);
    expect(got.ContentType).toBe('text/plain');
    expect(got.ETag).toBe(put.ETag);
    expect(got.Metadata).toEqual({ purpose: 'greeting', 'mixed-case': 'v' });
    expect(got.LastModified).toBeInstanceOf(Date);
    expect(got.VersionId).toBeUndefined();
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'alpha-bucket', Key: 'dir/hello world.txt' }));
    expect(head.ContentLength).toBe(5);
    expect(head.Metadata?.purpose).toBe('greeting');
  });

  it('keeps every version in a versioned bucket and reads each by VersionId', async () => {
    const v1 = await s3.send(
      new PutObjectCommand({ Bucket: 'versioned-bucket', Key: 'pkg.zip', Body: 'one' }),
    );
    const v2 = await s3.send(
      new PutObjectCommand({ Bucket: 'versioned-bucket', Key: 'pkg.zip', Body: 'two!' }),
    );
    expect(v1.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);
    expect(v2.VersionId).not.toBe(v1.VersionId);
    const latest = await s3.send(new GetObjectCommand({ Bucket: 'versioned-bucket', Key: 'pkg.zip' }));
    expect(await text(latest.Body)).toBe('two!');
    expect(latest.VersionId).toBe(v2.VersionId);
    const old = await s3.send(
      new GetObjectCommand({ Bucket: 'versioned-bucket', Key: 'pkg.zip', VersionId: v1.VersionId }),
    );
    expect(await text(old.Body)).toBe('one');
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: 'versioned-bucket', Key: 'pkg.zip', VersionId: v1.VersionId }),
    );
    expect(head.ContentLength).toBe(3);
    expect(head.VersionId).toBe(v1.VersionId);
    await expect(
      s3.send(
        new GetObjectCommand({ Bucket: 'versioned-bucket', Key: 'pkg.zip', VersionId: 'A'.repeat(32) }),
      ),
    ).rejects.toMatchObject({ name: 'NoSuchVersion', $metadata: { httpStatusCode: 404 } });
  });

  it('adds a delete marker on delete in a versioned bucket; older versions stay readable', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: 'versioned-bucket', Key: 'gone', Body: 'x' }));
    const del = await s3.send(new DeleteObjectCommand({ Bucket: 'versioned-bucket', Key: 'gone' }));
    expect(del.DeleteMarker).toBe(true);
    expect(del.VersionId).toBeDefined();
    await expect(
      s3.send(new GetObjectCommand({ Bucket: 'versioned-bucket', Key: 'gone' })),
    ).rejects.toMatchObject({
      name: 'NoSuchKey',
      $metadata: { httpStatusCode: 404 },
    });
    const old = await s3.send(
      new GetObjectCommand({ Bucket: 'versioned-bucket', Key: 'gone', VersionId: put.VersionId }),
    );
    expect(await text(old.Body)).toBe('x');
  });

  it('answers missing objects and buckets with S3’s errors', async () => {
    const err = await s3.send(new GetObjectCommand({ Bucket: 'alpha-bucket', Key: 'nope' })).catch((e) => e);
    expect(err).toBeInstanceOf(S3ServiceException);
    expect(err).toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    await expect(s3.send(new GetObjectCommand({ Bucket: 'missing-bucket', Key: 'k' }))).rejects.toMatchObject(
      {
        name: 'NoSuchBucket',
        $metadata: { httpStatusCode: 404 },
      },
    );
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: 'alpha-bucket', Key: 'nope' })),
    ).rejects.toMatchObject({
      name: 'NotFound',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('decodes aws-chunked streaming uploads with trailing checksums', async () => {
    const payload = Buffer.alloc(200_000, 7);
    payload.write('start');
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'alpha-bucket',
        Key: 'streamed.bin',
        Body: Readable.from([payload.subarray(0, 70_000), payload.subarray(70_000)]),
        ContentLength: payload.length,
      }),
    );
    expect(put.ChecksumCRC32).toBeDefined();
    const got = await s3.send(new GetObjectCommand({ Bucket: 'alpha-bucket', Key: 'streamed.bin' }));
    const bytes = Buffer.from(
      await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
    expect(bytes.equals(payload)).toBe(true);
    expect(got.ContentLength).toBe(payload.length);
  });

  it('returns stored checksums the SDK validates, and rejects a wrong one', async () => {
    const got = await s3.send(
      new GetObjectCommand({ Bucket: 'alpha-bucket', Key: 'dir/hello world.txt', ChecksumMode: 'ENABLED' }),
    );
    expect(got.ChecksumCRC32).toBeDefined();
    expect(await text(got.Body)).toBe('hello');
    await expect(
      s3.send(
        new PutObjectCommand({ Bucket: 'alpha-bucket', Key: 'bad', Body: 'abc', ChecksumCRC32: 'AAAAAA==' }),
      ),
    ).rejects.toMatchObject({ name: 'BadDigest', $metadata: { httpStatusCode: 400 } });
  });

  it('lists objects with prefixes, delimiters, start-after and the SDK paginator', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'list-bucket' }));
    for (const key of ['a/1', 'a/2', 'b/1', 'c', 'd', 'e']) {
      await s3.send(new PutObjectCommand({ Bucket: 'list-bucket', Key: key, Body: key }));
    }
    const keys: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: 'list-bucket', MaxKeys: 4 })) {
      pages += 1;
      keys.push(...(page.Contents ?? []).map((c) => c.Key!));
      expect(page.KeyCount).toBe(page.Contents?.length ?? 0);
    }
    expect(pages).toBe(2);
    expect(keys).toEqual(['a/1', 'a/2', 'b/1', 'c', 'd', 'e']);

    const first = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bucket', MaxKeys: 2 }));
    expect(first.IsTruncated).toBe(true);
    expect(first.NextContinuationToken).toBeDefined();
    expect(first.Contents?.[0]).toMatchObject({ Key: 'a/1', Size: 3, StorageClass: 'STANDARD' });

    const prefixed = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bucket', Prefix: 'a/' }));
    expect(prefixed.Contents?.map((c) => c.Key)).toEqual(['a/1', 'a/2']);
    expect(prefixed.IsTruncated).toBe(false);

    const after = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bucket', StartAfter: 'c' }));
    expect(after.Contents?.map((c) => c.Key)).toEqual(['d', 'e']);
    expect(after.StartAfter).toBe('c');

    const grouped = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bucket', Delimiter: '/' }));
    expect(grouped.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/', 'b/']);
    expect(grouped.Contents?.map((c) => c.Key)).toEqual(['c', 'd', 'e']);
    expect(grouped.KeyCount).toBe(5);

    await expect(
      s3.send(new ListObjectsV2Command({ Bucket: 'list-bucket', ContinuationToken: 'garbage' })),
    ).rejects.toMatchObject({ name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } });
  });

  it('exposes objects to other sandbox services through S3Internals', async () => {
    const internals = internal(t.sandbox.internals, 's3');
    const written = internals.putObject('versioned-bucket', 'from-signer', Buffer.from('signed'), { a: 'b' });
    expect(written).toMatchObject({ versionId: expect.any(String), etag: expect.any(String) });
    const viaSdk = await s3.send(new GetObjectCommand({ Bucket: 'versioned-bucket', Key: 'from-signer' }));
    expect(await text(viaSdk.Body)).toBe('signed');
    expect(viaSdk.Metadata).toEqual({ a: 'b' });
    const stored = internals.getObject('alpha-bucket', 'dir/hello world.txt');
    expect(stored?.body.toString()).toBe('hello');
    expect(stored?.region).toBe('us-east-1');
    expect(internals.bucket('versioned-bucket')?.versioning).toBe('Enabled');
    expect(internals.getObject('alpha-bucket', 'nope')).toBeUndefined();
  });

  it('rejects a truncated aws-chunked body and unknown subresources with S3 errors', async () => {
    const truncated = await signedFetch(`${t.endpoint}/alpha-bucket/chunky`, 's3', {
      method: 'PUT',
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-decoded-content-length': '10',
      },
      body: 'a\r\nhello',
    });
    expect(truncated.status).toBe(400);
    expect(await truncated.text()).toContain('<Code>IncompleteBody</Code>');
    const tagging = await signedFetch(`${t.endpoint}/alpha-bucket?tagging`, 's3');
    expect(tagging.status).toBe(501);
    expect(await tagging.text()).toContain('<Code>NotImplemented</Code>');
  });

  it('produced no SDK warnings', () => {
    expect(warnings).toEqual([]);
  });
});
