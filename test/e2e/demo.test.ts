// The demo organisation, scanned end to end: every seeded situation is found, and nothing seeded as
// compliant is reported as failing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../src/aws/collect/scan.js';
import { defaultConfig } from '../../src/config/schema.js';
import { evaluate } from '../../src/engine/evaluate.js';
import type { Finding } from '../../src/model/finding.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import { DEMO_PIPELINE, demoSeed } from '../../src/sandbox/seeds/demo.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import expectations from './demo-expectations.json' with { type: 'json' };

let t: TestSandbox;
let snapshot: Snapshot;
let findings: Finding[];
let accountIds: Record<string, string>;

/** One situation the demo seeds and what a correct audit says about it (data: demo-expectations.json). */
interface DemoExpectation {
  /** Function name, `function:version`, CSC description, or signing profile name. */
  resource: string;
  account: 'management' | 'prod' | 'dev';
  /** Defaults to us-east-1. */
  region?: string;
  ruleId: string;
  status: 'PASS' | 'FAIL' | 'NOT_APPLICABLE';
  why: string;
}
const DEMO_EXPECTATIONS = expectations as DemoExpectation[];

const COMPLIANT = [
  'payments-api',
  'orders-worker',
  'dev-api',
  'org-audit',
  ...Array.from({ length: 8 }, (_, i) => `catalog-svc-${i + 1}`),
  ...Array.from({ length: 5 }, (_, i) => `eu-orders-${i + 1}`),
];

beforeAll(async () => {
  t = await startTestSandbox();
  await demoSeed({
    endpoint: t.endpoint,
    credentials: { ...BOOTSTRAP_CREDENTIALS },
    params: {},
    log: () => {},
  });
  snapshot = await collectSnapshot({
    endpoint: t.endpoint,
    credentials: { ...BOOTSTRAP_CREDENTIALS },
    homeRegion: 'us-east-1',
    org: true,
  });
  findings = evaluate(snapshot, { ...defaultConfig(), pipeline: DEMO_PIPELINE, lookback: '90d' }).findings;
  const byName = Object.fromEntries(snapshot.accounts.map((a) => [a.name, a.accountId]));
  accountIds = { prod: byName['workloads-prod']!, dev: byName['workloads-dev']!, management: '111111111111' };
}, 180_000);
afterAll(async () => t?.close());

describe('signet demo organisation', () => {
  it('scans all three accounts and their regions without collection errors', () => {
    expect(snapshot.accounts).toHaveLength(3);
    expect(snapshot.collectionErrors).toEqual([]);
    expect(snapshot.functions.length).toBeGreaterThanOrEqual(38);
    for (const region of ['us-east-1', 'eu-west-1', 'us-west-2']) expect(snapshot.regions).toContain(region);
  });

  for (const e of DEMO_EXPECTATIONS) {
    it(`${e.ruleId} ${e.status} for ${e.account}/${e.region ?? 'us-east-1'} ${e.resource} (${e.why})`, () => {
      const accountId = accountIds[e.account];
      const region = e.region ?? 'us-east-1';
      const csc = snapshot.codeSigningConfigs.find(
        (c) => c.description === e.resource && c.accountId === accountId && c.region === region,
      );
      const finding = findings.find(
        (f) =>
          f.ruleId === e.ruleId &&
          f.resource.accountId === accountId &&
          f.resource.region === region &&
          (csc ? f.resource.id === csc.id : f.resource.name === e.resource),
      );
      expect(finding, 'finding exists').toBeDefined();
      expect(finding!.status, finding!.message).toBe(e.status);
    });
  }

  it('reports nothing seeded as compliant as failing', () => {
    const bad = findings.filter(
      (f) => f.status !== 'PASS' && f.status !== 'NOT_APPLICABLE' && COMPLIANT.includes(f.resource.name),
    );
    expect(bad.map((f) => `${f.ruleId} ${f.resource.name}: ${f.message}`)).toEqual([]);
  });

  it('escalates production findings', () => {
    const reports = findings.find((f) => f.ruleId === 'SGN-001' && f.resource.name === 'reports-export')!;
    const playground = findings.find((f) => f.ruleId === 'SGN-001' && f.resource.name === 'dev-playground')!;
    expect([reports.severity, playground.severity]).toEqual(['critical', 'high']);
  });
});

describe('signet demo organisation: governance', () => {
  const accountFinding = (ruleId: string, account: string, region = 'global') =>
    findings.find(
      (f) =>
        f.ruleId === ruleId &&
        f.resource.type === 'account' &&
        f.resource.accountId === account &&
        f.resource.region === region,
    );

  it('SGN-013 shows the downgrade Enforce → Warn in prod (set back since) with who and the event id', () => {
    const f = accountFinding('SGN-013', accountIds.prod!, 'us-east-1')!;
    expect(f.status).toBe('FAIL');
    expect(f.message).toMatch(/to Warn .*user\/alice/);
    expect(accountFinding('SGN-013', accountIds.dev!, 'us-east-1')?.status).toBe('PASS');
  });

  it('SGN-014 passes prod (SCP attached), fails dev (none) and the management account (runs functions)', () => {
    expect(accountFinding('SGN-014', accountIds.prod!)?.status).toBe('PASS');
    expect(accountFinding('SGN-014', accountIds.dev!)?.status).toBe('FAIL');
    expect(accountFinding('SGN-014', accountIds.management!)?.message).toMatch(/management account/);
  });

  it('the pipeline role pair keeps duties separate', () => {
    const pair = findings.filter(
      (f) =>
        f.ruleId === 'SGN-011' && /:role\/ci-(signer|deployer)$/.test(f.resource.id) && f.status !== 'PASS',
    );
    expect(pair).toEqual([]);
  });
});
