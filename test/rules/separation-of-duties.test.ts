import { describe, expect, it } from 'vitest';
import { separationOfDuties as rule } from '../../src/rules/separation-of-duties.js';
import { ACCOUNT, aCsc, aFunction, aProfile, aSnapshot, coverage, runRule } from '../helpers/builders.js';
import {
  aGovernedSnapshot,
  aRole,
  doc,
  globalCoverage,
  iamDetails,
  role,
  user,
} from '../helpers/governance-builders.js';

const SIGN = { Effect: 'Allow', Action: 'signer:StartSigningJob', Resource: '*' };
const DEPLOY = {
  Effect: 'Allow',
  Action: 'lambda:UpdateFunctionCode',
  Resource: 'arn:aws:lambda:*:*:function:*',
};

function judge(iam = iamDetails(), over = {}, governance = {}) {
  return runRule(
    rule,
    aGovernedSnapshot(
      {
        iam: [iam],
        organization: {
          managementAccountId: '999999999999',
          accountPaths: {},
          policies: [],
          attachments: {},
        },
        ...governance,
      },
      { functions: [aFunction()], codeSigningConfigs: [aCsc()], signingProfiles: [aProfile()], ...over },
    ),
  );
}

describe('SGN-011 separation-of-duties', () => {
  it('passes when signers and deployers are different roles', () => {
    const r = judge(iamDetails({ roles: [aRole('ci-sign-prod', SIGN), aRole('ci-deploy-prod', DEPLOY)] }));
    expect(r.map((o) => o.status)).toEqual(['PASS']);
  });

  it('fails a role that can both sign and deploy, citing policy and statement for each side', () => {
    const r = judge(
      iamDetails({ roles: [aRole('ci-allinone', { Sid: 'Sign', ...SIGN }, { Sid: 'Ship', ...DEPLOY })] }),
    );
    expect(r).toHaveLength(1);
    expect(r[0]!.status).toBe('FAIL');
    expect(r[0]!.resource.id).toBe(role('ci-allinone'));
    expect(r[0]!.message).toMatch(/inline policy ci-allinone-inline statement 0 \(Sid Sign\)/);
    expect(r[0]!.message).toMatch(/statement 1 \(Sid Ship\)/);
    expect(r[0]!.details).toMatchObject({
      sign: { action: 'signer:StartSigningJob' },
      deploy: { action: 'lambda:UpdateFunctionCode' },
    });
  });

  it('finds a user who gets one side from a group and the other from a managed policy', () => {
    const iam = iamDetails({
      users: [
        {
          arn: user('dana'),
          name: 'dana',
          groups: ['release'],
          attachedPolicies: [`arn:aws:iam::${ACCOUNT}:policy/deploy`],
          inlinePolicies: [],
        },
      ],
      groups: [
        {
          arn: `arn:aws:iam::${ACCOUNT}:group/release`,
          name: 'release',
          attachedPolicies: [],
          inlinePolicies: [{ name: 'sign', document: doc(SIGN) }],
        },
      ],
      policies: [{ arn: `arn:aws:iam::${ACCOUNT}:policy/deploy`, name: 'deploy', document: doc(DEPLOY) }],
    });
    const r = judge(iam);
    expect(r[0]!.status).toBe('FAIL');
    expect(r[0]!.message).toMatch(/group release inline policy sign/);
  });

  it('honours explicit denies, NotAction, permissions boundaries and SCPs', () => {
    const denied = aRole('dev', SIGN, DEPLOY, { Effect: 'Deny', Action: 'signer:*', Resource: '*' });
    expect(judge(iamDetails({ roles: [denied] }))[0]!.status).toBe('PASS');
    const notAction = aRole('dev2', SIGN, { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });
    expect(judge(iamDetails({ roles: [notAction] }))[0]!.status).toBe('FAIL');
    const bounded = {
      ...aRole('dev3', SIGN, DEPLOY),
      permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/b`,
    };
    const boundary = {
      arn: `arn:aws:iam::${ACCOUNT}:policy/b`,
      name: 'b',
      document: doc({ Effect: 'Allow', Action: 'lambda:*', Resource: '*' }),
    };
    expect(judge(iamDetails({ roles: [bounded], policies: [boundary] }))[0]!.status).toBe('PASS');
    const org = {
      managementAccountId: '999999999999',
      accountPaths: { [ACCOUNT]: ['r-root', ACCOUNT] },
      policies: [
        {
          id: 'p-1',
          name: 'deny-signing',
          content: doc(
            { Effect: 'Allow', Action: '*', Resource: '*' },
            { Effect: 'Deny', Action: 'signer:StartSigningJob', Resource: '*' },
          ),
        },
      ],
      attachments: { 'r-root': ['p-1'], [ACCOUNT]: ['p-1'] },
    };
    expect(
      judge(iamDetails({ roles: [aRole('dev4', SIGN, DEPLOY)] }), {}, { organization: org })[0]!.status,
    ).toBe('PASS');
  });

  it('is UNKNOWN when a grant holds only under conditions Signet cannot check', () => {
    const conditional = aRole('dev', SIGN, {
      ...DEPLOY,
      Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    });
    expect(judge(iamDetails({ roles: [conditional] }))[0]!.status).toBe('UNKNOWN');
  });

  it('is not applicable without a trusted profile or a Zip function in the account', () => {
    expect(
      judge(iamDetails({ roles: [aRole('x', SIGN, DEPLOY)] }), { codeSigningConfigs: [] })[0]!.status,
    ).toBe('NOT_APPLICABLE');
    expect(judge(iamDetails({ roles: [aRole('x', SIGN, DEPLOY)] }), { functions: [] })[0]!.status).toBe(
      'NOT_APPLICABLE',
    );
  });

  it('is UNKNOWN when IAM could not be read, and a FAIL is UNKNOWN when SCPs could not be read', () => {
    const noIam = runRule(
      rule,
      aSnapshot({
        functions: [aFunction()],
        codeSigningConfigs: [aCsc()],
        coverage: [...coverage(), ...globalCoverage('failed', ['iam'])],
      }),
    );
    expect(noIam[0]!.status).toBe('UNKNOWN');
    expect(noIam[0]!.message).toMatch(/GetAccountAuthorizationDetails/);
    const noScps = judge(iamDetails({ roles: [aRole('x', SIGN, DEPLOY)] }), {
      coverage: [
        ...coverage(),
        ...globalCoverage('ok', ['iam']),
        ...globalCoverage('failed', ['organizationPolicies']),
      ],
    });
    expect(noScps[0]!.status).toBe('UNKNOWN');
  });
});
