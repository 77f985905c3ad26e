import { describe, expect, it } from 'vitest';
import type { CollectionError } from '../../src/model/snapshot.js';
import { SnapshotIndex } from '../../src/model/snapshot-index.js';
import { accountRegions, collectionComplete as rule } from '../../src/rules/collection-complete.js';
import { ACCOUNT, aSnapshot, coverage, DEFAULT_POLICY, NOW, REGION, runRule } from '../helpers/builders.js';

const OTHER = '210987654321';

function error(over: Partial<CollectionError>): CollectionError {
  return {
    service: 'lambda',
    operation: 'ListFunctions',
    accountId: ACCOUNT,
    region: REGION,
    errorCode: 'AccessDeniedException',
    message: 'not authorized to perform lambda:ListFunctions',
    parts: ['functions', 'versions', 'layers'],
    ...over,
  };
}

describe('SGN-000 collection-complete', () => {
  it('passes an account-region where every part was collected', () => {
    const out = runRule(rule, aSnapshot());
    expect(out.map((o) => [o.resource.id, o.status])).toEqual([[`${ACCOUNT}/${REGION}`, 'PASS']]);
  });

  it('is UNKNOWN, naming parts and the failed call, when ListFunctions was denied', () => {
    const snapshot = aSnapshot({
      coverage: [
        ...coverage('ok', ['codeSigningConfigs', 'cscAttachments', 'tags', 'signingProfiles', 'signingJobs']),
        ...coverage('failed', ['functions', 'versions', 'layers']),
      ],
      collectionErrors: [error({})],
    });
    const [out] = runRule(rule, snapshot);
    expect(out!.status).toBe('UNKNOWN');
    expect(out!.message).toMatch(/functions, versions, layers could not be collected/);
    expect(out!.message).toMatch(/lambda:ListFunctions failed with AccessDeniedException/);
  });

  it('says when throttling never cleared', () => {
    const snapshot = aSnapshot({
      coverage: [...coverage('ok', ['tags']), ...coverage('failed', ['functions'])],
      collectionErrors: [error({ errorCode: 'TooManyRequestsException', message: 'Rate exceeded' })],
    });
    expect(runRule(rule, snapshot)[0]!.message).toMatch(/still throttled after every retry/);
  });

  it('is UNKNOWN account-wide for a member account whose role could not be assumed', () => {
    const snapshot = aSnapshot({
      accounts: [{ accountId: ACCOUNT }, { accountId: OTHER, name: 'workloads-dev' }],
      collectionErrors: [
        error({
          service: 'sts',
          operation: 'AssumeRole',
          accountId: OTHER,
          region: 'global',
          errorCode: 'AccessDenied',
          message: 'role does not exist',
        }),
      ],
    });
    const out = runRule(rule, snapshot);
    expect(out.map((o) => [o.resource.id, o.status])).toEqual([
      [`${ACCOUNT}/${REGION}`, 'PASS'],
      [`${OTHER}/global`, 'UNKNOWN'],
    ]);
    expect(out[1]!.message).toMatch(/workloads-dev \(210987654321\).*none of its regions were scanned/);
  });

  it('is UNKNOWN when enabled regions could not be listed, even though the home region was read', () => {
    const snapshot = aSnapshot({
      collectionErrors: [
        error({
          service: 'account',
          operation: 'ListRegions',
          region: 'global',
          errorCode: 'AccessDenied',
          parts: [],
        }),
      ],
    });
    const out = runRule(rule, snapshot);
    expect(out.map((o) => o.status)).toEqual(['UNKNOWN', 'PASS']);
    expect(out[0]!.message).toMatch(/only the home region/);
  });

  it('is UNKNOWN for an account listed for the scan with nothing collected', () => {
    const snapshot = aSnapshot({ accounts: [{ accountId: ACCOUNT }, { accountId: OTHER }] });
    const out = runRule(rule, snapshot);
    expect(out.find((o) => o.resource.accountId === OTHER)?.status).toBe('UNKNOWN');
  });

  it('passes account-wide data read completely, and ignores governance parts switched off', () => {
    const snapshot = aSnapshot({
      coverage: [
        ...coverage(),
        { accountId: ACCOUNT, region: REGION, part: 'cloudtrail', status: 'not-collected' },
        { accountId: ACCOUNT, region: 'global', part: 'iam', status: 'ok' },
      ],
    });
    expect(runRule(rule, snapshot).map((o) => [o.resource.region, o.status])).toEqual([
      ['global', 'PASS'],
      [REGION, 'PASS'],
    ]);
  });

  it('does not run on templates', () => {
    expect(rule.meta.sources).toEqual(['aws']);
  });

  it('judges IAM and SCPs account-wide, and a skipped CloudTrail (--no-cloudtrail) is not a failed read', () => {
    const regional = coverage('ok').filter((c) => c.part !== 'iam' && c.part !== 'organizationPolicies');
    const global = (status: 'ok' | 'failed') =>
      (['iam', 'organizationPolicies'] as const).map((part) => ({
        accountId: ACCOUNT,
        region: 'global',
        part,
        status,
      }));
    const skipped = regional.map((c) =>
      c.part === 'cloudtrail' ? { ...c, status: 'not-collected' as const } : c,
    );
    const out = runRule(rule, aSnapshot({ coverage: [...skipped, ...global('ok')] }));
    expect(out.map((o) => [o.resource.region, o.status])).toEqual([
      ['global', 'PASS'],
      [REGION, 'PASS'],
    ]);
    const noIam = runRule(rule, aSnapshot({ coverage: [...regional, ...global('failed')] }));
    expect(noIam.find((o) => o.resource.region === 'global')?.status).toBe('UNKNOWN');
    const trailFailed = regional.map((c) =>
      c.part === 'cloudtrail' ? { ...c, status: 'failed' as const } : c,
    );
    expect(
      runRule(rule, aSnapshot({ coverage: [...trailFailed, ...global('ok')] })).find(
        (o) => o.resource.region === REGION,
      )?.status,
    ).toBe('UNKNOWN');
  });
});

