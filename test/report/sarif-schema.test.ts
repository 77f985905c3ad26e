// Signet's SARIF output validated against the OASIS SARIF 2.1.0 JSON schema (not a hand-kept key list).
import { describe, expect, it } from 'vitest';
import { renderSarif } from '../../src/report/sarif.js';
import { sarifSchemaErrors } from '../helpers/sarif-schema.js';
import { aFinding, anIacFinding, anIacReportInput, aReportInput, HOSTILE } from './builders.js';

function validated(text: string): unknown {
  const log = JSON.parse(text) as unknown;
  expect(sarifSchemaErrors(log)).toEqual([]);
  return log;
}

describe('SARIF 2.1.0 schema', () => {
  it('the validator catches an invalid log (the check can fail)', () => {
    const log = JSON.parse(renderSarif(aReportInput({ findings: [aFinding()] }))) as {
      runs: { results: Record<string, unknown>[] }[];
    };
    log.runs[0]!.results[0]!.level = 'critical';
    log.runs[0]!.results[0]!.unknownMember = true;
    const errors = sarifSchemaErrors(log);
    expect(errors.some((e) => e.startsWith('/runs/0/results/0/level'))).toBe(true);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(sarifSchemaErrors({ version: '2.1.0' })).not.toEqual([]);
  });

  it('validates an empty live report', () => {
    validated(renderSarif(aReportInput()));
  });

  it('validates live findings of every status, muted ones and a docs URL', () => {
    validated(
      renderSarif(
        aReportInput({
          findings: [
            aFinding(),
            aFinding({ name: 'b', status: 'PASS' }),
            aFinding({ name: 'c', status: 'UNKNOWN', severity: 'critical' }),
            aFinding({ name: 'd', status: 'ERROR' }),
            aFinding({ name: 'e', status: 'NOT_APPLICABLE', severity: 'info' }),
            aFinding({
              name: 'f',
              ruleId: 'SGN-002',
              muted: { reason: 'accepted', source: 'config', expires: '2030-01-01' },
            }),
          ],
        }),
        { docsBaseUrl: 'https://example.com/signet/docs/' },
      ),
    );
  });

  it('validates IaC findings with file positions, property positions and hostile names', () => {
    validated(
      renderSarif(
        anIacReportInput({
          findings: [
            anIacFinding(),
            anIacFinding({ file: 'infra/main.tf', logicalId: HOSTILE, line: 1, column: 1 }),
            anIacFinding({
              ruleId: 'SGN-002',
              properties: { CodeSigningConfigArn: { line: 14, column: 7 } },
            }),
          ],
          parseErrors: [{ file: 'broken.yaml', line: 3, column: 5, message: 'bad indentation' }],
        }),
      ),
    );
  });
});
