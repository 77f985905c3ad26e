// collectSnapshot across accounts and regions against the sandbox: which accounts and regions a scan
// covers (caller, --accounts, --org, enabled regions), what it says when it cannot get in, the order of
// what it returns, its progress reports, and how it drives the governance collectors (CloudTrail only
// where there is something to judge, IAM once per account, the lookback window).
import { CreateCodeSigningConfigCommand, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateAccountCommand, CreateOrganizationCommand } from '@aws-sdk/client-organizations';
import { PutSigningProfileCommand } from '@aws-sdk/client-signer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionFor } from '../../src/aws/accounts.js';
import { collectSnapshot, type ScanOptions } from '../../src/aws/collect/scan.js';
import { UsageError } from '../../src/errors.js';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import { createLambdaExecRole, SeedClients } from '../../src/sandbox/seeds/clients.js';
import { DEFAULT_ENABLED_REGIONS } from '../../src/sandbox/services/account.js';
import { trailSlice } from '../../src/sandbox/trail.js';
import { createZip } from '../../src/sandbox/zip.js';
import { ACCOUNT, createUserWithKey } from '../helpers/principals.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const DAY = 86_400_000;
/** What an account whose role cannot be assumed leaves unread. */
const MEMBER_PARTS = [
  'functions',
  'codeSigningConfigs',
  'cscAttachments',
  'signingProfiles',
  'signingJobs',
  'tags',
  'versions',
  'layers',
  'cloudtrail',
  'iam',
];

