// CSV, JUnit and Markdown field by field: what a spreadsheet, a CI test view or a pull-request comment
// shows for each kind of finding.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import { CSV_COLUMNS, csvCell, renderCsv, renderCsvChunks } from '../../src/report/csv.js';
import { junitOutcome, renderJunit } from '../../src/report/junit.js';
import { escapeMarkdown, renderMarkdown } from '../../src/report/markdown.js';
import { aFinding, anIacFinding, anIacReportInput, aReportInput } from './builders.js';

function csvRow(f: Finding): Record<string, string> {
  const [, line] = [...renderCsvChunks(aReportInput({ findings: [f] }))];
  // The builders' values hold no commas or quotes, so a split reads the row.
  const cells = line!.replace(/\r\n$/, '').split(',');
  return Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, cells[i]!]));
}

describe('CSV columns', () => {
  it('has the documented columns in order', () => {
    expect(CSV_COLUMNS).toEqual([
      'finding_id',
      'rule_id',
      'rule',
      'status',
      'severity',
      'muted',
      'muted_reason',
      'muted_source',
      'muted_expires',
      'resource_type',
      'resource_name',
      'resource_id',
      'arn',
      'account_id',
      'region',
      'file',
      'line',
      'column',
      'logical_id',
      'production',
      'in_scope',
      'title',
      'message',
      'remediation',
    ]);
  });

  it('fills a live finding’s row', () => {
    expect(
      csvRow(aFinding({ id: 'f1', name: 'a', severity: 'critical', production: true, message: 'no CSC' })),
    ).toEqual({
      finding_id: 'f1',
      rule_id: 'SGN-001',
      rule: 'function-has-code-signing-config',
      status: 'FAIL',
      severity: 'critical',
      muted: 'no',
      muted_reason: '',
      muted_source: '',
      muted_expires: '',
      resource_type: 'function',
      resource_name: 'a',
      resource_id: 'arn:aws:lambda:eu-west-1:111122223333:function:a',
      arn: 'arn:aws:lambda:eu-west-1:111122223333:function:a',
      account_id: '111122223333',
      region: 'eu-west-1',
      file: '',
      line: '',
      column: '',
      logical_id: '',
      production: 'true',
      in_scope: 'true',
      title: 'Lambda function has a code signing configuration',
      message: 'no CSC',
      remediation: 'Attach a code signing configuration that enforces.',
    });
  });

  it('fills a muted finding’s reason, source and expiry', () => {
    expect(
      csvRow(
        aFinding({ muted: { reason: 'legacy', source: 'inline', expires: '2027-01-31' }, inScope: false }),
      ),
    ).toMatchObject({
      muted: 'yes',
      muted_reason: 'legacy',
      muted_source: 'inline',
      muted_expires: '2027-01-31',
      in_scope: 'false',
      production: 'false',
    });
  });

  it('takes ARN, account and region from the provenance when the resource has none', () => {
    const f = aFinding();
    const bare = {
      ...f,
      resource: { ...f.resource, arn: undefined, accountId: undefined, region: undefined },
    };
    expect(csvRow(bare)).toMatchObject({
      arn: 'arn:aws:lambda:eu-west-1:111122223333:function:orders',
      account_id: '111122223333',
      region: 'eu-west-1',
    });
  });

  it('fills an IaC finding’s file, line, column and logical id, leaving the AWS columns empty', () => {
    const f = anIacFinding({ line: 7, column: 5, logicalId: 'Fn' });
    const iac = { ...f, resource: { ...f.resource, accountId: undefined, region: undefined } };
    expect(csvRow(iac)).toMatchObject({
      arn: '',
      account_id: '',
      region: '',
      file: 'templates/app.yaml',
      line: '7',
      column: '5',
      logical_id: 'Fn',
    });
  });

  it('renders the same text in one piece or by records', () => {
    const input = aReportInput({ findings: [aFinding({ name: 'a' }), aFinding({ name: 'b' })] });
    const chunks = [...renderCsvChunks(input)];
    expect(chunks).toHaveLength(3);
    expect(chunks[0]).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
    expect(chunks.join('')).toBe(renderCsv(input));
  });
});

describe('csvCell', () => {
  it('quotes only when RFC 4180 requires it', () => {
    expect(csvCell('plain text')).toBe('plain text');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('a\nb')).toBe('"a\nb"');
    expect(csvCell('a\rb')).toBe('"a\rb"');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(false)).toBe('false');
  });

  it('prefixes a formula start with an apostrophe, also after leading spaces or line feeds', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@A1')).toBe("'@A1");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell('   =1')).toBe("'   =1");
    expect(csvCell('\n\n@x')).toBe(`"'\n\n@x"`);
    expect(csvCell(' \n -1')).toBe(`"' \n -1"`);
    // Formula characters later in the text are harmless.
    expect(csvCell('a=1')).toBe('a=1');
    expect(csvCell('x -1')).toBe('x -1');
    expect(csvCell('x\n=1')).toBe('"x\n=1"');
  });
});

