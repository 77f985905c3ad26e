// Presigned (query-string) SigV4 and session tokens: requests signed by an independent signer
// (@smithy/signature-v4, not the sandbox's own code), and forged, expired and token-less ones.
import { createHash, createHmac } from 'node:crypto';
import { CreateRoleCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_CREDENTIALS, MANAGEMENT_ACCOUNT_ID } from '../../src/sandbox/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

type Data = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: Data): string | Uint8Array =>
  typeof d === 'string'
    ? d
    : d instanceof ArrayBuffer
      ? new Uint8Array(d)
      : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

class Sha256 {
  private readonly h;
  constructor(secret?: Data) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: Data): void {
    this.h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
}

interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

let t: TestSandbox;
let host: string;
let temp: Creds;

beforeAll(async () => {
  t = await startTestSandbox();
  host = new URL(t.endpoint).host;
  await t.clients.iam.send(
    new CreateRoleCommand({
      RoleName: 'presign-auditor',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:root` },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    }),
  );
  const out = await t.clients.sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:role/presign-auditor`,
      RoleSessionName: 'presigned',
    }),
  );
  temp = {
    accessKeyId: out.Credentials!.AccessKeyId!,
    secretAccessKey: out.Credentials!.SecretAccessKey!,
    sessionToken: out.Credentials!.SessionToken!,
  };
  await t.clients.s3.send(new CreateBucketCommand({ Bucket: 'presign-bucket' }));
  await t.clients.s3.send(new PutObjectCommand({ Bucket: 'presign-bucket', Key: 'a.txt', Body: 'hello' }));
});
afterAll(async () => t?.close());

function signer(service: string, credentials: Creds): SignatureV4 {
  // S3 paths are not double-encoded (the SDK's uriEscapePath: false for S3).
  return new SignatureV4({
    service,
    region: 'us-east-1',
    credentials,
    sha256: Sha256,
    uriEscapePath: service !== 's3',
  });
}

function toUrl(req: { path: string; query?: Record<string, string | string[] | null> }): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query ?? {})) {
    if (v === null) continue;
    for (const value of Array.isArray(v) ? v : [v]) params.append(k, value);
  }
  return `${t.endpoint}${req.path}?${params.toString()}`;
}

interface Target {
  service: string;
  path: string;
  query: Record<string, string>;
  headers?: Record<string, string>;
}

const GET_CALLER_IDENTITY: Target = {
  service: 'sts',
  path: '/',
  query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
};
const CREATE_USER = (name: string): Target => ({
  service: 'iam',
  path: '/',
  query: { Action: 'CreateUser', Version: '2010-05-08', UserName: name },
});
const LIST_FUNCTIONS: Target = { service: 'lambda', path: '/2015-03-31/functions/', query: {} };

async function presign(
  target: Target,
  credentials: Creds,
  options: { expiresIn?: number; signingDate?: Date } = {},
): Promise<string> {
  const signed = await signer(target.service, credentials).presign(
    {
      method: 'GET',
      protocol: 'http:',
      hostname: host.split(':')[0]!,
      port: Number(host.split(':')[1]),
      path: target.path,
      query: target.query,
      headers: { host, ...(target.headers ?? {}) },
    },
    options,
  );
  return toUrl(signed);
}

async function headerSigned(target: Target, credentials: Creds): Promise<Response> {
  const signed = await signer(target.service, credentials).sign({
    method: 'GET',
    protocol: 'http:',
    hostname: host.split(':')[0]!,
    port: Number(host.split(':')[1]),
    path: target.path,
    query: target.query,
    headers: { host },
  });
  const { host: _h, ...headers } = signed.headers;
  return fetch(toUrl(signed), { headers });
}

async function userExists(name: string): Promise<boolean> {
  try {
    await t.clients.iam.send(new GetUserCommand({ UserName: name }));
    return true;
  } catch (err) {
    if ((err as Error).name === 'NoSuchEntityException' || (err as Error).name === 'NoSuchEntity')
      return false;
    throw err;
  }
}