describe('partitionFor', () => {
  it('takes the partition from the caller ARN', () => {
    expect(partitionFor('arn:aws-cn:iam::123456789012:user/a', 'us-east-1')).toBe('aws-cn');
    expect(partitionFor('arn:aws-us-gov:sts::123456789012:assumed-role/r/s', 'eu-west-1')).toBe('aws-us-gov');
    expect(partitionFor('arn:aws:iam::123456789012:root', 'cn-north-1')).toBe('aws');
  });

  it('falls back to the home region when STS gave no usable ARN', () => {
    expect(partitionFor(undefined, 'cn-northwest-1')).toBe('aws-cn');
    expect(partitionFor(undefined, 'us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionFor('not an arn', 'us-gov-east-1')).toBe('aws-us-gov');
    expect(partitionFor('', 'cn-north-1')).toBe('aws-cn');
    expect(partitionFor(undefined, 'eu-west-1')).toBe('aws');
    // Only a prefix decides: a region merely containing "cn-" is not China.
    expect(partitionFor(undefined, 'xcn-north-1')).toBe('aws');
    expect(partitionFor(undefined, 'xus-gov-west-1')).toBe('aws');
  });
});

describe('collectSnapshot', () => {
  let t: TestSandbox;
  let member: string;
  let suspended: string;
  let cscArn: string;

  beforeAll(async () => {
    t = await startTestSandbox();
    await t.clients.organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const create = async (AccountName: string) =>
      (
        await t.clients.organizations.send(
          new CreateAccountCommand({ AccountName, Email: `${AccountName}@example.com` }),
        )
      ).CreateAccountStatus!.AccountId!;
    member = await create('workloads');
    suspended = await create('closed');
    t.sandbox.world.accounts[suspended]!.status = 'SUSPENDED';

    const code = { ZipFile: createZip([{ name: 'index.js', data: 'exports.handler = async () => 1;' }]) };
    const deploy = async (clients: SeedClients, name: string, Role: string) =>
      clients.lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Role,
          Code: code,
        }),
      );
    const admin = new SeedClients(t.endpoint, { ...BOOTSTRAP_CREDENTIALS }, 'us-east-1');
    const role = await createLambdaExecRole(admin);
    const profile = await admin.signer.send(
      new PutSigningProfileCommand({ profileName: 'zeta', platformId: 'AWSLambda-SHA384-ECDSA' }),
    );
    await admin.signer.send(
      new PutSigningProfileCommand({ profileName: 'alpha', platformId: 'AWSLambda-SHA384-ECDSA' }),
    );
    for (const description of ['z', 'a', 'm'])
      cscArn = (
        await admin.lambda.send(
          new CreateCodeSigningConfigCommand({
            Description: description,
            AllowedPublishers: { SigningProfileVersionArns: [profile.profileVersionArn!] },
          }),
        )
      ).CodeSigningConfig!.CodeSigningConfigArn!;
    for (const name of ['zz-mgmt', 'aa-mgmt']) await deploy(admin, name, role);
    const eu = admin.inRegion('eu-west-1');
    await deploy(eu, 'eu-fn', role);
    const inMember = await admin.assume(`arn:aws:iam::${member}:role/OrganizationAccountAccessRole`, 'setup');
    const memberRole = await createLambdaExecRole(inMember);
    await deploy(inMember, 'member-fn', memberRole);
    for (const c of [admin, eu, inMember]) c.destroy();
  }, 60_000);
  afterAll(async () => t?.close());

  const scan = (options: Partial<ScanOptions> = {}) =>
    collectSnapshot({
      endpoint: t.endpoint,
      credentials: { ...BOOTSTRAP_CREDENTIALS },
      homeRegion: 'us-east-1',
      rateScale: 50,
      ...options,
    });
  const calls = (operation: string, filter: { accountId?: string; region?: string } = {}) =>
    t.sandbox
      .callStats()
      .filter(
        (s) =>
          s.operation === operation &&
          (filter.accountId === undefined || s.accountId === filter.accountId) &&
          (filter.region === undefined || s.region === filter.region),
      )
      .reduce((n, s) => n + s.count, 0);

  describe('what is scanned', () => {
    it('scans the caller account in every enabled region by default, and no other account', async () => {
      t.sandbox.resetCallStats();
      const s = await scan({ governance: { cloudtrail: false } });
      expect(s.partition).toBe('aws');
      expect(s.accounts).toEqual([{ accountId: ACCOUNT }]);
      expect(s.regions).toEqual([...DEFAULT_ENABLED_REGIONS].sort());
      expect(s.collectionErrors).toEqual([]);
      // Sorted by ARN: region before name.
      expect(s.functions.map((f) => f.name)).toEqual(['eu-fn', 'aa-mgmt', 'zz-mgmt']);
      for (const region of DEFAULT_ENABLED_REGIONS)
        expect(s.coverage).toContainEqual({ accountId: ACCOUNT, region, part: 'functions', status: 'ok' });
      expect(calls('ListRegions')).toBe(1);
      expect(calls('AssumeRole')).toBe(0);
      expect(calls('ListAccounts')).toBe(0);
    });

    it('--regions narrows the scan and skips ListRegions', async () => {
      t.sandbox.resetCallStats();
      const s = await scan({ regions: ['eu-west-1', 'us-east-1'] });
      expect(s.regions).toEqual(['eu-west-1', 'us-east-1']);
      expect(s.functions.map((f) => [f.name, f.region])).toEqual([
        ['eu-fn', 'eu-west-1'],
        ['aa-mgmt', 'us-east-1'],
        ['zz-mgmt', 'us-east-1'],
      ]);
      expect(new Set(s.coverage.map((c) => c.region))).toEqual(new Set(['eu-west-1', 'us-east-1', 'global']));
      expect(calls('ListRegions')).toBe(0);
    });

    it('returns functions, CSCs and profiles sorted by id whatever order they were read in', async () => {
      const s = await scan({ regions: ['us-east-1', 'eu-west-1'], concurrency: 1 });
      expect(s.regions).toEqual(['eu-west-1', 'us-east-1']);
      const ids = (xs: { id: string }[]) => xs.map((x) => x.id);
      for (const list of [s.functions, s.codeSigningConfigs, s.signingProfiles]) {
        expect(list.length).toBeGreaterThan(1);
        expect(ids(list)).toEqual([...ids(list)].sort());
      }
      expect(s.signingProfiles.map((p) => p.name)).toEqual(
        [...s.signingProfiles].sort((a, b) => (a.id < b.id ? -1 : 1)).map((p) => p.name),
      );
      expect(s.codeSigningConfigs.map((c) => c.id)).toContain(cscArn);
    });

    it('--accounts assumes the role in the other accounts only, and keeps their order', async () => {
      t.sandbox.resetCallStats();
      const onCall: string[] = [];
      const s = await scan({
        accounts: [member, ACCOUNT],
        regions: ['us-east-1'],
        progress: {
          onCall: (c) => c.operation === 'AssumeRole' && onCall.push(`${c.accountId}@${c.region}`),
        },
      });
      expect(s.accounts).toEqual([{ accountId: member }, { accountId: ACCOUNT }]);
      expect(s.collectionErrors).toEqual([]);
      expect(s.functions.map((f) => [f.name, f.accountId])).toEqual(
        expect.arrayContaining([
          ['member-fn', member],
          ['aa-mgmt', ACCOUNT],
        ]),
      );
      expect(s.functions).toHaveLength(3);
      expect(onCall).toEqual([`${member}@global`]);
      expect(calls('AssumeRole')).toBe(1);
      // The member's CloudTrail shows who came in: the scan's session of the default role, for an hour.
      const assumed = Object.values(trailSlice(t.sandbox.world).events[member] ?? {})
        .flat()
        .filter((e) => e.record.eventName === 'AssumeRole')
        .map((e) => e.record.requestParameters)
        .at(-1);
      expect(assumed).toEqual({
        roleArn: `arn:aws:iam::${member}:role/OrganizationAccountAccessRole`,
        roleSessionName: 'signet-scan',
        durationSeconds: 3600,
      });
      // Each account's Lambda calls were made in that account (the member's with the assumed role).
      expect(calls('ListFunctions', { accountId: member })).toBe(1);
      expect(calls('ListFunctions', { accountId: ACCOUNT })).toBe(1);
      // Account-regions in the order the accounts were given.
      expect([...new Set(s.coverage.filter((c) => c.region !== 'global').map((c) => c.accountId))]).toEqual([
        member,
        ACCOUNT,
      ]);
    });

    it('an empty --accounts list scans the caller', async () => {
      const s = await scan({ accounts: [], regions: ['us-east-1'], governance: { cloudtrail: false } });
      expect(s.accounts).toEqual([{ accountId: ACCOUNT }]);
      expect(s.functions.map((f) => f.name)).toEqual(['aa-mgmt', 'zz-mgmt']);
    });

    it('--org scans every active account of the organisation, with names, and skips suspended ones', async () => {
      const s = await scan({ org: true, regions: ['us-east-1'], governance: { cloudtrail: false } });
      expect(s.accounts).toEqual([
        { accountId: ACCOUNT, name: expect.any(String) },
        { accountId: member, name: 'workloads' },
      ]);
      expect(s.accounts.some((a) => a.accountId === suspended)).toBe(false);
      expect(s.functions.map((f) => f.name)).toEqual(
        expect.arrayContaining(['member-fn', 'aa-mgmt', 'zz-mgmt']),
      );
    });

    it('--org outside the management account is a usage error that says what is needed', async () => {
      const fresh = await startTestSandbox();
      try {
        const error = await collectSnapshot({
          endpoint: fresh.endpoint,
          credentials: { ...BOOTSTRAP_CREDENTIALS },
          homeRegion: 'us-east-1',
          org: true,
        }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UsageError);
        expect((error as Error).message).toMatch(
          /^--org needs Organizations ListAccounts from the management account \(AWSOrganizationsNotInUseException: .+\)$/,
        );
      } finally {
        await fresh.close();
      }
    });

    it('bad credentials are a usage error naming the cause, not an empty scan', async () => {
      const error = await scan({
        credentials: { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'nope' },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(
        /^cannot identify the caller \(InvalidClientTokenId: [^\n]+\); check AWS credentials and --endpoint$/,
      );
    });
  });

  describe('what could not be read stays visible', () => {
    it('an account whose role cannot be assumed is one error covering every part, and is still listed', async () => {
      const s = await scan({ accounts: [ACCOUNT, member], roleName: 'Missing', regions: ['us-east-1'] });
      expect(s.accounts.map((a) => a.accountId)).toEqual([ACCOUNT, member]);
      const errors = s.collectionErrors.filter((e) => e.accountId === member);
      expect(errors).toEqual([
        {
          service: 'sts',
          operation: 'AssumeRole',
          accountId: member,
          region: 'global',
          errorCode: 'AccessDenied',
          message: expect.stringContaining(`arn:aws:iam::${member}:role/Missing`),
          parts: expect.arrayContaining(MEMBER_PARTS),
        },
      ]);
      // The error does not explain what it did not stop: SCPs come from the management account.
      expect(errors[0]!.parts).not.toContain('organizationPolicies');
      // Nothing was read in it, and nothing claims it was (SCPs come from the management account).
      expect(
        s.coverage.filter((c) => c.accountId === member && c.status === 'ok').map((c) => c.part),
      ).toEqual(['organizationPolicies']);
      expect(s.functions.every((f) => f.accountId === ACCOUNT)).toBe(true);
    });

    it('a failed ListRegions is recorded for the account and the home region is still scanned', async () => {
      const credentials = await createUserWithKey(t.clients, 'no-regions', [
        { Effect: 'Allow', NotAction: 'account:ListRegions', Resource: '*' },
      ]);
      const s = await scan({ credentials, homeRegion: 'eu-west-1', governance: { cloudtrail: false } });
      expect(s.regions).toEqual(['eu-west-1']);
      expect(s.collectionErrors).toEqual([
        {
          service: 'account',
          operation: 'ListRegions',
          accountId: ACCOUNT,
          region: 'global',
          errorCode: 'AccessDeniedException',
          message: expect.stringContaining('account:ListRegions'),
          parts: [],
        },
      ]);
      expect(s.functions.map((f) => f.name)).toEqual(['eu-fn']);
    });
  });

  describe('progress', () => {
    it('reports each account-region done against the total, functions seen (not versions) and calls', async () => {
      const done: [number, number][] = [];
      const seen: number[] = [];
      let calls = 0;
      await scan({
        regions: ['us-east-1', 'eu-west-1', 'us-west-2'],
        governance: { cloudtrail: false },
        progress: {
          onAccountRegionDone: (d, total) => done.push([d, total]),
          onFunctions: (n) => seen.push(n),
          onCall: () => {
            calls += 1;
          },
        },
      });
      expect(done).toEqual([
        [1, 3],
        [2, 3],
        [3, 3],
      ]);
      expect(seen.at(-1)).toBe(3);
      expect(calls).toBeGreaterThan(10);
    });

    it('counts throttled calls as they happen', async () => {
      const throttled = await startTestSandbox({
        quotas: { enabled: true, scale: 1, rates: { 'lambda:control': 1 }, defaultRate: 50 },
      });
      try {
        const counts: number[] = [];
        const s = await collectSnapshot({
          endpoint: throttled.endpoint,
          credentials: { ...BOOTSTRAP_CREDENTIALS },
          homeRegion: 'us-east-1',
          regions: ['us-east-1'],
          // Paced 20x faster than the sandbox allows: AWS answers with throttling, the SDK retries.
          rateScale: 20,
          maxAttempts: 10,
          governance: { cloudtrail: false },
          progress: { onThrottle: (n) => counts.push(n) },
        });
        expect(s.collectionErrors).toEqual([]);
        expect(counts.length).toBeGreaterThan(0);
        expect(counts).toEqual(counts.map((_, i) => i + 1));
      } finally {
        await throttled.close();
      }
    });
  });

  describe('governance collection beside it', () => {
    it('queries CloudTrail only where there is something to judge, IAM once per account, SCPs once', async () => {
      t.sandbox.resetCallStats();
      const s = await scan({ regions: ['us-east-1', 'eu-west-1', 'us-west-2'] });
      expect(s.collectionErrors).toEqual([]);
      // us-west-2 has no function, CSC or profile: nothing for SGN-009/010/013 to judge there.
      expect(calls('LookupEvents', { region: 'us-west-2' })).toBe(0);
      // One query per event name (each fits one page), once per busy account-region.
      expect(calls('LookupEvents', { region: 'us-east-1' })).toBe(11);
      expect(calls('LookupEvents', { region: 'eu-west-1' })).toBe(11);
      // One CloudTrail coverage entry per account-region.
      expect(
        s.coverage
          .filter((c) => c.part === 'cloudtrail')
          .map((c) => `${c.accountId}/${c.region}:${c.status}`)
          .sort(),
      ).toEqual([`${ACCOUNT}/eu-west-1:ok`, `${ACCOUNT}/us-east-1:ok`, `${ACCOUNT}/us-west-2:ok`]);
      expect(calls('GetAccountAuthorizationDetails')).toBe(1);
      expect(calls('DescribeOrganization')).toBe(1);
      expect(s.coverage).toContainEqual({ accountId: ACCOUNT, region: 'global', part: 'iam', status: 'ok' });
      expect(s.coverage).toContainEqual({
        accountId: ACCOUNT,
        region: 'global',
        part: 'organizationPolicies',
        status: 'ok',
      });
      expect(s.governance!.organization!.managementAccountId).toBe(ACCOUNT);
      // Events in time order (then id), as the rules read them.
      const events = s.governance!.trailEvents;
      expect(events.length).toBeGreaterThan(2);
      for (let i = 1; i < events.length; i++) {
        const [a, b] = [events[i - 1]!, events[i]!];
        expect(a.eventTime < b.eventTime || (a.eventTime === b.eventTime && a.eventId < b.eventId)).toBe(
          true,
        );
      }
    });

    it('queries CloudTrail where the Lambda reads failed, since resources may hide there', async () => {
      const credentials = await createUserWithKey(t.clients, 'no-list-functions', [
        {
          Effect: 'Allow',
          NotAction: ['lambda:ListFunctions', 'lambda:ListCodeSigningConfigs'],
          Resource: '*',
        },
      ]);
      t.sandbox.resetCallStats();
      const s = await scan({ credentials, regions: ['us-west-2'] });
      expect(calls('LookupEvents', { region: 'us-west-2' })).toBe(11);
      expect(s.coverage.filter((c) => c.part === 'cloudtrail')).toEqual([
        { accountId: ACCOUNT, region: 'us-west-2', part: 'cloudtrail', status: 'ok' },
      ]);
    });

    it('IAM of every account, sorted by account', async () => {
      t.sandbox.resetCallStats();
      const s = await scan({ accounts: [member, ACCOUNT], regions: ['us-east-1', 'eu-west-1'] });
      expect(s.governance!.iam.map((i) => i.accountId)).toEqual([ACCOUNT, member].sort());
      expect(calls('GetAccountAuthorizationDetails', { accountId: member })).toBe(1);
      expect(calls('GetAccountAuthorizationDetails', { accountId: ACCOUNT })).toBe(1);
    });

    it('uses a 30-day window by default and --lookback when given', async () => {
      const now = new Date('2026-06-01T00:00:00.000Z');
      const s = await scan({ now, regions: ['us-west-2'] });
      expect(s.collectedAt).toBe(now.toISOString());
      expect(s.governance!.window).toEqual({
        start: new Date(now.getTime() - 30 * DAY).toISOString(),
        end: now.toISOString(),
      });
      const week = await scan({ now, regions: ['us-west-2'], governance: { lookbackDays: 7 } });
      expect(week.governance!.window).toEqual({
        start: new Date(now.getTime() - 7 * DAY).toISOString(),
        end: now.toISOString(),
      });
    });

    it('--no-cloudtrail makes no CloudTrail call and says not-collected for every account-region', async () => {
      t.sandbox.resetCallStats();
      const s = await scan({ regions: ['us-east-1', 'us-west-2'], governance: { cloudtrail: false } });
      expect(calls('LookupEvents')).toBe(0);
      expect(s.governance!.window).toBeUndefined();
      expect(s.governance!.trailEvents).toEqual([]);
      for (const region of ['us-east-1', 'us-west-2'])
        expect(s.coverage).toContainEqual({
          accountId: ACCOUNT,
          region,
          part: 'cloudtrail',
          status: 'not-collected',
        });
      // IAM and SCPs are still read.
      expect(calls('GetAccountAuthorizationDetails')).toBe(1);
    });
  });
});
