// fetch() with a real SigV4 signature, for tests that send hand-made (malformed) requests.
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import { signRequest } from '../../src/sandbox/sigv4.js';

export async function signedFetch(
  url: string,
  service: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  region = 'us-east-1',
): Promise<Response> {
  const method = init.method ?? 'GET';
  const body = Buffer.from(init.body ?? '');
  const headers = signRequest({
    method,
    url: new URL(url),
    headers: init.headers ?? {},
    body,
    service,
    region,
    ...BOOTSTRAP_CREDENTIALS,
  });
  const { host: _host, ...sendable } = headers;
  return fetch(url, { method, headers: sendable, ...(init.body !== undefined ? { body: init.body } : {}) });
}
