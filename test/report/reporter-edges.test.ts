// Reporter edge cases found by mutation testing: blank lines between sections, wide count columns,
// resources whose ARN differs from their provenance's, SARIF URIs with odd segments, JSON piece counts.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import { buildAsff } from '../../src/report/asff.js';
import { renderConsole } from '../../src/report/console.js';
import { renderHtml } from '../../src/report/html.js';
import { JsonArrayStream, jsonChunks } from '../../src/report/json-stream.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { artifactLocation, renderSarif } from '../../src/report/sarif.js';
import { compareText, safeText } from '../../src/report/shared.js';
import { aFinding, anIacFinding, anIacReportInput, aReportInput } from './builders.js';

const ESC = '\u001b';

describe('console layout', () => {
  it('separates the sections with one blank line each', () => {
    const out = renderConsole(
      aReportInput({
        findings: [aFinding()],
        collectionErrors: [
          {
            service: 'lambda',
            operation: 'ListFunctions',
            accountId: '1',
            region: 'r',
            errorCode: 'E',
            message: 'm',
            parts: ['functions', 'versions'],
          },
        ],
      }),
    );
    expect(out).toContain('muted\n\nBy rule');
    expect(out).toMatch(/\n\nBy account/);
    expect(out).toMatch(/\n\nBy region/);
    expect(out).toMatch(
      /\n\nCollection errors \(1\)\n {2}lambda:ListFunctions 1 r E: m \(incomplete: functions, versions\)\n\nWorst/,
    );
    expect(out).not.toContain('(no findings)');
  });

  it('widens a column whose counts are longer than its head', () => {
    const findings = Array.from({ length: 1000 }, (_, i) =>
      aFinding({ name: `f${i}`, status: 'NOT_APPLICABLE' }),
    );
    const out = renderConsole(aReportInput({ rules: [], findings }));
    expect(out).toMatch(/By rule +FAIL {2}ERROR {2}UNKNOWN {3}N\/A {2}PASS {2}MUTED\n/);
    expect(out).toMatch(/SGN-001 .* {3}0 {6}0 {8}0 {2}1000 {5}0 {6}0\n/);
  });

  it('paints only the FAIL cell of a failing row', () => {
    const out = renderConsole(aReportInput({ rules: [], findings: [aFinding()] }), { color: true });
    const row = out.split('\n').find((l) => l.startsWith('SGN-001'))!;
    expect(row.endsWith(`${ESC}[31m   1${ESC}[39m      0        0    0     0      0`)).toBe(true);
  });
});

describe('ASFF resources', () => {
  it('points at the resource’s own ARN when it differs from its provenance’s', () => {
    const f = aFinding();
    const version = {
      ...f,
      resource: { ...f.resource, type: 'function-version', arn: `${f.resource.id}:12` },
    } as Finding;
    const [asff] = buildAsff(aReportInput({ findings: [version] }));
    expect((asff!.Resources as { Id: string }[])[0]!.Id).toBe(`${f.resource.id}:12`);
  });

  it('leaves out template findings even when they name an account, a region and an ARN', () => {
    const f = anIacFinding();
    const located = {
      ...f,
      resource: {
        ...f.resource,
        accountId: '111122223333',
        region: 'eu-west-1',
        arn: 'arn:aws:lambda:eu-west-1:111122223333:function:x',
      },
    } as Finding;
    expect(buildAsff(anIacReportInput({ findings: [located] }))).toEqual([]);
  });
});

describe('HTML details', () => {
  const input = aReportInput({ findings: [aFinding({ name: 'a' })] });

  it('capitalises table heads and keeps group labels', () => {
    const page = renderHtml(input);
    expect(page).toContain('<table><thead><tr><th>Rule</th><th class="n">FAIL</th>');
    expect(page).toContain('<table><thead><tr><th>Account</th><th class="n">FAIL</th>');
    expect(page).toContain('<table><thead><tr><th>Region</th><th class="n">FAIL</th>');
    expect(page).toContain('<tr><td>111122223333 (prod)</td><td class="n st-FAIL">1</td>');
    expect(page).toContain('<th>Resource</th><th>Account / region</th><th>Message</th>');
  });

  it('leaves the muted cell of an unmuted finding empty', () => {
    expect(renderHtml(input)).toContain('enforces.</td><td></td></tr>');
  });

  it('writes a template report’s coverage line without the signing profiles', () => {
    const page = renderHtml(anIacReportInput({ findings: [anIacFinding()] }));
    expect(page).toContain(
      '<p>Coverage: 2 of 4 in-scope functions enforced (50.0%) · 1 warn only · 1 without a CSC</p>',
    );
    expect(page).toContain('<th>Resource</th><th>File</th><th>Message</th>');
  });

  it('keeps a 38-character group label whole in the bars and shortens a 39-character one', () => {
    const bars = (name: string) =>
      renderHtml(
        aReportInput({
          accounts: [{ accountId: '111122223333', name }],
          findings: [aFinding({ status: 'PASS' }), aFinding({ ruleId: 'SGN-002', status: 'PASS' })],
        }),
      );
    const label38 = `111122223333 (${'x'.repeat(23)})`;
    expect(label38).toHaveLength(38);
    expect(bars('x'.repeat(23))).toContain(`<text x="0" y="17">${label38}</text>`);
    expect(bars('x'.repeat(24))).toContain(
      `<text x="0" y="17">${`111122223333 (${'x'.repeat(24)})`.slice(0, 37)}…</text>`,
    );
  });
});

