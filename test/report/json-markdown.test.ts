import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/json.js';
import { escapeMarkdown, renderMarkdown } from '../../src/report/markdown.js';
import { aFinding, aReportInput } from './builders.js';

describe('JSON report', () => {
  it('is the whole input with a schema version, in a stable key order', () => {
    const input = aReportInput({ findings: [aFinding({ details: { z: 1, a: 2 } })] });
    const out = renderJson(input);
    const parsed = JSON.parse(out) as Record<string, unknown>;
    expect(Object.keys(parsed)[0]).toBe('schemaVersion');
    expect(parsed.schemaVersion).toBe(1);
    expect(parsed).toMatchObject({
      ...input,
      findings: [expect.objectContaining({ id: input.findings[0]!.id })],
    });
    expect(Object.keys((parsed.findings as Record<string, unknown>[])[0]!.details as object)).toEqual([
      'a',
      'z',
    ]);
    // Same data, keys built in another order: same bytes.
    const reordered = {
      ...input,
      findings: input.findings.map((f) => Object.fromEntries(Object.entries(f).reverse())),
    };
    expect(renderJson(reordered as typeof input)).toBe(out);
  });
});

describe('Markdown report', () => {
  it('escapes pipes, backticks and HTML so a value cannot break the table or inject markup', () => {
    expect(escapeMarkdown('a|b `c` <script>')).toBe('a\\|b \\`c\\` &lt;script&gt;');
    const md = renderMarkdown(
      aReportInput({
        findings: [aFinding({ name: 'x|y', message: '<img src=x onerror=alert(1)> `rm` [link](http://e)' })],
      }),
    );
    expect(md).not.toContain('<img');
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt; \\`rm\\` \\[link\\](http://e)');
    const row = md.split('\n').find((l) => l.includes('function:x'))!;
    // Seven unescaped pipes: six cells.
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(7);
  });

  it('has summary tables and lists what needs attention', () => {
    const md = renderMarkdown(
      aReportInput({ findings: [aFinding({ name: 'bad' }), aFinding({ name: 'good', status: 'PASS' })] }),
    );
    expect(md).toContain('## By rule');
    expect(md).toContain('## By account');
    expect(md).toContain('## By region');
    expect(md).toMatch(
      /\| SGN-001 \| Lambda function has a code signing configuration \| 1 \| 0 \| 0 \| 0 \| 1 \| 0 \|/,
    );
    expect(md).toContain('function:bad');
    expect(md).not.toContain('function:good');
  });
});
