import { describe, expect, it } from 'vitest';
import { publisherArn, publisherUnresolved } from '../../src/model/snapshot.js';
import { separationOfDuties as rule } from '../../src/rules/separation-of-duties.js';
import {
  ACCOUNT,
  aCsc,
  aFunction,
  aProfile,
  aSnapshot,
  coverage,
  profileVersionArn,
  runRule,
} from '../helpers/builders.js';
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

describe('SGN-011 separation-of-duties — more cases', () => {
  const VENDOR = '444455556666';
  const vendorProfileVersion = `arn:aws:signer:us-east-1:${VENDOR}:/signing-profiles/vendor_release/Abcdef1234`;

  it('fails a role that can sign and publish layers (the fourth way to change code)', () => {
    const r = judge(
      iamDetails({
        roles: [
          aRole('layers', SIGN, { Effect: 'Allow', Action: 'lambda:PublishLayerVersion', Resource: '*' }),
        ],
      }),
    );
    expect(r[0]!.status).toBe('FAIL');
    expect(r[0]!.details).toMatchObject({
      deploy: {
        action: 'lambda:PublishLayerVersion',
        resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:layer:signet-any-layer`,
      },
    });
  });

  it('fails for CreateFunction or UpdateFunctionConfiguration on the account’s functions', () => {
    for (const action of ['lambda:CreateFunction', 'lambda:UpdateFunctionConfiguration']) {
      const r = judge(
        iamDetails({ roles: [aRole('dev', SIGN, { Effect: 'Allow', Action: action, Resource: '*' })] }),
      );
      expect(r[0]!.status).toBe('FAIL');
      expect(r[0]!.details).toMatchObject({ deploy: { action, resource: aFunction().id } });
    }
  });

  it('a role that can only sign, or only deploy, passes; the PASS counts the principals evaluated', () => {
    const r = judge(
      iamDetails({ roles: [aRole('ci-sign-prod', SIGN), aRole('ci-deploy-prod', DEPLOY), aRole('app')] }),
    );
    expect(r).toHaveLength(1);
    expect(r[0]!.resource.id).toBe(`account:${ACCOUNT}`);
    expect(r[0]!.message).toBe(
      `No user or role in ${ACCOUNT} can both start signing jobs on a trusted profile and change Lambda code (3 principals evaluated).`,
    );
  });

  it('says SCPs were included when they apply to the account', () => {
    const org = {
      managementAccountId: '999999999999',
      accountPaths: { [ACCOUNT]: ['r-root'] },
      policies: [
        {
          id: 'p-full',
          name: 'FullAWSAccess',
          content: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
        },
      ],
      attachments: { 'r-root': ['p-full'] },
    };
    const r = judge(iamDetails({ roles: [aRole('ci-sign-prod', SIGN)] }), {}, { organization: org });
    expect(r[0]!.message).toMatch(/\(1 principals evaluated, SCPs included\)\.$/);
  });

  it('names both grants and the user’s groups in the FAIL', () => {
    const r = judge(iamDetails({ roles: [aRole('ci-allinone', SIGN, DEPLOY)] }));
    expect(r[0]!.message).toBe(
      `role ci-allinone can both sign — signer:StartSigningJob on arn:aws:signer:us-east-1:${ACCOUNT}:/signing-profiles/ci_release (granted by role ci-allinone inline policy ci-allinone-inline statement 0) — and deploy — lambda:UpdateFunctionCode on ${aFunction().id} (granted by role ci-allinone inline policy ci-allinone-inline statement 1). Split signing and deploying between different roles.`,
    );
    expect(r[0]!.details).toMatchObject({ groups: [] });
  });

  it('a conditional grant is UNKNOWN and says the condition cannot be checked offline', () => {
    const conditional = aRole(
      'dev',
      { ...SIGN, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } },
      DEPLOY,
    );
    const r = judge(iamDetails({ roles: [conditional] }));
    expect(r[0]!.status).toBe('UNKNOWN');
    expect(r[0]!.resource.id).toBe(role('dev'));
    expect(r[0]!.message).toMatch(/; whether the conditions hold cannot be checked offline\. Split signing/);
  });

  it('ignores service-linked roles, which no person can use', () => {
    const slr = {
      ...aRole('AWSServiceRoleForX', SIGN, DEPLOY),
      arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX`,
    };
    expect(judge(iamDetails({ roles: [slr] }))[0]!.status).toBe('PASS');
  });

  it('is UNKNOWN, not PASS, when a principal that could sign (or deploy) has a policy Signet cannot read', () => {
    const brokenDeploy = {
      ...aRole('half', SIGN),
      inlinePolicies: [
        { name: 'sign', document: doc(SIGN) },
        { name: 'broken', document: '{"Statement": [' },
      ],
    };
    const r = judge(iamDetails({ roles: [brokenDeploy] }));
    expect(r[0]!.status).toBe('UNKNOWN');
    expect(r[0]!.message).toBe(
      `1 principal(s) in ${ACCOUNT} have policies Signet could not read; the others cannot both sign and deploy.`,
    );
    const brokenSign = {
      ...aRole('other-half', DEPLOY),
      inlinePolicies: [
        { name: 'deploy', document: doc(DEPLOY) },
        { name: 'broken', document: 'nope' },
      ],
    };
    expect(judge(iamDetails({ roles: [brokenSign] }))[0]!.status).toBe('UNKNOWN');
    const unrelated = { ...aRole('unrelated'), attachedPolicies: [`arn:aws:iam::${ACCOUNT}:policy/gone`] };
    expect(judge(iamDetails({ roles: [unrelated] }))[0]!.status).toBe('UNKNOWN');
  });

  it('is UNKNOWN when functions of another region of the account could not be collected', () => {
    const r = judge(iamDetails({ roles: [aRole('ci-sign-prod', SIGN)] }), {
      regions: ['us-east-1', 'eu-west-1'],
      coverage: [
        ...coverage(),
        ...globalCoverage(),
        { accountId: ACCOUNT, region: 'eu-west-1', part: 'functions', status: 'failed' },
      ],
    });
    expect(r[0]!.status).toBe('UNKNOWN');
    expect(r[0]!.message).toBe(
      `Cannot tell: functions of ${ACCOUNT}/eu-west-1 could not be collected, so not every function or trusted profile could be checked.`,
    );
  });

  it('container-image functions cannot be signed: an account with only those is not applicable', () => {
    const r = judge(iamDetails({ roles: [aRole('x', SIGN, DEPLOY)] }), {
      functions: [aFunction({ packageType: 'Image' })],
    });
    expect(r[0]!.status).toBe('NOT_APPLICABLE');
    expect(r[0]!.message).toBe(`Account ${ACCOUNT} has no Zip Lambda functions to deploy to.`);
    const noProfile = judge(iamDetails({ roles: [aRole('x', SIGN, DEPLOY)] }), { codeSigningConfigs: [] });
    expect(noProfile[0]!.message).toBe(
      `No signing profile that a code signing config allows can be used from account ${ACCOUNT}.`,
    );
  });

  it('a function of another account does not make this account applicable', () => {
    const r = judge(iamDetails({ roles: [aRole('x', SIGN, DEPLOY)] }), {
      functions: [aFunction({ accountId: '222233334444' })],
    });
    expect(r[0]!.status).toBe('NOT_APPLICABLE');
  });

  it('a trusted profile of another account counts only when it is shared with this account', () => {
    const vendorCsc = aCsc({ allowedPublishers: [publisherArn(vendorProfileVersion)] });
    const both = aRole('dev', SIGN, DEPLOY);
    const notShared = judge(iamDetails({ roles: [both] }), { codeSigningConfigs: [vendorCsc] });
    expect(notShared[0]!.status).toBe('NOT_APPLICABLE');
    const vendorProfile = aProfile({
      name: 'vendor_release',
      accountId: VENDOR,
      arn: `arn:aws:signer:us-east-1:${VENDOR}:/signing-profiles/vendor_release`,
      id: vendorProfileVersion,
      permissions: [{ statementId: 'share', principal: ACCOUNT, action: 'signer:StartSigningJob' }],
    });
    const shared = judge(iamDetails({ roles: [both] }), {
      codeSigningConfigs: [vendorCsc],
      signingProfiles: [vendorProfile],
    });
    expect(shared[0]!.status).toBe('FAIL');
    expect(shared[0]!.details).toMatchObject({
      sign: { resource: `arn:aws:signer:us-east-1:${VENDOR}:/signing-profiles/vendor_release` },
    });
    const sharedWithSomeoneElse = judge(iamDetails({ roles: [both] }), {
      codeSigningConfigs: [vendorCsc],
      signingProfiles: [
        {
          ...vendorProfile,
          permissions: [{ statementId: 's', principal: '777788889999', action: 'signer:StartSigningJob' }],
        },
      ],
    });
    expect(sharedWithSomeoneElse[0]!.status).toBe('PASS');
  });

  it('judges profiles and functions in the snapshot’s partition (aws-us-gov)', () => {
    const gov = (arn: string) =>
      arn.replaceAll('arn:aws:', 'arn:aws-us-gov:').replaceAll('us-east-1', 'us-gov-west-1');
    const csc = aCsc({ allowedPublishers: [publisherArn(gov(profileVersionArn('ci_release')))] });
    const fn = aFunction({ id: gov(aFunction().id), region: 'us-gov-west-1' });
    const both = aRole(
      'dev',
      {
        Effect: 'Allow',
        Action: 'signer:StartSigningJob',
        Resource: 'arn:aws-us-gov:signer:*:*:/signing-profiles/*',
      },
      {
        Effect: 'Allow',
        Action: 'lambda:PublishLayerVersion',
        Resource: 'arn:aws-us-gov:lambda:*:*:layer:*',
      },
    );
    const r = judge(iamDetails({ roles: [both] }), {
      partition: 'aws-us-gov',
      regions: ['us-gov-west-1'],
      functions: [fn],
      codeSigningConfigs: [csc],
      coverage: [...coverage().map((c) => ({ ...c, region: 'us-gov-west-1' })), ...globalCoverage()],
    });
    expect(r[0]!.status).toBe('FAIL');
    expect(r[0]!.details).toMatchObject({
      sign: { resource: `arn:aws-us-gov:signer:us-gov-west-1:${ACCOUNT}:/signing-profiles/ci_release` },
      deploy: { resource: `arn:aws-us-gov:lambda:us-gov-west-1:${ACCOUNT}:layer:signet-any-layer` },
    });
  });
});

describe('SGN-011 separation-of-duties — which profiles count', () => {
  const both = () => iamDetails({ roles: [aRole('dev', SIGN, DEPLOY)] });

  it('cites the trusted profiles in name order, whatever order the CSC lists them', () => {
    const csc = aCsc({
      allowedPublishers: [publisherArn(profileVersionArn('zeta')), publisherArn(profileVersionArn('alpha'))],
    });
    const r = judge(both(), { codeSigningConfigs: [csc] });
    expect(r[0]!.details).toMatchObject({
      sign: { resource: `arn:aws:signer:us-east-1:${ACCOUNT}:/signing-profiles/alpha` },
    });
  });

  it('ignores publishers that are not signing profile ARNs, and still judges the ones that are', () => {
    const csc = aCsc({
      allowedPublishers: [
        publisherUnresolved('a parameter Signet could not resolve'),
        publisherArn('arn:aws:s3:::not-a-profile'),
        publisherArn(profileVersionArn('ci_release')),
      ],
    });
    expect(judge(both(), { codeSigningConfigs: [csc] })[0]!.status).toBe('FAIL');
    const none = aCsc({
      allowedPublishers: [publisherUnresolved('x'), publisherArn('arn:aws:s3:::not-a-profile')],
    });
    expect(judge(both(), { codeSigningConfigs: [none] })[0]!.status).toBe('NOT_APPLICABLE');
  });

  it('without organisation data the PASS does not claim SCPs were included', () => {
    const r = runRule(
      rule,
      aGovernedSnapshot(
        { iam: [iamDetails({ roles: [aRole('ci-sign-prod', SIGN)] })] },
        { functions: [aFunction()], codeSigningConfigs: [aCsc()], signingProfiles: [aProfile()] },
      ),
    );
    expect(r.map((o) => o.status)).toEqual(['PASS']);
    expect(r[0]!.message).toMatch(/\(1 principals evaluated\)\.$/);
  });

  it('counts a principal with an unreadable policy that grants nothing readable as uncertain', () => {
    const unrelated = { ...aRole('unrelated'), attachedPolicies: [`arn:aws:iam::${ACCOUNT}:policy/gone`] };
    expect(judge(iamDetails({ roles: [unrelated] }))[0]!.message).toBe(
      `1 principal(s) in ${ACCOUNT} have policies Signet could not read; the others cannot both sign and deploy.`,
    );
  });

  it('is UNKNOWN when CSCs of a region could not be collected', () => {
    const r = judge(iamDetails({ roles: [aRole('ci-sign-prod', SIGN)] }), {
      regions: ['us-east-1', 'eu-west-1'],
      coverage: [
        ...coverage(),
        ...globalCoverage(),
        { accountId: ACCOUNT, region: 'eu-west-1', part: 'codeSigningConfigs', status: 'failed' },
      ],
    });
    expect(r[0]!.message).toMatch(
      /^Cannot tell: codeSigningConfigs of 123456789012\/eu-west-1 could not be collected/,
    );
  });
});
