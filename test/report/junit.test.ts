import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/report/junit.js';
import { aFinding, aReportInput, HOSTILE } from './builders.js';

function attr(xml: string, element: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${element} [^>]*?${name}="([^"]*)"`, 'g'))].map((m) => m[1]!);
}

describe('JUnit report', () => {
  const input = aReportInput({
    findings: [
      aFinding({ name: 'a', status: 'FAIL' }),
      aFinding({ name: 'b', status: 'PASS' }),
      aFinding({ name: 'c', status: 'ERROR' }),
      aFinding({ name: 'd', status: 'UNKNOWN' }),
      aFinding({ name: 'e', status: 'NOT_APPLICABLE' }),
      aFinding({ name: 'f', status: 'FAIL', muted: { reason: 'accepted', source: 'config' } }),
      aFinding({ name: 'g', ruleId: 'SGN-002', status: 'FAIL' }),
    ],
  });
  // Rendered inside each test, so mutation testing knows which tests reach which code.
  const render = () => renderJunit(input);

  it('has a testsuite per rule and a testcase per resource, with matching counts', () => {
    const xml = render();
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(attr(xml, 'testsuite', 'name')).toEqual([
      'SGN-001 function-has-code-signing-config',
      'SGN-002 code-signing-config-enforces',
    ]);
    expect(attr(xml, 'testsuite', 'tests')).toEqual(['6', '1']);
    expect(attr(xml, 'testsuite', 'failures')).toEqual(['1', '1']);
    expect(attr(xml, 'testsuite', 'errors')).toEqual(['1', '0']);
    expect(attr(xml, 'testsuite', 'skipped')).toEqual(['3', '0']);
    expect(xml).toMatch(/<testsuites name="signet" tests="7" failures="2" errors="1" skipped="3">/);
    expect(xml.match(/<testcase /g)).toHaveLength(7);
    expect(xml.match(/<failure /g)).toHaveLength(2);
    expect(xml.match(/<error /g)).toHaveLength(1);
  });

  it('skips UNKNOWN, N/A and muted findings with a message saying why', () => {
    const xml = render();
    const skipped = attr(xml, 'skipped', 'message');
    expect(skipped).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^UNKNOWN: /),
        expect.stringMatching(/^NOT_APPLICABLE: /),
        'muted (config): accepted',
      ]),
    );
  });

  it('escapes hostile values and keeps control characters out', () => {
    const hostile = renderJunit(
      aReportInput({ findings: [aFinding({ name: 'x', message: `${HOSTILE} & "q"` })] }),
    );
    expect(hostile).not.toContain('<script>');
    expect(hostile).toContain('&lt;script&gt;');
    expect(hostile).toContain('&amp; &quot;q&quot;');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
    expect(hostile).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  });
});
