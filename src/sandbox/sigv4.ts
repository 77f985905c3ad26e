// SigV4 verification, as AWS does it, of header-signed (`Authorization`) and presigned (query-string
// `X-Amz-Signature`) requests: rebuild the canonical request from what arrived, sign it with the access
// key's secret, compare. Double-encoded paths for every service but S3 (the SDK's `uriEscapePath`), the
// payload hash from `x-amz-content-sha256` when sent (`UNSIGNED-PAYLOAD` for presigned S3 URLs).
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

/** Longest validity AWS accepts for a presigned URL (`X-Amz-Expires`, seconds): 7 days. */
export const MAX_PRESIGNED_EXPIRES_S = 604800;
/** Clock skew AWS tolerates for a request dated in the future: 15 minutes. */
export const MAX_SKEW_MS = 15 * 60 * 1000;

/** The query parameters a presigned (query-string) SigV4 request must carry. */
const PRESIGN_PARAMS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'X-Amz-SignedHeaders',
  'X-Amz-Date',
] as const;

export type AuthMode = 'header' | 'query';

/**
 * How the request says it is signed: `header` (`Authorization`), `query` (any `X-Amz-Algorithm`,
 * `X-Amz-Credential` or `X-Amz-Signature` query parameter), `both` (AWS refuses: one auth mechanism
 * only) or `none`.
 */
export function authMode(req: Pick<SandboxRequest, 'headers' | 'query'>): AuthMode | 'both' | 'none' {
  const header = req.headers.authorization !== undefined;
  const query = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature'].some((k) => req.query.has(k));
  if (header && query) return 'both';
  return header ? 'header' : query ? 'query' : 'none';
}

export type SignatureVerdict =
  | { ok: true; mode: AuthMode }
  | {
      ok: false;
      /** `incomplete`: malformed or missing auth parts (400); `mismatch`: wrong signature (403); `expired`/`not-yet-valid`: outside the presigned window (403). */
      reason: 'incomplete' | 'mismatch' | 'expired' | 'not-yet-valid';
      message: string;
      mode: AuthMode | 'both' | 'none';
    };

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** `20261128T101500Z` → epoch ms; undefined for anything else (including impossible dates). */
export function parseAmzDate(value: string): number | undefined {
  const m = AMZ_DATE.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
    return undefined;
  return ms;
}

function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * Verifies the request's SigV4 signature with `secretAccessKey`, header-signed or presigned. `nowMs`
 * (the sandbox clock) bounds a presigned URL's validity: `X-Amz-Date` ≤ now + 15 min and now <
 * `X-Amz-Date` + `X-Amz-Expires`.
 */
