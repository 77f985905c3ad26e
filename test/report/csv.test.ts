import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvCell, renderCsv } from '../../src/report/csv.js';
import { aFinding, anIacFinding, aReportInput } from './builders.js';

/** A small RFC 4180 parser, so the tests read the file as a spreadsheet would. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

describe('CSV report', () => {
  it('has a header and one row per finding, CRLF-terminated', () => {
    const csv = renderCsv(aReportInput({ findings: [aFinding({ name: 'a' }), anIacFinding()] }));
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(3);
    const col = (name: string) => CSV_COLUMNS.indexOf(name);
    expect(rows[1]![col('arn')]).toBe('arn:aws:lambda:eu-west-1:111122223333:function:a');
    expect(rows[2]![col('file')]).toBe('templates/app.yaml');
    expect(rows[2]![col('line')]).toBe('12');
  });

  it('quotes commas, quotes and line breaks per RFC 4180', () => {
    const rows = parseCsv(renderCsv(aReportInput({ findings: [aFinding({ message: 'a, "b"\nc' })] })));
    expect(rows[1]![CSV_COLUMNS.indexOf('message')]).toBe('a, "b"\nc');
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    for (const hostile of [
      '=HYPERLINK("http://evil")',
      '+1+1',
      '-2+3',
      '@SUM(A1)',
      '\tcmd',
      '\r=1',
      '  =1',
    ]) {
      expect(csvCell(hostile).replace(/^"/, '')).toMatch(/^'/);
    }
    expect(csvCell('orders')).toBe('orders');
    const rows = parseCsv(
      renderCsv(aReportInput({ findings: [aFinding({ name: '=cmd|" /C calc"!A0', message: '@evil' })] })),
    );
    expect(rows[1]![CSV_COLUMNS.indexOf('resource_name')]).toBe(`'=cmd|" /C calc"!A0`);
    expect(rows[1]![CSV_COLUMNS.indexOf('message')]).toBe("'@evil");
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('says which findings are muted and why', () => {
    const rows = parseCsv(
      renderCsv(aReportInput({ findings: [aFinding({ muted: { reason: 'legacy', source: 'config' } })] })),
    );
    expect(rows[1]![CSV_COLUMNS.indexOf('muted')]).toBe('yes');
    expect(rows[1]![CSV_COLUMNS.indexOf('muted_reason')]).toBe('legacy');
  });
});
