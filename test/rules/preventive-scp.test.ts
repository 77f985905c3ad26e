import { describe, expect, it } from 'vitest';
import { preventiveScp as rule } from '../../src/rules/preventive-scp.js';
import { ACCOUNT, aFunction, coverage, runRule } from '../helpers/builders.js';
import { aGovernedSnapshot, doc, globalCoverage } from '../helpers/governance-builders.js';

const FULL = {
  id: 'p-FullAWSAccess',
  name: 'FullAWSAccess',
  content: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
};
const GUARD = {
  id: 'p-guard',
  name: 'require-code-signing',
  content: doc({
    Sid: 'DenyUnsignedCreate',
    Effect: 'Deny',
    Action: 'lambda:CreateFunction',
    Resource: '*',
    Condition: { Null: { 'lambda:CodeSigningConfigArn': 'true' } },
  }),
};

function org(attachments: Record<string, string[]>, policies = [FULL, GUARD], management = '999999999999') {
  return {
    managementAccountId: management,
    accountPaths: { [ACCOUNT]: ['r-root', 'ou-ab12-workloads1', ACCOUNT] },
    policies,
    attachments,
  };
}
const judge = (organization: ReturnType<typeof org> | undefined, over = {}) =>
  runRule(
    rule,
    aGovernedSnapshot(organization ? { organization } : {}, { functions: [aFunction()], ...over }),
  )[0]!;

describe('SGN-014 preventive-scp', () => {
  it('passes when an SCP on the root denies CreateFunction without a CSC, citing it', () => {
    const r = judge(
      org({
        'r-root': ['p-FullAWSAccess', 'p-guard'],
        'ou-ab12-workloads1': ['p-FullAWSAccess'],
        [ACCOUNT]: ['p-FullAWSAccess'],
      }),
    );
    expect(r.status).toBe('PASS');
    expect(r.message).toMatch(/SCP require-code-signing \(p-guard\) statement 0 \(Sid DenyUnsignedCreate\)/);
  });

  it('passes an equivalent guardrail on the OU (ArnNotLike on an approved CSC list)', () => {
    const equivalent = {
      id: 'p-eq',
      name: 'approved-cscs',
      content: doc({
        Effect: 'Deny',
        Action: 'lambda:Create*',
        Resource: '*',
        Condition: {
          ArnNotLikeIfExists: {
            'lambda:CodeSigningConfigArn': 'arn:aws:lambda:*:*:code-signing-config:csc-*',
          },
        },
      }),
    };
    const r = judge(
      org(
        {
          'r-root': ['p-FullAWSAccess'],
          'ou-ab12-workloads1': ['p-FullAWSAccess', 'p-eq'],
          [ACCOUNT]: ['p-FullAWSAccess'],
        },
        [FULL, equivalent],
      ),
    );
    expect(r.status).toBe('PASS');
  });

  it('fails when the guardrail is missing or attached to another OU', () => {
    expect(
      judge(
        org({
          'r-root': ['p-FullAWSAccess'],
          'ou-ab12-workloads1': ['p-FullAWSAccess'],
          [ACCOUNT]: ['p-FullAWSAccess'],
        }),
      ).status,
    ).toBe('FAIL');
    expect(
      judge(
        org({
          'r-root': ['p-FullAWSAccess'],
          'ou-zz99-sandbox00': ['p-guard'],
          'ou-ab12-workloads1': ['p-FullAWSAccess'],
          [ACCOUNT]: ['p-FullAWSAccess'],
        }),
      ).status,
    ).toBe('FAIL');
  });

  it('notes the management account: not applicable when empty, FAIL when it runs functions', () => {
    const mgmt = org({ 'r-root': ['p-FullAWSAccess', 'p-guard'] }, [FULL, GUARD], ACCOUNT);
    expect(judge(mgmt, { functions: [] }).status).toBe('NOT_APPLICABLE');
    const r = judge(mgmt);
    expect(r.status).toBe('FAIL');
    expect(r.message).toMatch(/management account/);
  });

  it('fails an account outside any organisation', () => {
    expect(judge({ ...org({}), inOrganization: false } as never).status).toBe('FAIL');
  });

  it('is UNKNOWN when the SCPs could not be read', () => {
    const r = judge(undefined, {
      coverage: [...coverage(), ...globalCoverage('failed', ['organizationPolicies'])],
    });
    expect(r.status).toBe('UNKNOWN');
  });
});

