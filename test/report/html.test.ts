import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { aFinding, anIacFinding, anIacReportInput, aReportInput, HOSTILE } from './builders.js';

function inlineBlocks(html: string, tag: 'script' | 'style'): string[] {
  return [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

describe('HTML report', () => {
  const input = aReportInput({
    accounts: [{ accountId: '111122223333', name: `<img src=x onerror=alert(1)>` }],
    findings: [
      aFinding({ name: HOSTILE, message: `</td><script>steal()</script>` }),
      aFinding({ name: 'b', ruleId: 'SGN-002', status: 'PASS' }),
      aFinding({ name: 'c', ruleId: 'SGN-002', status: 'FAIL' }),
      aFinding({ name: 'c', status: 'PASS' }),
      aFinding({ name: 'accepted', muted: { reason: '<b>legacy</b>', source: 'config' } }),
    ],
    collectionErrors: [
      {
        service: 'signer',
        operation: 'ListSigningProfiles',
        accountId: '111122223333',
        region: 'eu-west-1',
        errorCode: 'AccessDenied',
        message: '<script>x</script>',
        parts: ['signingProfiles'],
      },
    ],
  });
  // Rendered inside each test, so mutation testing knows which tests reach which code.
  const render = () => renderHtml(input);

  it('runs no script but its own: hostile names, messages and errors are escaped', () => {
    const html = render();
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(inlineBlocks(html, 'script')).toHaveLength(1);
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/<[^>]+\son\w+=/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;/td&gt;&lt;script&gt;steal()&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;legacy&lt;/b&gt;');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
    expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  });

  it('is self-contained: no external scripts, styles, images or fonts', () => {
    const html = render();
    expect(html).not.toMatch(
      /<(script|img|iframe|object|embed|link|source|video|audio)\b[^>]*\s(src|href|data)=/i,
    );
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/\sstyle=/i);
  });

  it('carries a strict Content-Security-Policy that admits exactly its inline style and script', () => {
    const html = render();
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    expect(csp).toBeDefined();
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const [script] = inlineBlocks(html, 'script');
    const [style] = inlineBlocks(html, 'style');
    expect(csp).toContain(`script-src ${sha256(script!)}`);
    expect(csp).toContain(`style-src ${sha256(style!)}`);
  });

  it('charts coverage by account and region and shows enforcement status', () => {
    const html = render();
    expect(html).toContain('Coverage by account');
    expect(html).toContain('Coverage by region');
    expect(html).toMatch(
      /<svg[^>]+aria-label="Enforcement status of 4 in-scope functions: Enforce 2, Warn only 1, No CSC 1/,
    );
    // c has a CSC in Warn; the hostile one and the muted one have none (muting does not change coverage).
    expect(html).toMatch(/Warn only: 1<\/title><\/rect>/);
    expect(html).toMatch(/No CSC: 2<\/title><\/rect>/);
  });

  it('has a findings table with status and severity filters and the collection errors', () => {
    const html = render();
    expect(html).toMatch(/<form id="filters"/);
    expect(html).toMatch(/<input type="checkbox" name="status" value="FAIL" checked>/);
    expect(html).toMatch(/<input type="checkbox" name="status" value="PASS">/);
    expect(html).toMatch(/<input type="checkbox" name="severity" value="critical" checked>/);
    expect(html.match(/<tr data-status=/g)).toHaveLength(5);
    expect(html).toContain('data-muted="true"');
    expect(html).toContain('ListSigningProfiles');
  });

  it('labels IaC reports by file', () => {
    const iac = renderHtml(anIacReportInput({ findings: [anIacFinding()] }));
    expect(iac).toContain('Coverage by file');
    expect(iac).toContain('templates/app.yaml:12:3 (OrdersFunction)');
    expect(iac).not.toContain('Coverage by region');
  });
});