export function verifyRequest(req: SandboxRequest, secretAccessKey: string, nowMs: number): SignatureVerdict {
  const mode = authMode(req);
  if (mode === 'both')
    return {
      ok: false,
      reason: 'incomplete',
      mode,
      message:
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.',
    };
  if (mode === 'none' || !req.credential)
    return { ok: false, reason: 'incomplete', mode, message: 'Missing Authentication Token' };
  if (mode === 'header') {
    const auth = parseAuthorization(req.headers.authorization);
    const amzDate = req.headers['x-amz-date'];
    if (!auth || !amzDate)
      return {
        ok: false,
        reason: 'incomplete',
        mode,
        message:
          "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters, and an 'X-Amz-Date' header.",
      };
    const expected = computeSignature(req, auth.signedHeaders, amzDate, secretAccessKey);
    return sameSignature(auth.signature, expected)
      ? { ok: true, mode }
      : { ok: false, reason: 'mismatch', mode, message: MISMATCH };
  }
  const q = req.query;
  const missing = PRESIGN_PARAMS.filter((k) => !q.get(k));
  if (missing.length > 0)
    return {
      ok: false,
      reason: 'incomplete',
      mode,
      message: `AWS query-string parameters must include ${PRESIGN_PARAMS.map((k) => `'${k}'`).join(', ')}; missing ${missing.join(', ')}. Re-examine the query-string parameters.`,
    };
  if (q.getAll('X-Amz-Signature').length > 1 || q.getAll('X-Amz-Security-Token').length > 1)
    return {
      ok: false,
      reason: 'incomplete',
      mode,
      message: 'X-Amz-Signature and X-Amz-Security-Token may be given once.',
    };
  if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256')
    return {
      ok: false,
      reason: 'incomplete',
      mode,
      message: `X-Amz-Algorithm only supports "AWS4-HMAC-SHA256", got "${q.get('X-Amz-Algorithm')}".`,
    };
  const amzDate = q.get('X-Amz-Date')!;
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined || amzDate.slice(0, 8) !== req.credential.date)
    return {
      ok: false,
      reason: 'incomplete',
      mode,
      message: `X-Amz-Date ${amzDate} must be an ISO 8601 basic date (YYYYMMDD'T'HHMMSS'Z') whose day matches the credential scope's ${req.credential.date}.`,
    };
  const expiresText = q.get('X-Amz-Expires');
  const expires = expiresText === null ? Number.NaN : Number(expiresText);
  if (!/^\d+$/.test(expiresText ?? '') || !(expires >= 1 && expires <= MAX_PRESIGNED_EXPIRES_S))
    return {
      ok: false,
      reason: 'incomplete',
      mode,
      message: `X-Amz-Expires must be a whole number of seconds from 1 to ${MAX_PRESIGNED_EXPIRES_S} (a week), got ${expiresText === null ? 'none' : `"${expiresText}"`}.`,
    };
  const signedHeaders = q.get('X-Amz-SignedHeaders')!.split(';');
  if (!signedHeaders.includes('host'))
    return { ok: false, reason: 'incomplete', mode, message: "X-Amz-SignedHeaders must include 'host'." };
  const expected = computeSignature(req, signedHeaders, amzDate, secretAccessKey, 'query');
  if (!sameSignature(q.get('X-Amz-Signature')!, expected))
    return { ok: false, reason: 'mismatch', mode, message: MISMATCH };
  if (signedAt > nowMs + MAX_SKEW_MS)
    return {
      ok: false,
      reason: 'not-yet-valid',
      mode,
      message: `Request is not yet valid: signed at ${amzDate}, now ${formatAmzDate(nowMs)}.`,
    };
  if (nowMs >= signedAt + expires * 1000)
    return {
      ok: false,
      reason: 'expired',
      mode,
      message: `Request has expired: signed at ${amzDate}, valid for ${expires} s, now ${formatAmzDate(nowMs)}.`,
    };
  return { ok: true, mode };
}

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

function sameSignature(givenHex: string, expected: Buffer): boolean {
  if (!/^[0-9a-f]{64}$/.test(givenHex)) return false;
  const given = Buffer.from(givenHex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const AUTH_PARAMS = new Set([...PRESIGN_PARAMS, 'X-Amz-Expires', 'X-Amz-Security-Token']);

/** The query without a presigned URL's authentication parameters (what the operation itself gets). */
export function withoutAuthParams(query: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const [k, v] of query) if (!AUTH_PARAMS.has(k)) out.append(k, v);
  return out;
}

/** The session token the request carries (`X-Amz-Security-Token` header, or query parameter when presigned). */
export function presentedSessionToken(req: SandboxRequest): string | undefined {
  return authMode(req) === 'query'
    ? (req.query.get('X-Amz-Security-Token') ?? undefined)
    : req.headers['x-amz-security-token'];
}

/** True when the request's header signature matches one computed with `secretAccessKey`. */
export function verifySignature(req: SandboxRequest, secretAccessKey: string): boolean {
  return authMode(req) === 'header' && verifyRequest(req, secretAccessKey, Date.now()).ok;
}

function computeSignature(
  req: SandboxRequest,
  signedHeaders: string[],
  amzDate: string,
  secretAccessKey: string,
  mode: AuthMode = 'header',
): Buffer {
  const credential = req.credential!;
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${(req.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  // Presigned S3 URLs always sign UNSIGNED-PAYLOAD; other requests the declared or the actual body hash.
  const payloadHash =
    mode === 'query' && credential.service === 's3'
      ? 'UNSIGNED-PAYLOAD'
      : (req.headers['x-amz-content-sha256'] ?? createHash('sha256').update(req.body).digest('hex'));
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
