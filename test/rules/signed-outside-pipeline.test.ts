import { describe, expect, it } from 'vitest';
import { signedOutsidePipeline as rule } from '../../src/rules/signed-outside-pipeline.js';
import { aCsc, aProfile, coverage, runRule } from '../helpers/builders.js';
import { aGovernedSnapshot, anEvent, role, user, WITH_PIPELINE } from '../helpers/governance-builders.js';

const sign = (by: string, profileName = 'ci_release', over = {}) =>
  anEvent(
    'StartSigningJob',
    by,
    { profileName, source: { s3: { bucketName: 'b', key: 'k', version: '1' } } },
    over,
  );

function judge(events: ReturnType<typeof anEvent>[], policy = WITH_PIPELINE, over = {}) {
  return runRule(
    rule,
    aGovernedSnapshot(
      { trailEvents: events },
      { signingProfiles: [aProfile()], codeSigningConfigs: [aCsc()], ...over },
    ),
    policy,
  );
}

describe('SGN-010 signed-outside-pipeline', () => {
  it('passes when every signing job on a trusted profile was started by a configured signer', () => {
    const [r] = judge([sign(role('ci-sign-prod')), sign(role('ci-sign-prod'))]);
    expect(r!.status).toBe('PASS');
    expect(r!.message).toMatch(/All 2 signing job/);
  });

  it('fails manual signing by a human, citing the event', () => {
    const manual = sign(user('bob'));
    const [r] = judge([sign(role('ci-sign-prod')), manual]);
    expect(r!.status).toBe('FAIL');
    expect(r!.message).toContain('user/bob');
    expect(r!.details).toMatchObject({ manual: [{ eventId: manual.eventId, principal: user('bob') }] });
  });

  it('fails a signing job by an unknown role and ignores failed attempts and other profiles', () => {
    expect(judge([sign(role('random-role'))])[0]!.status).toBe('FAIL');
    expect(judge([sign(user('bob'), 'ci_release', { errorCode: 'AccessDeniedException' })])[0]!.status).toBe(
      'NOT_APPLICABLE',
    );
    expect(judge([sign(user('bob'), 'other_profile')])[0]!.status).toBe('NOT_APPLICABLE');
  });

  it('only judges profiles that a code signing config allows', () => {
    expect(judge([sign(user('bob'))], WITH_PIPELINE, { codeSigningConfigs: [] })).toEqual([]);
  });

  it('is UNKNOWN without a pipeline or without CloudTrail', () => {
    expect(judge([sign(user('bob'))], {})[0]!.message).toMatch(/configure pipeline\.signers/);
    const failed = [
      ...coverage('ok', ['signingProfiles', 'codeSigningConfigs']),
      ...coverage('failed', ['cloudtrail']),
    ];
    expect(judge([sign(user('bob'))], WITH_PIPELINE, { coverage: failed })[0]!.status).toBe('UNKNOWN');
  });
});
