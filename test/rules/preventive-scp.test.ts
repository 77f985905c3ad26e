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
