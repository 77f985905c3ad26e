// Streamed reports: the pieces written to a file are exactly the text renderReport returns, for every
// format, and JSON pieces are exactly what JSON.stringify prints.
import { describe, expect, it } from 'vitest';
import { REPORT_FORMATS, renderReport, renderReportChunks } from '../../src/report/index.js';
import { JsonArrayStream, jsonChunks } from '../../src/report/json-stream.js';
import { aFinding, anIacFinding, anIacReportInput, aReportInput } from './builders.js';

describe('jsonChunks', () => {
  const values: unknown[] = [
    {},
    [],
    { a: [], b: {}, c: [1, [2, { d: 'x\ny' }]], e: undefined, f: null, g: 'é"\\u2028' },
    [undefined, () => 1, { h: undefined }],
    'text',
    0,
    null,
    { nested: { deeper: [{ x: 1 }, { y: [true, false] }] } },
  ];

  it('prints what JSON.stringify(value, null, 2) prints', () => {
    for (const value of values) expect([...jsonChunks(value)].join('')).toBe(JSON.stringify(value, null, 2));
  });

  it('prints a streamed array where it sits as if it were a plain array', () => {
    for (const items of [[], [1], [{ a: 1, b: [1, 2] }, 'two', null, { c: { d: [] } }]]) {
      const doc = { before: 1, runs: [{ results: items, after: { k: 'v' } }], end: [] };
      const streamed = { ...doc, runs: [{ results: new JsonArrayStream(items), after: { k: 'v' } }] };
      expect([...jsonChunks(streamed)].join('')).toBe(JSON.stringify(doc, null, 2));
    }
  });

  it('produces a streamed array one element at a time, not all at once', () => {
    let produced = 0;
    function* items() {
      for (let i = 0; i < 1000; i++) {
        produced += 1;
        yield { i };
      }
    }
    const chunks = jsonChunks({ findings: new JsonArrayStream(items()) });
    let pieces = 0;
    for (const _ of chunks) {
      pieces += 1;
      // Never more than one element ahead of what has been handed out.
      expect(produced).toBeLessThanOrEqual(pieces);
    }
    expect(produced).toBe(1000);
  });
});

describe('renderReportChunks', () => {
  const inputs = {
    live: aReportInput({
      findings: [
        aFinding({ name: 'b' }),
        aFinding({ name: 'a', status: 'PASS' }),
        aFinding({ name: 'c', muted: { reason: 'legacy', source: 'config' } }),
        aFinding({ name: 'd', status: 'NOT_APPLICABLE' }),
      ],
    }),
    iac: anIacReportInput({ findings: [anIacFinding(), anIacFinding({ status: 'UNKNOWN' })] }),
    empty: aReportInput({ findings: [] }),
  };

  it('joins to exactly the text renderReport returns, for every format and input', () => {
    for (const [name, input] of Object.entries(inputs)) {
      for (const format of REPORT_FORMATS) {
        for (const options of [{ color: false }, { docsBaseUrl: 'https://example.com/signet/' }]) {
          const joined = [...renderReportChunks(format, input, options)].join('');
          expect(joined, `${name} ${format}`).toBe(renderReport(format, input, options));
        }
      }
      expect([...renderReportChunks('sarif', input, { sarifResults: 'problems' })].join('')).toBe(
        renderReport('sarif', input, { sarifResults: 'problems' }),
      );
    }
  });

  it('writes JSON, SARIF, CSV and JUnit in many pieces (one per finding or more)', () => {
    const findings = Array.from({ length: 50 }, (_, i) => aFinding({ name: `fn-${i}` }));
    const input = aReportInput({ findings });
    for (const format of ['json', 'sarif', 'csv', 'junit'] as const)
      expect([...renderReportChunks(format, input)].length, format).toBeGreaterThanOrEqual(50);
  });
});
