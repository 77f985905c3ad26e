// The CLI renders through loadReportChunks, which loads only the reporter a format needs: its output
// must be renderReport's, for every format (the console one takes its own short path).
import { describe, expect, it } from 'vitest';
import { REPORT_FORMATS as FORMATS_ALONE } from '../../src/report/formats.js';
import { REPORT_FORMATS, renderReport } from '../../src/report/index.js';
import { loadReportChunks } from '../../src/report/load.js';
import { aFinding, anIacFinding, anIacReportInput, aReportInput } from './builders.js';

const inputs = {
  live: aReportInput({
    findings: [
      aFinding({ name: 'b', severity: 'critical' }),
      aFinding({ name: 'a', status: 'PASS' }),
      aFinding({ name: 'c', muted: { reason: 'legacy', source: 'config' } }),
    ],
  }),
  iac: anIacReportInput({ findings: [anIacFinding(), anIacFinding({ status: 'UNKNOWN' })] }),
  many: aReportInput({ findings: Array.from({ length: 30 }, (_, i) => aFinding({ name: `fn-${i}` })) }),
};

describe('loadReportChunks', () => {
  it('is the one list of formats', () => {
    expect(FORMATS_ALONE).toBe(REPORT_FORMATS);
  });

  it("joins to renderReport's text for every format, colour and findings limit", async () => {
    for (const [name, input] of Object.entries(inputs)) {
      for (const format of REPORT_FORMATS) {
        for (const options of [
          { color: false },
          { color: true },
          { maxFindings: 3 },
          { docsBaseUrl: 'https://example.com/signet/' },
          { sarifResults: 'problems' as const },
        ]) {
          const joined = [...(await loadReportChunks(format, input, options))].join('');
          expect(joined, `${name} ${format} ${JSON.stringify(options)}`).toBe(
            renderReport(format, input, options),
          );
        }
      }
    }
    // The options really reach the console reporter.
    const plain = [...(await loadReportChunks('console', inputs.many, { maxFindings: 3 }))].join('');
    const coloured = [...(await loadReportChunks('console', inputs.many, { color: true }))].join('');
    expect(plain).not.toBe(coloured);
    expect(plain).not.toBe([...(await loadReportChunks('console', inputs.many))].join(''));
  });
});
