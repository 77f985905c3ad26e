// The governance rules' shared pieces (src/rules/governance.ts): how a CloudTrail actor is named and
// matched against the pipeline, what evidence a finding shows, the effective principals built from
// GetAccountAuthorizationDetails (groups, managed policies, boundaries, unreadable policies) and the SCPs
// that apply to an account. Each case is something a user reads in a finding or a verdict it changes.
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/iam/index.js';
import type { TrailActor } from '../../src/model/governance.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { SnapshotIndex } from '../../src/model/snapshot-index.js';
import {
  accountRef,
  actorArn,
  citationDetail,
  citationText,
  describeActor,
  eventEvidence,
  eventFunctionName,
  eventIs,
  eventSentence,
  firstGrant,
  GovernanceView,
  governanceView,
  grantDetail,
  grantText,
  iamMissing,
  matchesAny,
  needsPipeline,
  principalRef,
  regionalGap,
} from '../../src/rules/governance.js';
import type { RuleContext, RulePolicy } from '../../src/rules/rule.js';
import { ACCOUNT, coverage, DEFAULT_POLICY, NOW, REGION } from '../helpers/builders.js';
import {
  aGovernedSnapshot,
  anEvent,
  aRole,
  doc,
  globalCoverage,
  iamDetails,
  PIPELINE,
  role,
  user,
} from '../helpers/governance-builders.js';

function ctxOf(snapshot: Snapshot, policy: Partial<RulePolicy> = {}): RuleContext {
  return {
    snapshot,
    index: new SnapshotIndex(snapshot),
    policy: { ...DEFAULT_POLICY, ...policy },
    now: NOW,
  };
}

const MEMBER = '222233334444';
const MGMT = '999999999999';

// An organisation whose root SCP denies every Signer action.
const DENY_SIGNING_AT_ROOT = {
  managementAccountId: MGMT,
  accountPaths: { [ACCOUNT]: ['r-root'] },
  policies: [{ id: 'p-d', name: 'd', content: doc({ Effect: 'Deny', Action: 'signer:*', Resource: '*' }) }],
  attachments: { 'r-root': ['p-d'] },
};

// Another account's signing profile whose permissions let this account start signing jobs.
const profile = 'arn:aws:signer:us-east-1:444455556666:/signing-profiles/vendor';
const shared = parsePolicy(
  {
    Statement: [
      { Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'signer:StartSigningJob', Resource: '*' },
    ],
  },
  'profile permissions',
  'resource',
);

describe('matchesAny: pipeline patterns against principal ARNs', () => {
  it('matches a role by pattern whatever its path, and only the role it names', () => {
    const patterns = ['arn:aws:iam::*:role/ci-deploy-*'];
    expect(matchesAny(patterns, role('ci-deploy-prod'))).toBe(true);
    expect(matchesAny(patterns, 'arn:aws:iam::123456789012:role/team/ci/ci-deploy-prod')).toBe(true);
    expect(matchesAny(patterns, role('ci-sign-prod'))).toBe(false);
    expect(matchesAny(patterns, role('ci-deploy-prod').replace(':role/', ':user/'))).toBe(false);
    expect(matchesAny(patterns, 'arn:aws:iam::123456789012:role/ci-deploy/x')).toBe(false);
  });

  it('matches a user with a path as the user, and a "*" pattern matches anyone', () => {
    expect(
      matchesAny(['arn:aws:iam::123456789012:user/alice'], 'arn:aws:iam::123456789012:user/eng/alice'),
    ).toBe(true);
    expect(matchesAny(['*'], 'arn:aws:iam::123456789012:user/anyone')).toBe(true);
    expect(matchesAny([], role('ci-deploy-prod'))).toBe(false);
  });

  it('does not strip a path from something that is not a role or user', () => {
    expect(
      matchesAny(['arn:aws:iam::123456789012:group/admins'], 'arn:aws:iam::123456789012:group/eng/admins'),
    ).toBe(false);
  });
});