describe('Markdown layout', () => {
  it('ends each section with a blank line', () => {
    const md = renderMarkdown(aReportInput({ findings: [aFinding({ status: 'PASS' })] }));
    expect(md).toContain('## Findings\n\nNo failing, errored or unknown findings.\n');
    expect(md.endsWith('No failing, errored or unknown findings.\n')).toBe(true);
    const failing = renderMarkdown(aReportInput({ findings: [aFinding()] }));
    expect(failing.endsWith('enforces. |  |\n')).toBe(true);
  });

  it('lists collection errors when there are no parse errors', () => {
    const md = renderMarkdown(
      aReportInput({
        collectionErrors: [
          {
            service: 's',
            operation: 'o',
            accountId: '1',
            region: 'r',
            errorCode: 'E',
            message: 'm',
            parts: [],
          },
        ],
      }),
    );
    expect(
      md.endsWith(
        '## Collection errors\n\n| Where | Operation | Error | Message |\n| --- | --- | --- | --- |\n| 1/r | s:o | E | m |\n',
      ),
    ).toBe(true);
  });
});

describe('SARIF locations', () => {
  it('leaves the region out for a parse error without a line', () => {
    const log = JSON.parse(
      renderSarif(anIacReportInput({ parseErrors: [{ file: 'a.yaml', message: 'bad' }] })),
    );
    const location = log.runs[0].invocations[0].toolExecutionNotifications[0].locations[0];
    expect(location).toEqual({
      physicalLocation: { artifactLocation: { uri: 'a.yaml', uriBaseId: '%SRCROOT%' } },
    });
    const noColumn = JSON.parse(
      renderSarif(anIacReportInput({ parseErrors: [{ file: 'a.yaml', line: 2, message: 'bad' }] })),
    );
    expect(
      noColumn.runs[0].invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation.region,
    ).toEqual({
      startLine: 2,
    });
  });

  it('strips only leading ./ and keeps a colon only in a drive letter right after the root', () => {
    expect(artifactLocation('a/./b.yaml').uri).toBe('a/./b.yaml');
    expect(artifactLocation('a/c:/x.yaml').uri).toBe('a/c%3A/x.yaml');
    expect(artifactLocation('/repo/x:/t.yaml').uri).toBe('file:///repo/x%3A/t.yaml');
    expect(artifactLocation('/ab:/t.yaml').uri).toBe('file:///ab%3A/t.yaml');
    expect(artifactLocation('/a:b/t.yaml').uri).toBe('file:///a%3Ab/t.yaml');
    expect(artifactLocation('/c:/t.yaml').uri).toBe('file:///c:/t.yaml');
  });
});

describe('JSON pieces', () => {
  const pieces = (value: unknown) => [...jsonChunks(value)];

  it('prints a document without streams in one piece, and nothing for an omitted value', () => {
    expect(pieces({ a: { b: [1, 2] } })).toEqual([JSON.stringify({ a: { b: [1, 2] } }, null, 2)]);
    expect(pieces(undefined)).toEqual([]);
  });

  it('walks arrays that hold a stream after other elements, printing each plain element whole', () => {
    expect(pieces([1, new JsonArrayStream([2])]).join('')).toBe(JSON.stringify([1, [2]], null, 2));
    expect(pieces([undefined, new JsonArrayStream([])]).join('')).toBe(
      JSON.stringify([undefined, []], null, 2),
    );
    expect(pieces({ s: new JsonArrayStream([]), big: { a: 1 } })).toEqual([
      '{\n  "s": ',
      '[]',
      ',\n  "big": ',
      '{\n    "a": 1\n  }',
      '\n}',
    ]);
  });
});

describe('shared text helpers', () => {
  it('orders text both ways', () => {
    expect([compareText('a', 'b'), compareText('b', 'a'), compareText('a', 'a')]).toEqual([-1, 1, 0]);
  });

  it('turns only whitespace controls into spaces, never letters', () => {
    expect(safeText('VALID\u0007\u000b')).toBe('VALID ');
  });

  it('drops an escape sequence cut off before its final byte, parameters included', () => {
    expect(safeText('a\u001b[12')).toBe('a');
    expect(safeText('a\u009b5;1')).toBe('a');
  });
});

describe('HTML row order', () => {
  it('lists rows by status within a severity: FAIL, ERROR, UNKNOWN, N/A, PASS', () => {
    const statuses = ['PASS', 'NOT_APPLICABLE', 'UNKNOWN', 'ERROR', 'FAIL'] as const;
    const page = renderHtml(
      aReportInput({ findings: statuses.map((status) => aFinding({ name: status, status })) }),
    );
    const order = [...page.matchAll(/<tr data-status="(\w+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['FAIL', 'ERROR', 'UNKNOWN', 'NOT_APPLICABLE', 'PASS']);
    expect(page).toContain('<td class="st st-PASS">PASS</td>');
    expect(page).toContain('<td class="st st-NOT_APPLICABLE">N/A</td>');
  });
});