describe('presigned (query-string) SigV4', () => {
  it('accepts a URL presigned by an independent signer, as the key’s principal', async () => {
    const res = await fetch(await presign(GET_CALLER_IDENTITY, BOOTSTRAP_CREDENTIALS));
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain(`<Arn>arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:user/admin</Arn>`);
    const lambda = await fetch(await presign(LIST_FUNCTIONS, BOOTSTRAP_CREDENTIALS));
    expect(lambda.status).toBe(200);
    expect(await lambda.json()).toMatchObject({ Functions: [] });
  });

  it('accepts a presigned S3 GET (UNSIGNED-PAYLOAD) and returns the object', async () => {
    const url = await presign(
      {
        service: 's3',
        path: '/presign-bucket/a.txt',
        query: {},
        headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      },
      BOOTSTRAP_CREDENTIALS,
    );
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello');
  });

  it('refuses X-Amz-Credential without a signature: no IAM user is created', async () => {
    const url = `${t.endpoint}/?Action=CreateUser&Version=2010-05-08&UserName=intruder1&X-Amz-Credential=${encodeURIComponent(`${BOOTSTRAP_CREDENTIALS.accessKeyId}/20260101/us-east-1/iam/aws4_request`)}`;
    const res = await fetch(url);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>IncompleteSignature</Code>');
    expect(await userExists('intruder1')).toBe(false);
  });

  it('refuses a forged X-Amz-Signature (deadbeef) with the admin key id: no IAM user is created', async () => {
    const good = new URL(await presign(CREATE_USER('intruder2'), BOOTSTRAP_CREDENTIALS));
    for (const forged of ['deadbeef', 'deadbeef'.repeat(8)]) {
      good.searchParams.set('X-Amz-Signature', forged);
      const res = await fetch(good);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    }
    expect(await userExists('intruder2')).toBe(false);
  });

  it('refuses a URL whose signed parameters were changed after signing', async () => {
    const url = new URL(await presign(CREATE_USER('honest'), BOOTSTRAP_CREDENTIALS));
    url.searchParams.set('UserName', 'intruder3');
    const res = await fetch(url);
    expect(res.status).toBe(403);
    expect(await userExists('intruder3')).toBe(false);
  });

  it('refuses an expired URL and one dated in the future, each with its reason', async () => {
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    const expired = await fetch(
      await presign(LIST_FUNCTIONS, BOOTSTRAP_CREDENTIALS, { expiresIn: 3600, signingDate: twoHoursAgo }),
    );
    expect(expired.status).toBe(403);
    expect(expired.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    expect(await expired.text()).toContain('Request has expired');
    const tomorrow = new Date(Date.now() + 24 * 3600_000);
    const future = await fetch(
      await presign(LIST_FUNCTIONS, BOOTSTRAP_CREDENTIALS, { signingDate: tomorrow }),
    );
    expect(future.status).toBe(403);
    expect(await future.text()).toContain('not yet valid');
  });

  it('expires a URL when the sandbox clock passes X-Amz-Date + X-Amz-Expires (no waiting)', async () => {
    const url = await presign(GET_CALLER_IDENTITY, BOOTSTRAP_CREDENTIALS, { expiresIn: 60 });
    expect((await fetch(url)).status).toBe(200);
    const before = t.sandbox.world.clockOffsetMs;
    t.sandbox.world.clockOffsetMs = before + 61_000;
    try {
      const res = await fetch(url);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('Request has expired');
    } finally {
      t.sandbox.world.clockOffsetMs = before;
    }
  });

  it('refuses X-Amz-Expires beyond a week or not a number, and a non-SigV4 algorithm', async () => {
    const base = new URL(await presign(GET_CALLER_IDENTITY, BOOTSTRAP_CREDENTIALS));
    for (const [param, value] of [
      ['X-Amz-Expires', '604801'],
      ['X-Amz-Expires', '0'],
      ['X-Amz-Expires', '1e3'],
      ['X-Amz-Algorithm', 'AWS4-HMAC-SHA1'],
      ['X-Amz-Date', '20261345T000000Z'],
    ] as const) {
      const url = new URL(base);
      url.searchParams.set(param, value);
      const res = await fetch(url);
      expect(res.status, `${param}=${value}`).toBe(400);
    }
  });

  it('refuses a request signed both in the header and in the query string', async () => {
    const url = new URL(await presign(GET_CALLER_IDENTITY, BOOTSTRAP_CREDENTIALS));
    const res = await fetch(url, {
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=${BOOTSTRAP_CREDENTIALS.accessKeyId}/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
      },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Only one auth mechanism');
  });
});

describe('session tokens', () => {
  it('accepts temporary credentials with their token, presigned and in headers', async () => {
    const presigned = await fetch(await presign(GET_CALLER_IDENTITY, temp));
    expect(presigned.status).toBe(200);
    expect(await presigned.text()).toContain('assumed-role/presign-auditor/presigned');
    expect((await headerSigned(GET_CALLER_IDENTITY, temp)).status).toBe(200);
  });

  it('refuses temporary credentials without their token or with another token', async () => {
    const { sessionToken: _, ...noToken } = temp;
    for (const creds of [noToken, { ...temp, sessionToken: 'bogus' }]) {
      const presigned = await fetch(await presign(GET_CALLER_IDENTITY, creds));
      expect(presigned.status).toBe(403);
      expect(await presigned.text()).toContain('<Code>InvalidClientTokenId</Code>');
      expect((await headerSigned(GET_CALLER_IDENTITY, creds)).status).toBe(403);
    }
  });

  it('refuses a long-term key that presents a bogus security token', async () => {
    const bogus = { ...BOOTSTRAP_CREDENTIALS, sessionToken: 'bogus-token' };
    const presigned = await fetch(await presign(LIST_FUNCTIONS, bogus));
    expect(presigned.status).toBe(403);
    expect(presigned.headers.get('x-amzn-errortype')).toBe('UnrecognizedClientException');
    const header = await headerSigned(CREATE_USER('intruder4'), bogus);
    expect(header.status).toBe(403);
    expect(await userExists('intruder4')).toBe(false);
  });

  it('checks session tokens even when signature verification is off, and then refuses presigned URLs', async () => {
    const lax = await startTestSandbox({ verifySignatures: false });
    try {
      const laxHost = new URL(lax.endpoint).host;
      const bogus = { ...BOOTSTRAP_CREDENTIALS, sessionToken: 'bogus-token' };
      const signed = await signer('sts', bogus).sign({
        method: 'GET',
        protocol: 'http:',
        hostname: laxHost.split(':')[0]!,
        port: Number(laxHost.split(':')[1]),
        path: '/',
        query: GET_CALLER_IDENTITY.query,
        headers: { host: laxHost },
      });
      const { host: _h, ...headers } = signed.headers;
      const res = await fetch(`${lax.endpoint}/?Action=GetCallerIdentity&Version=2011-06-15`, { headers });
      expect(res.status).toBe(403);
      const presignedUrl = `${lax.endpoint}/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${encodeURIComponent(`${BOOTSTRAP_CREDENTIALS.accessKeyId}/20260101/us-east-1/sts/aws4_request`)}&X-Amz-Signature=deadbeef`;
      expect((await fetch(presignedUrl)).status).toBe(400);
    } finally {
      await lax.close();
    }
  });
});

describe('CloudTrail records of presigned calls', () => {
  it('record the access key id only as userIdentity.accessKeyId, never the signature or the token', async () => {
    // The role has no policy: authenticated, then denied, and the denied call is recorded.
    const res = await fetch(await presign(LIST_FUNCTIONS, temp));
    expect(res.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    const events = t.sandbox.world.services.cloudtrail;
    const text = JSON.stringify(events);
    expect(text).not.toContain(temp.sessionToken);
    expect(text).not.toContain('X-Amz-Signature');
    expect(text).not.toContain('X-Amz-Credential');
    expect(text.toLowerCase()).not.toContain('x-amz-security-token');
    expect(text).toContain(`"accessKeyId":"${temp.accessKeyId}"`);
    expect(text).toContain('ListFunctions20150331');
  });
});
