// The AWS query protocol (STS, IAM): form-encoded `Action=…` requests, XML `…Response` answers.
import { AwsError } from './errors.js';
import { renderQueryError, type SandboxRequest, type SandboxResponse, toXml, xmlResponse } from './http.js';
import type { ServiceDefinition } from './service.js';

/** Form parameters of a query-protocol request (POST body, or the query string for GET). */
export function formParams(req: SandboxRequest): URLSearchParams {
  if (req.method === 'POST' && req.body.length > 0) return new URLSearchParams(req.body.toString('utf8'));
  return req.query;
}

export function requireParam(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === '') {
    throw new AwsError(
      'ValidationError',
      400,
      `1 validation error detected: Value null at '${lcFirst(name)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function lcFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** Reads a query-protocol list (`Name.member.1`, `Name.member.2`, …). */
export function memberList(params: URLSearchParams, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; ; i++) {
    const value = params.get(`${name}.member.${i}`);
    if (value === null) return out;
    out.push(value);
  }
}

/** Reads `Tags.member.N.Key` / `Tags.member.N.Value` pairs. */
export function tagList(params: URLSearchParams, name = 'Tags'): Record<string, string> {
  const tags: Record<string, string> = {};
  for (let i = 1; ; i++) {
    const key = params.get(`${name}.member.${i}.Key`);
    if (key === null) return tags;
    tags[key] = params.get(`${name}.member.${i}.Value`) ?? '';
  }
}

export function queryResponse(
  action: string,
  xmlns: string,
  result: unknown,
  requestId: string,
): SandboxResponse {
  const inner = result === undefined ? '' : `<${action}Result>${toXml(result)}</${action}Result>`;
  return xmlResponse(
    200,
    `<${action}Response xmlns="${xmlns}">${inner}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
  );
}

/** How every query-protocol service (STS, IAM) renders errors, throttles and rejects callers. */
export const QUERY_PROTOCOL_ERRORS: Pick<
  ServiceDefinition,
  'renderError' | 'throttleError' | 'accessDenied' | 'unrecognizedClient'
> = {
  renderError: (error, req) => renderQueryError(error, req.requestId),
  throttleError: () => new AwsError('Throttling', 400, 'Rate exceeded'),
  accessDenied: (message) => new AwsError('AccessDenied', 403, message),
  unrecognizedClient: () =>
    new AwsError('InvalidClientTokenId', 403, 'The security token included in the request is invalid.'),
};
