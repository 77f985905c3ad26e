// The HTML report's content: the cards, the enforcement donut and legend, coverage tables and bars per
// group, the findings rows and filters, the error tables, and docs links — what a reader sees.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import { Html, html, renderHtml } from '../../src/report/html.js';
import { aFinding, anIacFinding, anIacReportInput, aReportInput } from './builders.js';

const coverageFindings = (
  name: string,
  account: string,
  region: string,
  hasCsc: string,
  enforces?: string,
) => [
  aFinding({ name, account, region, ruleId: 'SGN-001', status: hasCsc as Finding['status'] }),
  ...(enforces
    ? [aFinding({ name, account, region, ruleId: 'SGN-002', status: enforces as Finding['status'] })]
    : []),
];

describe('the html tag', () => {
  it('escapes interpolated values, joins arrays, drops empty values and keeps Html as it is', () => {
    const out = html`<p>${'<b>'}${['a', '&', new Html('<i>x</i>')]}${undefined}${null}${false}${0}${new Html('<br>')}</p>`;
    expect(out.value).toBe('<p>&lt;b&gt;a&amp;<i>x</i>0<br></p>');
    expect(String(out)).toBe(out.value);
  });
});

describe('HTML summary', () => {
  const input = aReportInput({
    accounts: [
      { accountId: '111111111111', name: 'prod' },
      { accountId: '222222222222', name: 'dev' },
    ],
    coverage: { inScopeFunctions: 8, enforced: 3, warn: 2, noCsc: 1, notApplicable: 4, unknown: 2 },
    findings: [
      ...coverageFindings('e1', '111111111111', 'eu-west-1', 'PASS', 'PASS'),
      ...coverageFindings('e2', '111111111111', 'eu-west-1', 'PASS', 'PASS'),
      ...coverageFindings('w1', '111111111111', 'us-east-1', 'PASS', 'FAIL'),
      ...coverageFindings('e3', '222222222222', 'us-east-1', 'PASS', 'PASS'),
      ...coverageFindings('n1', '222222222222', 'us-east-1', 'FAIL'),
      ...coverageFindings('u1', '222222222222', 'us-east-1', 'UNKNOWN'),
      aFinding({ name: 'err', ruleId: 'SGN-005', status: 'ERROR', account: '222222222222' }),
      aFinding({ name: 'm', ruleId: 'SGN-005', muted: { reason: 'vendor', source: 'config' } }),
    ],
    collectionErrors: [
      {
        service: 'lambda',
        operation: 'ListFunctions',
        accountId: '222222222222',
        region: 'ap-south-1',
        errorCode: 'AccessDenied',
        message: 'no',
        parts: ['functions', 'versions'],
      },
    ],
  });
  const render = () => renderHtml(input);

  it('shows the headline cards: enforced %, failing, unknown or errored, muted, collection errors', () => {
    const page = render();
    expect(page).toContain('<div class="card"><b>37.5%</b>in-scope functions enforced</div>');
    expect(page).toContain('<div class="card"><b class="st-FAIL">2</b>failing findings</div>');
    expect(page).toContain('<div class="card"><b>2</b>unknown or errored</div>');
    expect(page).toContain('<div class="card"><b>1</b>muted (accepted)</div>');
    expect(page).toContain('<div class="card"><b>1</b>collection errors</div>');
  });

  it('titles the page with what was scanned and says when and by which version', () => {
    const page = render();
    expect(page).toContain('<title>Signet report — Live scan of 2 accounts, 1 region</title>');
    expect(page).toContain(
      '<p class="sub">Live scan of 2 accounts, 1 region · collected 2025-06-01T11:59:00.000Z · generated 2025-06-01T12:00:00.000Z · Signet 0.1.0</p>',
    );
    expect(page).toContain(
      '<p>Coverage: 3 of 8 in-scope functions enforced (37.5%) · 2 warn only · 1 without a CSC · 2 undetermined · 4 container-image functions not applicable<br>Signing profiles: 2 active · 1 cancelled · 0 revoked</p>',
    );
  });

  it('draws the donut segments in proportion, starting at twelve o’clock, with a legend', () => {
    const page = render();
    expect(page).toContain(
      'aria-label="Enforcement status of 8 in-scope functions: Enforce 3, Warn only 2, No CSC 1, Undetermined 2"',
    );
    expect(page).toContain(
      'class="s-ok" stroke-width="6" stroke-dasharray="37.500 62.500" stroke-dashoffset="25.000"><title>Enforce: 3</title>',
    );
    expect(page).toContain(
      'class="s-warn" stroke-width="6" stroke-dasharray="25.000 75.000" stroke-dashoffset="-12.500"><title>Warn only: 2</title>',
    );
    expect(page).toContain(
      'class="s-bad" stroke-width="6" stroke-dasharray="12.500 87.500" stroke-dashoffset="-37.500"><title>No CSC: 1</title>',
    );
    expect(page).toContain(
      'class="s-unk" stroke-width="6" stroke-dasharray="25.000 75.000" stroke-dashoffset="-50.000"><title>Undetermined: 2</title>',
    );
    expect(page).toContain('<text x="21" y="22" text-anchor="middle" class="big">37.5%</text>');
    for (const item of [
      '<li><span class="sw ok"></span>Enforce: 3</li>',
      '<li><span class="sw warn"></span>Warn only: 2</li>',
      '<li><span class="sw bad"></span>No code signing config: 1</li>',
      '<li><span class="sw unk"></span>Undetermined: 2</li>',
      '<li>Container-image functions (not applicable): 4</li>',
    ])
      expect(page).toContain(item);
  });

  it('draws no segments for empty values or an empty fleet', () => {
    const empty = renderHtml(
      aReportInput({ coverage: { inScopeFunctions: 0, enforced: 0, warn: 0, noCsc: 0, notApplicable: 0 } }),
    );
    expect(empty).not.toContain('stroke-dasharray');
    expect(empty).toContain('class="big">–</text>');
    expect(empty).toContain('<p>No in-scope functions.</p>');
    const onlyEnforced = renderHtml(
      aReportInput({ coverage: { inScopeFunctions: 2, enforced: 2, warn: 0, noCsc: 0, notApplicable: 0 } }),
    );
    expect(onlyEnforced.match(/stroke-dasharray/g)).toHaveLength(1);
    expect(onlyEnforced).toContain('stroke-dasharray="100.000 0.000"');
  });

  it('tables coverage per account (named) and per region', () => {
    const page = render();
    expect(page).toContain(
      '<tr><td>111111111111 (prod)</td><td class="n">3</td><td class="n">2</td><td class="n">1</td><td class="n">0</td><td class="n">0</td><td class="n">66.7%</td></tr>',
    );
    expect(page).toContain(
      '<tr><td>222222222222 (dev)</td><td class="n">3</td><td class="n">1</td><td class="n">0</td><td class="n">1</td><td class="n">1</td><td class="n">33.3%</td></tr>',
    );
    expect(page).toContain(
      '<tr><td>us-east-1</td><td class="n">4</td><td class="n">1</td><td class="n">1</td><td class="n">1</td><td class="n">1</td><td class="n">25.0%</td></tr>',
    );
    expect(page).toContain(
      '<table><thead><tr><th>Account</th><th class="n">Functions</th><th class="n">Enforce</th><th class="n">Warn</th><th class="n">No CSC</th><th class="n">Undetermined</th><th class="n">Enforced</th></tr></thead>',
    );
  });

  it('draws a 100% bar per group from enforced, warn, no CSC and undetermined', () => {
    const page = render();
    expect(page).toContain(
      '<g><text x="0" y="43">222222222222 (dev)</text><rect x="260.00" y="30" width="160.00" height="18" class="f-ok"><title>222222222222 (dev) — Enforce: 1</title></rect><rect x="420.00" y="30" width="160.00" height="18" class="f-bad"><title>222222222222 (dev) — No CSC: 1</title></rect><rect x="580.00" y="30" width="160.00" height="18" class="f-unk"><title>222222222222 (dev) — Undetermined: 1</title></rect><text x="748" y="43">1/3 enforced</text></g>',
    );
    expect(page).toContain('<svg width="100%" viewBox="0 0 870 60" role="img"');
    expect(page).toContain(
      '<g><text x="0" y="17">111111111111 (prod)</text><rect x="260.00" y="4" width="320.00" height="18" class="f-ok"><title>111111111111 (prod) — Enforce: 2</title></rect><rect x="580.00" y="4" width="160.00" height="18" class="f-warn"><title>111111111111 (prod) — Warn only: 1</title></rect><text x="748" y="17">2/3 enforced</text></g>',
    );
  });

  it('shortens long group labels in the bars', () => {
    const long = 'x'.repeat(50);
    const page = renderHtml(
      aReportInput({
        accounts: [{ accountId: '111122223333', name: long }],
        findings: coverageFindings('a', '111122223333', 'eu-west-1', 'PASS', 'PASS'),
      }),
    );
    expect(page).toContain(`<text x="0" y="17">${`111122223333 (${long})`.slice(0, 37)}…</text>`);
  });

  it('counts findings per rule and per group, linking rules to their docs when a base is given', () => {
    const page = renderHtml(input, { docsBaseUrl: 'https://docs.example.test/' });
    expect(page).toContain(
      '<tr><td><code>SGN-001</code> <a href="https://docs.example.test/docs/rules/function-has-code-signing-config.md" rel="noopener noreferrer">Lambda function has a code signing configuration</a></td><td class="n st-FAIL">1</td><td class="n">0</td><td class="n">1</td><td class="n">0</td><td class="n">4</td><td class="n">0</td></tr>',
    );
    expect(page).toContain(
      '<td><a href="https://docs.example.test/docs/rules/function-has-code-signing-config.md" rel="noopener noreferrer">SGN-001</a></td>',
    );
    const bare = render();
    expect(bare).not.toContain('<a href=');
    expect(bare).toContain(
      '<tr><td><code>SGN-005</code> Lambda function has a code signing configuration</td>',
    );
    expect(bare).toContain('<h2>Findings by account</h2>');
    expect(bare).toContain('<h2>Findings by region</h2>');
  });

  it('offers one filter per status with its count, FAIL/ERROR/UNKNOWN checked', () => {
    const page = render();
    for (const [status, checked, label, n] of [
      ['FAIL', true, 'FAIL', 3],
      ['ERROR', true, 'ERROR', 1],
      ['UNKNOWN', true, 'UNKNOWN', 1],
      ['NOT_APPLICABLE', false, 'N/A', 0],
      ['PASS', false, 'PASS', 7],
    ] as const)
      expect(page).toContain(
        `<label><input type="checkbox" name="status" value="${status}"${checked ? ' checked' : ''}> ${label} (${n})</label>`,
      );
    expect(page).toContain(
      '<label><input type="checkbox" name="severity" value="info" checked> INFO</label>',
    );
    expect(page).toContain('<p>Showing <span id="shown">12</span> of 12 findings.</p>');
  });

  it('writes each finding as a row, worst first, with where it is and why it is muted', () => {
    const page = render();
    const rows = [...page.matchAll(/<tr data-status="(\w+)"[^>]*>\n([\s\S]*?)<\/tr>/g)];
    expect(rows[0]![1]).toBe('FAIL');
    expect(rows.at(-1)![0]).toContain('class="is-muted"');
    expect(page).toContain(
      '<tr data-status="ERROR" data-severity="high" data-muted="false">\n<td class="sev sev-high">HIGH</td><td class="st st-ERROR">ERROR</td><td>SGN-005</td><td>err<br><code>arn:aws:lambda:eu-west-1:222222222222:function:err</code></td><td>222222222222 (dev)<br>eu-west-1</td>',
    );
    expect(page).toContain('<tr data-status="FAIL" data-severity="high" data-muted="true" class="is-muted">');
    expect(page).toContain('<td>config: vendor</td></tr>');
    expect(page).toContain('<th>Resource</th><th>Account / region</th><th>Message</th>');
  });

  it('shows an exception’s expiry and an IaC finding’s file position', () => {
    const page = renderHtml(
      anIacReportInput({
        findings: [
          anIacFinding({
            line: 9,
            column: 4,
            muted: { reason: 'old', source: 'inline', expires: '2027-01-01' },
          }),
        ],
      }),
    );
    expect(page).toContain('<td>inline: old (until 2027-01-01)</td>');
    expect(page).toContain('<td><code>templates/app.yaml:9:4 (OrdersFunction)</code></td>');
    expect(page).toContain('<th>File</th>');
    expect(page).toContain('<title>Signet report — IaC scan of 1 file</title>');
    expect(page).not.toContain('Signing profiles');
  });

  it('tables collection errors and parse errors, or says none', () => {
    expect(render()).toContain(
      '<tr><td>222222222222<br>ap-south-1</td><td><code>lambda:ListFunctions</code></td><td>AccessDenied</td><td>no</td><td>functions, versions</td></tr>',
    );
    const parse = renderHtml(
      anIacReportInput({
        parseErrors: [
          { file: 'a.yaml', line: 3, column: 7, message: 'bad' },
          { file: 'b.yaml', line: 4, message: 'worse' },
          { file: 'c.tf', message: 'unreadable' },
        ],
      }),
    );
    expect(parse).toContain(
      '<tr><td><code>a.yaml:3:7</code></td><td>parse</td><td>ParseError</td><td>bad</td><td>the whole file</td></tr>',
    );
    expect(parse).toContain('<td><code>b.yaml:4</code></td>');
    expect(parse).toContain('<td><code>c.tf</code></td>');
    expect(parse).toContain('<div class="card"><b>3</b>collection errors</div>');
    expect(renderHtml(aReportInput())).toContain('<p>None: every requested part was collected.</p>');
  });

  it('says "No findings." under a count table with no rows', () => {
    const page = renderHtml(aReportInput({ rules: [] }));
    expect(page).toContain('<h2>By rule</h2>\n<div class="panel"><p>No findings.</p></div>');
  });
});

describe('HTML page frame', () => {
  it('starts with the doctype and puts the finding rows inside the findings table', () => {
    const page = renderHtml(aReportInput({ findings: [aFinding({ name: 'a' })] }));
    expect(page.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(page).toMatch(/<tbody>\n<tr data-status="FAIL"[\s\S]*?<\/tr>\n<\/tbody>\n<\/table>/);
  });

  it('carries the whole Content-Security-Policy: nothing loads, no base, no form posts, data: images only', () => {
    const page = renderHtml(aReportInput());
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)![1]!;
    expect(csp).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; script-src 'sha256-[A-Za-z0-9+/]+=*'; img-src data:; base-uri 'none'; form-action 'none'$/,
    );
  });

  it('styles statuses, severities and muted rows', () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(renderHtml(aReportInput()))![1]!;
    for (const rule of [
      '.st-FAIL{color:var(--bad)}',
      '.sev-critical{',
      'tr.is-muted td{',
      '.f-ok{fill:var(--ok)}',
    ])
      expect(style).toContain(rule);
  });
});