describe('SGN-000 messages, details and order (what a user reads)', () => {
  const denied = () =>
    aSnapshot({
      coverage: [
        ...coverage('ok', ['codeSigningConfigs', 'cscAttachments', 'tags', 'signingProfiles', 'signingJobs']),
        // Listed out of order and twice: the message names each part once, in the snapshot's order.
        ...coverage('failed', ['layers', 'functions', 'versions', 'functions']),
      ],
      collectionErrors: [error({})],
    });

  it('names the parts once each in a fixed order, the failed call and what to do', () => {
    const [out] = runRule(rule, denied());
    expect(out!.message).toBe(
      `Cannot verify ${ACCOUNT} ${REGION}: functions, versions, layers could not be collected (lambda:ListFunctions failed with AccessDeniedException: not authorized to perform lambda:ListFunctions); every finding that needs this data is UNKNOWN — fix access and scan again.`,
    );
    expect(out!.details).toEqual({
      failedParts: ['functions', 'versions', 'layers'],
      errors: [
        {
          call: 'lambda:ListFunctions',
          errorCode: 'AccessDeniedException',
          message: 'not authorized to perform lambda:ListFunctions',
        },
      ],
    });
  });

  it('reports the account-region as its resource, with the account name when known', () => {
    const [out] = runRule(rule, { ...denied(), accounts: [{ accountId: ACCOUNT, name: 'payments-prod' }] });
    expect(out!.resource).toEqual({
      type: 'account-region',
      id: `${ACCOUNT}/${REGION}`,
      name: `payments-prod (${ACCOUNT}) ${REGION}`,
      accountId: ACCOUNT,
      region: REGION,
      provenance: { source: 'aws', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, region: REGION },
    });
    expect(out!.message).toMatch(/^Cannot verify payments-prod \(123456789012\) us-east-1: /);
  });

  for (const partition of ['aws-cn', 'aws-us-gov']) {
    it(`points at the account root in the scanned partition (${partition})`, () => {
      const [out] = runRule(rule, { ...denied(), partition });
      expect(out!.resource.provenance).toMatchObject({ arn: `arn:${partition}:iam::${ACCOUNT}:root` });
    });
  }

  for (const partition of [undefined, 'aws-cn']) {
    it(`reports an erroring check against the same account-region it would judge (${partition ?? 'aws'})`, () => {
      const snapshot = {
        ...denied(),
        accounts: [{ accountId: ACCOUNT, name: 'payments-prod' }],
        ...(partition ? { partition } : {}),
      };
      const ctx = { snapshot, index: new SnapshotIndex(snapshot), policy: DEFAULT_POLICY, now: NOW };
      const [target] = accountRegions(ctx);
      expect(rule.resourceOf(target, ctx)).toEqual(runRule(rule, snapshot)[0]!.resource);
    });
  }

  it('passes with a message naming what was read, and empty details', () => {
    const [out] = runRule(rule, aSnapshot());
    expect(out!.message).toBe(`${ACCOUNT} ${REGION} was read completely.`);
    expect(out!.details).toEqual({ failedParts: [], errors: [] });
  });

  const THROTTLES = [
    'TooManyRequestsException',
    'ThrottlingException',
    'ThrottledException',
    'Throttling',
    'SlowDown',
    'RequestLimitExceeded',
  ];
  for (const errorCode of THROTTLES) {
    it(`says ${errorCode} never cleared`, () => {
      const snapshot = aSnapshot({
        coverage: [...coverage('ok', ['tags']), ...coverage('failed', ['functions'])],
        collectionErrors: [error({ errorCode, message: 'Rate exceeded' })],
      });
      expect(runRule(rule, snapshot)[0]!.message).toContain(
        `lambda:ListFunctions failed with ${errorCode} (still throttled after every retry): Rate exceeded`,
      );
    });
  }

  it('does not call access denied or a missing resource throttling', () => {
    for (const errorCode of ['AccessDeniedException', 'ResourceNotFoundException', 'Throttled']) {
      const snapshot = aSnapshot({
        coverage: [...coverage('ok', ['tags']), ...coverage('failed', ['functions'])],
        collectionErrors: [error({ errorCode })],
      });
      expect(runRule(rule, snapshot)[0]!.message).not.toContain('throttled');
    }
  });

  it('says the scan is incomplete when a call failed without losing a whole part', () => {
    const snapshot = aSnapshot({
      collectionErrors: [
        error({
          operation: 'GetFunctionConfiguration',
          errorCode: 'ServiceException',
          message: 'internal error',
          parts: [],
        }),
      ],
    });
    const [out] = runRule(rule, snapshot);
    expect([out!.status, out!.message]).toEqual([
      'UNKNOWN',
      `Cannot verify ${ACCOUNT} ${REGION}: the scan is incomplete (lambda:GetFunctionConfiguration failed with ServiceException: internal error); every finding that needs this data is UNKNOWN — fix access and scan again.`,
    ]);
  });

  it('names failed parts even when no error was recorded for them', () => {
    const snapshot = aSnapshot({
      coverage: [...coverage('ok', ['functions', 'versions']), ...coverage('failed', ['signingJobs'])],
    });
    expect(runRule(rule, snapshot)[0]!.message).toBe(
      `Cannot verify ${ACCOUNT} ${REGION}: signingJobs could not be collected; every finding that needs this data is UNKNOWN — fix access and scan again.`,
    );
  });

  it('says both what failed and what it means for the scan', () => {
    const snapshot = aSnapshot({
      coverage: [...coverage('ok'), { accountId: ACCOUNT, region: 'global', part: 'iam', status: 'failed' }],
      collectionErrors: [
        error({
          service: 'account',
          operation: 'ListRegions',
          region: 'global',
          errorCode: 'AccessDenied',
          message: 'denied',
          parts: [],
        }),
      ],
    });
    expect(runRule(rule, snapshot)[0]!.message).toBe(
      `Cannot verify ${ACCOUNT} account-wide: iam could not be collected; its enabled regions could not be listed, so only the home region (or --regions) was scanned (account:ListRegions failed with AccessDenied: denied); every finding that needs this data is UNKNOWN — fix access and scan again.`,
    );
  });

  it('says exactly what an unassumable role means', () => {
    const snapshot = aSnapshot({
      accounts: [{ accountId: ACCOUNT }, { accountId: OTHER }],
      collectionErrors: [
        error({
          service: 'sts',
          operation: 'AssumeRole',
          accountId: OTHER,
          region: 'global',
          errorCode: 'AccessDenied',
          message: 'role does not exist',
          parts: [],
        }),
      ],
    });
    const out = runRule(rule, snapshot).find((o) => o.resource.accountId === OTHER)!;
    expect(out.message).toBe(
      `Cannot verify ${OTHER} account-wide: none of its regions were scanned (sts:AssumeRole failed with AccessDenied: role does not exist); every finding that needs this data is UNKNOWN — fix access and scan again.`,
    );
  });

  it('names an account listed with nothing collected, and asks for a new scan', () => {
    const snapshot = aSnapshot({
      accounts: [{ accountId: ACCOUNT }, { accountId: OTHER, name: 'workloads-dev' }],
    });
    const out = runRule(rule, snapshot);
    expect(out.map((o) => [o.resource.id, o.status])).toEqual([
      [`${ACCOUNT}/${REGION}`, 'PASS'],
      [`${OTHER}/global`, 'UNKNOWN'],
    ]);
    expect(out[1]!.resource.name).toBe(`workloads-dev (${OTHER}) account-wide`);
    expect(out[1]!.message).toBe(
      `Account workloads-dev (${OTHER}) was listed for the scan but nothing of it was collected; scan it again.`,
    );
  });

  it('lists accounts in id order, each with its account-wide row first and regions alphabetically', () => {
    const regional = (accountId: string, region: string) =>
      coverage('ok').map((c) => ({ ...c, accountId, region }));
    const global = (accountId: string) => ({
      accountId,
      region: 'global',
      part: 'iam' as const,
      status: 'ok' as const,
    });
    const snapshot = aSnapshot({
      accounts: [{ accountId: OTHER }, { accountId: ACCOUNT }],
      coverage: [
        ...regional(OTHER, 'us-west-2'),
        ...regional(OTHER, 'eu-west-1'),
        global(OTHER),
        ...regional(ACCOUNT, 'us-east-1'),
        global(ACCOUNT),
        ...regional(ACCOUNT, 'ap-south-1'),
      ],
    });
    expect(runRule(rule, snapshot).map((o) => o.resource.id)).toEqual([
      `${ACCOUNT}/global`,
      `${ACCOUNT}/ap-south-1`,
      `${ACCOUNT}/us-east-1`,
      `${OTHER}/global`,
      `${OTHER}/eu-west-1`,
      `${OTHER}/us-west-2`,
    ]);
  });

  for (const part of [
    'functions',
    'versions',
    'codeSigningConfigs',
    'cscAttachments',
    'tags',
    'layers',
    'signingProfiles',
    'signingJobs',
  ] as const) {
    it(`never passes a region whose ${part} were not collected at all`, () => {
      const snapshot = aSnapshot({ coverage: coverage('ok').filter((c) => c.part !== part) });
      const [out] = runRule(rule, snapshot);
      expect([out!.status, out!.message]).toEqual(['UNKNOWN', expect.stringContaining(part)]);
    });
  }
});

describe('SGN-000 corner cases', () => {
  it('lists every failed call of an account-region', () => {
    const snapshot = aSnapshot({
      coverage: [...coverage('ok', ['functions']), ...coverage('failed', ['signingProfiles', 'signingJobs'])],
      collectionErrors: [
        error({
          service: 'signer',
          operation: 'ListSigningProfiles',
          message: 'denied',
          parts: ['signingProfiles'],
        }),
        error({ service: 'signer', operation: 'ListSigningJobs', message: 'denied', parts: ['signingJobs'] }),
      ],
    });
    expect(runRule(rule, snapshot)[0]!.message).toContain(
      '(signer:ListSigningProfiles failed with AccessDeniedException: denied; signer:ListSigningJobs failed with AccessDeniedException: denied)',
    );
  });

  it('keeps an account name that itself contains "account-wide"', () => {
    const snapshot = aSnapshot({
      accounts: [{ accountId: ACCOUNT }, { accountId: OTHER, name: 'shared account-wide tools' }],
    });
    expect(runRule(rule, snapshot).find((o) => o.resource.accountId === OTHER)?.message).toBe(
      `Account shared account-wide tools (${OTHER}) was listed for the scan but nothing of it was collected; scan it again.`,
    );
  });
});
