// S3 (restXml, path-style only): buckets with versioning, objects with user metadata, versions,
// delete markers and checksums, plus the `S3Internals` through which Lambda and Signer read and write
// packages. Object-level calls are CloudTrail data events (not recorded in the management trail).
import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { AwsError } from '../errors.js';
import {
  emptyResponse,
  escapeXml,
  renderS3Error,
  type SandboxRequest,
  type SandboxResponse,
  xmlResponse,
} from '../http.js';
import { registerInternal, type S3Internals, type StoredObject } from '../internals.js';
import { partitionOfRegion } from '../partition.js';
import type { SandboxOptions } from '../server.js';
import type { Internals, OperationContext, ResolvedOperation, ServiceDefinition } from '../service.js';
import { slice, type World } from '../world.js';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
const DEFAULT_REGION = 'us-east-1';
/** S3 caps user-defined metadata at 2 KB (keys and values, UTF-8). */
const METADATA_LIMIT = 2048;
const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];
/** Standard headers S3 stores with an object and returns on GET/HEAD. */
const STORED_HEADERS = ['cache-control', 'content-disposition', 'content-language', 'expires'] as const;

export interface S3ObjectVersion {
  /** `null` for objects written while versioning was never enabled, or suspended. */
  versionId: string;
  deleteMarker?: boolean;
  /** Base64: the world must stay JSON. */
  body: string;
  size: number;
  /** Quoted MD5 hex, as S3 returns it. */
  etag: string;
  contentType: string;
  contentEncoding?: string;
  headers: Record<string, string>;
  /** Lower-case keys without the `x-amz-meta-` prefix. */
  metadata: Record<string, string>;
  /** epoch ms */
  lastModified: number;
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

export interface S3Bucket {
  name: string;
  accountId: string;
  region: string;
  /** epoch ms */
  createdAt: number;
  /** Absent until versioning is first configured (S3 then never returns to "unversioned"). */
  versioning?: 'Enabled' | 'Suspended';
  /** key → versions, oldest first. */
  objects: Record<string, S3ObjectVersion[]>;
}

export interface S3Slice {
  buckets: Record<string, S3Bucket>;
}

export function s3Slice(world: World): S3Slice {
  return slice<S3Slice>(world, 's3', () => ({ buckets: {} }));
}

// ---------------------------------------------------------------------------------------------
// Errors (names, statuses and messages as S3 returns them)

function noSuchBucket(bucket: string): AwsError {
  return new AwsError('NoSuchBucket', 404, 'The specified bucket does not exist', {
    fields: { BucketName: bucket },
  });
}

function noSuchKey(key: string, headers: Record<string, string> = {}): AwsError {
  return new AwsError('NoSuchKey', 404, 'The specified key does not exist.', {
    fields: { Key: key },
    headers,
  });
}

function invalidArgument(message: string, name: string, value: string): AwsError {
  return new AwsError('InvalidArgument', 400, message, {
    fields: { ArgumentName: name, ArgumentValue: value },
  });
}

function malformedXml(): AwsError {
  return new AwsError(
    'MalformedXML',
    400,
    'The XML you provided was not well-formed or did not validate against our published schema',
  );
}

function notImplemented(what: string): AwsError {
  return new AwsError(
    'NotImplemented',
    501,
    `A header you provided implies functionality that is not implemented (the sandbox does not implement ${what}).`,
  );
}

function accessDeniedForeignBucket(): AwsError {
  // Bucket policies are not emulated: without one, S3 denies other accounts (the conservative reading).
  return new AwsError('AccessDenied', 403, 'Access Denied');
}

// ---------------------------------------------------------------------------------------------
// Helpers

const VERSION_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

function newVersionId(): string {
  const bytes = randomBytes(32);
  let out = '';
  for (const b of bytes) out += VERSION_ALPHABET[b % VERSION_ALPHABET.length];
  return out;
}

function isWellFormedVersionId(versionId: string): boolean {
  return versionId === 'null' || /^[A-Za-z0-9._]{32}$/.test(versionId);
}

/** S3 bucket naming rules (general purpose buckets). */
function validBucketName(name: string): boolean {
  if (name.length < 3 || name.length > 63) return false;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return false;
  if (name.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(name)) return false;
  if (name.startsWith('xn--') || name.endsWith('-s3alias') || name.endsWith('--ol-s3')) return false;
  return true;
}

function md5Etag(body: Buffer): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

function crc32Base64(body: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(body) >>> 0, 0);
  return out.toString('base64');
}

