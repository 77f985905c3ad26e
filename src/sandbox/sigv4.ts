// SigV4 verification of header-signed requests, as AWS does it: rebuild the canonical request from
// what arrived, sign it with the access key's secret, compare. Double-encoded paths for every service
// but S3 (the SDK's `uriEscapePath`), the payload hash from `x-amz-content-sha256` when sent.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { SandboxRequest } from './http.js';

function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function canonicalPath(rawPath: string, doubleEncode: boolean): string {
  if (!doubleEncode) return rawPath;
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment.length === 0 || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${rawPath.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && rawPath.endsWith('/') ? '/' : ''}`;
  return escapeUri(normalized).replace(/%2F/g, '/');
}

function canonicalQuery(query: URLSearchParams): string {
  const pairs: string[] = [];
  const keys = [...new Set(query.keys())].filter((k) => k.toLowerCase() !== 'x-amz-signature').sort();
  for (const key of keys) {
    const values = query.getAll(key).map((v) => `${escapeUri(key)}=${escapeUri(v)}`);
    pairs.push(...values.sort());
  }
  return pairs.join('&');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export interface ParsedAuthorization {
  signedHeaders: string[];
  signature: string;
}

export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  if (!header?.startsWith('AWS4-HMAC-SHA256 ')) return undefined;
  const signedHeaders = /SignedHeaders=([^,\s]+)/.exec(header)?.[1];
  const signature = /Signature=([0-9a-f]+)/.exec(header)?.[1];
  if (!signedHeaders || !signature) return undefined;
  return { signedHeaders: signedHeaders.split(';'), signature };
}

/**
 * True when the request's header signature matches one computed with `secretAccessKey`. Requests
 * signed in the query string (presigned URLs) are not verified here.
 */
export function verifySignature(req: SandboxRequest, secretAccessKey: string): boolean {
  const auth = parseAuthorization(req.headers.authorization);
  const amzDate = req.headers['x-amz-date'];
  if (!auth || !req.credential || !amzDate) return false;
  const expected = computeSignature(req, auth.signedHeaders, amzDate, secretAccessKey);
  const given = Buffer.from(auth.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function computeSignature(
  req: SandboxRequest,
  signedHeaders: string[],
  amzDate: string,
  secretAccessKey: string,
): Buffer {
  const credential = req.credential!;
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${(req.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const payloadHash =
    req.headers['x-amz-content-sha256'] ?? createHash('sha256').update(req.body).digest('hex');
  const canonicalRequest = [
    req.method,
    canonicalPath(req.rawPath, credential.service !== 's3'),
    canonicalQuery(req.query),
    canonicalHeaders,
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${credential.date}/${credential.region}/${credential.service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest, 'utf8').digest('hex'),
  ].join('\n');
  let key = hmac(`AWS4${secretAccessKey}`, credential.date);
  key = hmac(key, credential.region);
  key = hmac(key, credential.service);
  key = hmac(key, 'aws4_request');
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest();
}

export interface SignInput {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: Buffer;
  service: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  now?: Date;
}

/**
 * Signs a hand-made request the way the SDK would (for tests and tools that speak to the sandbox
 * without an SDK client); returns the headers to send.
 */
export function signRequest(input: SignInput): Record<string, string> {
  const amzDate = (input.now ?? new Date())
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const date = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    ...Object.fromEntries(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v])),
    host: input.url.host,
    'x-amz-date': amzDate,
  };
  const signedHeaders = Object.keys(headers).sort();
  const req: SandboxRequest = {
    method: input.method,
    rawPath: input.url.pathname,
    segments: [],
    query: input.url.searchParams,
    headers: { ...headers, authorization: '' },
    body: input.body,
    credential: { accessKeyId: input.accessKeyId, date, region: input.region, service: input.service },
    requestId: '',
    userAgent: '',
  };
  const signature = computeSignature(req, signedHeaders, amzDate, input.secretAccessKey);
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${input.accessKeyId}/${date}/${input.region}/${input.service}/aws4_request, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature.toString('hex')}`,
  };
}
