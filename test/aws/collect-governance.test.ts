// The governance collectors one by one against the sandbox (CloudTrail LookupEvents, IAM authorization
// details, Organizations SCPs), and the CloudTrail record parsing they rely on: what ends up in the
// snapshot, what a failure leaves (coverage, collection errors) and how many calls it costs.
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  PutGroupPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
} from '@aws-sdk/client-iam';
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand as CreateScpCommand,
  ListRootsCommand,
} from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCAN_CALLS } from '../../src/aws/calls.js';
import { ClientFactory, RateLimiter, UndeclaredCallError } from '../../src/aws/clients.js';
import {
  actorOf,
  collectIam,
  collectOrganization,
  collectTrail,
  TRAIL_EVENT_NAMES,
  trailEventOf,
} from '../../src/aws/collect/governance.js';
import { principalFromKey } from '../../src/sandbox/identity.js';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import { recordEvent, trailSlice } from '../../src/sandbox/trail.js';
import { ACCOUNT, createRole, createUserWithKey, policyDocument } from '../helpers/principals.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const DAY = 86_400_000;
/** Every event name the governance rules read, as CloudTrail records them (older API versions included). */
const GOVERNANCE_EVENTS = [
  'CreateFunction20150331',
  'UpdateFunctionCode20150331v2',
  'UpdateFunctionCode20150331',
  'UpdateFunctionConfiguration20150331v2',
  'UpdateFunctionConfiguration20150331',
  'PublishLayerVersion20181031',
  'PutFunctionCodeSigningConfig',
  'DeleteFunctionCodeSigningConfig',
  'UpdateCodeSigningConfig',
  'DeleteCodeSigningConfig',
  'StartSigningJob',
];

