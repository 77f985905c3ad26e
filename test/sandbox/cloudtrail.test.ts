import {
  CloudTrailClient,
  DescribeTrailsCommand,
  InvalidLookupAttributesException,
  InvalidMaxResultsException,
  InvalidNextTokenException,
  InvalidTimeRangeException,
  type LookupAttribute,
  LookupEventsCommand,
  paginateLookupEvents,
} from '@aws-sdk/client-cloudtrail';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetUserCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_CREDENTIALS, MANAGEMENT_ACCOUNT_ID } from '../../src/sandbox/index.js';
import { type ClientSet, clientsFor, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

interface Record_ {
  eventName: string;
  eventSource: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  userIdentity: Record<string, unknown> & { sessionContext?: { sessionIssuer?: Record<string, unknown> } };
  readOnly: boolean;
}

let t: TestSandbox;
const logs: string[] = [];
let role: ClientSet;
let roleKeyId: string;

async function lookup(
  attribute?: LookupAttribute,
  extra: Partial<ConstructorParameters<typeof LookupEventsCommand>[0]> = {},
) {
  const out = await t.clients.cloudtrail.send(
    new LookupEventsCommand({ ...(attribute ? { LookupAttributes: [attribute] } : {}), ...extra }),
  );
  return out.Events ?? [];
}

beforeAll(async () => {
  t = await startTestSandbox({ log: (m) => logs.push(m) });
  const { iam, sts } = t.clients;
  await iam.send(new CreateUserCommand({ UserName: 'trail-user' }));
  await iam.send(new GetUserCommand({ UserName: 'ghost' })).catch(() => undefined);
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'auditor',
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
  await iam.send(
    new AttachRolePolicyCommand({ RoleName: 'auditor', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
  );
  const assumed = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:role/auditor`,
      RoleSessionName: 'audit-session',
    }),
  );
  const c = assumed.Credentials!;
  roleKeyId = c.AccessKeyId!;
  role = clientsFor(t.endpoint, {
    accessKeyId: c.AccessKeyId!,
    secretAccessKey: c.SecretAccessKey!,
    sessionToken: c.SessionToken!,
  });
  // Read-only role: this write is denied and must be recorded with the role session's identity.
  await role.iam.send(new CreateUserCommand({ UserName: 'sneaky' })).catch(() => undefined);
});
afterAll(async () => {
  for (const c of Object.values(role)) c.destroy();
  await t.close();
});

describe('CloudTrail recording and LookupEvents', () => {
  it('records a success with request parameters and the IAM user identity', async () => {
    const events = await lookup({ AttributeKey: 'EventName', AttributeValue: 'CreateUser' });
    const ok = events.find((e) => e.Username === 'admin')!;
    expect(ok.EventSource).toBe('iam.amazonaws.com');
    expect(ok.ReadOnly).toBe('false');
    expect(ok.AccessKeyId).toBe(BOOTSTRAP_CREDENTIALS.accessKeyId);
    expect(ok.EventTime).toBeInstanceOf(Date);
    expect(Math.abs(ok.EventTime!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(ok.Resources).toEqual([{ ResourceType: 'AWS::IAM::User', ResourceName: 'trail-user' }]);
    const record = JSON.parse(ok.CloudTrailEvent!) as Record_;
    expect(record.requestParameters).toEqual({ userName: 'trail-user' });
    expect(record.userIdentity).toMatchObject({
      type: 'IAMUser',
      userName: 'admin',
      accountId: MANAGEMENT_ACCOUNT_ID,
    });
    expect(record.errorCode).toBeUndefined();
  });

  it('records failures with errorCode/errorMessage and the role session identity', async () => {
    const notFound = (await lookup({ AttributeKey: 'EventName', AttributeValue: 'GetUser' })).map(
      (e) => JSON.parse(e.CloudTrailEvent!) as Record_,
    );
    expect(notFound[0]).toMatchObject({
      errorCode: 'NoSuchEntity',
      errorMessage: 'The user with name ghost cannot be found.',
      requestParameters: { userName: 'ghost' },
      readOnly: true,
    });
    const denied = (await lookup({ AttributeKey: 'Username', AttributeValue: 'audit-session' })).map(
      (e) => JSON.parse(e.CloudTrailEvent!) as Record_,
    );
    const createUser = denied.find((r) => r.eventName === 'CreateUser')!;
    expect(createUser.errorCode).toBe('AccessDenied');
    expect(createUser.errorMessage).toContain('is not authorized to perform: iam:CreateUser');
    expect(createUser.userIdentity).toMatchObject({
      type: 'AssumedRole',
      arn: `arn:aws:sts::${MANAGEMENT_ACCOUNT_ID}:assumed-role/auditor/audit-session`,
      accessKeyId: roleKeyId,
    });
    expect(createUser.userIdentity.sessionContext?.sessionIssuer).toMatchObject({
      type: 'Role',
      arn: `arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:role/auditor`,
      userName: 'auditor',
    });
  });

  it('finds events by every lookup attribute', async () => {
    const all = await lookup();
    const target = all.find((e) => e.EventName === 'CreateUser' && e.Username === 'admin')!;
    const cases: [LookupAttribute['AttributeKey'], string][] = [
      ['EventId', target.EventId!],
      ['EventName', 'CreateUser'],
      ['ReadOnly', 'false'],
      ['Username', 'admin'],
      ['ResourceType', 'AWS::IAM::User'],
      ['ResourceName', 'trail-user'],
      ['EventSource', 'iam.amazonaws.com'],
      ['AccessKeyId', BOOTSTRAP_CREDENTIALS.accessKeyId],
    ];
    for (const [key, value] of cases) {
      const found = await lookup({ AttributeKey: key, AttributeValue: value });
      expect(
        found.map((e) => e.EventId),
        `${key}=${value}`,
      ).toContain(target.EventId);
      expect(found.length, `${key}=${value}`).toBeLessThan(all.length + 10);
    }
    expect(await lookup({ AttributeKey: 'EventId', AttributeValue: target.EventId! })).toHaveLength(1);
    const byRole = await lookup({ AttributeKey: 'AccessKeyId', AttributeValue: roleKeyId });
    expect(byRole.every((e) => e.Username === 'audit-session')).toBe(true);
    expect(
      (await lookup({ AttributeKey: 'ReadOnly', AttributeValue: 'true' })).every(
        (e) => e.ReadOnly === 'true',
      ),
    ).toBe(true);
    expect(await lookup({ AttributeKey: 'Username', AttributeValue: 'nobody-at-all' })).toEqual([]);
  });

  it('returns newest first and honours StartTime/EndTime', async () => {
    const all = await lookup();
    const times = all.map((e) => e.EventTime!.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const future = new Date(Date.now() + 3_600_000);
    expect(await lookup(undefined, { StartTime: future })).toEqual([]);
    expect(await lookup(undefined, { EndTime: new Date(Date.now() - 3_600_000) })).toEqual([]);
    expect(
      (await lookup(undefined, { StartTime: new Date(Date.now() - 3_600_000), EndTime: future })).length,
    ).toBeGreaterThan(0);
  });

  it('rejects bad parameters with CloudTrail exceptions', async () => {
    const two = await t.clients.cloudtrail
      .send(
        new LookupEventsCommand({
          LookupAttributes: [
            { AttributeKey: 'EventName', AttributeValue: 'CreateUser' },
            { AttributeKey: 'Username', AttributeValue: 'admin' },
          ],
        }),
      )
      .catch((e: unknown) => e);
    expect(two).toBeInstanceOf(InvalidLookupAttributesException);
    expect(two).toMatchObject({ $metadata: { httpStatusCode: 400 } });
    await expect(
      t.clients.cloudtrail.send(
        new LookupEventsCommand({ StartTime: new Date(), EndTime: new Date(Date.now() - 60_000) }),
      ),
    ).rejects.toBeInstanceOf(InvalidTimeRangeException);
    for (const MaxResults of [0, 51])
      await expect(t.clients.cloudtrail.send(new LookupEventsCommand({ MaxResults }))).rejects.toBeInstanceOf(
        InvalidMaxResultsException,
      );
  });

  it('pages 50 at most with a NextToken that survives new events and is bound to its query', async () => {
    for (let i = 0; i < 60; i++) await t.clients.iam.send(new GetUserCommand({ UserName: 'trail-user' }));
    const first = await t.clients.cloudtrail.send(new LookupEventsCommand({}));
    expect(first.Events).toHaveLength(50);
    expect(first.NextToken).toBeTruthy();
    const seen = new Set<string>();
    const interleaved = new Set<string>();
    let pages = 0;
    for await (const page of paginateLookupEvents(
      { client: t.clients.cloudtrail, pageSize: 7 },
      {
        LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'iam.amazonaws.com' }],
      },
    )) {
      pages += 1;
      for (const e of page.Events ?? []) {
        expect(seen.has(e.EventId!)).toBe(false);
        seen.add(e.EventId!);
      }
      // New matching events arrive between pages; they must not shift or repeat the listing.
      await t.clients.iam.send(new CreateUserCommand({ UserName: `late-${pages}` }));
    }
    const late = await lookup({ AttributeKey: 'EventName', AttributeValue: 'CreateUser' });
    for (const e of late)
      if (e.Resources?.[0]?.ResourceName?.startsWith('late-')) interleaved.add(e.EventId!);
    expect(interleaved.size).toBe(pages);
    for (const id of interleaved) expect(seen.has(id)).toBe(false);
    expect(seen.size).toBeGreaterThanOrEqual(60);
    expect(pages).toBe(Math.ceil(seen.size / 7));
    const err = await t.clients.cloudtrail
      .send(
        new LookupEventsCommand({
          NextToken: first.NextToken,
          LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetUser' }],
        }),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidNextTokenException);
  });

  it('answers an unsupported operation with an AWS-shaped error and logs it', async () => {
    const err = await t.clients.cloudtrail.send(new DescribeTrailsCommand({})).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'UnknownOperationException', $metadata: { httpStatusCode: 400 } });
    expect(logs.some((l) => l.includes('unsupported operation') && l.includes('DescribeTrails'))).toBe(true);
  });

  it('answers a malformed JSON body with SerializationException, not a crash', async () => {
    const client = new CloudTrailClient({
      endpoint: t.endpoint,
      region: 'us-east-1',
      credentials: BOOTSTRAP_CREDENTIALS,
      maxAttempts: 1,
    });
    // Corrupts the body the real SDK built, before signing.
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body: string; headers: Record<string, string> };
        request.body = '{"LookupAttributes": [';
        request.headers['content-length'] = String(Buffer.byteLength(request.body));
        return next(args);
      },
      { step: 'build' },
    );
    const err = await client.send(new LookupEventsCommand({})).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'SerializationException', $metadata: { httpStatusCode: 400 } });
    client.destroy();
    const ok = await t.clients.cloudtrail.send(new LookupEventsCommand({ MaxResults: 1 }));
    expect(ok.Events).toHaveLength(1);
  });

  it('keeps 90 days only', async () => {
    expect((await lookup()).length).toBeGreaterThan(0);
    const res = await fetch(`${t.endpoint}/_sandbox/clock`, {
      method: 'POST',
      body: JSON.stringify({ advanceMs: 91 * 24 * 3600 * 1000 }),
    });
    expect(res.status).toBe(200);
    // Only the lookup calls made after the clock moved remain.
    const events = await lookup();
    expect(events.every((e) => e.EventName === 'LookupEvents')).toBe(true);
  });
});

describe('LookupEvents throttling', () => {
  it('is limited to 2 requests per second and the SDK retries absorb it', async () => {
    const q = await startTestSandbox({ quotas: { enabled: true } });
    const client = new CloudTrailClient({
      endpoint: q.endpoint,
      region: 'us-east-1',
      credentials: BOOTSTRAP_CREDENTIALS,
      maxAttempts: 10,
    });
    try {
      const results = await Promise.all(
        Array.from({ length: 5 }, () => client.send(new LookupEventsCommand({ MaxResults: 1 }))),
      );
      expect(results.every((r) => r.$metadata.httpStatusCode === 200)).toBe(true);
      const stat = q.sandbox
        .callStats()
        .find((s) => s.service === 'cloudtrail' && s.operation === 'LookupEvents');
      expect(stat?.throttled).toBeGreaterThan(0);
      expect(results.reduce((n, r) => n + (r.$metadata.attempts ?? 1), 0)).toBeGreaterThan(5);
    } finally {
      client.destroy();
      await q.close();
    }
  }, 30_000);
});
