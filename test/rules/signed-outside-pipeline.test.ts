import { describe, expect, it } from 'vitest';
import { publisherArn, publisherUnresolved } from '../../src/model/snapshot.js';
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

describe('SGN-010 signed-outside-pipeline — more cases', () => {
  const at = (hoursAgo: number) => ({
    eventTime: new Date(Date.parse('2026-11-28T12:00:00Z') - hoursAgo * 3_600_000).toISOString(),
  });

  it('names the most recent manual signing job, whatever the order of the events', () => {
    const older = sign(user('bob'), 'ci_release', at(30));
    const newer = sign(user('carol'), 'ci_release', at(2));
    for (const events of [
      [older, newer],
      [newer, older],
    ]) {
      const [r] = judge([sign(role('ci-sign-prod')), ...events]);
      expect(r!.status).toBe('FAIL');
      expect(r!.message).toMatch(
        /^2 of 3 signing job\(s\) for ci_release were started outside the pipeline, latest by IAM user arn:aws:iam::123456789012:user\/carol at /,
      );
      expect(r!.message).toMatch(/; check what was signed and revoke it if needed\.$/);
    }
  });

  it('lists every manual job as evidence, with the count of jobs and the configured signers', () => {
    const a = sign(user('bob'));
    const b = sign(role('ops'));
    const [r] = judge([a, sign(role('ci-sign-prod')), b]);
    expect(r!.details).toMatchObject({
      signingJobs: 3,
      manual: [
        { eventId: a.eventId, principal: user('bob'), principalType: 'IAMUser' },
        { eventId: b.eventId, principal: role('ops'), principalType: 'AssumedRole' },
      ],
      signers: ['arn:aws:iam::*:role/ci-sign-*'],
    });
  });

  it('the PASS and NOT_APPLICABLE messages say the window', () => {
    const [pass] = judge([sign(role('ci-sign-prod'))], { ...WITH_PIPELINE, lookbackDays: 14 });
    expect(pass!.message).toBe(
      'All 1 signing job(s) for ci_release in the last 14 days were started by the pipeline.',
    );
    expect(pass!.details).toMatchObject({ signingJobs: 1, manual: [] });
    const [none] = judge([], { pipeline: WITH_PIPELINE.pipeline! });
    expect(none!.status).toBe('NOT_APPLICABLE');
    expect(none!.message).toBe('No signing job for ci_release in the 30-day CloudTrail window.');
    expect(none!.details).toEqual({ lookbackDays: 30 });
  });

  it('a caller with no principal ARN (a service) is not the pipeline, even with a "*" signers pattern', () => {
    const service = sign(user('x'), 'ci_release', {
      actor: { type: 'AWSService', invokedBy: 'codebuild.amazonaws.com' },
    });
    const open = { ...WITH_PIPELINE, pipeline: { ...WITH_PIPELINE.pipeline!, signers: ['*'] } };
    expect(judge([service], open)[0]!.status).toBe('FAIL');
    expect(judge([sign(user('bob'))], open)[0]!.status).toBe('PASS');
  });

  it('counts only StartSigningJob on this profile in its own region and account', () => {
    const events = [
      sign(user('bob'), 'ci_release', { region: 'eu-west-1' }),
      sign(user('bob'), 'ci_release', { accountId: '222233334444' }),
      anEvent('RevokeSignature', user('bob'), { profileName: 'ci_release' }),
      anEvent('StartSigningJob', user('bob'), null),
    ];
    expect(judge(events)[0]!.status).toBe('NOT_APPLICABLE');
  });

  it('cross-account signing: the profile owner in the request decides whose profile was used', () => {
    const fromVendor = sign(user('bob'), 'ci_release', { accountId: '222233334444' });
    fromVendor.requestParameters = { ...fromVendor.requestParameters, profileOwner: '123456789012' };
    const r = judge([fromVendor])[0]!;
    expect(r.status).toBe('FAIL');
    expect(r.details).toMatchObject({ manual: [{ eventId: fromVendor.eventId }] });
    const otherOwner = sign(user('bob'));
    otherOwner.requestParameters = { ...otherOwner.requestParameters, profileOwner: '222233334444' };
    expect(judge([otherOwner])[0]!.status).toBe('NOT_APPLICABLE');
    const emptyOwner = sign(user('bob'));
    emptyOwner.requestParameters = { ...emptyOwner.requestParameters, profileOwner: '' };
    expect(judge([emptyOwner])[0]!.status).toBe('FAIL');
  });

  it('judges only the allowed profile among several, and not a same-named profile in another region', () => {
    const other = aProfile({ name: 'scratch' });
    const elsewhere = aProfile({
      region: 'eu-west-1',
      arn: 'arn:aws:signer:eu-west-1:123456789012:/signing-profiles/ci_release',
      id: 'arn:aws:signer:eu-west-1:123456789012:/signing-profiles/ci_release/Abcdef1234',
    });
    const r = judge([sign(user('bob')), sign(user('bob'), 'scratch')], WITH_PIPELINE, {
      signingProfiles: [other, aProfile(), elsewhere],
    });
    expect(r.map((o) => [o.resource.name, o.status])).toEqual([['ci_release', 'FAIL']]);
  });

  it('a CSC that allows a publisher by something other than a profile ARN trusts no profile here', () => {
    const unresolved = aCsc({
      allowedPublishers: [publisherUnresolved('ci_release'), publisherArn('arn:aws:s3:::ci_release')],
    });
    expect(judge([sign(user('bob'))], WITH_PIPELINE, { codeSigningConfigs: [unresolved] })).toEqual([]);
  });
});