describe('JUnit outcomes', () => {
  it('maps PASS to pass, FAIL to failure, ERROR to error, and the rest (and anything muted) to skipped', () => {
    const muted = { reason: 'x', source: 'config' as const };
    expect(
      [
        aFinding({ status: 'PASS' }),
        aFinding({ status: 'FAIL' }),
        aFinding({ status: 'ERROR' }),
        aFinding({ status: 'UNKNOWN' }),
        aFinding({ status: 'NOT_APPLICABLE' }),
        aFinding({ status: 'FAIL', muted }),
        aFinding({ status: 'ERROR', muted }),
        aFinding({ status: 'PASS', muted }),
      ].map(junitOutcome),
    ).toEqual(['pass', 'failure', 'error', 'skipped', 'skipped', 'skipped', 'skipped', 'pass']);
  });

  it('writes each kind of test case in full', () => {
    const xml = renderJunit(
      aReportInput({
        rules: [],
        findings: [
          aFinding({ name: 'b', status: 'PASS' }),
          aFinding({ name: 'a', status: 'FAIL', severity: 'critical', message: 'no CSC' }),
          aFinding({ name: 'c', status: 'ERROR', message: 'boom' }),
          aFinding({ name: 'd', status: 'UNKNOWN', message: 'cannot tell' }),
          aFinding({ name: 'e', status: 'FAIL', muted: { reason: 'vendor', source: 'inline' } }),
        ],
      }),
    );
    const arn = (n: string) => `arn:aws:lambda:eu-west-1:111122223333:function:${n}`;
    const open = (n: string) =>
      `    <testcase classname="SGN-001.function-has-code-signing-config" name="${arn(n)}"`;
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="signet" tests="5" failures="1" errors="1" skipped="2">',
        '  <testsuite name="SGN-001 function-has-code-signing-config" tests="5" failures="1" errors="1" skipped="2" timestamp="2025-06-01T12:00:00.000Z">',
        `${open('a')}>`,
        `      <failure message="no CSC" type="critical">no CSC`,
        `Resource: ${arn('a')}`,
        'Severity: critical',
        'Remediation: Attach a code signing configuration that enforces.</failure>',
        '    </testcase>',
        `${open('b')}/>`,
        `${open('c')}>`,
        `      <error message="boom" type="ERROR">boom`,
        `Resource: ${arn('c')}`,
        'Severity: high',
        'Remediation: Attach a code signing configuration that enforces.</error>',
        '    </testcase>',
        `${open('d')}>`,
        '      <skipped message="UNKNOWN: cannot tell"/>',
        '    </testcase>',
        `${open('e')}>`,
        '      <skipped message="muted (inline): vendor"/>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it('keeps an empty suite for a rule that ran without findings, and adds suites for unlisted rules', () => {
    const xml = renderJunit(
      aReportInput({ findings: [aFinding({ ruleId: 'SGN-077', slug: 'other-rule' })] }),
    );
    expect(xml).toContain(
      '  <testsuite name="SGN-002 code-signing-config-enforces" tests="0" failures="0" errors="0" skipped="0" timestamp="2025-06-01T12:00:00.000Z">\n  </testsuite>\n',
    );
    expect(xml).toContain(
      '<testsuite name="SGN-077 other-rule" tests="1" failures="1" errors="0" skipped="0"',
    );
    expect(xml).toContain('<testcase classname="SGN-077.other-rule"');
  });

  it('points IaC test cases at the file and line of the offending property, escaped', () => {
    const xml = renderJunit(
      anIacReportInput({
        findings: [
          anIacFinding({
            file: 'a&b.yaml',
            properties: { Layers: { line: 20, column: 9 } },
            details: { property: 'Layers' },
          }),
        ],
      }),
    );
    expect(xml).toContain(
      '<testcase classname="SGN-001.function-has-code-signing-config" name="a&amp;b.yaml:20:9 (OrdersFunction)" file="a&amp;b.yaml" line="20">',
    );
  });

  it('keeps line breaks in failure text but not in attributes', () => {
    const xml = renderJunit(aReportInput({ findings: [aFinding({ message: 'line one\nline <two>' })] }));
    expect(xml).toContain(
      '<failure message="line one line &lt;two&gt;" type="high">line one\nline &lt;two&gt;\nResource:',
    );
  });
});

