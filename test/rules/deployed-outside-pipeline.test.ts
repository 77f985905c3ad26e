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

describe('SGN-009 deployed-outside-pipeline — more cases', () => {
  const change = (by: string, hoursAgo: number, name = 'UpdateFunctionCode20150331v2', over = {}) =>
    anEvent(name, by, { functionName: 'orders' }, { eventTime: at(hoursAgo), ...over });

  it('judges the latest change whatever order the events come in', () => {
    expect(judge([change(role('ci-deploy-prod'), 1), change(user('alice'), 10)]).status).toBe('PASS');
    const r = judge([change(user('alice'), 1), change(role('ci-deploy-prod'), 10)]);
    expect(r.status).toBe('FAIL');
    expect(r.message).toContain('user/alice');
  });

  it('fails closed on a same-second tie whichever of the two is listed first', () => {
    expect(judge([change(role('ci-deploy-prod'), 1), change(user('alice'), 1)]).status).toBe('FAIL');
    const service = change(user('x'), 1, 'UpdateFunctionCode20150331v2', {
      actor: { type: 'AWSService', invokedBy: 'cloudformation.amazonaws.com' },
    });
    expect(judge([change(role('ci-deploy-prod'), 1), service]).status).toBe('FAIL');
    const r = judge([change(role('ci-deploy-a'), 1), change(role('ci-deploy-b'), 1)]);
    expect(r.status).toBe('PASS');
    expect(r.message).toContain('ci-deploy-a');
  });

  it('a CreateFunction by hand fails, naming the call without its API version', () => {
    const r = judge([change(user('alice'), 3, 'CreateFunction20150331')]);
    expect(r.status).toBe('FAIL');
    expect(r.message).toMatch(
      /^orders was last changed outside the pipeline \(CreateFunction\) by IAM user /,
    );
    expect(r.message).toMatch(/; redeploy it from the pipeline\.$/);
    expect(r.details).toMatchObject({
      event: { eventName: 'CreateFunction20150331' },
      deployers: ['arn:aws:iam::*:role/ci-deploy-*'],
    });
  });

  it('a layer removal (an empty Layers list) is a code change too; a layers value that is not a list is not', () => {
    const removal = anEvent('UpdateFunctionConfiguration20150331v2', user('alice'), {
      functionName: 'orders',
      layers: [],
    });
    expect(judge([removal]).status).toBe('FAIL');
    const odd = anEvent('UpdateFunctionConfiguration20150331v2', user('alice'), {
      functionName: 'orders',
      layers: 'arn:x',
    });
    expect(judge([odd]).status).toBe('UNKNOWN');
  });

  it('a configuration update recorded without request parameters is not a code change', () => {
    const bare = anEvent('UpdateFunctionConfiguration20150331v2', user('alice'), null);
    expect(judge([bare]).status).toBe('UNKNOWN');
  });

  it('ignores a same-named function in another region or account, and other Lambda calls', () => {
    const elsewhere = [
      change(user('alice'), 1, 'UpdateFunctionCode20150331v2', { region: 'eu-west-1' }),
      change(user('alice'), 1, 'UpdateFunctionCode20150331v2', { accountId: '222233334444' }),
      change(user('alice'), 1, 'PublishVersion20150331'),
      change(user('alice'), 1, 'UpdateFunctionCodeSigningConfig'),
    ];
    expect(judge(elsewhere).status).toBe('UNKNOWN');
    expect(judge([...elsewhere, change(role('ci-deploy-prod'), 5)]).status).toBe('PASS');
  });

  it('a root user or a caller with no principal ARN is never the pipeline', () => {
    const root = change(user('x'), 1, 'UpdateFunctionCode20150331v2', {
      actor: { type: 'Root', arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' },
    });
    const rr = judge([root]);
    expect(rr.status).toBe('FAIL');
    expect(rr.message).toContain('by the root user of 123456789012');
    const service = change(user('x'), 1, 'UpdateFunctionCode20150331v2', {
      actor: { type: 'AWSService', invokedBy: 'cloudformation.amazonaws.com' },
    });
    expect(judge([service], { pipeline: { ...WITH_PIPELINE.pipeline!, deployers: ['*'] } }).status).toBe(
      'FAIL',
    );
  });

  it('a "*" deployer pattern accepts any named principal', () => {
    const open = { ...WITH_PIPELINE, pipeline: { ...WITH_PIPELINE.pipeline!, deployers: ['*'] } };
    expect(judge([change(user('alice'), 1)], open).status).toBe('PASS');
  });

  it('the PASS names the pipeline principal and the event; details carry the evidence', () => {
    const e = change(role('ci-deploy-prod'), 2);
    const r = judge([e]);
    expect(r.message).toBe(
      `orders was last changed by the pipeline: role ${role('ci-deploy-prod')} (session session-1) at ${e.eventTime} from 203.0.113.7 (aws-cli/2.15.0), event ${e.eventId}.`,
    );
    expect(r.details).toEqual({
      event: {
        eventId: e.eventId,
        eventName: 'UpdateFunctionCode20150331v2',
        eventTime: e.eventTime,
        principal: role('ci-deploy-prod'),
        principalType: 'AssumedRole',
        callerArn: 'arn:aws:sts::123456789012:assumed-role/ci-deploy-prod/session-1',
        sourceIPAddress: '203.0.113.7',
        userAgent: 'aws-cli/2.15.0',
      },
      deployers: ['arn:aws:iam::*:role/ci-deploy-*'],
    });
  });

  it('the UNKNOWN says the window, the last modification and how to fix it', () => {
    const r = judge([], { ...WITH_PIPELINE, lookbackDays: 7 });
    expect(r.message).toBe(
      'No code change of orders in the 7-day CloudTrail window (last modified 2026-11-27T10:00:00.000+0000): its code was deployed before the window, so Signet cannot tell who deployed it. Redeploy from the pipeline or widen lookback (CloudTrail keeps 90 days).',
    );
    expect(r.details).toEqual({ lookbackDays: 7, lastModified: '2026-11-27T10:00:00.000+0000' });
    const bare = runRule(
      rule,
      aGovernedSnapshot({ trailEvents: [] }, { functions: [aFunction({ name: 'orders' })] }),
      { pipeline: WITH_PIPELINE.pipeline! },
    )[0]!;
    expect(bare.status).toBe('UNKNOWN');
    expect(bare.message).toMatch(/^No code change of orders in the 30-day CloudTrail window: its code/);
    expect(bare.details).toEqual({ lookbackDays: 30 });
  });

  it('judges each function on its own', () => {
    const billing = aFunction({ name: 'billing' });
    const r = runRule(
      rule,
      aGovernedSnapshot(
        {
          trailEvents: [
            change(user('alice'), 1),
            anEvent('UpdateFunctionCode20150331v2', role('ci-deploy-prod'), { functionName: 'billing' }),
          ],
        },
        { functions: [fn, billing] },
      ),
      WITH_PIPELINE,
    );
    expect(r.map((o) => [o.resource.name, o.status])).toEqual([
      ['orders', 'FAIL'],
      ['billing', 'PASS'],
    ]);
  });
});