describe('SGN-014 preventive-scp — more cases', () => {
  const ROOTED = { 'r-root': ['p-FullAWSAccess', 'p-guard'], [ACCOUNT]: ['p-FullAWSAccess'] };

  it('the PASS cites the denying SCP in the details with every level evaluated', () => {
    const r = judge(org(ROOTED));
    expect(r.message).toBe(
      `An SCP denies lambda:CreateFunction without a code signing config in ${ACCOUNT}: SCP require-code-signing (p-guard) statement 0 (Sid DenyUnsignedCreate).`,
    );
    expect(r.details).toEqual({
      deniedBy: [
        {
          policy: 'SCP require-code-signing (p-guard)',
          statement: 0,
          sid: 'DenyUnsignedCreate',
          effect: 'Deny',
        },
      ],
      scps: [
        ['SCP FullAWSAccess (p-FullAWSAccess)', 'SCP require-code-signing (p-guard)'],
        ['SCP FullAWSAccess (p-FullAWSAccess)'],
      ],
    });
    expect(r.resource.id).toBe(`account:${ACCOUNT}`);
  });

  it('the FAIL says how many SCPs were evaluated and what to attach', () => {
    const r = judge(org({ 'r-root': ['p-FullAWSAccess'], [ACCOUNT]: ['p-FullAWSAccess'] }));
    expect(r.message).toBe(
      `No SCP on ${ACCOUNT} (root, OUs or account) denies lambda:CreateFunction without lambda:CodeSigningConfigArn: 2 SCP(s) evaluated. Attach the code-signing guardrail (signet guardrails scp).`,
    );
    expect(r.details).toEqual({
      scps: [['SCP FullAWSAccess (p-FullAWSAccess)'], ['SCP FullAWSAccess (p-FullAWSAccess)']],
    });
  });

  it('a deny that does not cover CreateFunction without a CSC is not the guardrail', () => {
    const wrongAction = {
      id: 'p-x',
      name: 'wrong',
      content: doc({
        Effect: 'Deny',
        Action: 'lambda:UpdateFunctionCode',
        Resource: '*',
        Condition: { Null: { 'lambda:CodeSigningConfigArn': 'true' } },
      }),
    };
    expect(judge(org({ 'r-root': ['p-FullAWSAccess', 'p-x'] }, [FULL, wrongAction])).status).toBe('FAIL');
    const otherRegion = {
      id: 'p-y',
      name: 'eu-only',
      content: doc({
        Effect: 'Deny',
        Action: 'lambda:CreateFunction',
        Resource: 'arn:aws:lambda:eu-west-1:*:*',
      }),
    };
    expect(judge(org({ 'r-root': ['p-FullAWSAccess', 'p-y'] }, [FULL, otherRegion])).status).toBe('FAIL');
  });

  it('an allow-list SCP that never allows CreateFunction is preventive too', () => {
    const allowList = {
      id: 'p-allow',
      name: 'only-s3',
      content: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }),
    };
    const r = judge(
      org({ 'r-root': ['p-FullAWSAccess'], 'ou-ab12-workloads1': ['p-allow'] }, [FULL, allowList]),
    );
    expect(r.status).toBe('PASS');
    expect(r.message).toMatch(
      new RegExp(`^The SCPs of ${ACCOUNT} allow no lambda:CreateFunction at all \\(.+\\)\\.$`),
    );
    expect(r.details).toEqual({ scps: [['SCP FullAWSAccess (p-FullAWSAccess)'], ['SCP only-s3 (p-allow)']] });
  });

  it('a deny that depends on a condition Signet cannot evaluate is UNKNOWN, citing it', () => {
    const tagged = {
      id: 'p-tag',
      name: 'tagged',
      content: doc({
        Sid: 'ByTag',
        Effect: 'Deny',
        Action: 'lambda:CreateFunction',
        Resource: '*',
        Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
      }),
    };
    const r = judge(org({ 'r-root': ['p-FullAWSAccess', 'p-tag'] }, [FULL, tagged]));
    expect(r.status).toBe('UNKNOWN');
    expect(r.message).toBe(
      `The SCPs of ${ACCOUNT} deny unsigned CreateFunction only under conditions Signet cannot evaluate (SCP tagged (p-tag) statement 0 (Sid ByTag) (under conditions)); check them by hand.`,
    );
    expect(r.details).toEqual({ scps: [['SCP FullAWSAccess (p-FullAWSAccess)', 'SCP tagged (p-tag)']] });
  });

  it('a deny limited to principals with a tag does not protect the others (FAIL)', () => {
    const taggedOnly = {
      id: 'p-tag',
      name: 'tagged-only',
      content: doc({
        Effect: 'Deny',
        Action: 'lambda:CreateFunction',
        Resource: '*',
        Condition: {
          Null: { 'lambda:CodeSigningConfigArn': 'true' },
          StringEquals: { 'aws:PrincipalTag/team': 'apps' },
        },
      }),
    };
    expect(judge(org({ 'r-root': ['p-FullAWSAccess', 'p-tag'] }, [FULL, taggedOnly])).status).toBe('FAIL');
  });

  it('an SCP that cannot be parsed makes the guardrail unprovable (UNKNOWN), even beside a good one', () => {
    const broken = { id: 'p-broken', name: 'broken', content: '{"Statement": "nope"' };
    const r = judge(org({ 'r-root': ['p-FullAWSAccess', 'p-guard', 'p-broken'] }, [FULL, GUARD, broken]));
    expect(r.status).toBe('UNKNOWN');
    expect(r.message).toMatch(/^Cannot prove the guardrail: policy SCP broken \(p-broken\): /);
  });

  it('the management account with functions names the fix; without functions it says to keep it that way', () => {
    const mgmt = org(ROOTED, [FULL, GUARD], ACCOUNT);
    expect(judge(mgmt).message).toBe(
      `${ACCOUNT} is the management account, where SCPs never apply, yet it runs Lambda functions: move workloads to member accounts.`,
    );
    expect(judge(mgmt).details).toEqual({ note: 'SCPs never apply to the management account' });
    expect(judge(mgmt, { functions: [] }).message).toBe(
      `${ACCOUNT} is the management account: SCPs never apply to it, and it runs no Lambda functions — keep it that way.`,
    );
    const othersFunctions = judge(mgmt, { functions: [aFunction({ accountId: '222233334444' })] });
    expect(othersFunctions.status).toBe('NOT_APPLICABLE');
  });

  it('an account outside any organisation or outside the scanned one fails, saying so', () => {
    const alone = judge({ ...org({}), inOrganization: false } as never);
    expect(alone.message).toBe(
      `${ACCOUNT} is not in an organisation: no SCP can prevent unsigned functions there; join it to an organisation and attach the code-signing SCP.`,
    );
    const stranger = judge({ ...org(ROOTED), accountPaths: {} } as never);
    expect(stranger.status).toBe('FAIL');
    expect(stranger.message).toMatch(new RegExp(`^${ACCOUNT} is not a member of the scanned organisation: `));
    // Outside an organisation there is no management account to excuse: even with no functions.
    expect(judge({ ...org({}), inOrganization: false } as never, { functions: [] }).status).toBe('FAIL');
  });

  it('judges every scanned account on its own', () => {
    const OTHER = '222233334444';
    const r = runRule(
      rule,
      aGovernedSnapshot(
        {
          organization: {
            ...org(ROOTED),
            accountPaths: { [ACCOUNT]: ['r-root', ACCOUNT], [OTHER]: ['ou-x', OTHER] },
            attachments: { ...ROOTED, 'ou-x': ['p-FullAWSAccess'], [OTHER]: ['p-FullAWSAccess'] },
          },
        },
        {
          accounts: [{ accountId: ACCOUNT }, { accountId: OTHER }],
          functions: [aFunction()],
          coverage: [
            ...coverage(),
            ...globalCoverage(),
            ...globalCoverage().map((c) => ({ ...c, accountId: OTHER })),
          ],
        },
      ),
    );
    expect(r.map((o) => [o.resource.id, o.status])).toEqual([
      [`account:${ACCOUNT}`, 'PASS'],
      [`account:${OTHER}`, 'FAIL'],
    ]);
  });

  it('the UNKNOWN without SCP data names the failed call and where to scan from', () => {
    const r = judge(undefined, {
      coverage: [...coverage(), ...globalCoverage('failed', ['organizationPolicies'])],
      collectionErrors: [
        {
          service: 'organizations',
          operation: 'ListPolicies',
          accountId: ACCOUNT,
          region: 'global',
          errorCode: 'AccessDeniedException',
          message: 'denied',
          parts: ['organizationPolicies'],
        },
      ],
    });
    expect(r.message).toBe(
      "Cannot tell: the organisation's SCPs were not collected (organizations:ListPolicies failed with AccessDeniedException); scan from the management account or a delegated administrator.",
    );
    expect(r.details).toEqual({ missingPart: 'organizationPolicies' });
  });

  it('evaluates the probe in the snapshot’s partition and first region', () => {
    const govGuard = {
      id: 'p-gov',
      name: 'gov-guard',
      content: doc({
        Effect: 'Deny',
        Action: 'lambda:CreateFunction',
        Resource: 'arn:aws-us-gov:lambda:us-gov-west-1:*:function:*',
        Condition: { Null: { 'lambda:CodeSigningConfigArn': 'true' } },
      }),
    };
    const r = judge(org({ 'r-root': ['p-FullAWSAccess', 'p-gov'] }, [FULL, govGuard]), {
      partition: 'aws-us-gov',
      regions: ['us-gov-west-1'],
    });
    expect(r.status).toBe('PASS');
    expect(judge(org({ 'r-root': ['p-FullAWSAccess', 'p-gov'] }, [FULL, govGuard])).status).toBe('FAIL');
  });

  it('cites every SCP that denies, root and OU alike', () => {
    const r = judge(org({ 'r-root': ['p-FullAWSAccess', 'p-guard'], 'ou-ab12-workloads1': ['p-guard'] }));
    expect(r.message).toMatch(
      /: SCP require-code-signing \(p-guard\) statement 0 \(Sid DenyUnsignedCreate\); SCP require-code-signing \(p-guard\) statement 0 \(Sid DenyUnsignedCreate\)\.$/,
    );
  });

  it('a guardrail written for the aws partition counts in a snapshot without a partition (aws)', () => {
    const awsOnly = {
      id: 'p-aws',
      name: 'aws-guard',
      content: doc({
        Effect: 'Deny',
        Action: 'lambda:CreateFunction',
        Resource: 'arn:aws:lambda:*:*:function:*',
        Condition: { Null: { 'lambda:CodeSigningConfigArn': 'true' } },
      }),
    };
    expect(judge(org({ 'r-root': ['p-FullAWSAccess', 'p-aws'] }, [FULL, awsOnly])).status).toBe('PASS');
  });

  it('a guardrail that denies every role of the account (aws:PrincipalArn) counts', () => {
    const roles = {
      id: 'p-roles',
      name: 'roles-guard',
      content: doc({
        Effect: 'Deny',
        Action: 'lambda:CreateFunction',
        Resource: '*',
        Condition: {
          Null: { 'lambda:CodeSigningConfigArn': 'true' },
          ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/*` },
        },
      }),
    };
    expect(judge(org({ 'r-root': ['p-FullAWSAccess', 'p-roles'] }, [FULL, roles])).status).toBe('PASS');
  });

  it('lists every SCP it could not read', () => {
    const bad1 = { id: 'p-b1', name: 'b1', content: 'x' };
    const bad2 = { id: 'p-b2', name: 'b2', content: 'y' };
    const r = judge(org({ 'r-root': ['p-FullAWSAccess', 'p-b1', 'p-b2'] }, [FULL, bad1, bad2]));
    expect(r.message).toMatch(
      /^Cannot prove the guardrail: policy SCP b1 \(p-b1\): .+; policy SCP b2 \(p-b2\): .+\.$/,
    );
  });

  it('cites every deny that holds only under conditions', () => {
    const byIp = (id: string) => ({
      id,
      name: id,
      content: doc({
        Effect: 'Deny',
        Action: 'lambda:CreateFunction',
        Resource: '*',
        Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
      }),
    });
    const r = judge(org({ 'r-root': ['p-FullAWSAccess', 'p-a', 'p-b'] }, [FULL, byIp('p-a'), byIp('p-b')]));
    expect(r.message).toContain(
      '(SCP p-a (p-a) statement 0 (under conditions); SCP p-b (p-b) statement 0 (under conditions))',
    );
  });

  it('without a recorded cause the UNKNOWN says only what to do', () => {
    const r = judge(undefined, {
      coverage: [...coverage(), ...globalCoverage('failed', ['organizationPolicies'])],
    });
    expect(r.message).toBe(
      "Cannot tell: the organisation's SCPs were not collected; scan from the management account or a delegated administrator.",
    );
  });
});