/** Computes a checksum the sandbox can verify; undefined for CRC32C/CRC64NVME (stored unverified). */
function computeChecksum(algorithm: ChecksumAlgorithm, body: Buffer): string | undefined {
  switch (algorithm) {
    case 'crc32':
      return crc32Base64(body);
    case 'sha1':
      return createHash('sha1').update(body).digest('base64');
    case 'sha256':
      return createHash('sha256').update(body).digest('base64');
    default:
      return undefined;
  }
}

function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** S3's canonical user id for an account (stable, 64 hex). */
function canonicalId(accountId: string): string {
  return createHash('sha256').update(`sandbox-canonical-${accountId}`).digest('hex');
}

/** Reads the text of the first `<Tag>…</Tag>` in a small XML document. */
function xmlText(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<(?:\\w+:)?${tag}(?:\\s[^>]*)?>([^<]*)</(?:\\w+:)?${tag}>`).exec(xml);
  return match?.[1]?.trim();
}

/**
 * Decodes an `aws-chunked` body (`<hex-size>[;chunk-signature=…]\r\n<data>\r\n … 0\r\n<trailers>\r\n`),
 * which the SDK sends for streaming uploads with a trailing checksum.
 */
export function decodeAwsChunked(
  body: Buffer,
): { data: Buffer; trailers: Record<string, string> } | undefined {
  const parts: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', pos);
    if (lineEnd < 0) return undefined;
    const sizeText = body.toString('latin1', pos, lineEnd).split(';')[0]?.trim() ?? '';
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) return undefined;
    const size = Number.parseInt(sizeText, 16);
    pos = lineEnd + 2;
    if (size === 0) break;
    if (pos + size + 2 > body.length) return undefined;
    parts.push(body.subarray(pos, pos + size));
    pos += size;
    if (body.toString('latin1', pos, pos + 2) !== '\r\n') return undefined;
    pos += 2;
  }
  const trailers: Record<string, string> = {};
  for (const line of body.subarray(pos).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { data: Buffer.concat(parts), trailers };
}

function latest(versions: S3ObjectVersion[] | undefined): S3ObjectVersion | undefined {
  return versions?.[versions.length - 1];
}

// ---------------------------------------------------------------------------------------------
// The store, shared by the HTTP handlers and the internals

interface WriteInput {
  body: Buffer;
  contentType?: string;
  contentEncoding?: string;
  headers?: Record<string, string>;
  metadata?: Record<string, string>;
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

function writeObject(bucket: S3Bucket, key: string, input: WriteInput, now: number): S3ObjectVersion {
  const versionId = bucket.versioning === 'Enabled' ? newVersionId() : 'null';
  const version: S3ObjectVersion = {
    versionId,
    body: input.body.toString('base64'),
    size: input.body.length,
    etag: md5Etag(input.body),
    contentType: input.contentType ?? 'binary/octet-stream',
    ...(input.contentEncoding ? { contentEncoding: input.contentEncoding } : {}),
    headers: input.headers ?? {},
    metadata: input.metadata ?? {},
    lastModified: now,
    // Without a client checksum the sandbox stores CRC32 (real S3 now stores CRC64NVME; see docs/sandbox.md).
    checksum: input.checksum ?? { algorithm: 'crc32', value: crc32Base64(input.body) },
  };
  addVersion(bucket, key, version);
  return version;
}

function addVersion(bucket: S3Bucket, key: string, version: S3ObjectVersion): void {
  const existing = bucket.objects[key] ?? [];
  // Unversioned and suspended buckets keep a single `null` version per key, replaced in place.
  const kept =
    bucket.versioning === 'Enabled' || version.versionId !== 'null'
      ? existing
      : existing.filter((v) => v.versionId !== 'null');
  bucket.objects[key] = [...kept, version];
}

function findVersion(bucket: S3Bucket, key: string, versionId: string): S3ObjectVersion | undefined {
  return bucket.objects[key]?.find((v) => v.versionId === versionId);
}

function toStoredObject(bucket: S3Bucket, version: S3ObjectVersion): StoredObject {
  return {
    body: Buffer.from(version.body, 'base64'),
    ...(version.versionId !== 'null' ? { versionId: version.versionId } : {}),
    metadata: { ...version.metadata },
    accountId: bucket.accountId,
    region: bucket.region,
    etag: version.etag,
    lastModified: version.lastModified,
  };
}

function createInternals(world: World, now: () => number): S3Internals {
  return {
    getObject(bucketName, key, versionId) {
      const bucket = s3Slice(world).buckets[bucketName];
      if (!bucket) return undefined;
      const version =
        versionId === undefined ? latest(bucket.objects[key]) : findVersion(bucket, key, versionId);
      if (!version || version.deleteMarker) return undefined;
      return toStoredObject(bucket, version);
    },
    putObject(bucketName, key, body, metadata = {}) {
      const bucket = s3Slice(world).buckets[bucketName];
      if (!bucket) return noSuchBucket(bucketName);
      const lower: Record<string, string> = {};
      for (const [k, v] of Object.entries(metadata)) lower[k.toLowerCase()] = v;
      const version = writeObject(bucket, key, { body, metadata: lower }, now());
      return {
        ...(version.versionId !== 'null' ? { versionId: version.versionId } : {}),
        etag: version.etag,
      };
    },
    bucket(bucketName) {
      const bucket = s3Slice(world).buckets[bucketName];
      if (!bucket) return undefined;
      return { accountId: bucket.accountId, region: bucket.region, versioning: bucket.versioning };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Request handling

interface Route {
  bucket?: string;
  key?: string;
}

function route(req: SandboxRequest): Route {
  const raw = req.rawPath.replace(/^\/+/, '');
  if (raw === '') return {};
  const slash = raw.indexOf('/');
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  if (slash < 0 || slash === raw.length - 1) return { bucket: decode(slash < 0 ? raw : raw.slice(0, slash)) };
  return { bucket: decode(raw.slice(0, slash)), key: decode(raw.slice(slash + 1)) };
}

/** Looks a bucket up for the caller: missing → NoSuchBucket, other account → AccessDenied, other region → redirect. */
function ownBucket(ctx: OperationContext, name: string): S3Bucket {
  const bucket = s3Slice(ctx.world).buckets[name];
  if (!bucket) throw noSuchBucket(name);
  if (bucket.accountId !== ctx.caller.accountId) throw accessDeniedForeignBucket();
  if (bucket.region !== ctx.region) {
    // A request sent to another Region's endpoint is redirected, as S3 does; the SDK surfaces it.
    throw new AwsError(
      'PermanentRedirect',
      301,
      'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
      {
        fields: { Endpoint: `s3.${bucket.region}.amazonaws.com`, Bucket: name },
        headers: { 'x-amz-bucket-region': bucket.region },
      },
    );
  }
  return bucket;
}

function bucketResource(bucket: string): { ResourceType: string; ResourceName: string }[] {
  return [{ ResourceType: 'AWS::S3::Bucket', ResourceName: bucket }];
}

function objectHeaders(
  bucket: S3Bucket,
  version: S3ObjectVersion,
  req: SandboxRequest,
): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': version.contentType,
    'content-length': String(version.size),
    etag: version.etag,
    'last-modified': httpDate(version.lastModified),
    'accept-ranges': 'bytes',
    'x-amz-server-side-encryption': 'AES256',
    ...version.headers,
  };
  if (version.contentEncoding) headers['content-encoding'] = version.contentEncoding;
  if (bucket.versioning !== undefined || version.versionId !== 'null')
    headers['x-amz-version-id'] = version.versionId;
  for (const [k, v] of Object.entries(version.metadata)) headers[`x-amz-meta-${k}`] = v;
  if (version.checksum && (req.headers['x-amz-checksum-mode'] ?? '').toUpperCase() === 'ENABLED') {
    headers[`x-amz-checksum-${version.checksum.algorithm}`] = version.checksum.value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  return headers;
}

/** Resolves the version a GET/HEAD/DELETE addresses, with S3's errors for missing ones. */
function readableVersion(bucket: S3Bucket, key: string, versionId: string | null): S3ObjectVersion {
  if (versionId !== null) {
    if (!isWellFormedVersionId(versionId))
      throw invalidArgument('Invalid version id specified', 'versionId', versionId);
    const version = findVersion(bucket, key, versionId);
    if (!version) {
      throw new AwsError('NoSuchVersion', 404, 'The specified version does not exist.', {
        fields: { Key: key, VersionId: versionId },
      });
    }
    if (version.deleteMarker) {
      throw new AwsError(
        'MethodNotAllowed',
        405,
        'The specified method is not allowed against this resource.',
        {
          fields: { Method: 'GET', ResourceType: 'DeleteMarker' },
          headers: {
            'x-amz-delete-marker': 'true',
            'x-amz-version-id': version.versionId,
            'last-modified': httpDate(version.lastModified),
          },
        },
      );
    }
    return version;
  }
  const version = latest(bucket.objects[key]);
  if (!version) throw noSuchKey(key);
  if (version.deleteMarker) {
    throw noSuchKey(key, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': version.versionId });
  }
  return version;
}

function createBucket(ctx: OperationContext, name: string): SandboxResponse | 'owned-us-east-1' {
  ctx.authorize(`arn:${partitionOfRegion(ctx.region)}:s3:::${name}`);
  if (!validBucketName(name)) {
    throw new AwsError('InvalidBucketName', 400, 'The specified bucket is not valid.', {
      fields: { BucketName: name },
    });
  }
  const body = ctx.req.body.toString('utf8');
  if (body.trim() !== '' && !body.includes('CreateBucketConfiguration')) throw malformedXml();
  const constraint = body.trim() === '' ? undefined : xmlText(body, 'LocationConstraint') || undefined;
  if (constraint === 'us-east-1') {
    throw new AwsError('InvalidLocationConstraint', 400, 'The specified location-constraint is not valid', {
      fields: { LocationConstraint: constraint },
    });
  }
  // us-east-1's endpoint accepts any location constraint; other Regions only their own.
  if (ctx.region !== DEFAULT_REGION && constraint !== ctx.region) {
    throw new AwsError(
      'IllegalLocationConstraintException',
      400,
      `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    );
  }
  const region = constraint ?? DEFAULT_REGION;
  const buckets = s3Slice(ctx.world).buckets;
  const existing = buckets[name];
  if (existing) {
    if (existing.accountId !== ctx.caller.accountId) {
      throw new AwsError(
        'BucketAlreadyExists',
        409,
        'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
        { fields: { BucketName: name } },
      );
    }
    // Documented legacy behaviour: re-creating your own bucket in us-east-1 succeeds with 200 OK.
    if (existing.region === DEFAULT_REGION && region === DEFAULT_REGION) return 'owned-us-east-1';
    throw new AwsError(
      'BucketAlreadyOwnedByYou',
      409,
      'Your previous request to create the named bucket succeeded and you already own it.',
      { fields: { BucketName: name } },
    );
  }
  buckets[name] = { name, accountId: ctx.caller.accountId, region, createdAt: ctx.now(), objects: {} };
  return emptyResponse(200, { location: `/${name}` });
}

