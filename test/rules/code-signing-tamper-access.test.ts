import { describe, expect, it } from 'vitest';
import { codeSigningTamperAccess as rule } from '../../src/rules/code-signing-tamper-access.js';
import { eventEvidence } from '../../src/rules/governance.js';
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

describe('SGN-013 code-signing-tamper-access — more cases', () => {
  const warnCsc = aCsc({ suffix: 'w', policy: 'Warn' });
  const event = (name: string, params: Record<string, unknown>, over = {}) =>
    anEvent(name, user('mallory'), params, over);
  const events = (list: ReturnType<typeof anEvent>[], over = {}) =>
    eventPart(judge([], list, WITH_PIPELINE, { codeSigningConfigs: [csc, warnCsc], ...over }));

  it('fails each way of weakening, with the change in the message and the details', () => {
    const cases: [ReturnType<typeof anEvent>, string][] = [
      [
        event('DeleteFunctionCodeSigningConfig', {
          functionName: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
        }),
        'detached the code signing config from function fn',
      ],
      [
        event('DeleteCodeSigningConfig', { codeSigningConfigArn: csc.arn }),
        `deleted code signing config ${csc.arn}`,
      ],
      [
        event('UpdateCodeSigningConfig', {
          codeSigningConfigArn: csc.arn,
          codeSigningPolicies: { untrustedArtifactOnDeployment: 'Warn' },
        }),
        `set code signing config ${csc.arn} to Warn (downgrade from Enforce)`,
      ],
      [
        event('PutFunctionCodeSigningConfig', { functionName: 'fn', codeSigningConfigArn: warnCsc.arn }),
        `attached Warn-mode code signing config ${warnCsc.arn} to function fn`,
      ],
    ];
    for (const [e, change] of cases) {
      const [r] = events([e]);
      expect(r!.status).toBe('FAIL');
      expect(r!.resource.id).toBe(`account:123456789012:${REGION}`);
      expect(r!.message).toBe(
        `Code signing was weakened in 123456789012/${REGION} in the last 30 days (even if set back since): ${change} — IAM user ${user('mallory')} at ${e.eventTime} from 203.0.113.7 (aws-cli/2.15.0), event ${e.eventId}.`,
      );
      expect(r!.details).toEqual({ events: [{ ...eventEvidence(e), change }] });
    }
  });

  it('says "?" when the event lacks the function or CSC it changed', () => {
    const [detach] = events([event('DeleteFunctionCodeSigningConfig', {})]);
    expect(detach!.message).toMatch(/detached the code signing config from function \? — /);
    const [deleted] = events([anEvent('DeleteCodeSigningConfig', user('mallory'), null)]);
    expect(deleted!.message).toMatch(/deleted code signing config \? — /);
    const [downgrade] = events([
      event('UpdateCodeSigningConfig', { codeSigningPolicies: { untrustedArtifactOnDeployment: 'Warn' } }),
    ]);
    expect(downgrade!.message).toMatch(/set code signing config \? to Warn/);
    const [attached] = events([event('PutFunctionCodeSigningConfig', { codeSigningConfigArn: warnCsc.arn })]);
    expect(attached!.message).toMatch(/to function \? — /);
  });

  it('does not count changes that keep or strengthen enforcement', () => {
    const r = events([
      event('UpdateCodeSigningConfig', {
        codeSigningConfigArn: csc.arn,
        codeSigningPolicies: { untrustedArtifactOnDeployment: 'Enforce' },
      }),
      event('UpdateCodeSigningConfig', { codeSigningConfigArn: csc.arn, description: 'x' }),
      event('PutFunctionCodeSigningConfig', { functionName: 'fn', codeSigningConfigArn: csc.arn }),
      event('PutFunctionCodeSigningConfig', {
        functionName: 'fn',
        codeSigningConfigArn: 'arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-gone',
      }),
      event('PutFunctionCodeSigningConfig', { functionName: 'fn' }),
      event('UpdateFunctionCode20150331v2', { functionName: 'fn' }),
      event('CreateCodeSigningConfig', { codeSigningPolicies: { untrustedArtifactOnDeployment: 'Warn' } }),
    ]);
    expect(r.map((o) => o.status)).toEqual(['PASS']);
    expect(r[0]!.message).toBe(
      `No code signing config was detached, deleted or downgraded in 123456789012/${REGION} in the last 30 days.`,
    );
  });

  it('lists every weakening in the window, and ignores other account-regions', () => {
    const a = event('DeleteFunctionCodeSigningConfig', { functionName: 'fn' });
    const b = event('DeleteCodeSigningConfig', { codeSigningConfigArn: csc.arn });
    const elsewhere = event(
      'DeleteCodeSigningConfig',
      { codeSigningConfigArn: csc.arn },
      { region: 'eu-west-1' },
    );
    const otherAccount = event(
      'DeleteCodeSigningConfig',
      { codeSigningConfigArn: csc.arn },
      { accountId: '222233334444' },
    );
    const [r] = events([a, elsewhere, b, otherAccount]);
    expect((r!.details as { events: { eventId: string }[] }).events.map((e) => e.eventId)).toEqual([
      a.eventId,
      b.eventId,
    ]);
    expect(eventPart(judge([], [elsewhere, otherAccount]))[0]!.status).toBe('PASS');
  });

  it('says the configured window', () => {
    const r = eventPart(judge([], [], { ...WITH_PIPELINE, lookbackDays: 7 }));
    expect(r[0]!.message).toMatch(/in the last 7 days\.$/);
    const fail = eventPart(
      judge([], [event('DeleteCodeSigningConfig', {})], { ...WITH_PIPELINE, lookbackDays: 7 }),
    );
    expect(fail[0]!.message).toMatch(/in the last 7 days \(even if set back since\)/);
  });

  it('judges events per account-region where CloudTrail was read, in region order', () => {
    const regions = ['us-west-2', 'eu-west-1'];
    const r = runRule(
      rule,
      aGovernedSnapshot(
        {
          iam: [iamDetails()],
          organization: ORG,
          trailEvents: [event('DeleteCodeSigningConfig', {}, { region: 'us-west-2' })],
        },
        {
          regions: [REGION, ...regions],
          functions: [aFunction()],
          codeSigningConfigs: [csc],
          coverage: [
            ...coverage(),
            ...globalCoverage(),
            ...regions.flatMap((region) => coverage('ok').map((c) => ({ ...c, region }))),
          ],
        },
      ),
      WITH_PIPELINE,
    );
    expect(r.map((o) => [o.resource.id, o.status])).toEqual([
      ['account:123456789012', 'PASS'],
      ['account:123456789012:eu-west-1', 'PASS'],
      ['account:123456789012:us-east-1', 'PASS'],
      ['account:123456789012:us-west-2', 'FAIL'],
    ]);
  });

  it('can weaken through functions (detach, attach) or through CSCs (update, delete)', () => {
    const onFunctions = iamPart(
      judge([
        aRole('dev', { Effect: 'Allow', Action: 'lambda:PutFunctionCodeSigningConfig', Resource: '*' }),
      ]),
    );
    expect(onFunctions[0]!.status).toBe('FAIL');
    expect(onFunctions[0]!.details).toMatchObject({
      grant: { action: 'lambda:PutFunctionCodeSigningConfig', resource: aFunction().id },
    });
    const onCscs = iamPart(
      judge([aRole('dev', { Effect: 'Allow', Action: 'lambda:UpdateCodeSigningConfig', Resource: csc.arn })]),
    );
    expect(onCscs[0]!.status).toBe('FAIL');
    expect(onCscs[0]!.message).toBe(
      `role dev is neither a configured admin nor deployer but can weaken code signing: lambda:UpdateCodeSigningConfig on ${csc.arn} (granted by role dev inline policy dev-inline statement 0). Remove the permission or deny it outside pipeline.admins.`,
    );
    expect(onCscs[0]!.details).toMatchObject({
      admins: WITH_PIPELINE.pipeline!.admins,
      deployers: WITH_PIPELINE.pipeline!.deployers,
    });
    const deleteOnly = iamPart(
      judge(
        [aRole('dev', { Effect: 'Allow', Action: 'lambda:DeleteCodeSigningConfig', Resource: '*' })],
        [],
        WITH_PIPELINE,
        {
          functions: [],
        },
      ),
    );
    expect(deleteOnly[0]!.status).toBe('FAIL');
    const fnOnly = iamPart(
      judge(
        [aRole('dev', { Effect: 'Allow', Action: 'lambda:DeleteFunctionCodeSigningConfig', Resource: '*' })],
        [],
        WITH_PIPELINE,
        {
          codeSigningConfigs: [],
        },
      ),
    );
    expect(fnOnly[0]!.status).toBe('FAIL');
  });

  it('other Lambda permissions and other accounts’ resources do not count', () => {
    const r = iamPart(
      judge([
        aRole('dev', {
          Effect: 'Allow',
          Action: ['lambda:UpdateFunctionCode', 'lambda:CreateCodeSigningConfig'],
          Resource: '*',
        }),
        aRole('ops', { Effect: 'Allow', Action: 'lambda:*', Resource: 'arn:aws:lambda:*:222233334444:*' }),
      ]),
    );
    expect(r.map((o) => o.status)).toEqual(['PASS']);
    expect(r[0]!.message).toBe(
      'Only pipeline.admins and pipeline.deployers can detach, replace or downgrade code signing configs in 123456789012.',
    );
  });

  it('a grant under conditions is UNKNOWN for that principal; service-linked roles are ignored', () => {
    const r = iamPart(
      judge([
        aRole('dev', {
          Effect: 'Allow',
          Action: 'lambda:DeleteFunctionCodeSigningConfig',
          Resource: '*',
          Condition: { StringEquals: { 'aws:RequestTag/team': 'x' } },
        }),
        {
          ...aRole('slr', { Effect: 'Allow', Action: 'lambda:*', Resource: '*' }),
          arn: 'arn:aws:iam::123456789012:role/aws-service-role/lambda.amazonaws.com/slr',
        },
      ]),
    );
    expect(r.map((o) => [o.resource.id, o.status])).toEqual([[role('dev'), 'UNKNOWN']]);
  });

  it('is UNKNOWN, not PASS, when functions or CSCs of a region could not be collected', () => {
    const r = iamPart(
      judge([], [], WITH_PIPELINE, {
        regions: [REGION, 'eu-west-1'],
        coverage: [
          ...coverage(),
          ...globalCoverage(),
          { accountId: '123456789012', region: 'eu-west-1', part: 'codeSigningConfigs', status: 'failed' },
        ],
      }),
    );
    expect(r[0]!.status).toBe('UNKNOWN');
    expect(r[0]!.message).toBe(
      'Cannot tell: codeSigningConfigs of 123456789012/eu-west-1 could not be collected.',
    );
  });

  it('the not-applicable finding names the account; a CSC alone makes it applicable', () => {
    const na = iamPart(judge([], [], WITH_PIPELINE, { functions: [], codeSigningConfigs: [] }))[0]!;
    expect(na.message).toBe('Account 123456789012 has no functions or code signing configs to weaken.');
    expect(iamPart(judge([], [], WITH_PIPELINE, { functions: [] }))[0]!.status).toBe('PASS');
    const otherAccount = iamPart(
      judge([], [], WITH_PIPELINE, {
        functions: [aFunction({ accountId: '222233334444' })],
        codeSigningConfigs: [aCsc({ accountId: '222233334444' })],
      }),
    )[0]!;
    expect(otherAccount.status).toBe('NOT_APPLICABLE');
  });

  it('with CloudTrail skipped (--no-cloudtrail) the who-did half is UNKNOWN, never PASS', () => {
    const skipped = judge([], [], WITH_PIPELINE, {
      coverage: [
        ...coverage('ok', ['functions', 'codeSigningConfigs']),
        ...coverage('not-collected', ['cloudtrail']),
        ...globalCoverage(),
      ],
    });
    expect(eventPart(skipped).map((o) => o.status)).toEqual(['UNKNOWN']);
    expect(eventPart(skipped)[0]!.message).toMatch(/cloudtrail were not collected/);
  });

  it('creating a function with a Warn-mode CSC is not a weakening (SGN-002 reports Warn mode)', () => {
    const create = event('CreateFunction20150331', {
      functionName: 'new',
      codeSigningConfigArn: warnCsc.arn,
    });
    expect(events([create]).map((o) => o.status)).toEqual(['PASS']);
  });

  it('joins several weakenings in one message', () => {
    const a = event('DeleteFunctionCodeSigningConfig', { functionName: 'fn' });
    const b = event('DeleteCodeSigningConfig', { codeSigningConfigArn: csc.arn });
    const [r] = events([a, b]);
    expect(r!.message).toContain(`event ${a.eventId}; deleted code signing config ${csc.arn} — `);
  });

  it('events that were read from a CloudTrail query that then failed do not make a verdict', () => {
    const r = judge([], [event('DeleteFunctionCodeSigningConfig', { functionName: 'fn' })], WITH_PIPELINE, {
      coverage: [
        ...coverage('ok', ['functions', 'codeSigningConfigs']),
        ...coverage('failed', ['cloudtrail']),
        ...globalCoverage(),
      ],
    });
    expect(eventPart(r).map((o) => o.status)).toEqual(['UNKNOWN']);
  });

  it('a region that was scanned without CloudTrail rows still gets a who-did finding (UNKNOWN)', () => {
    const r = judge([], [], WITH_PIPELINE, {
      regions: [REGION, 'eu-west-1'],
      coverage: [
        ...coverage(),
        ...globalCoverage(),
        { accountId: '123456789012', region: 'eu-west-1', part: 'functions', status: 'ok' },
      ],
    });
    expect(r.map((o) => [o.resource.id, o.status])).toEqual([
      ['account:123456789012', 'PASS'],
      ['account:123456789012:eu-west-1', 'UNKNOWN'],
      ['account:123456789012:us-east-1', 'PASS'],
    ]);
  });

  it('cites the CSC for CSC actions and the function for function actions', () => {
    const onCscs = iamPart(
      judge([aRole('dev', { Effect: 'Allow', Action: 'lambda:UpdateCodeSigningConfig', Resource: '*' })]),
    );
    expect(onCscs[0]!.details).toMatchObject({
      grant: { action: 'lambda:UpdateCodeSigningConfig', resource: csc.arn },
    });
    const detachWithoutFunctions = iamPart(
      judge(
        [aRole('dev', { Effect: 'Allow', Action: 'lambda:DeleteFunctionCodeSigningConfig', Resource: '*' })],
        [],
        WITH_PIPELINE,
        { functions: [] },
      ),
    );
    expect(detachWithoutFunctions.map((o) => o.status)).toEqual(['PASS']);
  });

  it('is UNKNOWN, not PASS, when functions of a region could not be collected', () => {
    const r = iamPart(
      judge([], [], WITH_PIPELINE, {
        regions: [REGION, 'eu-west-1'],
        coverage: [
          ...coverage(),
          ...globalCoverage(),
          { accountId: '123456789012', region: 'eu-west-1', part: 'functions', status: 'failed' },
        ],
      }),
    );
    expect(r[0]!.message).toBe('Cannot tell: functions of 123456789012/eu-west-1 could not be collected.');
  });

  it('without IAM data the who-can half is UNKNOWN naming the missing part', () => {
    const r = runRule(
      rule,
      aGovernedSnapshot(
        { iam: [], organization: ORG },
        {
          functions: [aFunction()],
          codeSigningConfigs: [csc],
          coverage: [...coverage(), ...globalCoverage('failed', ['iam'])],
        },
      ),
      WITH_PIPELINE,
    );
    expect(iamPart(r)[0]!.message).toMatch(/IAM authorization details of 123456789012 were not collected/);
  });

  it('judges each account only in its own regions', () => {
    const OTHER = '222233334444';
    const r = runRule(
      rule,
      aGovernedSnapshot(
        { iam: [iamDetails(), iamDetails({ accountId: OTHER })], organization: ORG },
        {
          accounts: [{ accountId: '123456789012' }, { accountId: OTHER }],
          regions: [REGION, 'eu-west-1'],
          functions: [aFunction()],
          codeSigningConfigs: [csc],
          coverage: [
            ...coverage(),
            ...globalCoverage(),
            ...coverage().map((c) => ({ ...c, accountId: OTHER, region: 'eu-west-1' })),
            ...globalCoverage().map((c) => ({ ...c, accountId: OTHER })),
          ],
        },
      ),
      WITH_PIPELINE,
    );
    expect(r.map((o) => o.resource.id)).toEqual([
      'account:123456789012',
      'account:123456789012:us-east-1',
      `account:${OTHER}`,
      `account:${OTHER}:eu-west-1`,
    ]);
  });
});
