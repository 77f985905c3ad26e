// CloudTrail (2 requests/s) is the slowest part of a busy account-region: the scan starts an
// account-region's LookupEvents as soon as its first ListFunctions page shows a function, beside the rest
// of its Lambda collection, and not at all for an empty one. Observed from the order requests reach the
// sandbox, not from timings.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectSnapshot } from '../../src/aws/collect/scan.js';
import type { SandboxRequest } from '../../src/sandbox/http.js';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import { scaleSeed } from '../../src/sandbox/seeds/scale.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
const seen: string[] = [];

function operationOf(req: SandboxRequest): string | undefined {
  const target = req.headers['x-amz-target'];
  if (target?.endsWith('.LookupEvents')) return `LookupEvents ${req.credential?.region}`;
  if (req.method === 'GET' && /^\/2015-03-31\/functions\/?$/.test(req.rawPath))
    return `ListFunctions ${req.credential?.region}`;
  return undefined;
}

beforeAll(async () => {
  t = await startTestSandbox();
  // 400 functions in us-east-1 (8 ListFunctions pages of 50); eu-west-1 stays empty.
  await scaleSeed({
    endpoint: t.endpoint,
    credentials: BOOTSTRAP_CREDENTIALS,
    params: { functions: '400', cscs: '2' },
    log: () => {},
  });
  const dispatch = t.sandbox.dispatch.bind(t.sandbox);
  t.sandbox.dispatch = async (req) => {
    const op = operationOf(req);
    if (op) seen.push(op);
    return dispatch(req);
  };
}, 120_000);
afterAll(async () => t?.close());

it('queries a busy region’s CloudTrail while its functions are still being listed, an empty one’s never', async () => {
  const snapshot = await collectSnapshot({
    endpoint: t.endpoint,
    credentials: BOOTSTRAP_CREDENTIALS,
    homeRegion: 'us-east-1',
    regions: ['us-east-1', 'eu-west-1'],
  });
  expect(snapshot.functions.filter((f) => f.region === 'us-east-1')).toHaveLength(400);
  const listing = seen.filter((s) => s === 'ListFunctions us-east-1');
  expect(listing.length).toBeGreaterThanOrEqual(8);
  const firstTrail = seen.indexOf('LookupEvents us-east-1');
  const lastListing = seen.lastIndexOf('ListFunctions us-east-1');
  expect(firstTrail).toBeGreaterThan(-1);
  expect(firstTrail).toBeLessThan(lastListing);
  // The empty region: listed, nothing to judge, so CloudTrail is not asked (and its coverage is ok).
  // One CloudTrail coverage entry per account-region, from the collector that read (or skipped) it.
  expect(seen).toContain('ListFunctions eu-west-1');
  expect(seen).not.toContain('LookupEvents eu-west-1');
  const trailCoverage = snapshot.coverage.filter((c) => c.part === 'cloudtrail');
  expect(trailCoverage.map((c) => `${c.region}:${c.status}`).sort()).toEqual([
    'eu-west-1:ok',
    'us-east-1:ok',
  ]);
  // The seed's 400 CreateFunction calls are in the window and every one was read.
  const creates = snapshot.governance?.trailEvents.filter(
    (e) => e.eventName === 'CreateFunction20150331' && e.region === 'us-east-1',
  );
  expect(creates?.length).toBeGreaterThanOrEqual(400);
}, 120_000);
