import { describe, expect, it } from 'vitest';
import { renderConsole } from '../../src/report/console.js';
import { aFinding, anIacFinding, anIacReportInput, aReportInput, HOSTILE } from './builders.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting escape sequences is the point
const ESC = /\u001b/;

describe('console report', () => {
  const input = aReportInput({
    accounts: [
      { accountId: '111122223333', name: 'prod' },
      { accountId: '444455556666', name: HOSTILE },
    ],
    findings: [
      aFinding({ name: 'low', severity: 'low', status: 'FAIL' }),
      aFinding({ name: 'crit', severity: 'critical', status: 'FAIL', account: '444455556666' }),
      aFinding({ name: 'unk', severity: 'critical', status: 'UNKNOWN' }),
      aFinding({ name: 'ok', status: 'PASS', region: 'us-east-1' }),
      aFinding({ name: 'image', status: 'NOT_APPLICABLE' }),
      aFinding({
        name: 'accepted',
        severity: 'critical',
        status: 'FAIL',
        muted: { reason: 'vendor', source: 'config' },
      }),
      aFinding({ name: HOSTILE, severity: 'medium', message: `bad ${HOSTILE}` }),
    ],
    collectionErrors: [
      {
        service: 'lambda',
        operation: 'ListFunctions',
        accountId: '444455556666',
        region: 'ap-south-1',
        errorCode: 'AccessDeniedException',
        message: `denied\u001b[31m${HOSTILE}`,
        parts: ['functions'],
      },
    ],
  });

  it('summarises by rule, account and region with FAIL / PASS / N/A / UNKNOWN / muted counts', () => {
    const out = renderConsole(input);
    expect(out).toMatch(/By rule\s+FAIL\s+ERROR\s+UNKNOWN\s+N\/A\s+PASS\s+MUTED/);
    expect(out).toMatch(
      /SGN-001 {2}Lambda function has a code signing configuration\s+3\s+0\s+1\s+1\s+1\s+1\n/,
    );
    expect(out).toMatch(/By account/);
    expect(out).toMatch(/111122223333 \(prod\)\s+2\s+0\s+1\s+1\s+1\s+1\n/);
    expect(out).toMatch(/By region/);
    expect(out).toMatch(/us-east-1\s+0\s+0\s+0\s+0\s+1\s+0\n/);
  });

  it('shows coverage, signing profiles and collection errors', () => {
    const out = renderConsole(input);
    expect(out).toContain(
      'Coverage: 2 of 4 in-scope functions enforced (50.0%) · 1 warn only · 1 without a CSC',
    );
    expect(out).toContain('Signing profiles: 2 active · 1 cancelled · 0 revoked');
    expect(out).toMatch(
      /Collection errors \(1\)\n {2}lambda:ListFunctions 444455556666 ap-south-1 AccessDeniedException: denied/,
    );
  });

  it('lists the worst findings first (severity, then status), unmuted before muted, up to maxFindings', () => {
    const out = renderConsole(input, { maxFindings: 3 });
    const listed = [...out.matchAll(/^ {2}(\w+)\s+(\S+(?: \(muted\))?)\s+SGN-\d+\s+(\S+)/gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    expect(listed).toEqual(['CRITICAL FAIL', 'CRITICAL UNKNOWN', 'MEDIUM FAIL']);
    expect(out).toContain('Worst findings (3 of 5)');
    expect(out).toContain('… 2 more');
    const all = renderConsole(input, { maxFindings: 100 });
    expect(all.indexOf('function:low')).toBeLessThan(all.indexOf('function:accepted'));
    expect(all).toContain('[muted: vendor]');
    expect(all).not.toContain('function:ok');
  });

  it('strips escape sequences and control characters from every value', () => {
    const out = renderConsole(input, { maxFindings: 100 });
    expect(out).not.toMatch(ESC);
    expect(out).not.toContain('\u0007');
    expect(out).toContain('<script>alert(1)</script>x');
    // The only line breaks are the report's own: a hostile value stays on its line.
    expect(out).not.toMatch(/bad <script>alert\(1\)<\/script>x\n\S/);
  });

  it('uses colour only when asked, and then only its own', () => {
    expect(renderConsole(input)).not.toMatch(ESC);
    const coloured = renderConsole(input, { color: true, maxFindings: 100 });
    expect(coloured).toContain('\u001b[31m');
    // Every escape in the coloured output is one of ours (SGR), never an OSC or clear-screen from a value.
    const escapes = coloured.match(new RegExp(`${ESC.source}[^m]*m?`, 'g')) ?? [];
    for (const e of escapes) expect(e).toMatch(new RegExp(`^${ESC.source}\\[\\d+m$`));
  });

  it('summarises IaC scans by file and points at file:line', () => {
    const out = renderConsole(
      anIacReportInput({
        findings: [
          anIacFinding({ properties: { Layers: { line: 20, column: 9 } }, details: { property: 'Layers' } }),
        ],
      }),
    );
    expect(out).toContain('IaC scan of 1 file');
    expect(out).toMatch(/By file/);
    expect(out).toContain('templates/app.yaml:20:9 (OrdersFunction)');
    expect(out).not.toContain('Signing profiles');
  });
});
