// What reporters receive: the coverage headline counted from findings (unknown stays unknown), signing
// profile counts, the rule table with docs links, and the scan's context.
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import type { Evaluation } from '../../src/engine/evaluate.js';
import { buildReportInput, RULE_DOCS_BASE } from '../../src/engine/report-input.js';
import type { Finding, Status } from '../../src/model/finding.js';
import { functionRef } from '../../src/model/refs.js';
import { SnapshotIndex } from '../../src/model/snapshot-index.js';
import { RULES } from '../../src/rules/index.js';
import { aFunction, aProfile, aSnapshot, NOW } from '../helpers/builders.js';

const config = ConfigSchema.parse({});

function finding(
  ruleId: string,
  fn: ReturnType<typeof aFunction>,
  status: Status,
  over: Partial<Finding> = {},
): Finding {
  return {
    id: `${ruleId}-${fn.name}`,
    ruleId,
    slug: 's',
    title: 't',
    status,
    severity: 'high',
    resource: functionRef(fn),
    message: 'm',
    remediation: 'r',
    production: false,
    inScope: true,
    ...over,
  };
}

function input(findings: Finding[], snapshot = aSnapshot()) {
  const evaluation: Evaluation = { findings, rules: [], index: new SnapshotIndex(snapshot) };
  return buildReportInput(snapshot, evaluation, config, NOW);
}

describe('buildReportInput coverage', () => {
  const fns = [
    'enforced',
    'warn',
    'none',
    'unknown',
    'error',
    'no-sgn002',
    'image',
    'out',
    'unknown-warn',
    'enforced-2',
    'warn-2',
  ].map((name) => aFunction({ name, ...(name === 'image' ? { packageType: 'Image' as const } : {}) }));
  const [enforced, warn, none, unknown, error, noSgn002, image, out, unknownWarn, enforced2, warn2] = fns as [
    ReturnType<typeof aFunction>,
    ...ReturnType<typeof aFunction>[],
  ];

  it('counts enforced, warn, no CSC and unknown functions from SGN-001 and SGN-002', () => {
    const report = input(
      [
        finding('SGN-001', enforced, 'PASS'),
        finding('SGN-002', enforced, 'PASS'),
        finding('SGN-001', warn!, 'PASS'),
        finding('SGN-002', warn!, 'FAIL'),
        finding('SGN-001', none!, 'FAIL'),
        finding('SGN-002', none!, 'NOT_APPLICABLE'),
        finding('SGN-001', unknown!, 'UNKNOWN'),
        finding('SGN-002', unknown!, 'PASS'),
        finding('SGN-001', error!, 'PASS'),
        finding('SGN-002', error!, 'ERROR'),
        finding('SGN-001', noSgn002!, 'PASS'),
        finding('SGN-001', image!, 'NOT_APPLICABLE'),
        finding('SGN-001', out!, 'NOT_APPLICABLE', { inScope: false }),
        finding('SGN-002', out!, 'NOT_APPLICABLE', { inScope: false }),
        // Other rules do not move the headline.
        finding('SGN-004', enforced, 'FAIL'),
        // Enforce mode says nothing when SGN-001 could not tell whether a CSC is attached.
        finding('SGN-001', unknownWarn!, 'UNKNOWN'),
        finding('SGN-002', unknownWarn!, 'FAIL'),
        finding('SGN-001', enforced2!, 'PASS'),
        finding('SGN-002', enforced2!, 'PASS'),
        finding('SGN-001', warn2!, 'PASS'),
        finding('SGN-002', warn2!, 'FAIL'),
      ],
      aSnapshot({ functions: fns }),
    );
    expect(report.coverage).toEqual({
      inScopeFunctions: 9,
      enforced: 2,
      warn: 2,
      noCsc: 1,
      unknown: 4,
      notApplicable: 1,
      unreadableAccountRegions: 0,
    });
  });

  it('counts a muted FAIL as no CSC: muting accepts a finding, it does not change coverage', () => {
    const report = input([finding('SGN-001', none!, 'FAIL', { muted: { reason: 'x', source: 'config' } })]);
    expect(report.coverage).toMatchObject({ inScopeFunctions: 1, noCsc: 1 });
  });

  it('counts SGN-002 findings only when they point at functions (not at CSCs)', () => {
    const cscFinding = finding('SGN-002', warn!, 'FAIL', {
      resource: { ...functionRef(warn!), type: 'code-signing-config' },
    });
    const report = input([finding('SGN-001', warn!, 'PASS'), cscFinding]);
    expect(report.coverage).toMatchObject({ inScopeFunctions: 1, warn: 0, unknown: 1 });
    const notAFunction = finding('SGN-001', warn!, 'FAIL', {
      resource: { ...functionRef(warn!), type: 'function-version' },
    });
    expect(input([notAFunction]).coverage.inScopeFunctions).toBe(0);
  });

  it('counts account-regions SGN-000 could not read, whatever their status but PASS', () => {
    const report = input([
      finding('SGN-000', enforced, 'UNKNOWN'),
      finding('SGN-000', warn!, 'ERROR'),
      finding('SGN-000', none!, 'PASS'),
      finding('SGN-000', unknown!, 'FAIL'),
    ]);
    expect(report.coverage.unreadableAccountRegions).toBe(3);
  });
});