describe('Markdown details', () => {
  it('escapes every character that starts markup or ends a cell', () => {
    expect(escapeMarkdown('\\ ` * _ [ ] | ~ !')).toBe('\\\\ \\` \\* \\_ \\[ \\] \\| \\~ \\!');
    expect(escapeMarkdown('a & b < c > d')).toBe('a &amp; b &lt; c &gt; d');
    expect(escapeMarkdown(undefined)).toBe('');
    expect(escapeMarkdown('line\nbreak')).toBe('line break');
  });

  it('has the headline, the coverage and profile lines and the counts', () => {
    const md = renderMarkdown(
      aReportInput({
        findings: [
          aFinding({ name: 'a' }),
          aFinding({ name: 'b', status: 'ERROR' }),
          aFinding({ name: 'c', status: 'UNKNOWN' }),
          aFinding({ name: 'd', status: 'NOT_APPLICABLE' }),
          aFinding({ name: 'e', status: 'PASS' }),
          aFinding({ name: 'f', muted: { reason: 'r', source: 'config' } }),
        ],
      }),
    );
    expect(md.split('\n').slice(0, 8)).toEqual([
      '# Signet report',
      '',
      'Live scan of 1 account, 1 region · Signet 0.1.0 · collected 2025-06-01T11:59:00.000Z',
      '',
      '- Coverage: 2 of 4 in-scope functions enforced (50.0%) · 1 warn only · 1 without a CSC',
      '- Signing profiles: 2 active · 1 cancelled · 0 revoked',
      '- Findings: 6 — **1 failing**, 1 errors, 1 unknown, 1 not applicable, 1 passing, 1 muted',
      '',
    ]);
    expect(md).toContain(
      [
        '## By rule',
        '',
        '| Rule | Title | FAIL | ERROR | UNKNOWN | N/A | PASS | Muted |',
        '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
        '| SGN-001 | Lambda function has a code signing configuration | 1 | 1 | 1 | 1 | 1 | 1 |',
        "| SGN-002 | Lambda function's code signing configuration enforces | 0 | 0 | 0 | 0 | 0 | 0 |",
        '',
        '## By account',
        '',
        '| Account | FAIL | ERROR | UNKNOWN | N/A | PASS | Muted |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
        '| 111122223333 (prod) | 1 | 1 | 1 | 1 | 1 | 1 |',
        '',
        '## By region',
        '',
        '| Region | FAIL | ERROR | UNKNOWN | N/A | PASS | Muted |',
      ].join('\n'),
    );
  });

  it('lists findings to act on worst first, with severity, status, location and mute', () => {
    const md = renderMarkdown(
      aReportInput({
        findings: [
          aFinding({ name: 'low', severity: 'low' }),
          aFinding({ name: 'crit', severity: 'critical', status: 'UNKNOWN', message: 'cannot tell' }),
          aFinding({ name: 'm', severity: 'medium', muted: { reason: 'vendor', source: 'config' } }),
        ],
      }),
    );
    const arn = (n: string) => `arn:aws:lambda:eu-west-1:111122223333:function:${n}`;
    expect(md).toContain(
      [
        '## Findings',
        '',
        'Failing, errored and unknown findings, worst first (PASS and N/A are counted above).',
        '',
        '| Severity | Status | Rule | Resource | Message | Muted |',
        '| --- | --- | --- | --- | --- | --- |',
        `| CRITICAL | UNKNOWN | SGN-001 | ${arn('crit')} | cannot tell |  |`,
        `| LOW | FAIL | SGN-001 | ${arn('low')} | low has no code signing configuration; attach one that enforces. |  |`,
        `| MEDIUM | FAIL | SGN-001 | ${arn('m')} | m has no code signing configuration; attach one that enforces. | config: vendor |`,
        '',
      ].join('\n'),
    );
    expect(md).not.toContain('## Collection errors');
  });

  it('says when nothing needs attention', () => {
    const md = renderMarkdown(aReportInput({ findings: [aFinding({ status: 'PASS' })] }));
    expect(md).toContain('## Findings\n\nNo failing, errored or unknown findings.\n');
    expect(md).not.toContain('| Severity |');
  });

  it('lists collection and parse errors with where they happened', () => {
    const md = renderMarkdown(
      anIacReportInput({
        collectionErrors: [
          {
            service: 'lambda',
            operation: 'ListFunctions',
            accountId: '111122223333',
            region: 'eu-west-1',
            errorCode: 'AccessDenied',
            message: 'no `access`',
            parts: ['functions'],
          },
        ],
        parseErrors: [
          { file: 'a.yaml', line: 3, column: 7, message: 'bad' },
          { file: 'b.yaml', line: 4, message: 'worse' },
          { file: 'c.tf', message: 'unreadable' },
        ],
      }),
    );
    expect(md).toContain(
      [
        '## Collection errors',
        '',
        '| Where | Operation | Error | Message |',
        '| --- | --- | --- | --- |',
        '| 111122223333/eu-west-1 | lambda:ListFunctions | AccessDenied | no \\`access\\` |',
        '| a.yaml:3:7 | parse | ParseError | bad |',
        '| b.yaml:4 | parse | ParseError | worse |',
        '| c.tf | parse | ParseError | unreadable |',
        '',
      ].join('\n'),
    );
    expect(md).toContain('## By file');
    expect(md).not.toContain('Signing profiles');
  });

  it('shows only parse errors when there are no collection errors', () => {
    const md = renderMarkdown(anIacReportInput({ parseErrors: [{ file: 'a.yaml', message: 'bad' }] }));
    expect(md).toContain('## Collection errors');
    expect(md).toContain('| a.yaml | parse | ParseError | bad |');
  });
});
