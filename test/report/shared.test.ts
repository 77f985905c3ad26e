// The helpers every reporter shares: the coverage headline, ordering, counting, grouping, locations and
// docs links. Each case is a line or an order a reader of some report sees.
import { describe, expect, it } from 'vitest';
import {
  absoluteUrl,
  accountLabel,
  accountOf,
  compareWorstFirst,
  countAll,
  countBy,
  countByRule,
  coverageBy,
  coverageLine,
  escapeXml,
  fileOf,
  iacPosition,
  locationText,
  needsAttention,
  percent,
  propertyPosition,
  regionOf,
  safeText,
  scopeLine,
  signingProfilesLine,
  summaryGroups,
  worstFindings,
} from '../../src/report/shared.js';
import { aFinding, anIacFinding, anIacReportInput, aReportInput } from './builders.js';

type Cov = ReturnType<typeof aReportInput>['coverage'];
const line = (coverage: Partial<Cov>) =>
  coverageLine(
    aReportInput({
      coverage: { inScopeFunctions: 0, enforced: 0, warn: 0, noCsc: 0, notApplicable: 0, ...coverage },
    }),
  );

describe('coverageLine (the headline every report shows)', () => {
  it('states enforced, warn-only and no-CSC counts with the enforced percentage', () => {
    expect(line({ inScopeFunctions: 3, enforced: 1, warn: 1, noCsc: 1 })).toBe(
      'Coverage: 1 of 3 in-scope functions enforced (33.3%) · 1 warn only · 1 without a CSC',
    );
  });

  it('counts undetermined functions as such, from the report or from what the counts leave over', () => {
    expect(line({ inScopeFunctions: 10, enforced: 4, warn: 1, noCsc: 2, unknown: 3 })).toBe(
      'Coverage: 4 of 10 in-scope functions enforced (40.0%) · 1 warn only · 2 without a CSC · 3 undetermined',
    );
    // An older report without `unknown`: whatever the three counts do not explain is undetermined.
    expect(line({ inScopeFunctions: 10, enforced: 4, warn: 1, noCsc: 2 })).toContain('· 3 undetermined');
    expect(line({ inScopeFunctions: 7, enforced: 4, warn: 1, noCsc: 2 })).not.toContain('undetermined');
    expect(line({ inScopeFunctions: 7, enforced: 4, warn: 1, noCsc: 2, unknown: 0 })).not.toContain(
      'undetermined',
    );
  });

  it('adds container-image functions and unreadable account-regions', () => {
    expect(
      line({ inScopeFunctions: 2, enforced: 2, notApplicable: 4, unreadableAccountRegions: 1, unknown: 0 }),
    ).toBe(
      'Coverage: 2 of 2 in-scope functions enforced (100.0%) · 0 warn only · 0 without a CSC · 4 container-image functions not applicable · 1 account-region could not be read completely',
    );
    expect(line({ inScopeFunctions: 1, enforced: 1, unreadableAccountRegions: 3 })).toContain(
      '3 account-regions could not be read completely',
    );
  });

  it('never says "no functions" when account-regions could not be read: coverage is unknown', () => {
    expect(line({ unreadableAccountRegions: 2 })).toBe(
      'Coverage: unknown — 2 account-regions could not be read completely',
    );
    expect(line({ unreadableAccountRegions: 1 })).toBe(
      'Coverage: unknown — 1 account-region could not be read completely',
    );
    expect(line({})).toBe('Coverage: no in-scope Zip functions');
    expect(line({ notApplicable: 2 })).toBe(
      'Coverage: no in-scope Zip functions (2 container-image functions not applicable)',
    );
  });

  it('rounds percentages to one decimal and shows a dash for nothing to divide', () => {
    expect(percent(2, 3)).toBe('66.7%');
    expect(percent(0, 5)).toBe('0.0%');
    expect(percent(5, 5)).toBe('100.0%');
    expect(percent(0, 0)).toBe('–');
  });
});

describe('scope and signing-profile lines', () => {
  it('counts accounts, regions and files with singular and plural', () => {
    expect(scopeLine(aReportInput())).toBe('Live scan of 1 account, 1 region');
    expect(
      scopeLine(
        aReportInput({
          accounts: [{ accountId: '111122223333' }, { accountId: '444455556666' }],
          regions: ['eu-west-1', 'us-east-1', 'ap-south-1'],
        }),
      ),
    ).toBe('Live scan of 2 accounts, 3 regions');
    expect(scopeLine(aReportInput({ accounts: [], regions: [] }))).toBe('Live scan of 0 accounts, 0 regions');
    expect(
      scopeLine(anIacReportInput({ findings: [anIacFinding(), anIacFinding({ logicalId: 'B' })] })),
    ).toBe('IaC scan of 1 file');
    expect(
      scopeLine(
        anIacReportInput({
          findings: [anIacFinding(), anIacFinding({ file: 'b.yaml' }), anIacFinding({ file: 'c.tf' })],
        }),
      ),
    ).toBe('IaC scan of 3 files');
  });

  it('lists active, cancelled and revoked signing profiles', () => {
    expect(
      signingProfilesLine(aReportInput({ signingProfileCounts: { active: 3, canceled: 2, revoked: 1 } })),
    ).toBe('Signing profiles: 3 active · 2 cancelled · 1 revoked');
  });
});

