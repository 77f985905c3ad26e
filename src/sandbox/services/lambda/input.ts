// Reading Lambda's JSON request bodies with AWS-shaped errors for malformed or out-of-range input.
import type { SandboxRequest } from '../../http.js';
import { invalidContent, validation } from './errors.js';

export type Body = Record<string, unknown>;

export function parseBody(req: SandboxRequest): Body {
  const text = req.body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw invalidContent(`Could not parse request body into json: ${(err as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidContent('Could not parse request body into json: the body must be a JSON object');
  }
  return parsed as Body;
}

/** Smithy members are PascalCase on the wire, lowerCamel in validation messages. */
function member(key: string): string {
  return key.charAt(0).toLowerCase() + key.slice(1);
}

function typeError(key: string, expected: string): Error {
  return invalidContent(
    `Could not parse request body into json: Could not parse payload into json: field ${key} must be ${expected}`,
  );
}

export interface StringRule {
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** The pattern as AWS prints it in the validation message. */
  patternText?: string;
  oneOf?: readonly string[];
}

export function optString(body: Body, key: string, rule: StringRule = {}): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw typeError(key, 'a string');
  if (rule.min !== undefined && value.length < rule.min) {
    throw validation(value, member(key), `Member must have length greater than or equal to ${rule.min}`);
  }
  if (rule.max !== undefined && value.length > rule.max) {
    throw validation(value, member(key), `Member must have length less than or equal to ${rule.max}`);
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    throw validation(
      value,
      member(key),
      `Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`,
    );
  }
  if (rule.oneOf && !rule.oneOf.includes(value)) {
    throw validation(value, member(key), `Member must satisfy enum value set: [${rule.oneOf.join(', ')}]`);
  }
  return value;
}

export function reqString(body: Body, key: string, rule: StringRule = {}): string {
  const value = optString(body, key, rule);
  if (value === undefined) throw validation(undefined, member(key), 'Member must not be null');
  return value;
}

export function optInt(body: Body, key: string, min: number, max: number): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(key, 'an integer');
  if (value < min)
    throw validation(value, member(key), `Member must have value greater than or equal to ${min}`);
  if (value > max)
    throw validation(value, member(key), `Member must have value less than or equal to ${max}`);
  return value;
}

export function optBool(body: Body, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw typeError(key, 'a boolean');
  return value;
}

export function optObject(body: Body, key: string): Body | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw typeError(key, 'an object');
  return value as Body;
}

export function optStringList(
  body: Body,
  key: string,
  maxCount?: number,
  rule: StringRule = {},
): string[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw typeError(key, 'a list of strings');
  const list = value as string[];
  if (maxCount !== undefined && list.length > maxCount) {
    throw validation(
      `[${list.join(', ')}]`,
      member(key),
      `Member must have length less than or equal to ${maxCount}`,
    );
  }
  for (const item of list) optString({ [key]: item }, key, rule);
  return list;
}

export function optStringMap(body: Body, key: string): Record<string, string> | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (
    typeof value !== 'object' ||
    Array.isArray(value) ||
    Object.values(value).some((v) => typeof v !== 'string')
  ) {
    throw typeError(key, 'a map of strings');
  }
  return { ...(value as Record<string, string>) };
}

/** Decodes a base64 blob member (ZipFile); anything else is malformed content. */
export function optBlob(body: Body, key: string): Buffer | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value.replace(/\s/g, ''))) {
    throw typeError(key, 'base64-encoded bytes');
  }
  return Buffer.from(value, 'base64');
}

/** Tags: at most 50, keys 1..128, values 0..256, no `aws:` prefix. */
export function checkTags(tags: Record<string, string>, invalid: (message: string) => Error): void {
  const keys = Object.keys(tags);
  if (keys.length > 50) throw invalid('Number of tags exceeds resource tag limit.');
  for (const [k, v] of Object.entries(tags)) {
    if (k.length < 1 || k.length > 128 || v.length > 256) {
      throw invalid(`Tag key or value is too long: ${k}`);
    }
    if (k.toLowerCase().startsWith('aws:'))
      throw invalid(`Tag keys cannot start with the reserved prefix 'aws:'.`);
  }
}

/** Current runtimes of the 2026 API model; deprecated ones can no longer be used for creates or updates. */
export const RUNTIMES = [
  'dotnet10',
  'dotnet6',
  'dotnet8',
  'dotnetcore1.0',
  'dotnetcore2.0',
  'dotnetcore2.1',
  'dotnetcore3.1',
  'go1.x',
  'java11',
  'java11.al2023',
  'java17',
  'java17.al2023',
  'java21',
  'java25',
  'java8',
  'java8.al2',
  'java8.al2023',
  'nodejs',
  'nodejs10.x',
  'nodejs12.x',
  'nodejs14.x',
  'nodejs16.x',
  'nodejs18.x',
  'nodejs20.x',
  'nodejs22.x',
  'nodejs24.x',
  'nodejs26.x',
  'nodejs4.3',
  'nodejs6.10',
  'nodejs8.10',
  'provided',
  'provided.al2',
  'provided.al2023',
  'python2.7',
  'python3.10',
  'python3.11',
  'python3.12',
  'python3.13',
  'python3.14',
  'python3.15',
  'python3.6',
  'python3.7',
  'python3.8',
  'python3.9',
  'ruby2.5',
  'ruby2.7',
  'ruby3.2',
  'ruby3.3',
  'ruby3.4',
  'ruby4.0',
] as const;

/** Runtimes whose deprecation blocks function creation and updates (Lambda runtime deprecation policy). */
export const BLOCKED_RUNTIMES = new Set([
  'dotnetcore1.0',
  'dotnetcore2.0',
  'dotnetcore2.1',
  'dotnetcore3.1',
  'go1.x',
  'nodejs',
  'nodejs4.3',
  'nodejs6.10',
  'nodejs8.10',
  'nodejs10.x',
  'nodejs12.x',
  'python2.7',
  'python3.6',
  'ruby2.5',
]);
