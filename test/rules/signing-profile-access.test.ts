import { describe, expect, it } from 'vitest';
import { signingProfileAccess as rule } from '../../src/rules/signing-profile-access.js';
import { aProfile, coverage, runRule } from '../helpers/builders.js';
import {
  aGovernedSnapshot,
  aRole,
  globalCoverage,
  iamDetails,
  role,
  WITH_PIPELINE,
} from '../helpers/governance-builders.js';

const ORG = { managementAccountId: '999999999999', accountPaths: {}, policies: [], attachments: {} };
const PROFILE_ARN = 'arn:aws:signer:us-east-1:123456789012:/signing-profiles/ci_release';

function judge(roles: ReturnType<typeof aRole>[], policy = WITH_PIPELINE, over = {}) {
  return runRule(
    rule,
    aGovernedSnapshot(
      { iam: [iamDetails({ roles })], organization: ORG },
      { signingProfiles: [aProfile()], ...over },
    ),
    policy,
  );
}

describe('SGN-012 signing-profile-access', () => {
  it('passes when only admins administer and only signers sign, on named profiles', () => {
    const r = judge([
      aRole('platform-admin', {
        Effect: 'Allow',
        Action: ['signer:PutSigningProfile', 'signer:RevokeSignature'],
        Resource: PROFILE_ARN,
      }),
      aRole('ci-sign-prod', { Effect: 'Allow', Action: 'signer:StartSigningJob', Resource: PROFILE_ARN }),
      aRole('app', { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }),
    ]);
    expect(r.map((o) => o.status)).toEqual(['PASS']);
  });

  it('fails a role that is not a signer but can sign, and one that is not an admin but can revoke', () => {
    const r = judge([
      aRole('dev', { Sid: 'Sign', Effect: 'Allow', Action: 'signer:StartSigningJob', Resource: PROFILE_ARN }),
      aRole('ops', {
        Effect: 'Allow',
        Action: 'signer:Revoke*',
        Resource: 'arn:aws:signer:*:*:/signing-profiles/*',
      }),
    ]);
    expect(r.map((o) => [o.resource.id, o.status])).toEqual([
      [role('dev'), 'FAIL'],
      [role('ops'), 'FAIL'],
    ]);
    expect(r[0]!.message).toMatch(/can sign: signer:StartSigningJob.*Sid Sign/);
    expect(r[1]!.message).toMatch(/can administer signing: signer:Revoke/);
  });

  it('flags signer:* on * even for a configured signer', () => {
    const r = judge([aRole('ci-sign-prod', { Effect: 'Allow', Action: 'signer:*', Resource: '*' })]);
    expect(r[0]!.status).toBe('FAIL');
    expect(r[0]!.message).toMatch(/signer:\* on \*/);
  });

  it('fails profile permissions granted to an account outside trust', () => {
    const shared = aProfile({
      permissions: [{ statementId: 'vendor', principal: '444455556666', action: 'signer:StartSigningJob' }],
    });
    const r = judge([], WITH_PIPELINE, { signingProfiles: [shared] });
    expect(r.find((o) => o.resource.type === 'signing-profile')?.status).toBe('FAIL');
    expect(r.find((o) => o.resource.type === 'signing-profile')?.message).toMatch(/444455556666/);
    const trusted = runRule(
      rule,
      aGovernedSnapshot({ iam: [iamDetails()], organization: ORG }, { signingProfiles: [shared] }),
      {
        ...WITH_PIPELINE,
        trustedAccounts: ['444455556666'],
      },
    );
    expect(trusted.map((o) => o.status)).toEqual(['PASS']);
  });

  it('is UNKNOWN without a pipeline, without IAM, or when profiles failed to collect', () => {
    expect(judge([], {})[0]!.message).toMatch(/configure pipeline\.admins/);
    const noIam = judge([], WITH_PIPELINE, {
      coverage: [...coverage(), ...globalCoverage('failed', ['iam'])],
    });
    expect(noIam[0]!.status).toBe('UNKNOWN');
    const noProfiles = judge([], WITH_PIPELINE, {
      coverage: [...coverage('failed', ['signingProfiles']), ...globalCoverage()],
    });
    expect(noProfiles[0]!.status).toBe('UNKNOWN');
  });
});