describe('ordering', () => {
  it('needs attention for FAIL, ERROR and UNKNOWN only', () => {
    expect(
      (['FAIL', 'ERROR', 'UNKNOWN', 'PASS', 'NOT_APPLICABLE'] as const).map((status) =>
        needsAttention(aFinding({ status })),
      ),
    ).toEqual([true, true, true, false, false]);
  });

  it('puts unmuted first, then severity, then status, then rule, resource and id', () => {
    const findings = [
      aFinding({ id: '9', name: 'muted', severity: 'critical', muted: { reason: 'x', source: 'config' } }),
      aFinding({ id: '8', name: 'low', severity: 'low' }),
      aFinding({ id: '7', name: 'unknown', severity: 'high', status: 'UNKNOWN' }),
      aFinding({ id: '6', name: 'error', severity: 'high', status: 'ERROR' }),
      aFinding({ id: '5', name: 'b', severity: 'high', ruleId: 'SGN-002' }),
      aFinding({ id: '4', name: 'b', severity: 'high' }),
      aFinding({ id: '3', name: 'a', severity: 'high' }),
      aFinding({ id: '2', name: 'a', severity: 'high', resource: aFinding({ name: 'a' }).resource }),
    ];
    const names = worstFindings(findings).map((f) => `${f.resource.name}/${f.ruleId}/${f.id}`);
    expect(names).toEqual([
      'a/SGN-001/2',
      'a/SGN-001/3',
      'b/SGN-001/4',
      'b/SGN-002/5',
      'error/SGN-001/6',
      'unknown/SGN-001/7',
      'low/SGN-001/8',
      'muted/SGN-001/9',
    ]);
    const same = aFinding();
    expect(compareWorstFirst(same, { ...same })).toBe(0);
  });

  it('leaves out PASS and NOT_APPLICABLE from the worst findings', () => {
    const worst = worstFindings([
      aFinding({ name: 'p', status: 'PASS' }),
      aFinding({ name: 'n', status: 'NOT_APPLICABLE' }),
      aFinding({ name: 'f' }),
    ]);
    expect(worst.map((f) => f.resource.name)).toEqual(['f']);
  });
});

describe('counting', () => {
  it('counts a muted finding as muted only, so the columns add up to the total', () => {
    const counts = countAll([
      aFinding({ status: 'FAIL' }),
      aFinding({ status: 'FAIL', muted: { reason: 'x', source: 'config' } }),
      aFinding({ status: 'UNKNOWN', muted: { reason: 'x', source: 'inline' } }),
      aFinding({ status: 'ERROR' }),
      aFinding({ status: 'UNKNOWN' }),
      aFinding({ status: 'NOT_APPLICABLE' }),
      aFinding({ status: 'PASS' }),
      aFinding({ status: 'PASS' }),
    ]);
    expect(counts).toEqual({ FAIL: 1, ERROR: 1, UNKNOWN: 1, NOT_APPLICABLE: 1, PASS: 2, muted: 2, total: 8 });
  });

  it('groups by a key, sorted by key', () => {
    const rows = countBy(
      [
        aFinding({ region: 'us-east-1' }),
        aFinding({ region: 'eu-west-1', status: 'PASS' }),
        aFinding({ region: 'us-east-1', status: 'PASS' }),
      ],
      regionOf,
    );
    expect(rows.map((r) => [r.key, r.label, r.counts.FAIL, r.counts.PASS, r.counts.total])).toEqual([
      ['eu-west-1', 'eu-west-1', 0, 1, 1],
      ['us-east-1', 'us-east-1', 1, 1, 2],
    ]);
  });

  it('counts by rule in the rule table’s order, keeping silent rules and adding unlisted ones', () => {
    const rows = countByRule(
      aReportInput({
        findings: [
          aFinding({ ruleId: 'SGN-002' }),
          aFinding({ ruleId: 'SGN-099', title: 'An unlisted rule' }),
          aFinding({ ruleId: 'SGN-099', title: 'An unlisted rule', status: 'PASS' }),
        ],
      }),
    );
    expect(rows.map((r) => [r.key, r.label, r.counts.FAIL, r.counts.PASS, r.rule?.id])).toEqual([
      ['SGN-001', 'Lambda function has a code signing configuration', 0, 0, 'SGN-001'],
      ['SGN-002', "Lambda function's code signing configuration enforces", 1, 0, 'SGN-002'],
      ['SGN-099', 'An unlisted rule', 1, 1, undefined],
    ]);
  });
});

