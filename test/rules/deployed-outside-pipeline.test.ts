import { describe, expect, it } from 'vitest';
import { deployedOutsidePipeline as rule } from '../../src/rules/deployed-outside-pipeline.js';
import { aFunction, coverage, NOW, runRule } from '../helpers/builders.js';
import { aGovernedSnapshot, anEvent, role, user, WITH_PIPELINE } from '../helpers/governance-builders.js';

const fn = aFunction({ name: 'orders', lastModified: '2026-11-27T10:00:00.000+0000' });
const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * 3_600_000).toISOString();

function judge(events: ReturnType<typeof anEvent>[], policy = WITH_PIPELINE, over = {}) {
  return runRule(rule, aGovernedSnapshot({ trailEvents: events }, { functions: [fn], ...over }), policy)[0]!;
}

describe('SGN-009 deployed-outside-pipeline', () => {
  it('passes when the latest code change was made by a configured deployer session', () => {
    const r = judge([
      anEvent('UpdateFunctionCode20150331v2', role('ci-deploy-prod'), { functionName: 'orders' }),
    ]);
    expect(r.status).toBe('PASS');
    expect(r.message).toMatch(/ci-deploy-prod.*session-1/);
  });

  it('fails a human who deployed by hand, naming principal, time, source IP, agent and event id', () => {
    const human = anEvent(
      'UpdateFunctionCode20150331v2',
      user('alice'),
      { functionName: 'orders' },
      { eventTime: at(2) },
    );
    const r = judge([
      anEvent(
        'CreateFunction20150331',
        role('ci-deploy-prod'),
        { functionName: 'orders' },
        { eventTime: at(48) },
      ),
      human,
    ]);
    expect(r.status).toBe('FAIL');
    expect(r.message).toContain('user/alice');
    expect(r.message).toContain('203.0.113.7');
    expect(r.message).toContain('aws-cli/2.15.0');
    expect(r.message).toContain(human.eventId);
    expect(r.details).toMatchObject({ event: { eventId: human.eventId, principalType: 'IAMUser' } });
  });

  it('judges only the latest change: a pipeline redeploy after a manual one passes', () => {
    const r = judge([
      anEvent(
        'UpdateFunctionCode20150331v2',
        user('alice'),
        { functionName: 'orders' },
        { eventTime: at(10) },
      ),
      anEvent(
        'UpdateFunctionCode20150331v2',
        role('ci-deploy-prod'),
        { functionName: 'orders' },
        { eventTime: at(1) },
      ),
    ]);
    expect(r.status).toBe('PASS');
  });

  it('counts a layer change through UpdateFunctionConfiguration, and ignores failed calls and other functions', () => {
    expect(
      judge([
        anEvent('UpdateFunctionConfiguration20150331v2', role('other-role'), {
          functionName: 'orders',
          layers: ['arn:x'],
        }),
      ]).status,
    ).toBe('FAIL');
    const ignored = judge([
      anEvent(
        'UpdateFunctionCode20150331v2',
        user('alice'),
        { functionName: 'orders' },
        { errorCode: 'AccessDeniedException' },
      ),
      anEvent('UpdateFunctionCode20150331v2', user('alice'), { functionName: 'billing' }),
      anEvent('UpdateFunctionConfiguration20150331v2', user('alice'), {
        functionName: 'orders',
        timeout: 30,
      }),
    ]);
    expect(ignored.status).toBe('UNKNOWN');
  });

  it('matches a function named by ARN and a deployer role with a path', () => {
    const r = judge([
      anEvent('UpdateFunctionCode20150331v2', 'arn:aws:iam::123456789012:role/ci/ci-deploy-main', {
        functionName: fn.id,
      }),
    ]);
    expect(r.status).toBe('PASS');
  });

  it('is UNKNOWN, never PASS, when the code predates the window', () => {
    const r = judge([]);
    expect(r.status).toBe('UNKNOWN');
    expect(r.message).toMatch(/30-day CloudTrail window/);
  });

  it('is UNKNOWN with "configure pipeline" when no pipeline is configured', () => {
    const r = judge([anEvent('UpdateFunctionCode20150331v2', user('alice'), { functionName: 'orders' })], {});
    expect(r.status).toBe('UNKNOWN');
    expect(r.message).toMatch(/configure pipeline\.deployers/);
  });

  it('is UNKNOWN when CloudTrail could not be read or was skipped', () => {
    const events = [
      anEvent('UpdateFunctionCode20150331v2', role('ci-deploy-prod'), { functionName: 'orders' }),
    ];
    expect(
      judge(events, WITH_PIPELINE, {
        coverage: [...coverage('ok', ['functions']), ...coverage('failed', ['cloudtrail'])],
      }).status,
    ).toBe('UNKNOWN');
    expect(
      judge(events, WITH_PIPELINE, {
        coverage: [...coverage('ok', ['functions']), ...coverage('not-collected', ['cloudtrail'])],
      }).status,
    ).toBe('UNKNOWN');
  });

  it('fails closed when a manual and a pipeline change share the latest second (CloudTrail has second precision)', () => {
    const sameSecond = at(1);
    const r = judge([
      anEvent(
        'UpdateFunctionCode20150331v2',
        user('alice'),
        { functionName: 'orders' },
        { eventTime: sameSecond },
      ),
      anEvent(
        'UpdateFunctionCode20150331v2',
        role('ci-deploy-prod'),
        { functionName: 'orders' },
        { eventTime: sameSecond },
      ),
    ]);
    expect(r.status).toBe('FAIL');
  });
});
