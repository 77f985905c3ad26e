// Wire-level request/response types and the renderers shared by the protocol families
// (restJson1, awsJson1_1, query, restXml) the sandbox speaks.
import { randomUUID } from 'node:crypto';
import type { AwsError } from './errors.js';

export interface Credential {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

export interface SandboxRequest {
  method: string;
  /** The raw path, still percent-encoded: route on it, then decode each segment once. */
  rawPath: string;
  /** Raw path split on `/`, first empty segment dropped, each segment percent-decoded once. */
  segments: string[];
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
  credential: Credential | undefined;
  requestId: string;
  userAgent: string;
}

export interface SandboxResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

export type Protocol = 'restJson1' | 'awsJson1_1' | 'query' | 'restXml';

/** Parses `AWS4-HMAC-SHA256 Credential=AKID/20261128/us-east-1/lambda/aws4_request, ...`. */
export function parseCredential(
  headers: Record<string, string>,
  query: URLSearchParams,
): Credential | undefined {
  const auth = headers.authorization;
  let scope: string | undefined;
  if (auth) {
    const match = /Credential=([^,\s]+)/.exec(auth);
    scope = match?.[1];
  } else {
    scope = query.get('X-Amz-Credential') ?? undefined;
  }
  if (!scope) return undefined;
  const [accessKeyId, date, region, service] = scope.split('/');
  if (!accessKeyId || !date || !region || !service) return undefined;
  return { accessKeyId, date, region, service };
}

export function splitPath(rawPath: string): string[] {
  const parts = rawPath.split('/');
  if (parts[0] === '') parts.shift();
  return parts.map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
}

export function newRequestId(): string {
  return randomUUID();
}

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

export function emptyResponse(status: number, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers, body: '' };
}

export function xmlResponse(
  status: number,
  xml: string,
  headers: Record<string, string> = {},
): SandboxResponse {
  return { status, headers: { 'content-type': 'text/xml', ...headers }, body: xml };
}

export function escapeXml(value: string): string {
  return value.replace(/[<>&'"]/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === "'" ? '&apos;' : '&quot;',
  );
}

/** Renders a JS value as XML elements: arrays repeat `member` children, objects nest, null/undefined are omitted. */
export function toXml(value: unknown, memberName = 'member'): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value))
    return value.map((item) => `<${memberName}>${toXml(item, memberName)}</${memberName}>`).join('');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${toXml(v, memberName)}</${k}>`)
      .join('');
  }
  return escapeXml(String(value));
}

/** Lambda-style restJson1 error: `x-amzn-ErrorType` header, `{"Type":"User","Message":…}` body. */
export function renderLambdaError(error: AwsError, requestId: string): SandboxResponse {
  const body: Record<string, unknown> = {
    Type: error.fault === 'Sender' ? 'User' : 'Service',
    [error.messageKey]: error.message,
    ...error.fields,
  };
  return jsonResponse(error.status, body, {
    'x-amzn-errortype': error.code,
    'x-amzn-requestid': requestId,
    ...error.headers,
  });
}

/** Signer-style restJson1 error: header plus `{"message":…,"code":…}` (the model's members). */
export function renderRestJsonError(error: AwsError, requestId: string): SandboxResponse {
  return jsonResponse(
    error.status,
    { message: error.message, code: error.code, ...error.fields },
    { 'x-amzn-errortype': error.code, 'x-amzn-requestid': requestId, ...error.headers },
  );
}

/** awsJson1_1 error (CloudTrail, Tagging, Organizations): `{"__type":…,"message":…}`. */
export function renderAwsJsonError(error: AwsError, requestId: string): SandboxResponse {
  return jsonResponse(
    error.status,
    { __type: error.code, message: error.message, ...error.fields },
    { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId, ...error.headers },
  );
}

/** Query-protocol error (STS, IAM): XML `ErrorResponse`. */
export function renderQueryError(error: AwsError, requestId: string): SandboxResponse {
  const xml =
    '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error>' +
    `<Type>${error.fault}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>` +
    `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return xmlResponse(error.status, xml, { 'x-amzn-requestid': requestId, ...error.headers });
}

/** S3 restXml error: `<Error><Code>…</Code><Message>…</Message>…</Error>` (no body for HEAD). */
export function renderS3Error(error: AwsError, requestId: string, method: string): SandboxResponse {
  const extra = Object.entries(error.fields)
    .map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`)
    .join('');
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>${extra}` +
    `<RequestId>${requestId}</RequestId></Error>`;
  const headers = { 'x-amz-request-id': requestId, ...error.headers };
  return method === 'HEAD' ? emptyResponse(error.status, headers) : xmlResponse(error.status, xml, headers);
}