describe('grouping', () => {
  const profile = aFinding({
    resource: {
      type: 'signing-profile',
      id: 'p',
      name: 'p',
      provenance: {
        source: 'aws',
        arn: 'arn:aws:signer:ap-south-1:444455556666:/signing-profiles/p',
        accountId: '444455556666',
        region: 'ap-south-1',
      },
    },
  });

  it('takes account and region from the resource, else from its provenance, else says there is none', () => {
    const live = aFinding({ account: '210987654321', region: 'us-west-2' });
    expect([accountOf(live), regionOf(live)]).toEqual(['210987654321', 'us-west-2']);
    expect([accountOf(profile), regionOf(profile)]).toEqual(['444455556666', 'ap-south-1']);
    const iac = anIacFinding();
    expect([accountOf(iac), regionOf(iac), fileOf(iac)]).toEqual([
      '(no account)',
      '(no region)',
      'templates/app.yaml',
    ]);
    expect(fileOf(live)).toBe('(no account)');
  });

  it('labels accounts with their names when known', () => {
    const input = aReportInput({
      accounts: [{ accountId: '111122223333', name: 'prod' }, { accountId: '444455556666' }],
    });
    expect(accountLabel(input, '111122223333')).toBe('111122223333 (prod)');
    expect(accountLabel(input, '444455556666')).toBe('444455556666');
    expect(accountLabel(input, '999999999999')).toBe('999999999999');
  });

  it('summarises live scans by account (named) and region, templates by file', () => {
    const live = summaryGroups(aReportInput({ findings: [aFinding(), profile] }));
    expect(live.map((g) => [g.title, g.rows.map((r) => r.label)])).toEqual([
      ['account', ['111122223333 (prod)', '444455556666']],
      ['region', ['ap-south-1', 'eu-west-1']],
    ]);
    const iac = summaryGroups(
      anIacReportInput({ findings: [anIacFinding({ file: 'b.yaml' }), anIacFinding()] }),
    );
    expect(iac.map((g) => [g.title, g.rows.map((r) => r.key)])).toEqual([
      ['file', ['b.yaml', 'templates/app.yaml']],
    ]);
  });
});

describe('coverageBy', () => {
  it('derives enforced / warn / no CSC / unknown per group from SGN-001 and SGN-002, skipping images', () => {
    const fn = (name: string, account: string, hasCsc: string, enforces?: string) => [
      aFinding({ name, account, ruleId: 'SGN-001', status: hasCsc as never }),
      ...(enforces ? [aFinding({ name, account, ruleId: 'SGN-002', status: enforces as never })] : []),
    ];
    const findings = [
      ...fn('enforced', '222222222222', 'PASS', 'PASS'),
      ...fn('warn', '222222222222', 'PASS', 'FAIL'),
      ...fn('none', '222222222222', 'FAIL', 'NOT_APPLICABLE'),
      ...fn('unknown', '222222222222', 'PASS', 'UNKNOWN'),
      ...fn('unread', '222222222222', 'UNKNOWN'),
      ...fn('image', '222222222222', 'NOT_APPLICABLE', 'NOT_APPLICABLE'),
      ...fn('other', '111111111111', 'PASS', 'PASS'),
      // Out of scope and non-function findings do not count.
      aFinding({ name: 'out', account: '222222222222', inScope: false }),
      aFinding({
        name: 'csc',
        account: '222222222222',
        ruleId: 'SGN-002',
        resource: { ...aFinding().resource, type: 'code-signing-config', id: 'csc' },
      }),
      aFinding({ name: 'x', account: '222222222222', ruleId: 'SGN-005' }),
    ];
    const byAccount = coverageBy(findings, accountOf);
    expect([...byAccount.keys()]).toEqual(['111111111111', '222222222222']);
    expect(byAccount.get('222222222222')).toEqual({ enforced: 1, warn: 1, noCsc: 1, unknown: 2, total: 5 });
    expect(byAccount.get('111111111111')).toEqual({ enforced: 1, warn: 0, noCsc: 0, unknown: 0, total: 1 });
  });
});