describe('SGN-012 signing-profile-access — more cases', () => {
  const ADMIN_ACTIONS = [
    'signer:PutSigningProfile',
    'signer:CancelSigningProfile',
    'signer:RevokeSignature',
    'signer:RevokeSigningProfile',
    'signer:AddProfilePermission',
    'signer:RemoveProfilePermission',
  ];

  it('fails each signing administration action outside the admins', () => {
    for (const action of ADMIN_ACTIONS) {
      const r = judge([aRole('ops', { Effect: 'Allow', Action: action, Resource: PROFILE_ARN })]);
      expect(r.map((o) => o.status)).toEqual(['FAIL']);
      expect(r[0]!.details).toMatchObject({
        administer: { action, resource: PROFILE_ARN, decision: 'allow' },
      });
      expect(r[0]!.message).toBe(
        `role ops is not a configured admin but can administer signing: ${action} on ${PROFILE_ARN} (granted by role ops inline policy ops-inline statement 0). Narrow its policies to what its job needs.`,
      );
    }
  });

  it('creating a new profile counts as administration even in an account with no profile yet', () => {
    const r = judge(
      [
        aRole('ops', {
          Effect: 'Allow',
          Action: 'signer:PutSigningProfile',
          Resource: 'arn:aws:signer:*:*:/signing-profiles/*',
        }),
      ],
      WITH_PIPELINE,
      { signingProfiles: [] },
    );
    expect(r[0]!.status).toBe('FAIL');
    expect(r[0]!.details).toMatchObject({
      administer: {
        resource: 'arn:aws:signer:us-east-1:123456789012:/signing-profiles/signetProbeNewProfile',
      },
    });
  });

  it('the new-profile probe is in the snapshot’s partition and the profiles’ region', () => {
    const r = runRule(
      rule,
      aGovernedSnapshot(
        {
          iam: [
            iamDetails({
              roles: [
                aRole('ops', {
                  Effect: 'Allow',
                  Action: 'signer:PutSigningProfile',
                  Resource: 'arn:aws-cn:signer:*:*:*',
                }),
              ],
            }),
          ],
          organization: ORG,
        },
        {
          partition: 'aws-cn',
          regions: ['cn-north-1'],
          signingProfiles: [],
          coverage: [...globalCoverage()],
        },
      ),
      WITH_PIPELINE,
    );
    expect(r[0]!.status).toBe('FAIL');
    expect(r[0]!.details).toMatchObject({
      administer: {
        resource: 'arn:aws-cn:signer:cn-north-1:123456789012:/signing-profiles/signetProbeNewProfile',
      },
    });
  });

  it('a configured admin may administer and a configured signer may sign', () => {
    const r = judge([
      aRole('platform-admin', { Effect: 'Allow', Action: ADMIN_ACTIONS, Resource: PROFILE_ARN }),
      aRole('ci-sign-prod', { Effect: 'Allow', Action: 'signer:StartSigningJob', Resource: PROFILE_ARN }),
    ]);
    expect(r.map((o) => o.status)).toEqual(['PASS']);
    expect(r[0]!.message).toBe(
      'Only pipeline.admins can administer signing and only pipeline.signers can sign in 123456789012 (2 principals, 1 profiles).',
    );
    expect(r[0]!.resource.id).toBe('account:123456789012');
  });

  it('an admin who can also sign is flagged as a signer; a signer who can administer as an admin', () => {
    const adminSigns = judge([
      aRole('platform-admin', { Effect: 'Allow', Action: 'signer:StartSigningJob', Resource: PROFILE_ARN }),
    ]);
    expect(adminSigns[0]!.status).toBe('FAIL');
    expect(adminSigns[0]!.message).toMatch(/^role platform-admin is not a configured signer but can sign: /);
    expect(adminSigns[0]!.details).not.toHaveProperty('administer');
    const signerAdministers = judge([
      aRole('ci-sign-prod', { Effect: 'Allow', Action: 'signer:RevokeSignature', Resource: PROFILE_ARN }),
    ]);
    expect(signerAdministers[0]!.message).toMatch(
      /^role ci-sign-prod is not a configured admin but can administer/,
    );
    expect(signerAdministers[0]!.details).not.toHaveProperty('sign');
  });

  it('both problems of one principal are reported together in one finding', () => {
    const r = judge([
      aRole('dev', {
        Effect: 'Allow',
        Action: ['signer:StartSigningJob', 'signer:RevokeSignature'],
        Resource: PROFILE_ARN,
      }),
    ]);
    expect(r).toHaveLength(1);
    expect(r[0]!.message).toMatch(
      /^role dev is not a configured signer but can administer signing: signer:RevokeSignature .*; can sign: signer:StartSigningJob/,
    );
    expect(r[0]!.details).toMatchObject({
      administer: { action: 'signer:RevokeSignature' },
      sign: { action: 'signer:StartSigningJob' },
      admins: WITH_PIPELINE.pipeline!.admins,
      signers: WITH_PIPELINE.pipeline!.signers,
    });
  });

  it('signing with a revoked or cancelled profile is not checked (it signs nothing)', () => {
    const r = judge(
      [aRole('dev', { Effect: 'Allow', Action: 'signer:StartSigningJob', Resource: PROFILE_ARN })],
      WITH_PIPELINE,
      { signingProfiles: [aProfile({ status: 'Revoked' })] },
    );
    expect(r.map((o) => o.status)).toEqual(['PASS']);
  });

  it('flags "*" or "signer:*" on "*" without conditions, and not narrower or conditional grants', () => {
    const broad = (statement: Record<string, unknown>) =>
      judge([aRole('ci-sign-prod', { Effect: 'Allow', Resource: '*', ...statement })]);
    const star = broad({ Sid: 'Admin', Action: '*' });
    expect(star[0]!.status).toBe('FAIL');
    expect(star[0]!.details).toMatchObject({
      broadGrants: [
        { policy: 'role ci-sign-prod inline policy ci-sign-prod-inline', statement: 0, sid: 'Admin' },
      ],
    });
    expect(star[0]!.message).toMatch(
      /has signer:\* on \* from role ci-sign-prod inline policy ci-sign-prod-inline statement 0 \(Sid Admin\)/,
    );
    expect(broad({ Action: 'SIGNER:*' })[0]!.details).toHaveProperty('broadGrants');
    expect(broad({ Action: ['s3:GetObject', 'sign*'] })[0]!.details).toHaveProperty('broadGrants');
    expect(broad({ Action: 'signer:Start*' })[0]!.status).toBe('PASS');
    // `?` matches one character: it can never stand for every Signer action.
    expect(broad({ Action: 'signer:?' })[0]!.status).toBe('PASS');
    expect(broad({ Action: 's?gner:*' })[0]!.status).toBe('FAIL');
    const narrow = broad({ Action: 'signer:*', Resource: PROFILE_ARN })[0]!;
    expect(narrow.message).not.toMatch(/signer:\* on \*/);
    expect(narrow.details).not.toHaveProperty('broadGrants');
    expect(
      broad({ Action: 'signer:*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })[0]!.status,
    ).toBe('UNKNOWN');
    // NotAction grants are judged by evaluation (they administer signing here), not as a signer:* statement.
    const notAction = broad({ NotAction: 'iam:*' })[0]!;
    expect(notAction.status).toBe('FAIL');
    expect(notAction.details).toHaveProperty('administer');
    expect(notAction.details).not.toHaveProperty('broadGrants');
    expect(
      judge([
        aRole(
          'ci-sign-prod',
          { Effect: 'Deny', Action: 'signer:*', Resource: '*' },
          { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        ),
      ])[0]!.status,
    ).toBe('PASS');
  });

  it('a principal that is both admin and signer is flagged only for signer:* on *, without claiming it is neither', () => {
    const both = {
      ...WITH_PIPELINE,
      pipeline: { ...WITH_PIPELINE.pipeline!, admins: [role('ci-sign-prod')] },
    };
    const r = judge([aRole('ci-sign-prod', { Effect: 'Allow', Action: 'signer:*', Resource: '*' })], both);
    expect(r.map((o) => o.status)).toEqual(['FAIL']);
    expect(r[0]!.message).toBe(
      'role ci-sign-prod has signer:* on * from role ci-sign-prod inline policy ci-sign-prod-inline statement 0. Narrow its policies to what its job needs.',
    );
  });

  it('a grant only under conditions is UNKNOWN, unless a broad grant makes it a FAIL anyway', () => {
    const condition = { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } };
    const conditional = judge([
      aRole('dev', {
        Effect: 'Allow',
        Action: 'signer:StartSigningJob',
        Resource: PROFILE_ARN,
        Condition: condition,
      }),
    ]);
    expect(conditional.map((o) => o.status)).toEqual(['UNKNOWN']);
    expect(conditional[0]!.resource.id).toBe(role('dev'));
    const adminConditional = judge([
      aRole('dev', {
        Effect: 'Allow',
        Action: 'signer:RevokeSignature',
        Resource: PROFILE_ARN,
        Condition: condition,
      }),
    ]);
    expect(adminConditional.map((o) => o.status)).toEqual(['UNKNOWN']);
    const withBroad = judge([
      aRole(
        'dev',
        { Effect: 'Allow', Action: 'signer:StartSigningJob', Resource: PROFILE_ARN, Condition: condition },
        { Effect: 'Allow', Action: 'signer:*', Resource: '*' },
      ),
    ]);
    expect(withBroad[0]!.status).toBe('FAIL');
  });

  it('ignores service-linked roles', () => {
    const slr = {
      ...aRole('AWSServiceRoleForSigner', { Effect: 'Allow', Action: 'signer:*', Resource: '*' }),
      arn: 'arn:aws:iam::123456789012:role/aws-service-role/signer.amazonaws.com/AWSServiceRoleForSigner',
    };
    expect(judge([slr]).map((o) => o.status)).toEqual(['PASS']);
  });

  it('is UNKNOWN when a principal’s policy cannot be read, naming how many', () => {
    const broken = { ...aRole('dev'), inlinePolicies: [{ name: 'x', document: '[' }] };
    const r = judge([
      broken,
      aRole('ci-sign-prod', { Effect: 'Allow', Action: 'signer:StartSigningJob', Resource: PROFILE_ARN }),
    ]);
    expect(r.map((o) => o.status)).toEqual(['UNKNOWN']);
    expect(r[0]!.message).toBe(
      '1 principal(s) in 123456789012 have policies Signet could not read; the others respect pipeline.admins/signers.',
    );
  });

  it('says which region’s profiles could not be collected', () => {
    const r = judge([], WITH_PIPELINE, {
      coverage: [...coverage('failed', ['signingProfiles']), ...globalCoverage()],
    });
    expect(r[0]!.message).toBe(
      'Cannot tell: signingProfiles of 123456789012/us-east-1 could not be collected, so not every signing profile could be checked.',
    );
  });

  it('profile permissions: account ids and ARNs of trusted or scanned accounts pass; "*", strangers and non-accounts fail', () => {
    const shared = (principal: string, over = {}) =>
      aProfile({
        permissions: [{ statementId: 's1', principal, action: 'signer:StartSigningJob' }],
        ...over,
      });
    const profileOutcome = (principal: string, over = {}, policy = WITH_PIPELINE) =>
      judge([], policy, { signingProfiles: [shared(principal, over)] }).find(
        (o) => o.resource.type === 'signing-profile',
      );
    expect(profileOutcome('123456789012')).toBeUndefined();
    expect(profileOutcome('arn:aws:iam::123456789012:root')).toBeUndefined();
    expect(
      profileOutcome(
        'arn:aws:iam::444455556666:role/x',
        {},
        { ...WITH_PIPELINE, trustedAccounts: ['444455556666'] },
      ),
    ).toBeUndefined();
    const star = profileOutcome('*');
    expect(star?.status).toBe('FAIL');
    expect(star?.message).toBe(
      'Signing profile ci_release lets accounts outside trust use it: * signer:StartSigningJob (statement s1); remove them with RemoveProfilePermission or add the account to trust.accounts.',
    );
    expect(star?.details).toEqual({
      permissions: [{ statementId: 's1', principal: '*', action: 'signer:StartSigningJob' }],
    });
    expect(profileOutcome('arn:aws:iam::444455556666:role/x')?.status).toBe('FAIL');
    expect(profileOutcome('o-abc123')?.status).toBe('FAIL');
    expect(profileOutcome('1234567890123')?.status).toBe('FAIL');
    // Only a whole account id or an ARN naming one is an account: a trusted id inside other text is not.
    expect(profileOutcome('x123456789012')?.status).toBe('FAIL');
    expect(profileOutcome('123456789012x')?.status).toBe('FAIL');
    expect(profileOutcome('*', { status: 'Revoked' })).toBeUndefined();
  });

  it('reports another account’s shared profile only under that account', () => {
    const theirs = aProfile({
      accountId: '222233334444',
      permissions: [{ statementId: 's1', principal: '*', action: 'signer:StartSigningJob' }],
    });
    const r = judge([], WITH_PIPELINE, { signingProfiles: [theirs] });
    expect(r.map((o) => o.resource.type)).toEqual(['account']);
    expect(r[0]!.message).toMatch(/\(0 principals, 0 profiles\)\.$/);
  });

  it('still reports profile permissions to outsiders when IAM could not be read', () => {
    const shared = aProfile({
      permissions: [{ statementId: 's1', principal: '444455556666', action: 'signer:StartSigningJob' }],
    });
    const r = runRule(
      rule,
      aGovernedSnapshot(
        { iam: [], organization: ORG },
        { signingProfiles: [shared], coverage: [...coverage(), ...globalCoverage('failed', ['iam'])] },
      ),
      WITH_PIPELINE,
    );
    expect(r.map((o) => [o.resource.type, o.status])).toEqual([
      ['account', 'UNKNOWN'],
      ['signing-profile', 'FAIL'],
    ]);
  });

  it('lists every broad grant and every outside permission', () => {
    const r = judge([
      aRole(
        'ci-sign-prod',
        { Sid: 'One', Effect: 'Allow', Action: 'signer:*', Resource: '*' },
        { Sid: 'Two', Effect: 'Allow', Action: '*', Resource: '*' },
      ),
    ]);
    expect(r[0]!.message).toContain(
      'statement 0 (Sid One); role ci-sign-prod inline policy ci-sign-prod-inline statement 1 (Sid Two)',
    );
    const shared = aProfile({
      permissions: [
        { statementId: 'a', principal: '444455556666', action: 'signer:StartSigningJob' },
        { statementId: 'b', principal: '777788889999', action: 'signer:GetSigningProfile' },
      ],
    });
    const p = judge([], WITH_PIPELINE, { signingProfiles: [shared] }).find(
      (o) => o.resource.type === 'signing-profile',
    );
    expect(p!.message).toContain(
      '444455556666 signer:StartSigningJob (statement a); 777788889999 signer:GetSigningProfile (statement b)',
    );
  });

  it('a profile permission finding is UNKNOWN when the profiles could not be read completely', () => {
    const shared = aProfile({
      permissions: [{ statementId: 'a', principal: '*', action: 'signer:StartSigningJob' }],
    });
    const r = judge([], WITH_PIPELINE, {
      signingProfiles: [shared],
      coverage: [...coverage('failed', ['signingProfiles']), ...globalCoverage()],
    });
    expect(r.find((o) => o.resource.type === 'signing-profile')?.status).toBe('UNKNOWN');
  });

  it('cites every broad statement of a principal that is allowed both jobs', () => {
    const both = {
      ...WITH_PIPELINE,
      pipeline: { ...WITH_PIPELINE.pipeline!, admins: [role('ci-sign-prod')] },
    };
    const r = judge(
      [
        aRole(
          'ci-sign-prod',
          { Sid: 'One', Effect: 'Allow', Action: 'signer:*', Resource: '*' },
          { Sid: 'Two', Effect: 'Allow', Action: '*', Resource: '*' },
        ),
      ],
      both,
    );
    expect(r[0]!.message).toBe(
      'role ci-sign-prod has signer:* on * from role ci-sign-prod inline policy ci-sign-prod-inline statement 0 (Sid One); role ci-sign-prod inline policy ci-sign-prod-inline statement 1 (Sid Two). Narrow its policies to what its job needs.',
    );
  });
});
