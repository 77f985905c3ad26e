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