describe('CloudTrail actors', () => {
  const session: TrailActor = {
    type: 'AssumedRole',
    arn: 'arn:aws:sts::123456789012:assumed-role/ci-deploy-prod/build-42',
    roleArn: role('ci-deploy-prod'),
    accountId: ACCOUNT,
  };

  it('an assumed-role session is its role, named with the session', () => {
    expect(actorArn(session)).toBe(role('ci-deploy-prod'));
    expect(describeActor(session)).toBe(`role ${role('ci-deploy-prod')} (session build-42)`);
  });

  it('an assumed-role session without its issuer falls back to the session ARN', () => {
    const bare: TrailActor = { type: 'AssumedRole', arn: session.arn };
    expect(actorArn(bare)).toBe(session.arn);
    expect(describeActor(bare)).toBe(`role ${session.arn} (session build-42)`);
    expect(describeActor({ type: 'AssumedRole' })).toBe('role ?');
  });

  it('names IAM users, root and services the way a reader recognises them', () => {
    expect(describeActor({ type: 'IAMUser', arn: user('alice') })).toBe(`IAM user ${user('alice')}`);
    expect(describeActor({ type: 'IAMUser', userName: 'alice' })).toBe('IAM user alice');
    expect(describeActor({ type: 'IAMUser' })).toBe('IAM user ?');
    expect(describeActor({ type: 'Root', accountId: ACCOUNT })).toBe(`the root user of ${ACCOUNT}`);
    expect(describeActor({ type: 'Root' })).toBe('the root user of ?');
    expect(describeActor({ type: 'AWSService', invokedBy: 'cloudformation.amazonaws.com' })).toBe(
      'AWSService cloudformation.amazonaws.com',
    );
    expect(describeActor({ type: 'FederatedUser', arn: 'arn:aws:sts::1:federated-user/bob' })).toBe(
      'FederatedUser arn:aws:sts::1:federated-user/bob',
    );
    expect(describeActor({ type: 'Unknown' })).toBe('Unknown ?');
  });

  it('the root user is the account root ARN; a user is its ARN; an anonymous actor has none', () => {
    expect(actorArn({ type: 'Root', accountId: ACCOUNT })).toBe(`arn:aws:iam::${ACCOUNT}:root`);
    expect(actorArn({ type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root` })).toBe(
      `arn:aws:iam::${ACCOUNT}:root`,
    );
    expect(actorArn({ type: 'Root', arn: 'arn:aws-cn:iam::123456789012:root', accountId: ACCOUNT })).toBe(
      'arn:aws-cn:iam::123456789012:root',
    );
    expect(actorArn({ type: 'Root' })).toBeUndefined();
    // Another account calling with its own credentials (AWSAccount) is not that account's root user.
    expect(actorArn({ type: 'AWSAccount', accountId: '444455556666' })).toBeUndefined();
    expect(actorArn({ type: 'IAMUser', arn: user('alice') })).toBe(user('alice'));
    expect(actorArn({ type: 'AWSService', invokedBy: 'x.amazonaws.com' })).toBeUndefined();
  });

  it('evidence shows event id, name, time, principal, caller, IP and agent; absent fields stay absent', () => {
    const e = anEvent('UpdateFunctionCode20150331v2', role('ci-deploy-prod'), { functionName: 'fn' });
    expect(eventEvidence(e)).toEqual({
      eventId: e.eventId,
      eventName: 'UpdateFunctionCode20150331v2',
      eventTime: e.eventTime,
      principal: role('ci-deploy-prod'),
      principalType: 'AssumedRole',
      callerArn: 'arn:aws:sts::123456789012:assumed-role/ci-deploy-prod/session-1',
      sourceIPAddress: '203.0.113.7',
      userAgent: 'aws-cli/2.15.0',
    });
    const service = anEvent('UpdateFunctionCode', user('x'), null, {
      actor: { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' },
      sourceIPAddress: undefined,
      userAgent: undefined,
    });
    const evidence = eventEvidence(service);
    expect(evidence.principal).toBe('AWSService');
    expect(Object.keys(evidence).sort()).toEqual([
      'eventId',
      'eventName',
      'eventTime',
      'principal',
      'principalType',
    ]);
    expect(eventSentence(service)).toBe(
      `AWSService lambda.amazonaws.com at ${service.eventTime} from ? (unknown agent), event ${service.eventId}`,
    );
  });

  it('the event sentence says who, when, from where, with what, and which event', () => {
    const e = anEvent('UpdateFunctionCode', user('alice'), { functionName: 'fn' });
    expect(eventSentence(e)).toBe(
      `IAM user ${user('alice')} at ${e.eventTime} from 203.0.113.7 (aws-cli/2.15.0), event ${e.eventId}`,
    );
  });
});

describe('Lambda event names and functions', () => {
  it('matches versioned event names by prefix plus a date, nothing else', () => {
    const named = (n: string) => anEvent(n, user('a'));
    expect(eventIs(named('UpdateFunctionCode'), 'UpdateFunctionCode')).toBe(true);
    expect(eventIs(named('UpdateFunctionCode20150331v2'), 'UpdateFunctionCode')).toBe(true);
    expect(eventIs(named('CreateFunction20150331'), 'CreateFunction')).toBe(true);
    expect(eventIs(named('UpdateFunctionCodeSigningConfig'), 'UpdateFunctionCode')).toBe(false);
    expect(eventIs(named('UpdateFunctionCode2015'), 'UpdateFunctionCode')).toBe(false);
    expect(eventIs(named('UpdateFunctionCodeSigning20150331'), 'UpdateFunctionCode')).toBe(false);
    expect(eventIs(named('XUpdateFunctionCode20150331'), 'UpdateFunctionCode')).toBe(false);
    expect(eventIs(named('CreateFunctionUrlConfig20211031'), 'CreateFunction')).toBe(false);
  });

  it('reads the function name from a name, a name with qualifier, a partial ARN or a full ARN', () => {
    const fnOf = (functionName: unknown) =>
      eventFunctionName(anEvent('UpdateFunctionCode', user('a'), { functionName }));
    expect(fnOf('orders')).toBe('orders');
    expect(fnOf('orders:prod')).toBe('orders');
    expect(fnOf('123456789012:function:orders')).toBe('orders');
    expect(fnOf('arn:aws:lambda:us-east-1:123456789012:function:orders:7')).toBe('orders');
    expect(fnOf('arn:aws-cn:lambda:cn-north-1:123456789012:function:orders')).toBe('orders');
    expect(fnOf('orders:function')).toBe('orders');
    expect(fnOf('function:v1')).toBe('function');
    expect(fnOf('123456789012:function:function')).toBe('function');
    expect(fnOf('a123456789012:function')).toBe('a123456789012');
    expect(fnOf('123456789012:prod')).toBe('123456789012');
    expect(fnOf('1234567890123:function')).toBe('1234567890123');
    expect(fnOf(42)).toBeUndefined();
    expect(eventFunctionName(anEvent('UpdateFunctionCode', user('a'), null))).toBeUndefined();
  });
});

describe('references and citations', () => {
  const plain = { snapshot: aGovernedSnapshot({}) };

  it('an account reference is global unless a region is given', () => {
    expect(accountRef(plain, ACCOUNT)).toEqual({
      type: 'account',
      id: `account:${ACCOUNT}`,
      name: `account ${ACCOUNT}`,
      accountId: ACCOUNT,
      region: 'global',
      provenance: {
        source: 'aws',
        arn: `arn:aws:iam::${ACCOUNT}:root`,
        accountId: ACCOUNT,
        region: 'global',
      },
    });
    const regional = accountRef(plain, ACCOUNT, REGION);
    expect(regional.id).toBe(`account:${ACCOUNT}:${REGION}`);
    expect(regional.name).toBe(`account ${ACCOUNT} ${REGION}`);
    expect(regional.region).toBe(REGION);
    expect(accountRef(plain, ACCOUNT, 'global', 'prod').name).toBe('prod');
    const gov = { snapshot: aGovernedSnapshot({}, { partition: 'aws-us-gov' }) };
    expect(accountRef(gov, ACCOUNT).provenance).toMatchObject({ arn: `arn:aws-us-gov:iam::${ACCOUNT}:root` });
  });

  it('a principal reference names its kind and is global', () => {
    const view = new GovernanceView(aGovernedSnapshot({ iam: [iamDetails({ roles: [aRole('dev')] })] }));
    const [p] = view.principalsOf(ACCOUNT)!;
    expect(principalRef(p!)).toEqual({
      type: 'iam-principal',
      id: role('dev'),
      name: 'role dev',
      arn: role('dev'),
      accountId: ACCOUNT,
      region: 'global',
      provenance: { source: 'aws', arn: role('dev'), accountId: ACCOUNT, region: 'global' },
    });
  });

  it('cites policy, statement index and Sid, and says when it holds only under conditions', () => {
    const policy = parsePolicy(
      doc(
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Sid: 'Two', Effect: 'Deny', Action: '*', Resource: '*' },
      ),
      'arn:aws:iam::1:policy/p',
      'identity',
    );
    const plain = {
      policyId: policy.id,
      kind: policy.kind,
      statement: policy.statements[0]!,
      conditional: false,
    };
    const withSid = { ...plain, statement: policy.statements[1]!, conditional: true };
    expect(citationText(plain)).toBe('arn:aws:iam::1:policy/p statement 0');
    expect(citationText(withSid)).toBe('arn:aws:iam::1:policy/p statement 1 (Sid Two) (under conditions)');
    expect(citationDetail(plain)).toEqual({ policy: policy.id, statement: 0, effect: 'Allow' });
    expect(citationDetail(withSid)).toEqual({
      policy: policy.id,
      statement: 1,
      sid: 'Two',
      effect: 'Deny',
      conditional: true,
    });
  });
});

describe('needsPipeline', () => {
  const snapshot = aGovernedSnapshot({});
  const resource = accountRef({ snapshot }, ACCOUNT);

  it('is UNKNOWN naming the missing setting without a pipeline', () => {
    const r = needsPipeline(ctxOf(snapshot), resource, 'signers');
    expect(r).toEqual({
      status: 'UNKNOWN',
      resource,
      message:
        'Cannot tell without a pipeline: configure pipeline.signers (and the other pipeline principals) in signet.config.yaml — see signet init.',
      details: { missing: 'pipeline.signers' },
    });
  });

  it('lets the rule judge when the pipeline is configured, even with an empty list', () => {
    expect(needsPipeline(ctxOf(snapshot, { pipeline: PIPELINE }), resource, 'admins')).toBeUndefined();
    const empty = { ...PIPELINE, admins: [] };
    expect(needsPipeline(ctxOf(snapshot, { pipeline: empty }), resource, 'admins')).toBeUndefined();
  });

  it('is UNKNOWN when the pipeline lacks the list the rule needs', () => {
    const partial = { deployers: PIPELINE.deployers } as unknown as RulePolicy['pipeline'];
    expect(needsPipeline(ctxOf(snapshot, { pipeline: partial }), resource, 'signers')?.status).toBe(
      'UNKNOWN',
    );
  });
});

describe('GovernanceView: effective principals', () => {
  it('collects a user’s attached, inline and group policies, and reads unknown groups and policies as unreadable', () => {
    const iam = iamDetails({
      users: [
        {
          arn: user('dana'),
          name: 'dana',
          groups: ['release', 'ghost'],
          attachedPolicies: [
            `arn:aws:iam::${ACCOUNT}:policy/deploy`,
            `arn:aws:iam::${ACCOUNT}:policy/missing`,
          ],
          inlinePolicies: [
            { name: 'own', document: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) },
          ],
        },
      ],
      groups: [
        {
          arn: `arn:aws:iam::${ACCOUNT}:group/release`,
          name: 'release',
          attachedPolicies: [`arn:aws:iam::${ACCOUNT}:policy/deploy`],
          inlinePolicies: [
            { name: 'sign', document: doc({ Effect: 'Allow', Action: 'signer:*', Resource: '*' }) },
          ],
        },
      ],
      policies: [
        {
          arn: `arn:aws:iam::${ACCOUNT}:policy/deploy`,
          name: 'deploy',
          document: doc({ Effect: 'Allow', Action: 'lambda:*', Resource: '*' }),
        },
      ],
    });
    const [dana] = new GovernanceView(aGovernedSnapshot({ iam: [iam] })).principalsOf(ACCOUNT)!;
    expect(dana!.kind).toBe('user');
    expect(dana!.groups).toEqual(['release', 'ghost']);
    expect(dana!.identity.map((p) => p.id)).toEqual([
      `arn:aws:iam::${ACCOUNT}:policy/deploy`,
      'user dana inline policy own',
      `arn:aws:iam::${ACCOUNT}:policy/deploy`,
      'group release inline policy sign',
    ]);
    expect(dana!.unreadable).toEqual([
      `managed policy arn:aws:iam::${ACCOUNT}:policy/missing was not in the authorization details`,
      'group ghost was not in the authorization details',
    ]);
    expect(dana!.identity.every((p) => p.kind === 'identity')).toBe(true);
    expect(dana!.serviceLinked).toBe(false);
    expect(dana!.boundary).toBeUndefined();
  });

  it('keeps a broken inline policy as unreadable, not as an empty policy, and a boundary as a boundary', () => {
    const iam = iamDetails({
      roles: [
        {
          arn: role('dev'),
          name: 'dev',
          attachedPolicies: [],
          inlinePolicies: [{ name: 'broken', document: '{not json' }],
          permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/b`,
        },
        {
          arn: 'arn:aws:iam::123456789012:role/aws-service-role/lambda.amazonaws.com/AWSServiceRoleForLambda',
          name: 'AWSServiceRoleForLambda',
          attachedPolicies: [],
          inlinePolicies: [],
        },
      ],
      policies: [
        {
          arn: `arn:aws:iam::${ACCOUNT}:policy/b`,
          name: 'b',
          document: doc({ Effect: 'Allow', Action: 'lambda:*', Resource: '*' }),
        },
      ],
    });
    const [dev, slr] = new GovernanceView(aGovernedSnapshot({ iam: [iam] })).principalsOf(ACCOUNT)!;
    expect(dev!.kind).toBe('role');
    expect(dev!.identity).toEqual([]);
    expect(dev!.unreadable).toHaveLength(1);
    expect(dev!.unreadable[0]).toMatch(/^policy role dev inline policy broken: document is not valid JSON/);
    expect(dev!.boundary?.kind).toBe('boundary');
    expect(dev!.boundary?.id).toBe(`arn:aws:iam::${ACCOUNT}:policy/b`);
    expect(dev!.serviceLinked).toBe(false);
    expect(slr!.serviceLinked).toBe(true);
  });

  it('has no principals for an account whose IAM was not collected, and one view per snapshot', () => {
    const snapshot = aGovernedSnapshot({ iam: [iamDetails()] });
    expect(new GovernanceView(snapshot).principalsOf(MEMBER)).toBeUndefined();
    expect(new GovernanceView(snapshot).principalsOf(ACCOUNT)).toEqual([]);
    const ctx = ctxOf(snapshot);
    expect(governanceView(ctx)).toBe(governanceView(ctxOf(snapshot)));
    expect(governanceView(ctx)).not.toBe(governanceView(ctxOf(aGovernedSnapshot({}))));
  });
});

