// The terminal report line by line: the headline counts (UNKNOWN and ERROR included), the tables' layout,
// parse errors, the worst-findings list and its colours.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FINDINGS, renderConsole } from '../../src/report/console.js';
import { aFinding, anIacFinding, anIacReportInput, aReportInput } from './builders.js';

const ESC = '\u001b';

describe('console headline', () => {
  it('counts every status, UNKNOWN and ERROR included, and muted apart', () => {
    const out = renderConsole(
      aReportInput({
        findings: [
          aFinding({ name: 'a' }),
          aFinding({ name: 'b' }),
          aFinding({ name: 'c', status: 'ERROR' }),
          aFinding({ name: 'd', status: 'UNKNOWN' }),
          aFinding({ name: 'e', status: 'UNKNOWN' }),
          aFinding({ name: 'f', status: 'UNKNOWN' }),
          aFinding({ name: 'g', status: 'NOT_APPLICABLE' }),
          aFinding({ name: 'h', status: 'PASS' }),
          aFinding({ name: 'i', status: 'FAIL', muted: { reason: 'ok', source: 'config' } }),
        ],
      }),
    );
    expect(out).toContain(
      'Findings: 9 — 2 failing, 1 errors, 3 unknown, 1 not applicable, 1 passing, 1 muted\n',
    );
  });

  it('opens with the version, what was scanned and when', () => {
    const out = renderConsole(aReportInput());
    expect(out.split('\n').slice(0, 4)).toEqual([
      'Signet 0.1.0 — Live scan of 1 account, 1 region · collected 2025-06-01T11:59:00.000Z',
      '',
      'Coverage: 2 of 4 in-scope functions enforced (50.0%) · 1 warn only · 1 without a CSC',
      'Signing profiles: 2 active · 1 cancelled · 0 revoked',
    ]);
    expect(out.endsWith('\n')).toBe(true);
  });

  it('says so when nothing needs attention', () => {
    const out = renderConsole(aReportInput({ findings: [aFinding({ status: 'PASS' })] }));
    expect(out).toContain('\nNo failing, errored or unknown findings.\n');
    expect(out).not.toContain('Worst findings');
    expect(out).not.toContain('Collection errors');
  });
});

describe('console tables', () => {
  it('lines the columns up under their heads', () => {
    const out = renderConsole(
      aReportInput({
        findings: Array.from({ length: 12 }, (_, i) => aFinding({ name: `f${i}` })),
      }),
    );
    const lines = out.split('\n');
    const head = lines.find((l) => l.startsWith('By rule'))!;
    // The widest label sets the first column: SGN-002's title.
    const width = "SGN-002  Lambda function's code signing configuration enforces".length;
    expect(head).toBe(`${'By rule'.padEnd(width)}  FAIL  ERROR  UNKNOWN  N/A  PASS  MUTED`);
    const row = lines.find((l) => l.startsWith('SGN-001'))!;
    expect(row).toBe(
      `${'SGN-001  Lambda function has a code signing configuration'.padEnd(width)}    12      0        0    0     0      0`,
    );
    expect(row.length).toBe(head.length);
    // A rule that ran without findings still has its row.
    expect(lines.find((l) => l.startsWith('SGN-002'))).toMatch(/\s0\s+0\s+0\s+0\s+0\s+0$/);
  });

  it('truncates long labels to 64 characters with an ellipsis', () => {
    const title = 'A rule title that is much longer than any table in a terminal should have to show';
    const out = renderConsole(
      aReportInput({ rules: [], findings: [aFinding({ ruleId: 'SGN-050', title })] }),
    );
    const row = out.split('\n').find((l) => l.startsWith('SGN-050'))!;
    const label = `SGN-050  ${title}`.slice(0, 63);
    expect(row.startsWith(`${label}…  `)).toBe(true);
    const short = renderConsole(
      aReportInput({ rules: [], findings: [aFinding({ ruleId: 'SGN-050', title: 'x'.repeat(55) })] }),
    );
    expect(short).toContain(`SGN-050  ${'x'.repeat(55)}  `);
    expect(short).not.toContain('…');
  });

  it('says "(no findings)" under a table that has no rows', () => {
    const out = renderConsole(aReportInput({ rules: [], findings: [] }));
    expect(out).toMatch(
      /By rule {2}FAIL {2}ERROR {2}UNKNOWN {2}N\/A {2}PASS {2}MUTED\n {2}\(no findings\)\n/,
    );
    expect(out).toMatch(/By account[^\n]*\n {2}\(no findings\)\n/);
  });

  it('lists parse errors with their position, and collection errors with the parts left incomplete', () => {
    const out = renderConsole(
      anIacReportInput({
        parseErrors: [
          { file: 'a.yaml', line: 3, column: 7, message: 'bad indent' },
          { file: 'b.json', line: 9, message: 'unexpected }' },
          { file: 'c.tf', message: 'too large' },
        ],
        collectionErrors: [
          {
            service: 'tagging',
            operation: 'GetResources',
            accountId: '111122223333',
            region: 'eu-west-1',
            errorCode: 'AccessDenied',
            message: 'no',
            parts: [],
          },
        ],
      }),
    );
    expect(out).toContain(
      [
        'Collection errors (4)',
        '  tagging:GetResources 111122223333 eu-west-1 AccessDenied: no',
        '  a.yaml:3:7 could not be parsed: bad indent',
        '  b.json:9 could not be parsed: unexpected }',
        '  c.tf could not be parsed: too large',
      ].join('\n'),
    );
  });
});