function putObject(ctx: OperationContext, bucketName: string, key: string): SandboxResponse {
  const req = ctx.req;
  ctx.authorize(`arn:${partitionOfRegion(ctx.region)}:s3:::${bucketName}/${key}`);
  const bucket = ownBucket(ctx, bucketName);
  if (Buffer.byteLength(key, 'utf8') > 1024) {
    throw new AwsError('KeyTooLongError', 400, 'Your key is too long', { fields: { Key: key } });
  }
  let body = req.body;
  let trailers: Record<string, string> = {};
  const encodings = (req.headers['content-encoding'] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const chunked =
    encodings.includes('aws-chunked') || (req.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
  if (chunked) {
    const decoded = decodeAwsChunked(body);
    if (!decoded) throw new AwsError('IncompleteBody', 400, 'The request body terminated unexpectedly');
    body = decoded.data;
    trailers = decoded.trailers;
    const declared = req.headers['x-amz-decoded-content-length'];
    if (declared !== undefined && Number(declared) !== body.length) {
      throw new AwsError(
        'IncompleteBody',
        400,
        'You did not provide the number of bytes specified by the Content-Length HTTP header',
      );
    }
  }
  const contentMd5 = req.headers['content-md5'];
  if (contentMd5 !== undefined && createHash('md5').update(body).digest('base64') !== contentMd5) {
    throw new AwsError('BadDigest', 400, 'The Content-MD5 you specified did not match what we received.');
  }
  let checksum: WriteInput['checksum'];
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = req.headers[`x-amz-checksum-${algorithm}`] ?? trailers[`x-amz-checksum-${algorithm}`];
    if (value === undefined) continue;
    const computed = computeChecksum(algorithm, body);
    if (computed !== undefined && computed !== value) {
      throw new AwsError(
        'BadDigest',
        400,
        `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`,
      );
    }
    checksum = { algorithm, value };
    break;
  }
  const metadata: Record<string, string> = {};
  let metadataSize = 0;
  for (const [name, value] of Object.entries(req.headers)) {
    if (!name.startsWith('x-amz-meta-')) continue;
    const metaKey = name.slice('x-amz-meta-'.length);
    metadata[metaKey] = value;
    metadataSize += Buffer.byteLength(metaKey) + Buffer.byteLength(value);
  }
  if (metadataSize > METADATA_LIMIT) {
    throw new AwsError(
      'MetadataTooLarge',
      400,
      'Your metadata headers exceed the maximum allowed metadata size',
      {
        fields: { Size: metadataSize, MaxSizeAllowed: METADATA_LIMIT },
      },
    );
  }
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  const contentEncoding = encodings.filter((e) => e !== 'aws-chunked').join(',');
  const version = writeObject(
    bucket,
    key,
    {
      body,
      ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
      ...(contentEncoding ? { contentEncoding } : {}),
      headers,
      metadata,
      ...(checksum ? { checksum } : {}),
    },
    ctx.now(),
  );
  const out: Record<string, string> = { etag: version.etag, 'x-amz-server-side-encryption': 'AES256' };
  if (bucket.versioning === 'Enabled') out['x-amz-version-id'] = version.versionId;
  if (checksum) {
    out[`x-amz-checksum-${checksum.algorithm}`] = checksum.value;
    out['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  return emptyResponse(200, out);
}

function deleteObject(ctx: OperationContext, bucketName: string, key: string): SandboxResponse {
  const versionId = ctx.req.query.get('versionId');
  ctx.authorize(`arn:${partitionOfRegion(ctx.region)}:s3:::${bucketName}/${key}`);
  const bucket = ownBucket(ctx, bucketName);
  if (versionId !== null) {
    if (!isWellFormedVersionId(versionId))
      throw invalidArgument('Invalid version id specified', 'versionId', versionId);
    const versions = bucket.objects[key] ?? [];
    const target = versions.find((v) => v.versionId === versionId);
    const rest = versions.filter((v) => v.versionId !== versionId);
    if (rest.length) bucket.objects[key] = rest;
    else delete bucket.objects[key];
    return emptyResponse(204, {
      'x-amz-version-id': versionId,
      ...(target?.deleteMarker ? { 'x-amz-delete-marker': 'true' } : {}),
    });
  }
  if (bucket.versioning === undefined) {
    delete bucket.objects[key];
    return emptyResponse(204);
  }
  // Versioned (or suspended) bucket: a delete without a version id adds a delete marker.
  const marker: S3ObjectVersion = {
    versionId: bucket.versioning === 'Enabled' ? newVersionId() : 'null',
    deleteMarker: true,
    body: '',
    size: 0,
    etag: '',
    contentType: '',
    headers: {},
    metadata: {},
    lastModified: ctx.now(),
  };
  addVersion(bucket, key, marker);
  return emptyResponse(204, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': marker.versionId });
}

function listObjectsV2(ctx: OperationContext, bucketName: string): SandboxResponse {
  const q = ctx.req.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  ctx.authorize(`arn:${partitionOfRegion(ctx.region)}:s3:::${bucketName}`, { 's3:prefix': prefix });
  const bucket = ownBucket(ctx, bucketName);
  const maxKeysText = q.get('max-keys');
  let maxKeys = 1000;
  if (maxKeysText !== null) {
    maxKeys = Number(maxKeysText);
    if (!/^\d+$/.test(maxKeysText) || !Number.isSafeInteger(maxKeys)) {
      throw invalidArgument(
        'Provided max-keys not an integer or within integer range',
        'max-keys',
        maxKeysText,
      );
    }
    maxKeys = Math.min(maxKeys, 1000);
  }
  const encodingType = q.get('encoding-type');
  if (encodingType !== null && encodingType !== 'url') {
    throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
  }
  const startAfter = q.get('start-after') ?? '';
  const token = q.get('continuation-token');
  let marker = startAfter;
  if (token !== null) {
    const decoded = Buffer.from(token, 'base64url').toString('utf8');
    if (!decoded.startsWith('k:')) {
      throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
    }
    marker = decoded.slice(2);
  }
  const keys = Object.keys(bucket.objects)
    .filter((k) => k.startsWith(prefix) && k > marker && !latest(bucket.objects[k])?.deleteMarker)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const contents: S3ObjectVersion[] = [];
  const contentKeys: string[] = [];
  const commonPrefixes: string[] = [];
  let last = '';
  let truncated = false;
  for (const key of keys) {
    // Resuming after a common prefix skips every key under it.
    if (delimiter && marker.endsWith(delimiter) && key.startsWith(marker)) continue;
    let entry = key;
    if (delimiter) {
      const at = key.indexOf(delimiter, prefix.length);
      if (at >= 0) entry = key.slice(0, at + delimiter.length);
    }
    if (entry !== key && commonPrefixes[commonPrefixes.length - 1] === entry) continue;
    if (contents.length + commonPrefixes.length >= maxKeys) {
      truncated = true;
      break;
    }
    if (entry !== key) commonPrefixes.push(entry);
    else {
      contents.push(latest(bucket.objects[key])!);
      contentKeys.push(key);
    }
    last = entry;
  }
  const enc = (s: string) => (encodingType === 'url' ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
  const x = (s: string) => escapeXml(enc(s));
  let xml = `${XML_DECL}<ListBucketResult xmlns="${XMLNS}"><Name>${escapeXml(bucketName)}</Name><Prefix>${x(prefix)}</Prefix>`;
  if (delimiter) xml += `<Delimiter>${x(delimiter)}</Delimiter>`;
  xml += `<MaxKeys>${maxKeys}</MaxKeys>`;
  if (encodingType) xml += `<EncodingType>url</EncodingType>`;
  xml += `<KeyCount>${contents.length + commonPrefixes.length}</KeyCount><IsTruncated>${truncated}</IsTruncated>`;
  if (token !== null) xml += `<ContinuationToken>${escapeXml(token)}</ContinuationToken>`;
  if (truncated) {
    xml += `<NextContinuationToken>${Buffer.from(`k:${last}`, 'utf8').toString('base64url')}</NextContinuationToken>`;
  }
  if (startAfter) xml += `<StartAfter>${x(startAfter)}</StartAfter>`;
  contents.forEach((version, i) => {
    xml +=
      `<Contents><Key>${x(contentKeys[i]!)}</Key><LastModified>${isoDate(version.lastModified)}</LastModified>` +
      `<ETag>${escapeXml(version.etag)}</ETag>` +
      (version.checksum
        ? `<ChecksumAlgorithm>${version.checksum.algorithm.toUpperCase()}</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType>`
        : '') +
      `<Size>${version.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
  });
  for (const p of commonPrefixes) xml += `<CommonPrefixes><Prefix>${x(p)}</Prefix></CommonPrefixes>`;
  xml += '</ListBucketResult>';
  return xmlResponse(200, xml, { 'content-type': 'application/xml' });
}

// ---------------------------------------------------------------------------------------------
// The service

function op(
  name: string,
  action: string,
  readOnly: boolean,
  handler: ResolvedOperation['handler'],
  extra: Partial<ResolvedOperation> = {},
): ResolvedOperation {
  return {
    name,
    action,
    readOnly,
    quotaBucket: readOnly ? 's3:read' : 's3:write',
    handler,
    ...extra,
  };
}

const UNSUPPORTED_BUCKET_SUBRESOURCES = [
  'acl',
  'analytics',
  'cors',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'lifecycle',
  'logging',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'tagging',
  'uploads',
  'versions',
  'website',
  'accelerate',
  'delete',
];
const UNSUPPORTED_OBJECT_SUBRESOURCES = [
  'acl',
  'tagging',
  'uploads',
  'uploadId',
  'attributes',
  'retention',
  'legal-hold',
  'restore',
  'torrent',
  'select',
];

function resolveBucket(req: SandboxRequest, bucket: string): ResolvedOperation {
  const q = req.query;
  const unsupported = UNSUPPORTED_BUCKET_SUBRESOURCES.find((s) => q.has(s));
  if (unsupported) throw notImplemented(`the bucket subresource ?${unsupported} (${req.method})`);
  const arn = `arn:${partitionOfRegion(req.credential?.region ?? 'us-east-1')}:s3:::${bucket}`;
  switch (req.method) {
    case 'PUT':
      if (q.has('versioning')) {
        return op('PutBucketVersioning', 's3:PutBucketVersioning', false, (ctx) => {
          ctx.authorize(arn);
          const b = ownBucket(ctx, bucket);
          const xml = req.body.toString('utf8');
          if (!xml.includes('VersioningConfiguration')) throw malformedXml();
          const status = xmlText(xml, 'Status');
          if (status !== undefined && status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
          // A configuration without Status leaves the bucket as it is.
          if (status) b.versioning = status;
          return {
            response: emptyResponse(200),
            requestParameters: { bucketName: bucket, VersioningConfiguration: { Status: status ?? null } },
            resources: bucketResource(bucket),
          };
        });
      }
      return op('CreateBucket', 's3:CreateBucket', false, (ctx) => {
        const result = createBucket(ctx, bucket);
        return {
          response: result === 'owned-us-east-1' ? emptyResponse(200, { location: `/${bucket}` }) : result,
          requestParameters: { bucketName: bucket },
          resources: bucketResource(bucket),
        };
      });
    case 'GET':
      if (q.has('versioning')) {
        return op('GetBucketVersioning', 's3:GetBucketVersioning', true, (ctx) => {
          ctx.authorize(arn);
          const b = ownBucket(ctx, bucket);
          const inner = b.versioning ? `<Status>${b.versioning}</Status>` : '';
          return {
            response: xmlResponse(
              200,
              `${XML_DECL}<VersioningConfiguration xmlns="${XMLNS}">${inner}</VersioningConfiguration>`,
              { 'content-type': 'application/xml' },
            ),
            requestParameters: { bucketName: bucket, versioning: '' },
            resources: bucketResource(bucket),
          };
        });
      }
      if (q.has('location')) {
        return op('GetBucketLocation', 's3:GetBucketLocation', true, (ctx) => {
          ctx.authorize(arn);
          const b = s3Slice(ctx.world).buckets[bucket];
          if (!b) throw noSuchBucket(bucket);
          if (b.accountId !== ctx.caller.accountId) throw accessDeniedForeignBucket();
          // GetBucketLocation answers from any Region; us-east-1 is the empty constraint.
          const value = b.region === DEFAULT_REGION ? '' : b.region;
          return {
            response: xmlResponse(
              200,
              `${XML_DECL}<LocationConstraint xmlns="${XMLNS}">${value}</LocationConstraint>`,
              { 'content-type': 'application/xml' },
            ),
            requestParameters: { bucketName: bucket, location: '' },
            resources: bucketResource(bucket),
          };
        });
      }
      if (q.get('list-type') === '2') {
        return op(
          'ListObjectsV2',
          's3:ListBucket',
          true,
          (ctx) => ({ response: listObjectsV2(ctx, bucket) }),
          {
            eventName: 'ListObjects',
            dataEvent: true,
          },
        );
      }
      throw notImplemented('ListObjects (version 1); use ListObjectsV2');
    case 'HEAD':
      return op('HeadBucket', 's3:ListBucket', true, (ctx) => {
        ctx.authorize(arn);
        const b = s3Slice(ctx.world).buckets[bucket];
        if (!b) throw new AwsError('NotFound', 404, 'Not Found');
        if (b.accountId !== ctx.caller.accountId) throw new AwsError('Forbidden', 403, 'Forbidden');
        if (b.region !== ctx.region) {
          throw new AwsError('PermanentRedirect', 301, 'Moved Permanently', {
            headers: { 'x-amz-bucket-region': b.region },
          });
        }
        return {
          response: emptyResponse(200, {
            'x-amz-bucket-region': b.region,
            'x-amz-access-point-alias': 'false',
            'content-type': 'application/xml',
          }),
          requestParameters: { bucketName: bucket },
          resources: bucketResource(bucket),
        };
      });
    case 'DELETE':
      return op('DeleteBucket', 's3:DeleteBucket', false, (ctx) => {
        ctx.authorize(arn);
        const b = ownBucket(ctx, bucket);
        if (Object.keys(b.objects).length > 0) {
          throw new AwsError('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', {
            fields: { BucketName: bucket },
          });
        }
        delete s3Slice(ctx.world).buckets[bucket];
        return {
          response: emptyResponse(204),
          requestParameters: { bucketName: bucket },
          resources: bucketResource(bucket),
        };
      });
    default:
      throw methodNotAllowed(req.method);
  }
}

function methodNotAllowed(method: string): AwsError {
  return new AwsError('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.', {
    fields: { Method: method },
  });
}

function resolveObject(req: SandboxRequest, bucket: string, key: string): ResolvedOperation {
  const q = req.query;
  const unsupported = UNSUPPORTED_OBJECT_SUBRESOURCES.find((s) => q.has(s));
  if (unsupported) throw notImplemented(`the object subresource ?${unsupported} (${req.method})`);
  const versionId = q.get('versionId');
  const data = { dataEvent: true };
  switch (req.method) {
    case 'PUT':
      if (req.headers['x-amz-copy-source'] !== undefined) throw notImplemented('CopyObject');
      return op(
        'PutObject',
        's3:PutObject',
        false,
        (ctx) => ({ response: putObject(ctx, bucket, key) }),
        data,
      );
    case 'GET':
    case 'HEAD': {
      const name = req.method === 'GET' ? 'GetObject' : 'HeadObject';
      if (req.headers.range !== undefined) throw notImplemented('ranged GET (the Range header)');
      return op(
        name,
        versionId === null ? 's3:GetObject' : 's3:GetObjectVersion',
        true,
        (ctx) => {
          ctx.authorize(`arn:${partitionOfRegion(ctx.region)}:s3:::${bucket}/${key}`);
          const b = ownBucket(ctx, bucket);
          const version = readableVersion(b, key, versionId);
          const headers = objectHeaders(b, version, req);
          const body = req.method === 'GET' ? Buffer.from(version.body, 'base64') : Buffer.alloc(0);
          return { response: { status: 200, headers, body } };
        },
        data,
      );
    }
    case 'DELETE':
      return op(
        'DeleteObject',
        versionId === null ? 's3:DeleteObject' : 's3:DeleteObjectVersion',
        false,
        (ctx) => ({ response: deleteObject(ctx, bucket, key) }),
        data,
      );
    case 'POST':
      throw notImplemented('POST object operations (multipart uploads, browser POST)');
    default:
      throw methodNotAllowed(req.method);
  }
}

export function s3Service(internals: Internals, _options: SandboxOptions, world: World): ServiceDefinition {
  registerInternal(
    internals,
    's3',
    createInternals(world, () => Date.now() + world.clockOffsetMs),
  );
  return {
    signingName: 's3',
    eventSource: 's3.amazonaws.com',
    protocol: 'restXml',
    defaultBucket: 's3:read',
    renderError: (error, req) => renderS3Error(error, req.requestId, req.method),
    throttleError: () => new AwsError('SlowDown', 503, 'Please reduce your request rate.'),
    accessDenied: (message) => new AwsError('AccessDenied', 403, message),
    unrecognizedClient: () =>
      new AwsError(
        'InvalidAccessKeyId',
        403,
        'The AWS Access Key Id you provided does not exist in our records.',
      ),
    resolve(req): ResolvedOperation {
      const { bucket, key } = route(req);
      if (bucket === undefined) {
        if (req.method !== 'GET') throw methodNotAllowed(req.method);
        return op('ListBuckets', 's3:ListAllMyBuckets', true, (ctx) => {
          ctx.authorize('*');
          const owned = Object.values(s3Slice(ctx.world).buckets)
            .filter((b) => b.accountId === ctx.caller.accountId)
            .sort((a, b) => (a.name < b.name ? -1 : 1));
          const id = canonicalId(ctx.caller.accountId);
          const xml =
            `${XML_DECL}<ListAllMyBucketsResult xmlns="${XMLNS}"><Owner><ID>${id}</ID></Owner><Buckets>` +
            owned
              .map(
                (b) =>
                  `<Bucket><Name>${escapeXml(b.name)}</Name><CreationDate>${isoDate(b.createdAt)}</CreationDate><BucketRegion>${b.region}</BucketRegion></Bucket>`,
              )
              .join('') +
            '</Buckets></ListAllMyBucketsResult>';
          return { response: xmlResponse(200, xml, { 'content-type': 'application/xml' }) };
        });
      }
      return key === undefined ? resolveBucket(req, bucket) : resolveObject(req, bucket, key);
    },
  };
}