describe('buildReportInput context', () => {
  it('counts signing profiles by status', () => {
    const snapshot = aSnapshot({
      signingProfiles: [
        aProfile({ name: 'a' }),
        aProfile({ name: 'b' }),
        aProfile({ name: 'c', status: 'Canceled' }),
        aProfile({ name: 'd', status: 'Revoked' }),
        aProfile({ name: 'e', status: 'Revoked' }),
        aProfile({ name: 'f', status: 'Revoked' }),
      ],
    });
    expect(input([], snapshot).signingProfileCounts).toEqual({ active: 2, canceled: 1, revoked: 3 });
  });

  it('carries the tool, times, source, scope, findings and errors through', () => {
    const snapshot = aSnapshot({
      collectionErrors: [
        {
          service: 'lambda',
          operation: 'ListFunctions',
          accountId: '123456789012',
          region: 'us-east-1',
          errorCode: 'AccessDenied',
          message: 'no',
          parts: ['functions'],
        },
      ],
    });
    const f = finding('SGN-001', aFunction(), 'FAIL');
    const report = input([f], snapshot);
    expect(report).toMatchObject({
      tool: { name: 'signet', version: expect.stringMatching(/^\d+\.\d+\.\d+/) },
      generatedAt: NOW.toISOString(),
      source: 'aws',
      collectedAt: snapshot.collectedAt,
      accounts: snapshot.accounts,
      regions: snapshot.regions,
      findings: [f],
      collectionErrors: snapshot.collectionErrors,
      parseErrors: [],
    });
    const iac = { ...aSnapshot(), source: 'iac' as const, parseErrors: [{ file: 'a.yaml', message: 'bad' }] };
    expect(input([], iac).parseErrors).toEqual([{ file: 'a.yaml', message: 'bad' }]);
  });

  it('describes each rule that ran with a link to its docs page', () => {
    const rule = RULES[1]!;
    const snapshot = aSnapshot();
    const report = buildReportInput(
      snapshot,
      { findings: [], rules: [rule], index: new SnapshotIndex(snapshot) },
      config,
      NOW,
    );
    expect(RULE_DOCS_BASE).toBe('docs/rules');
    expect(report.rules).toEqual([
      {
        id: rule.meta.id,
        slug: rule.meta.slug,
        title: rule.meta.title,
        severity: rule.meta.severity,
        rationale: rule.meta.rationale,
        remediation: rule.meta.remediation,
        helpUri: `docs/rules/${rule.meta.slug}.md`,
      },
    ]);
  });
});
