import { describe, expect, it } from 'vitest';
import { codeSigningTamperAccess as rule } from '../../src/rules/code-signing-tamper-access.js';
import { aCsc, aFunction, coverage, REGION, runRule } from '../helpers/builders.js';
import {
  aGovernedSnapshot,
  anEvent,
  aRole,
  globalCoverage,
  iamDetails,
  role,
  user,
  WITH_PIPELINE,
} from '../helpers/governance-builders.js';

const ORG = { managementAccountId: '999999999999', accountPaths: {}, policies: [], attachments: {} };
const csc = aCsc();

function judge(
  roles: ReturnType<typeof aRole>[],
  events: ReturnType<typeof anEvent>[] = [],
  policy = WITH_PIPELINE,
  over = {},
) {
  return runRule(
    rule,
    aGovernedSnapshot(
      { iam: [iamDetails({ roles })], organization: ORG, trailEvents: events },
      { functions: [aFunction()], codeSigningConfigs: [csc], ...over },
    ),
    policy,
  );
}
const iamPart = (r: ReturnType<typeof judge>) =>
  r.filter((o) => o.resource.region === 'global' || o.resource.type === 'iam-principal');
const eventPart = (r: ReturnType<typeof judge>) => r.filter((o) => o.resource.region === REGION);

describe('SGN-013 code-signing-tamper-access', () => {
  it('passes when only admins and deployers can weaken CSCs and nobody did', () => {
    const r = judge([
      aRole('platform-admin', { Effect: 'Allow', Action: 'lambda:*CodeSigningConfig', Resource: '*' }),
      aRole('ci-deploy-prod', {
        Effect: 'Allow',
        Action: 'lambda:PutFunctionCodeSigningConfig',
        Resource: '*',
      }),
    ]);
    expect(r.map((o) => o.status)).toEqual(['PASS', 'PASS']);
  });

  it('fails a role outside admins/deployers that can detach or downgrade, citing the statement', () => {
    const r = iamPart(
      judge([aRole('dev', { Sid: 'Oops', Effect: 'Allow', Action: 'lambda:Delete*', Resource: '*' })]),
    );
    expect(r[0]!.status).toBe('FAIL');
    expect(r[0]!.resource.id).toBe(role('dev'));
    expect(r[0]!.message).toMatch(/DeleteFunctionCodeSigningConfig.*Sid Oops/);
  });

  it('fails a downgrade Enforce → Warn in the window even if it was set back, naming who and when', () => {
    const downgrade = anEvent('UpdateCodeSigningConfig', user('mallory'), {
      codeSigningConfigArn: csc.arn,
      codeSigningPolicies: { untrustedArtifactOnDeployment: 'Warn' },
    });
    const restore = anEvent('UpdateCodeSigningConfig', role('platform-admin'), {
      codeSigningConfigArn: csc.arn,
      codeSigningPolicies: { untrustedArtifactOnDeployment: 'Enforce' },
    });
    const r = eventPart(judge([], [downgrade, restore]));
    expect(r[0]!.status).toBe('FAIL');
    expect(r[0]!.message).toMatch(/set code signing config .* to Warn.*user\/mallory/);
    expect(r[0]!.details).toMatchObject({ events: [{ eventId: downgrade.eventId }] });
  });

  it('fails a detach, ignores failed attempts', () => {
    const detach = anEvent('DeleteFunctionCodeSigningConfig', user('mallory'), { functionName: 'fn' });
    expect(eventPart(judge([], [detach]))[0]!.status).toBe('FAIL');
    const denied = anEvent(
      'DeleteFunctionCodeSigningConfig',
      user('mallory'),
      { functionName: 'fn' },
      { errorCode: 'AccessDeniedException' },
    );
    expect(eventPart(judge([], [denied]))[0]!.status).toBe('PASS');
  });

  it('is UNKNOWN without CloudTrail (events) or IAM (permissions), and without a pipeline for the IAM half', () => {
    const noTrail = judge([], [], WITH_PIPELINE, {
      coverage: [
        ...coverage('ok', ['functions', 'codeSigningConfigs']),
        ...coverage('failed', ['cloudtrail']),
        ...globalCoverage(),
      ],
    });
    expect(eventPart(noTrail)[0]!.status).toBe('UNKNOWN');
    const noIam = judge([], [], WITH_PIPELINE, {
      coverage: [...coverage(), ...globalCoverage('failed', ['iam'])],
    });
    expect(iamPart(noIam)[0]!.status).toBe('UNKNOWN');
    expect(iamPart(judge([], [], {}))[0]!.message).toMatch(/configure pipeline/);
  });

  it('is not applicable to an account with nothing to weaken', () => {
    expect(iamPart(judge([], [], WITH_PIPELINE, { functions: [], codeSigningConfigs: [] }))[0]!.status).toBe(
      'NOT_APPLICABLE',
    );
  });
});