describe('console worst findings', () => {
  const many = Array.from({ length: 25 }, (_, i) => aFinding({ name: `fn-${String(i).padStart(2, '0')}` }));

  it('shows 20 by default and says how many more there are', () => {
    expect(DEFAULT_MAX_FINDINGS).toBe(20);
    const out = renderConsole(aReportInput({ findings: many }));
    expect(out).toContain('Worst findings (20 of 25)');
    expect(out.match(/^ {2}HIGH {2}FAIL {2}SGN-001 /gm)).toHaveLength(20);
    expect(out).toContain('  … 5 more; use --format json, csv or html for all findings.');
  });

  it('shows all of them, without a "more" line, when they fit', () => {
    const out = renderConsole(aReportInput({ findings: many }), { maxFindings: 25 });
    expect(out).toContain('Worst findings (25)\n');
    expect(out).not.toContain('more;');
  });

  it('treats a negative limit as zero', () => {
    const out = renderConsole(aReportInput({ findings: many }), { maxFindings: -3 });
    expect(out).toContain('Worst findings (0 of 25)');
    expect(out).toContain('… 25 more');
  });

  it('pads severity and status so messages line up, and marks muted findings', () => {
    const out = renderConsole(
      aReportInput({
        findings: [
          aFinding({ name: 'a', severity: 'critical', status: 'UNKNOWN' }),
          aFinding({ name: 'b', severity: 'low', muted: { reason: 'vendor', source: 'config' } }),
        ],
      }),
    );
    expect(out).toContain(
      '  CRITICAL  UNKNOWN       SGN-001  arn:aws:lambda:eu-west-1:111122223333:function:a\n      a has no code signing configuration; attach one that enforces.\n',
    );
    expect(out).toContain(
      '  LOW       FAIL (muted)  SGN-001  arn:aws:lambda:eu-west-1:111122223333:function:b\n      b has no code signing configuration; attach one that enforces. [muted: vendor]\n',
    );
  });

  it('points IaC findings at file:line:column', () => {
    const out = renderConsole(anIacReportInput({ findings: [anIacFinding({ line: 4, column: 5 })] }));
    expect(out).toContain('  HIGH  FAIL  SGN-001  templates/app.yaml:4:5 (OrdersFunction)');
  });
});

describe('console colours', () => {
  const input = aReportInput({
    findings: [
      aFinding({ name: 'c', severity: 'critical' }),
      aFinding({ name: 'h', severity: 'high', status: 'ERROR' }),
      aFinding({ name: 'm', severity: 'medium', status: 'UNKNOWN' }),
      aFinding({ name: 'l', severity: 'low', muted: { reason: 'ok', source: 'config' } }),
      aFinding({ name: 'i', severity: 'info' }),
    ],
  });

  it('colours severities, statuses and headings with their own SGR codes, each reset', () => {
    const out = renderConsole(input, { color: true });
    expect(out).toContain(`${ESC}[1mSignet 0.1.0${ESC}[22m`);
    expect(out).toContain(`${ESC}[31m2 failing${ESC}[39m`);
    expect(out).toContain(`${ESC}[35mCRITICAL${ESC}[39m  ${ESC}[31mFAIL        ${ESC}[39m`);
    expect(out).toContain(`${ESC}[31mHIGH    ${ESC}[39m  ${ESC}[35mERROR       ${ESC}[39m`);
    expect(out).toContain(`${ESC}[33mMEDIUM  ${ESC}[39m  ${ESC}[33mUNKNOWN     ${ESC}[39m`);
    expect(out).toContain(`${ESC}[90mINFO    ${ESC}[39m  ${ESC}[31mFAIL        ${ESC}[39m`);
    expect(out).toContain(`${ESC}[36mLOW     ${ESC}[39m  ${ESC}[90mFAIL (muted)${ESC}[39m`);
    expect(out).toContain(`${ESC}[2m [muted: ok]${ESC}[22m`);
    expect(out).toContain(`${ESC}[1mWorst findings (5)${ESC}[22m`);
    expect(out).toContain(`${ESC}[1mBy region  FAIL  ERROR  UNKNOWN  N/A  PASS  MUTED${ESC}[22m`);
  });

  it('colours FAIL counts red only where there are failures, and passes green', () => {
    const out = renderConsole(input, { color: true });
    const row = out.split('\n').find((l) => l.startsWith('SGN-001'))!;
    expect(row).toContain(`${ESC}[31m   2${ESC}[39m`);
    expect(out.split('\n').find((l) => l.startsWith('SGN-002'))).not.toContain(ESC);
    const clean = renderConsole(aReportInput({ findings: [aFinding({ status: 'PASS' })] }), { color: true });
    expect(clean).toContain(`${ESC}[32mNo failing, errored or unknown findings.${ESC}[39m`);
    expect(clean).toContain(`${ESC}[31m0 failing${ESC}[39m`);
  });

  it('dims the "more" line and the empty-table note, and colours the collection errors heading', () => {
    const out = renderConsole(
      aReportInput({
        rules: [],
        findings: [aFinding({ name: 'a' }), aFinding({ name: 'b' })],
        collectionErrors: [
          {
            service: 's',
            operation: 'o',
            accountId: '1',
            region: 'r',
            errorCode: 'E',
            message: 'm',
            parts: ['tags'],
          },
        ],
      }),
      { color: true, maxFindings: 1 },
    );
    expect(out).toContain(`${ESC}[2m  … 1 more; use --format json, csv or html for all findings.${ESC}[22m`);
    expect(out).toContain(`${ESC}[1m${ESC}[33mCollection errors (1)${ESC}[39m${ESC}[22m`);
    expect(out).toContain('  s:o 1 r E: m (incomplete: tags)');
    const empty = renderConsole(aReportInput({ rules: [] }), { color: true });
    expect(empty).toContain(`${ESC}[2m  (no findings)${ESC}[22m`);
  });
});
