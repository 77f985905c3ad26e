// awsJson1_1 plumbing shared by Organizations, the Tagging API and CloudTrail: `X-Amz-Target`
// routing, strict body parsing (malformed input becomes an AWS-shaped error, never a crash) and the
// error body with the member casing of these services' models (`Message`).
import { AwsError } from '../errors.js';
import { jsonResponse, type SandboxRequest, type SandboxResponse } from '../http.js';

export const AWS_JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/**
 * The operation named by `X-Amz-Target: <prefix>.<Operation>`; UnknownOperationException otherwise.
 * Several prefixes may name one service (the JS SDK sends `CloudTrail_20131101.X`, botocore the
 * fully qualified `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.X`).
 */
export function targetOperation(req: SandboxRequest, ...prefixes: string[]): string {
  const target = req.headers['x-amz-target'] ?? '';
  const prefix = prefixes.find((p) => target.startsWith(`${p}.`));
  if (req.method !== 'POST' || prefix === undefined) {
    throw new AwsError('UnknownOperationException', 400, `Unknown operation ${target || '(none)'}`);
  }
  return target.slice(prefix.length + 1);
}

export function awsJsonResponse(body: unknown): SandboxResponse {
  return jsonResponse(200, body ?? {}, { 'content-type': AWS_JSON_CONTENT_TYPE });
}

/**
 * awsJson error: `{"__type": …, "Message": …}`. The Organizations, Tagging and CloudTrail models name
 * the member `Message` (the SDK reads `message ?? Message`).
 */
export function renderJsonError(error: AwsError, requestId: string): SandboxResponse {
  return jsonResponse(
    error.status,
    { __type: error.code, Message: error.message, ...error.fields },
    { 'content-type': AWS_JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId, ...error.headers },
  );
}

function serialization(message: string): AwsError {
  return new AwsError('SerializationException', 400, message);
}

/** Typed, validating reader over a JSON request body. */
export class JsonInput {
  private constructor(readonly raw: Record<string, unknown>) {}

  static parse(req: SandboxRequest): JsonInput {
    const text = req.body.toString('utf8').trim();
    if (text === '') return new JsonInput({});
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw serialization('Unable to parse the request body as JSON.');
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw serialization('Start of list found where not expected; the request body must be a JSON object.');
    }
    return new JsonInput(value as Record<string, unknown>);
  }

  has(name: string): boolean {
    return this.raw[name] !== undefined && this.raw[name] !== null;
  }

  string(name: string): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw serialization(`Value for '${name}' must be a string.`);
    return value;
  }

  integer(name: string): number | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value))
      throw serialization(`Value for '${name}' must be an integer.`);
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw serialization(`Value for '${name}' must be a boolean.`);
    return value;
  }

  /** Smithy timestamps in awsJson are epoch seconds (numbers, possibly fractional). */
  epochSeconds(name: string): number | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw serialization(`Value for '${name}' must be a timestamp in epoch seconds.`);
    return value;
  }

  stringList(name: string): string[] | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
      throw serialization(`Value for '${name}' must be a list of strings.`);
    return value as string[];
  }

  objectList(name: string): JsonInput[] | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => v === null || typeof v !== 'object' || Array.isArray(v)))
      throw serialization(`Value for '${name}' must be a list of structures.`);
    return (value as Record<string, unknown>[]).map((v) => new JsonInput(v));
  }
}

/** Opaque pagination tokens: base64url JSON bound to a fingerprint of the request that issued them. */
export function encodeToken(payload: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function decodeToken(token: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON services' answer to an unknown or expired access key (HTTP 400, as AWS's JSON 1.1 services send). */
export function unrecognizedJsonClient(): AwsError {
  return new AwsError(
    'UnrecognizedClientException',
    400,
    'The security token included in the request is invalid.',
  );
}
