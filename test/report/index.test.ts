import { describe, expect, it } from 'vitest';
import { asffSkippedCount, formatForFile, REPORT_FORMATS, renderReport } from '../../src/report/index.js';
import { aFinding, anIacFinding, anIacReportInput, aReportInput } from './builders.js';

describe('renderReport', () => {
  it('renders every format for live and IaC inputs, empty or not', () => {
    const inputs = [
      aReportInput(),
      aReportInput({ findings: [aFinding(), aFinding({ name: 'b', status: 'PASS' })] }),
      anIacReportInput({ findings: [anIacFinding()] }),
    ];
    for (const format of REPORT_FORMATS) {
      for (const input of inputs) {
        const out = renderReport(format, input, { color: false });
        expect(out.length, format).toBeGreaterThan(0);
        if (format === 'json' || format === 'sarif' || format === 'asff')
          expect(() => JSON.parse(out)).not.toThrow();
      }
    }
  });

  it('passes console options through and refuses unknown formats', () => {
    const input = aReportInput({ findings: [aFinding()] });
    expect(renderReport('console', input, { color: true })).toContain('\u001b[');
    expect(renderReport('console', input, { color: false })).not.toContain('\u001b[');
    expect(() => renderReport('pdf' as never, input)).toThrow(/use one of: console, json/);
  });

  it('exposes the ASFF skip count and guesses formats from file names', () => {
    expect(
      asffSkippedCount(anIacReportInput({ findings: [anIacFinding(), anIacFinding({ logicalId: 'B' })] })),
    ).toBe(2);
    expect(formatForFile('out/report.sarif')).toBe('sarif');
    expect(formatForFile('findings.asff.json')).toBe('asff');
    expect(formatForFile('report.HTML')).toBe('html');
    expect(formatForFile('report.pdf')).toBeUndefined();
  });
});