describe('CloudTrail records → who did what', () => {
  it('keeps the role of an assumed-role session and takes the session name as the user', () => {
    expect(
      actorOf({
        type: 'AssumedRole',
        arn: 'arn:aws:sts::111111111111:assumed-role/ci-deployer/build-42',
        accountId: '111111111111',
        sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::111111111111:role/ci-deployer' } },
      }),
    ).toEqual({
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111111111111:assumed-role/ci-deployer/build-42',
      roleArn: 'arn:aws:iam::111111111111:role/ci-deployer',
      accountId: '111111111111',
      userName: 'build-42',
    });
  });

  it('names an IAM user by its user name and never invents a role for it', () => {
    expect(
      actorOf({
        type: 'IAMUser',
        arn: 'arn:aws:iam::111111111111:user/alice',
        userName: 'alice',
        accountId: '111111111111',
        sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::111111111111:role/not-hers' } },
      }),
    ).toEqual({
      type: 'IAMUser',
      arn: 'arn:aws:iam::111111111111:user/alice',
      userName: 'alice',
      accountId: '111111111111',
    });
  });

  it('keeps the service that acted for someone (invokedBy) and drops empty values', () => {
    expect(actorOf({ type: 'AWSService', invokedBy: 'cloudformation.amazonaws.com', arn: '' })).toEqual({
      type: 'AWSService',
      invokedBy: 'cloudformation.amazonaws.com',
    });
  });

  it('never derives a user name for anything but an assumed-role session', () => {
    expect(actorOf({ type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/bob' })).toEqual({
      type: 'IAMUser',
      arn: 'arn:aws:iam::111111111111:user/bob',
    });
    // An assumed role without an ARN: no user name to derive, and no failure.
    expect(actorOf({ type: 'AssumedRole', accountId: '111111111111' })).toEqual({
      type: 'AssumedRole',
      accountId: '111111111111',
    });
    // Empty strings are no value.
    expect(actorOf({ type: '', userName: '', accountId: '', invokedBy: '' })).toEqual({ type: 'Unknown' });
  });

  it('calls an unreadable identity Unknown instead of failing', () => {
    for (const odd of [undefined, null, 'root', 42, ['AssumedRole'], { type: 7 }])
      expect(actorOf(odd)).toEqual({ type: 'Unknown' });
    // An assumed role without a session issuer: the session name is still the user.
    expect(
      actorOf({ type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/r/s', sessionContext: [] }),
    ).toEqual({ type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/r/s', userName: 's' });
  });

  it('reads a LookupEvents result, preferring the result fields and falling back to the record', () => {
    const record = {
      eventID: 'record-id',
      eventName: 'RecordName',
      eventSource: 'lambda.amazonaws.com',
      eventTime: '2026-01-02T03:04:05Z',
      recipientAccountId: '222222222222',
      awsRegion: 'eu-west-1',
      userIdentity: { type: 'IAMUser', userName: 'bob', arn: 'arn:aws:iam::222222222222:user/bob' },
      sourceIPAddress: '10.0.0.1',
      userAgent: 'aws-cli/2',
      errorCode: 'AccessDeniedException',
      requestParameters: { functionName: 'orders' },
      responseElements: null,
    };
    expect(
      trailEventOf(
        {
          EventId: 'result-id',
          EventName: 'UpdateFunctionCode20150331v2',
          EventSource: 'lambda.amazonaws.com',
          EventTime: new Date('2026-01-02T03:04:06Z'),
          CloudTrailEvent: JSON.stringify(record),
        },
        '111111111111',
        'us-east-1',
      ),
    ).toEqual({
      eventId: 'result-id',
      eventName: 'UpdateFunctionCode20150331v2',
      eventSource: 'lambda.amazonaws.com',
      eventTime: '2026-01-02T03:04:06.000Z',
      accountId: '222222222222',
      region: 'eu-west-1',
      actor: { type: 'IAMUser', arn: 'arn:aws:iam::222222222222:user/bob', userName: 'bob' },
      sourceIPAddress: '10.0.0.1',
      userAgent: 'aws-cli/2',
      errorCode: 'AccessDeniedException',
      requestParameters: { functionName: 'orders' },
      responseElements: null,
    });
    expect(
      trailEventOf({ CloudTrailEvent: JSON.stringify(record) }, '111111111111', 'us-east-1'),
    ).toMatchObject({
      eventId: 'record-id',
      eventName: 'RecordName',
      eventSource: 'lambda.amazonaws.com',
      eventTime: '2026-01-02T03:04:05Z',
    });
  });

  it('attributes a record without recipient or region to the account-region it was read from', () => {
    const event = trailEventOf(
      { EventId: 'e1', EventName: 'CreateFunction20150331', CloudTrailEvent: '{"requestParameters":[1]}' },
      '111111111111',
      'us-west-2',
    );
    expect(event).toEqual({
      eventId: 'e1',
      eventName: 'CreateFunction20150331',
      eventSource: '',
      eventTime: '',
      accountId: '111111111111',
      region: 'us-west-2',
      actor: { type: 'Unknown' },
      requestParameters: null,
      responseElements: null,
    });
    // Values of the wrong shape are no value either.
    const odd = trailEventOf(
      {
        EventId: 'e3',
        EventName: 'X',
        CloudTrailEvent: JSON.stringify({
          recipientAccountId: '',
          awsRegion: '',
          eventSource: '',
          userIdentity: 'root',
          sourceIPAddress: '',
          requestParameters: 'functionName=orders',
          responseElements: 42,
        }),
      },
      '111111111111',
      'us-west-2',
    );
    expect(odd).toEqual({
      eventId: 'e3',
      eventName: 'X',
      eventSource: '',
      eventTime: '',
      accountId: '111111111111',
      region: 'us-west-2',
      actor: { type: 'Unknown' },
      requestParameters: null,
      responseElements: null,
    });
    // No record at all is an empty one, not a failure.
    expect(trailEventOf({ EventId: 'e2', EventName: 'X' }, '111111111111', 'us-west-2')?.eventId).toBe('e2');
  });

  it('skips a record that is not JSON, or has no id or name', () => {
    expect(
      trailEventOf({ EventId: 'e', EventName: 'n', CloudTrailEvent: '{oops' }, 'a', 'r'),
    ).toBeUndefined();
    expect(trailEventOf({ EventName: 'n', CloudTrailEvent: '{}' }, 'a', 'r')).toBeUndefined();
    expect(trailEventOf({ EventId: 'e', CloudTrailEvent: '{"eventName":""}' }, 'a', 'r')).toBeUndefined();
  });
});

describe('collectors against the sandbox', () => {
  let t: TestSandbox;
  let factory: ClientFactory;
  const target = () => ({ accountId: ACCOUNT, region: 'us-east-1', credentials: BOOTSTRAP_CREDENTIALS });
  const calls = (operation: string) =>
    t.sandbox
      .callStats()
      .filter((s) => s.operation === operation)
      .reduce((n, s) => n + s.count, 0);
  /** A CloudTrail record made by the admin user, as if the call had happened `ageMs` ago. */
  const record = (
    eventName: string,
    ageMs: number,
    region = 'us-east-1',
    override: Record<string, unknown> = {},
  ) => {
    const caller = principalFromKey(
      t.sandbox.world,
      t.sandbox.world.accessKeys[BOOTSTRAP_CREDENTIALS.accessKeyId]!,
    )!;
    recordEvent(t.sandbox.world, {
      caller,
      accountIds: [ACCOUNT],
      region,
      eventSource: eventName === 'StartSigningJob' ? 'signer.amazonaws.com' : 'lambda.amazonaws.com',
      eventName,
      readOnly: false,
      time: t.sandbox.now() - ageMs,
      requestId: `req-${eventName}-${ageMs}`,
      userAgent: 'aws-cli/1.16 (recorded)',
      requestParameters: { functionName: `fn-${eventName}` },
      responseElements: null,
      resources: [],
    });
    const stored = trailSlice(t.sandbox.world).events[ACCOUNT]![region]!;
    Object.assign(stored[stored.length - 1]!.record, override);
  };

  beforeAll(async () => {
    t = await startTestSandbox();
    factory = new ClientFactory({ endpoint: t.endpoint, declared: SCAN_CALLS, limiter: new RateLimiter(50) });
  });
  afterAll(async () => {
    factory?.destroy();
    await t?.close();
  });

  describe('CloudTrail', () => {
    beforeAll(() => {
      // Recorded oldest first, as CloudTrail stores them.
      record('CreateFunction20150331', 40 * DAY); // before a 30-day window
      // 60 code updates: more than one page of 50.
      for (let i = 59; i >= 0; i--) record('UpdateFunctionCode20150331v2', 2 * DAY + i * 1000);
      // Every event name the governance rules read, including the older API versions' names that
      // CloudTrail still records for older SDKs, plus events the rules do not read.
      for (const name of GOVERNANCE_EVENTS) record(name, DAY);
      // A record CloudTrail could not identify (no event id) is skipped, never kept half-read.
      record('CreateFunction20150331', DAY, 'us-east-1', { eventID: '' });
      for (const other of ['GetFunction20150331v2', 'ListFunctions20150331', 'DeleteFunction20150331'])
        record(other, DAY);
      record('CreateFunction20150331', DAY, 'eu-west-1'); // another region
    });

    it('reads every governance event name in the window, all pages, and nothing else', async () => {
      const now = new Date(t.sandbox.now());
      t.sandbox.resetCallStats();
      const result = await collectTrail(factory, target(), {
        start: new Date(now.getTime() - 30 * DAY),
        end: now,
      });
      expect(result.collectionErrors).toEqual([]);
      expect(result.coverage).toEqual([
        { accountId: ACCOUNT, region: 'us-east-1', part: 'cloudtrail', status: 'ok' },
      ]);
      const events = result.value!;
      const names = new Set(events.map((e) => e.eventName));
      expect([...names].sort()).toEqual([...GOVERNANCE_EVENTS].sort());
      expect([...TRAIL_EVENT_NAMES].sort()).toEqual([...GOVERNANCE_EVENTS].sort());
      expect(names.has('UpdateFunctionCode20150331')).toBe(true);
      expect(names.has('UpdateFunctionConfiguration20150331')).toBe(true);
      expect(events.filter((e) => e.eventName === 'UpdateFunctionCode20150331v2')).toHaveLength(61);
      expect(events.filter((e) => e.eventName === 'CreateFunction20150331')).toHaveLength(1);
      expect(events.every((e) => e.accountId === ACCOUNT && e.region === 'us-east-1')).toBe(true);
      const signing = events.find((e) => e.eventName === 'StartSigningJob')!;
      expect(signing).toMatchObject({
        eventSource: 'signer.amazonaws.com',
        actor: { type: 'IAMUser', userName: 'admin' },
        userAgent: 'aws-cli/1.16 (recorded)',
        requestParameters: { functionName: 'fn-StartSigningJob' },
      });
      // One query per event name, plus one more page for the 61 code updates.
      expect(calls('LookupEvents')).toBe(GOVERNANCE_EVENTS.length + 1);
    });

    it('honours the lookback window', async () => {
      const now = new Date(t.sandbox.now());
      const wide = await collectTrail(factory, target(), {
        start: new Date(now.getTime() - 60 * DAY),
        end: now,
      });
      expect(wide.value!.filter((e) => e.eventName === 'CreateFunction20150331')).toHaveLength(2);
      const old = await collectTrail(factory, target(), {
        start: new Date(now.getTime() - 60 * DAY),
        end: new Date(now.getTime() - 30 * DAY),
      });
      expect(old.value!.map((e) => e.eventName)).toEqual(['CreateFunction20150331']);
    });

    it('stops at the first failure: one denied call, the part failed, no events kept', async () => {
      const credentials = await createUserWithKey(t.clients, 'no-lookup', [
        { Effect: 'Allow', NotAction: 'cloudtrail:LookupEvents', Resource: '*' },
      ]);
      t.sandbox.resetCallStats();
      const now = new Date(t.sandbox.now());
      const result = await collectTrail(
        factory,
        { accountId: ACCOUNT, region: 'us-east-1', credentials },
        { start: new Date(now.getTime() - DAY * 30), end: now },
      );
      expect(result.value).toBeUndefined();
      expect(result.coverage).toEqual([
        { accountId: ACCOUNT, region: 'us-east-1', part: 'cloudtrail', status: 'failed' },
      ]);
      expect(result.collectionErrors).toEqual([
        {
          service: 'cloudtrail',
          operation: 'LookupEvents',
          accountId: ACCOUNT,
          region: 'us-east-1',
          errorCode: 'AccessDeniedException',
          // AWS's message, one line, not prefixed with the error code.
          message: expect.stringMatching(/^User: .*no-lookup.*cloudtrail:LookupEvents[^\n]*$/),
          parts: ['cloudtrail'],
        },
      ]);
      expect(calls('LookupEvents')).toBe(1);
    });
  });

  describe('IAM', () => {
    beforeAll(async () => {
      const managed = await t.clients.iam.send(
        new CreatePolicyCommand({
          PolicyName: 'deployers',
          PolicyDocument: policyDocument([
            { Effect: 'Allow', Action: 'lambda:UpdateFunctionCode', Resource: '*' },
          ]),
        }),
      );
      const arn = managed.Policy!.Arn!;
      await createUserWithKey(t.clients, 'carol', [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      ]);
      await t.clients.iam.send(new AttachUserPolicyCommand({ UserName: 'carol', PolicyArn: arn }));
      await t.clients.iam.send(
        new PutUserPermissionsBoundaryCommand({ UserName: 'carol', PermissionsBoundary: arn }),
      );
      await t.clients.iam.send(new CreateGroupCommand({ GroupName: 'shippers' }));
      await t.clients.iam.send(new AttachGroupPolicyCommand({ GroupName: 'shippers', PolicyArn: arn }));
      await t.clients.iam.send(
        new PutGroupPolicyCommand({
          GroupName: 'shippers',
          PolicyName: 'sign',
          PolicyDocument: policyDocument([
            { Effect: 'Allow', Action: 'signer:StartSigningJob', Resource: '*' },
          ]),
        }),
      );
      await t.clients.iam.send(new AddUserToGroupCommand({ GroupName: 'shippers', UserName: 'carol' }));
      await createRole(t.clients, 'release', [{ Effect: 'Allow', Action: 'lambda:*', Resource: '*' }]);
      await t.clients.iam.send(new AttachRolePolicyCommand({ RoleName: 'release', PolicyArn: arn }));
      await t.clients.iam.send(
        new PutRolePolicyCommand({
          RoleName: 'release',
          PolicyName: 'pass',
          PolicyDocument: policyDocument([{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }]),
        }),
      );
      await t.clients.iam.send(
        new PutRolePermissionsBoundaryCommand({ RoleName: 'release', PermissionsBoundary: arn }),
      );
    });

    it('reads users, groups, roles and managed policies with their documents decoded', async () => {
      t.sandbox.resetCallStats();
      const result = await collectIam(factory, { ...target(), region: 'us-east-1' });
      expect(result.collectionErrors).toEqual([]);
      expect(result.coverage).toEqual([{ accountId: ACCOUNT, region: 'global', part: 'iam', status: 'ok' }]);
      const iam = result.value!;
      expect(iam.accountId).toBe(ACCOUNT);
      const deployers = `arn:aws:iam::${ACCOUNT}:policy/deployers`;
      const carol = iam.users.find((u) => u.name === 'carol')!;
      expect(carol).toEqual({
        arn: `arn:aws:iam::${ACCOUNT}:user/carol`,
        name: 'carol',
        groups: ['shippers'],
        attachedPolicies: [deployers],
        inlinePolicies: [{ name: 'inline', document: expect.any(String) }],
        permissionsBoundary: deployers,
      });
      expect(JSON.parse(carol.inlinePolicies[0]!.document).Statement[0].Action).toBe('s3:GetObject');
      expect(iam.users.find((u) => u.name === 'admin')!.permissionsBoundary).toBeUndefined();
      const group = iam.groups.find((g) => g.name === 'shippers')!;
      expect(group).toEqual({
        arn: `arn:aws:iam::${ACCOUNT}:group/shippers`,
        name: 'shippers',
        attachedPolicies: [deployers],
        inlinePolicies: [{ name: 'sign', document: expect.any(String) }],
      });
      expect(JSON.parse(group.inlinePolicies[0]!.document).Statement[0].Action).toBe(
        'signer:StartSigningJob',
      );
      const role = iam.roles.find((r) => r.name === 'release')!;
      expect(role).toMatchObject({
        arn: `arn:aws:iam::${ACCOUNT}:role/release`,
        attachedPolicies: expect.arrayContaining([
          deployers,
          `arn:aws:iam::${ACCOUNT}:policy/release-policy`,
        ]),
        inlinePolicies: [{ name: 'pass', document: expect.stringContaining('iam:PassRole') }],
        permissionsBoundary: deployers,
      });
      expect(JSON.parse(role.trustPolicy!).Statement[0].Principal).toEqual({
        AWS: `arn:aws:iam::${ACCOUNT}:root`,
      });
      const policy = iam.policies.find((p) => p.arn === deployers)!;
      expect(policy.name).toBe('deployers');
      expect(JSON.parse(policy.document).Statement[0].Action).toBe('lambda:UpdateFunctionCode');
      // Only what IAM returned: every entry is a real principal or policy with its ARN.
      for (const list of [iam.users, iam.groups, iam.roles, iam.policies])
        expect(list.every((x) => typeof x === 'object' && x.arn.startsWith('arn:aws:iam::'))).toBe(true);
      // AWS managed policies come too (AdministratorAccess and friends decide who can deploy).
      expect(iam.policies.some((p) => p.arn.startsWith('arn:aws:iam::aws:policy/'))).toBe(true);
      expect(calls('GetAccountAuthorizationDetails')).toBeGreaterThanOrEqual(1);
    });

    it('records a denied read as a failed iam part for the account, region global', async () => {
      const credentials = await createUserWithKey(t.clients, 'no-iam-read', [
        { Effect: 'Allow', NotAction: 'iam:GetAccountAuthorizationDetails', Resource: '*' },
      ]);
      const result = await collectIam(factory, { accountId: ACCOUNT, region: 'us-east-1', credentials });
      expect(result.value).toBeUndefined();
      expect(result.coverage).toEqual([
        { accountId: ACCOUNT, region: 'global', part: 'iam', status: 'failed' },
      ]);
      expect(result.collectionErrors).toEqual([
        {
          service: 'iam',
          operation: 'GetAccountAuthorizationDetails',
          accountId: ACCOUNT,
          region: 'global',
          errorCode: 'AccessDenied',
          message: expect.stringMatching(/not authorized/),
          parts: ['iam'],
        },
      ]);
    });
  });
});

describe('Organizations SCPs', () => {
  it('outside an organisation no SCP applies: a fact (ok coverage), not a failure', async () => {
    const t = await startTestSandbox();
    const factory = new ClientFactory({ endpoint: t.endpoint, declared: SCAN_CALLS });
    try {
      const result = await collectOrganization(
        factory,
        { accountId: ACCOUNT, region: 'us-east-1', credentials: BOOTSTRAP_CREDENTIALS },
        [ACCOUNT],
      );
      expect(result).toEqual({
        value: {
          managementAccountId: '',
          accountPaths: {},
          policies: [],
          attachments: {},
          inOrganization: false,
        },
        coverage: [{ accountId: ACCOUNT, region: 'global', part: 'organizationPolicies', status: 'ok' }],
        collectionErrors: [],
      });
    } finally {
      factory.destroy();
      await t.close();
    }
  });

  describe('in an organisation', () => {
    let t: TestSandbox;
    let factory: ClientFactory;
    let rootId: string;
    let member: string;
    let scpId: string;

    beforeAll(async () => {
      t = await startTestSandbox();
      factory = new ClientFactory({ endpoint: t.endpoint, declared: SCAN_CALLS });
      const org = t.clients.organizations;
      await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
      member = (await org.send(new CreateAccountCommand({ AccountName: 'prod', Email: 'p@example.com' })))
        .CreateAccountStatus!.AccountId!;
      rootId = (await org.send(new ListRootsCommand({}))).Roots![0]!.Id!;
      const content = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'lambda:DeleteFunctionCodeSigningConfig', Resource: '*' }],
      });
      scpId = (
        await org.send(
          new CreateScpCommand({
            Name: 'keep-csc',
            Description: 'x',
            Type: 'SERVICE_CONTROL_POLICY',
            Content: content,
          }),
        )
      ).Policy!.PolicySummary!.Id!;
      await org.send(new AttachPolicyCommand({ PolicyId: scpId, TargetId: rootId }));
      await org.send(new AttachPolicyCommand({ PolicyId: scpId, TargetId: member }));
    });
    afterAll(async () => {
      factory?.destroy();
      await t?.close();
    });

    // The sandbox's organisation is flat (no OUs): paths are root → account.
    it('reads every SCP, where it attaches and each account path from the root', async () => {
      const result = await collectOrganization(
        factory,
        { accountId: ACCOUNT, region: 'us-east-1', credentials: BOOTSTRAP_CREDENTIALS },
        [ACCOUNT, member],
      );
      expect(result.collectionErrors).toEqual([]);
      expect(result.coverage).toEqual([
        { accountId: ACCOUNT, region: 'global', part: 'organizationPolicies', status: 'ok' },
        { accountId: member, region: 'global', part: 'organizationPolicies', status: 'ok' },
      ]);
      const org = result.value!;
      expect(org.managementAccountId).toBe(ACCOUNT);
      expect(org.inOrganization).toBeUndefined();
      expect(org.accountPaths).toEqual({
        [ACCOUNT]: [rootId, ACCOUNT],
        [member]: [rootId, member],
      });
      expect(org.policies.every((p) => typeof p === 'object' && p.id.startsWith('p-'))).toBe(true);
      expect(org.policies.map((p) => p.name).sort()).toEqual(['FullAWSAccess', 'keep-csc']);
      const keep = org.policies.find((p) => p.id === scpId)!;
      expect(keep).toMatchObject({ name: 'keep-csc', arn: expect.stringContaining(scpId) });
      expect(JSON.parse(keep.content).Statement[0].Action).toBe('lambda:DeleteFunctionCodeSigningConfig');
      // AWS's FullAWSAccess is attached to the root (and everything) by default.
      const full = org.policies.find((p) => p.name === 'FullAWSAccess')!;
      expect(org.attachments[rootId]).toContain(full.id);
      expect(org.attachments[rootId]).toEqual([full.id, scpId]);
      expect(org.attachments[member]).toEqual(expect.arrayContaining([scpId]));
      expect(org.attachments[ACCOUNT] ?? []).not.toContain(scpId);
    });

    it('a failure part-way names the operation that failed, for every account', async () => {
      const credentials = await createUserWithKey(t.clients, 'no-policies', [
        { Effect: 'Allow', NotAction: 'organizations:ListPolicies', Resource: '*' },
      ]);
      const result = await collectOrganization(
        factory,
        { accountId: ACCOUNT, region: 'us-east-1', credentials },
        [ACCOUNT, member],
      );
      expect(result.value).toBeUndefined();
      expect(result.coverage).toEqual([
        { accountId: ACCOUNT, region: 'global', part: 'organizationPolicies', status: 'failed' },
        { accountId: member, region: 'global', part: 'organizationPolicies', status: 'failed' },
      ]);
      expect(result.collectionErrors).toEqual(
        [ACCOUNT, member].map((accountId) => ({
          service: 'organizations',
          operation: 'ListPolicies',
          accountId,
          region: 'global',
          errorCode: 'AccessDeniedException',
          message: expect.stringMatching(/organizations:ListPolicies/),
          parts: ['organizationPolicies'],
        })),
      );
    });

    it.each([
      ['organizations:DescribeOrganization', 'DescribeOrganization'],
      ['organizations:ListRoots', 'ListRoots'],
      ['organizations:ListAccountsForParent', 'ListAccountsForParent'],
      ['organizations:ListOrganizationalUnitsForParent', 'ListOrganizationalUnitsForParent'],
      ['organizations:DescribePolicy', 'DescribePolicy'],
      ['organizations:ListTargetsForPolicy', 'ListTargetsForPolicy'],
    ])('without %s the error names %s', async (action, operation) => {
      const credentials = await createUserWithKey(t.clients, `no-${operation}`, [
        { Effect: 'Allow', NotAction: action, Resource: '*' },
      ]);
      const result = await collectOrganization(
        factory,
        { accountId: ACCOUNT, region: 'us-east-1', credentials },
        [ACCOUNT],
      );
      expect(result.collectionErrors.map((e) => e.operation)).toEqual([operation]);
    });
  });
});

describe("Signet's own errors", () => {
  it('an undeclared call stops each governance collector instead of becoming a missing part', async () => {
    const t = await startTestSandbox();
    const factory = new ClientFactory({ endpoint: t.endpoint, declared: [] });
    const target = { accountId: ACCOUNT, region: 'us-east-1', credentials: BOOTSTRAP_CREDENTIALS };
    try {
      const now = new Date();
      for (const run of [
        () => collectTrail(factory, target, { start: new Date(now.getTime() - DAY), end: now }),
        () => collectIam(factory, target),
        () => collectOrganization(factory, target, [ACCOUNT]),
      ])
        await expect(run()).rejects.toBeInstanceOf(UndeclaredCallError);
    } finally {
      factory.destroy();
      await t.close();
    }
  });
});
