import { describe, expect, it } from 'vitest';
import type { CollectionError } from '../../src/model/snapshot.js';
import { collectionComplete as rule } from '../../src/rules/collection-complete.js';
import { ACCOUNT, aSnapshot, coverage, REGION, runRule } from '../helpers/builders.js';

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

  it('does not run on templates', () => {
    expect(rule.meta.sources).toEqual(['aws']);
  });
});