describe('GovernanceView: SCPs', () => {
  const FULL = {
    id: 'p-full',
    name: 'FullAWSAccess',
    content: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
  };
  const DENY = {
    id: 'p-deny',
    name: 'deny-signing',
    content: doc({ Effect: 'Deny', Action: 'signer:*', Resource: '*' }),
  };
  const org = (over = {}) => ({
    managementAccountId: MGMT,
    accountPaths: { [ACCOUNT]: ['r-root', 'ou-1', ACCOUNT] },
    policies: [FULL, DENY],
    attachments: { 'r-root': ['p-full'], 'ou-1': ['p-full', 'p-deny'], [ACCOUNT]: ['p-full'] } as Record<
      string,
      string[]
    >,
    ...over,
  });

  it('applies the SCPs of root, each OU and the account, level by level', () => {
    const view = new GovernanceView(aGovernedSnapshot({ organization: org() }));
    const scp = view.scps(ACCOUNT)!;
    expect(scp.apply).toBe(true);
    expect(scp.levels.map((l) => l.map((p) => p.id))).toEqual([
      ['SCP FullAWSAccess (p-full)'],
      ['SCP FullAWSAccess (p-full)', 'SCP deny-signing (p-deny)'],
      ['SCP FullAWSAccess (p-full)'],
    ]);
    expect(scp.levels[0]![0]!.kind).toBe('scp');
    expect(scp.unreadable).toEqual([]);
    expect(view.scps(ACCOUNT)).toBe(scp);
  });

  it('skips levels with no SCP in the data (unrestricted) and drops unknown policy ids', () => {
    const scp = new GovernanceView(
      aGovernedSnapshot({ organization: org({ attachments: { 'ou-1': ['p-deny', 'p-gone'] } }) }),
    ).scps(ACCOUNT)!;
    expect(scp.levels.map((l) => l.map((p) => p.id))).toEqual([['SCP deny-signing (p-deny)']]);
  });

  it('records an SCP it cannot parse as unreadable', () => {
    const bad = { id: 'p-bad', name: 'bad', content: '{"Statement": 5' };
    const scp = new GovernanceView(
      aGovernedSnapshot({
        organization: org({ policies: [FULL, bad], attachments: { 'r-root': ['p-full', 'p-bad'] } }),
      }),
    ).scps(ACCOUNT)!;
    expect(scp.levels.map((l) => l.map((p) => p.id))).toEqual([['SCP FullAWSAccess (p-full)']]);
    expect(scp.unreadable).toHaveLength(1);
    expect(scp.unreadable[0]).toMatch(/^policy SCP bad \(p-bad\)/);
  });

  it('says why SCPs do not apply: management account, no organisation, not a member', () => {
    const view = new GovernanceView(aGovernedSnapshot({ organization: org() }));
    expect(view.scps(MGMT)).toEqual({
      apply: false,
      levels: [],
      note: 'SCPs never apply to the management account',
      unreadable: [],
    });
    expect(view.scps(MEMBER)).toEqual({
      apply: false,
      levels: [],
      note: 'not a member of the scanned organisation',
      unreadable: [],
    });
    const alone = new GovernanceView(aGovernedSnapshot({ organization: org({ inOrganization: false }) }));
    expect(alone.scps(ACCOUNT)).toEqual({
      apply: false,
      levels: [],
      note: 'not in an organisation',
      unreadable: [],
    });
    expect(new GovernanceView(aGovernedSnapshot({})).scps(ACCOUNT)).toBeUndefined();
  });

  it('an SCP deny removes a grant, except for service-linked roles, and can be left out on request', () => {
    const iam = iamDetails({
      roles: [
        aRole('dev', { Effect: 'Allow', Action: 'signer:StartSigningJob', Resource: '*' }),
        {
          ...aRole('x', { Effect: 'Allow', Action: 'signer:StartSigningJob', Resource: '*' }),
          arn: 'arn:aws:iam::123456789012:role/aws-service-role/signer.amazonaws.com/x',
        },
      ],
    });
    const view = new GovernanceView(aGovernedSnapshot({ iam: [iam], organization: org() }));
    const [dev, slr] = view.principalsOf(ACCOUNT)!;
    const profile = 'arn:aws:signer:us-east-1:123456789012:/signing-profiles/p';
    expect(view.can(dev!, 'signer:StartSigningJob', profile).decision).toBe('explicit-deny');
    expect(view.can(dev!, 'signer:StartSigningJob', profile, false).decision).toBe('allow');
    expect(view.can(slr!, 'signer:StartSigningJob', profile).decision).toBe('allow');
    const management = new GovernanceView(
      aGovernedSnapshot({ iam: [iam], organization: org({ managementAccountId: ACCOUNT }) }),
    );
    expect(
      management.can(management.principalsOf(ACCOUNT)![0]!, 'signer:StartSigningJob', profile).decision,
    ).toBe('allow');
  });

  it('a permissions boundary limits what a principal can do', () => {
    const iam = iamDetails({
      roles: [
        {
          ...aRole('dev', { Effect: 'Allow', Action: '*', Resource: '*' }),
          permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/b`,
        },
      ],
      policies: [
        {
          arn: `arn:aws:iam::${ACCOUNT}:policy/b`,
          name: 'b',
          document: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }),
        },
      ],
    });
    const view = new GovernanceView(aGovernedSnapshot({ iam: [iam] }));
    const [dev] = view.principalsOf(ACCOUNT)!;
    expect(view.can(dev!, 'lambda:UpdateFunctionCode', '*').decision).toBe('implicit-deny');
    expect(view.can(dev!, 's3:GetObject', '*').decision).toBe('allow');
  });
});

describe('firstGrant and how a grant reads', () => {
  const fnA = 'arn:aws:lambda:us-east-1:123456789012:function:a';
  const fnB = 'arn:aws:lambda:us-east-1:123456789012:function:b';
  const viewOf = (...statements: Record<string, unknown>[]) => {
    const view = new GovernanceView(
      aGovernedSnapshot({ iam: [iamDetails({ roles: [aRole('dev', ...statements)] })] }),
    );
    return { view, p: view.principalsOf(ACCOUNT)![0]! };
  };

  it('returns the first allowed action and resource, citing the statement', () => {
    const { view, p } = viewOf({
      Sid: 'B',
      Effect: 'Allow',
      Action: 'lambda:UpdateFunctionCode',
      Resource: fnB,
    });
    const g = firstGrant(view, p, ['lambda:CreateFunction', 'lambda:UpdateFunctionCode'], [fnA, fnB])!;
    expect(g.action).toBe('lambda:UpdateFunctionCode');
    expect(g.resource).toBe(fnB);
    expect(grantText(g)).toBe(
      `lambda:UpdateFunctionCode on ${fnB} (granted by role dev inline policy dev-inline statement 0 (Sid B))`,
    );
    expect(grantDetail(g)).toEqual({
      action: 'lambda:UpdateFunctionCode',
      resource: fnB,
      decision: 'allow',
      grantedBy: [{ policy: 'role dev inline policy dev-inline', statement: 0, sid: 'B', effect: 'Allow' }],
    });
    expect(firstGrant(view, p, ['lambda:CreateFunction'], [fnA, fnB])).toBeUndefined();
  });

  it('prefers an unconditional grant to an earlier conditional one, and keeps the conditional otherwise', () => {
    const cond = { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } };
    const { view, p } = viewOf(
      { Effect: 'Allow', Action: 'lambda:UpdateFunctionCode', Resource: fnA, Condition: cond },
      { Effect: 'Allow', Action: 'lambda:UpdateFunctionCode', Resource: fnB },
    );
    const g = firstGrant(view, p, ['lambda:UpdateFunctionCode'], [fnA, fnB])!;
    expect(g.resource).toBe(fnB);
    expect(g.evaluation.decision).toBe('allow');
    const only = firstGrant(view, p, ['lambda:UpdateFunctionCode'], [fnA, fnA.replace(':a', ':c')])!;
    expect(only.resource).toBe(fnA);
    expect(only.evaluation.decision).toBe('conditional');
    expect(grantText(only)).toMatch(/\(under conditions\); only under conditions Signet cannot check\)$/);
  });

  it('cites every statement that grants', () => {
    const { view, p } = viewOf(
      { Sid: 'A', Effect: 'Allow', Action: 'lambda:UpdateFunctionCode', Resource: '*' },
      { Sid: 'B', Effect: 'Allow', Action: 'lambda:*', Resource: fnA },
    );
    expect(grantText(firstGrant(view, p, ['lambda:UpdateFunctionCode'], [fnA])!)).toBe(
      `lambda:UpdateFunctionCode on ${fnA} (granted by role dev inline policy dev-inline statement 0 (Sid A); role dev inline policy dev-inline statement 1 (Sid B))`,
    );
  });

  it('keeps the first conditional grant when several are conditional', () => {
    const cond = { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } };
    const { view, p } = viewOf({
      Effect: 'Allow',
      Action: 'lambda:UpdateFunctionCode',
      Resource: '*',
      Condition: cond,
    });
    expect(firstGrant(view, p, ['lambda:UpdateFunctionCode'], [fnA, fnB])!.resource).toBe(fnA);
  });

  it('shows the denies that may apply to a conditional grant', () => {
    const { view, p } = viewOf(
      { Effect: 'Allow', Action: 'lambda:*', Resource: '*' },
      {
        Sid: 'NoWrites',
        Effect: 'Deny',
        Action: 'lambda:UpdateFunctionCode',
        Resource: '*',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
      },
    );
    const g = firstGrant(view, p, ['lambda:UpdateFunctionCode'], [fnA])!;
    expect(g.evaluation.decision).toBe('conditional');
    expect(grantDetail(g).mayBeDeniedBy).toEqual([
      {
        policy: 'role dev inline policy dev-inline',
        statement: 1,
        sid: 'NoWrites',
        effect: 'Deny',
        conditional: true,
      },
    ]);
  });

  it('a resource policy grants across accounts only with the identity policy, and SCPs still apply', () => {
    const extra = () => ({ policies: [shared], account: '444455556666' });
    const { view, p } = viewOf({ Effect: 'Allow', Action: 'signer:StartSigningJob', Resource: '*' });
    expect(firstGrant(view, p, ['signer:StartSigningJob'], [profile], extra)?.evaluation.decision).toBe(
      'allow',
    );
    // A condition on a key Signet cannot know stays uncertain across accounts too.
    const tagged = viewOf({
      Effect: 'Allow',
      Action: 'signer:StartSigningJob',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalTag/team': 'release' } },
    });
    expect(
      firstGrant(tagged.view, tagged.p, ['signer:StartSigningJob'], [profile], extra)?.evaluation.decision,
    ).toBe('conditional');
    expect(
      firstGrant(view, p, ['signer:StartSigningJob'], [profile], () => ({
        policies: [],
        account: '444455556666',
      })),
    ).toBeUndefined();
    const denied = new GovernanceView(
      aGovernedSnapshot({
        iam: [
          iamDetails({
            roles: [aRole('dev', { Effect: 'Allow', Action: 'signer:StartSigningJob', Resource: '*' })],
          }),
        ],
        organization: DENY_SIGNING_AT_ROOT,
      }),
    );
    expect(
      firstGrant(denied, denied.principalsOf(ACCOUNT)![0]!, ['signer:StartSigningJob'], [profile], extra),
    ).toBeUndefined();
  });

  it("SCPs do not cut a service-linked role's grant across accounts, as they do not in its own", () => {
    const slr = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/signer.amazonaws.com/AWSServiceRoleForSigner`;
    const allow = doc({ Effect: 'Allow', Action: 'signer:StartSigningJob', Resource: '*' });
    const view = new GovernanceView(
      aGovernedSnapshot({
        iam: [
          iamDetails({
            roles: [
              {
                arn: slr,
                name: 'AWSServiceRoleForSigner',
                attachedPolicies: [],
                inlinePolicies: [{ name: 'slr', document: allow }],
              },
              aRole('dev', { Effect: 'Allow', Action: 'signer:StartSigningJob', Resource: '*' }),
            ],
          }),
        ],
        organization: DENY_SIGNING_AT_ROOT,
      }),
    );
    const [service, dev] = view.principalsOf(ACCOUNT)!;
    expect(service!.serviceLinked).toBe(true);
    const extra = () => ({ policies: [shared], account: '444455556666' });
    expect(
      firstGrant(view, service!, ['signer:StartSigningJob'], [profile], extra)?.evaluation.decision,
    ).toBe('allow');
    expect(view.can(service!, 'signer:StartSigningJob', profile).decision).toBe('allow');
    // The SCP still denies an ordinary role of the same account, in both paths.
    expect(firstGrant(view, dev!, ['signer:StartSigningJob'], [profile], extra)).toBeUndefined();
    expect(view.can(dev!, 'signer:StartSigningJob', profile).decision).toBe('explicit-deny');
  });
});

describe('firstGrant across accounts', () => {
  it('a permissions boundary still limits a grant that a profile permission completes', () => {
    const bounded = {
      ...aRole('dev', { Effect: 'Allow', Action: 'signer:*', Resource: '*' }),
      permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/b`,
    };
    const boundary = (action: string) => ({
      arn: `arn:aws:iam::${ACCOUNT}:policy/b`,
      name: 'b',
      document: doc({ Effect: 'Allow', Action: action, Resource: '*' }),
    });
    const grantWith = (action: string) => {
      const view = new GovernanceView(
        aGovernedSnapshot({ iam: [iamDetails({ roles: [bounded], policies: [boundary(action)] })] }),
      );
      return firstGrant(view, view.principalsOf(ACCOUNT)![0]!, ['signer:StartSigningJob'], [profile], () => ({
        policies: [shared],
        account: '444455556666',
      }));
    };
    expect(grantWith('s3:*')).toBeUndefined();
    expect(grantWith('signer:StartSigningJob')?.evaluation.decision).toBe('allow');
  });
});

describe('regionalGap and iamMissing', () => {
  it('names the first region whose part failed, with the collection error', () => {
    const snapshot = aGovernedSnapshot(
      {},
      {
        regions: [REGION, 'eu-west-1'],
        coverage: [
          ...coverage(),
          { accountId: ACCOUNT, region: 'eu-west-1', part: 'functions', status: 'failed' },
        ],
        collectionErrors: [
          {
            accountId: ACCOUNT,
            region: 'eu-west-1',
            service: 'lambda',
            operation: 'ListFunctions',
            errorCode: 'AccessDeniedException',
            message: 'denied',
            parts: ['functions'],
          },
        ],
      },
    );
    expect(regionalGap(ctxOf(snapshot), ACCOUNT, ['codeSigningConfigs', 'functions'])).toBe(
      `functions of ${ACCOUNT}/eu-west-1 could not be collected (lambda:ListFunctions failed with AccessDeniedException)`,
    );
    expect(regionalGap(ctxOf(snapshot), ACCOUNT, ['codeSigningConfigs'])).toBeUndefined();
  });

  it('does not count a part that was deliberately not collected as a gap', () => {
    const snapshot = aGovernedSnapshot(
      {},
      { coverage: [...coverage('ok', ['functions']), ...coverage('not-collected', ['codeSigningConfigs'])] },
    );
    expect(regionalGap(ctxOf(snapshot), ACCOUNT, ['functions', 'codeSigningConfigs'])).toBeUndefined();
    const failed = aGovernedSnapshot({}, { coverage: coverage('failed', ['functions']) });
    expect(regionalGap(ctxOf(failed), ACCOUNT, ['functions'])).toBe(
      `functions of ${ACCOUNT}/${REGION} could not be collected`,
    );
  });

  it('iamMissing is an account UNKNOWN saying what to allow, with the cause when known', () => {
    const snapshot = aGovernedSnapshot(
      {},
      {
        coverage: [...coverage(), ...globalCoverage('failed', ['iam'])],
        collectionErrors: [
          {
            accountId: ACCOUNT,
            region: 'global',
            service: 'iam',
            operation: 'GetAccountAuthorizationDetails',
            errorCode: 'AccessDenied',
            message: 'denied',
            parts: ['iam'],
          },
        ],
      },
    );
    expect(iamMissing(ctxOf(snapshot), ACCOUNT)).toEqual({
      status: 'UNKNOWN',
      resource: accountRef({ snapshot }, ACCOUNT),
      message: `Cannot tell: IAM authorization details of ${ACCOUNT} were not collected (iam:GetAccountAuthorizationDetails failed with AccessDenied); allow iam:GetAccountAuthorizationDetails and scan again.`,
      details: { missingPart: 'iam' },
    });
    expect(iamMissing(ctxOf(aGovernedSnapshot({})), ACCOUNT).message).toBe(
      `Cannot tell: IAM authorization details of ${ACCOUNT} were not collected; allow iam:GetAccountAuthorizationDetails and scan again.`,
    );
  });
});