describe('locations', () => {
  it('points live findings at the ARN and IaC findings at file:line:column (logical id)', () => {
    expect(locationText(aFinding({ name: 'orders' }))).toBe(
      'arn:aws:lambda:eu-west-1:111122223333:function:orders',
    );
    expect(locationText(anIacFinding({ line: 7, column: 5 }))).toBe(
      'templates/app.yaml:7:5 (OrdersFunction)',
    );
  });

  it('prefers the offending property’s position when the rule named one the adapter located', () => {
    const located = anIacFinding({
      properties: { Layers: { line: 20, column: 9 } },
      details: { property: 'Layers' },
    });
    expect(propertyPosition(located)).toEqual({ line: 20, column: 9 });
    expect(iacPosition(located)).toEqual({ file: 'templates/app.yaml', line: 20, column: 9 });
    const unlocated = anIacFinding({
      properties: { Layers: { line: 20, column: 9 } },
      details: { property: 'Runtime' },
    });
    expect(propertyPosition(unlocated)).toBeUndefined();
    expect(iacPosition(unlocated)).toEqual({ file: 'templates/app.yaml', line: 12, column: 3 });
    expect(propertyPosition(anIacFinding({ details: { property: 3 } }))).toBeUndefined();
    expect(propertyPosition(aFinding({ details: { property: 'Layers' } }))).toBeUndefined();
    expect(iacPosition(aFinding())).toBeUndefined();
  });

  it('points at another resource’s line when the rule says where the fix goes', () => {
    const elsewhere = anIacFinding({
      properties: { Layers: { line: 20, column: 9 } },
      details: { property: 'Layers', location: { file: 'csc.yaml', line: 4, column: 2 } },
    });
    expect(iacPosition(elsewhere)).toEqual({ file: 'csc.yaml', line: 4, column: 2 });
    expect(locationText(elsewhere)).toBe('csc.yaml:4:2 (OrdersFunction)');
    for (const location of [
      { file: 'csc.yaml', line: '4', column: 2 },
      { file: 'csc.yaml', line: 4 },
      { line: 4, column: 2 },
    ]) {
      expect(iacPosition(anIacFinding({ details: { location } }))).toEqual({
        file: 'templates/app.yaml',
        line: 12,
        column: 3,
      });
    }
  });
});

describe('absoluteUrl (docs links)', () => {
  it('resolves relative docs paths only against a base, and keeps only http(s)', () => {
    expect(absoluteUrl('docs/rules/x.md', 'https://example.com/signet/')).toBe(
      'https://example.com/signet/docs/rules/x.md',
    );
    expect(absoluteUrl('docs/rules/x.md', undefined)).toBeUndefined();
    expect(absoluteUrl('https://other.example/x', undefined)).toBe('https://other.example/x');
    expect(absoluteUrl('http://other.example/x', undefined)).toBe('http://other.example/x');
    expect(absoluteUrl(undefined, 'https://example.com/')).toBeUndefined();
    expect(absoluteUrl('', 'https://example.com/')).toBeUndefined();
    expect(absoluteUrl('javascript:alert(1)', 'https://example.com/')).toBeUndefined();
    expect(absoluteUrl('docs/x.md', 'file:///etc/')).toBeUndefined();
    expect(absoluteUrl('docs/x.md', 'not a url')).toBeUndefined();
    expect(absoluteUrl('xhttps://e.com', undefined)).toBeUndefined();
  });
});

describe('text neutralising', () => {
  it('returns ordinary values untouched and turns nothing into an empty string', () => {
    expect(safeText('arn:aws:lambda:eu-west-1:1:function:a')).toBe('arn:aws:lambda:eu-west-1:1:function:a');
    expect(safeText(undefined)).toBe('');
    expect(safeText(null)).toBe('');
    expect(safeText(42)).toBe('42');
    expect(escapeXml(undefined)).toBe('');
    expect(escapeXml(7)).toBe('7');
    expect(escapeXml('plain')).toBe('plain');
  });

  it('collapses runs of line breaks and tabs into one space', () => {
    expect(safeText('a\r\n\r\n\tb\u2028c')).toBe('a b c');
    expect(escapeXml('a\n\nb')).toBe('a b');
  });

  it('escapes each markup character on its own', () => {
    expect(escapeXml('&')).toBe('&amp;');
    expect(escapeXml('<')).toBe('&lt;');
    expect(escapeXml('>')).toBe('&gt;');
    expect(escapeXml('"')).toBe('&quot;');
    expect(escapeXml("'")).toBe('&#39;');
    expect(escapeXml('a & b & c')).toBe('a &amp; b &amp; c');
    expect(escapeXml('\uffff')).toBe('\ufffd');
    expect(escapeXml('\u0007bell')).toBe('bell');
  });
});
