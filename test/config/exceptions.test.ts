// Config dates are real calendar dates; expired exceptions warn and show on their findings as expired.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { RULE_IDS } from '../../src/rules/index.js';
import { aFunction, aSnapshot, NOW } from '../helpers/builders.js';

const parse = (text: string) => parseConfig(text, 'signet.config.yaml', RULE_IDS);
const withExpiry = (expires: string) =>
  `exceptions:\n  - rule: SGN-001\n    resource: legacy-*\n    reason: migrating in Q3\n    expires: ${expires}\n`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'signet-config-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exception dates', () => {
  it('refuses impossible dates with one line naming the field', () => {
    for (const date of ['2027-13-45', '9999-99-99', '2027-02-29', '2026-04-31', '2026-00-10']) {
      expect(() => parse(withExpiry(date)), date).toThrow(
        /^signet\.config\.yaml: exceptions\.0\.expires: is not a real calendar date; use YYYY-MM-DD like 2027-01-31/,
      );
    }
    expect(() => parse(withExpiry('"31/12/2027"'))).toThrow(
      /exceptions\.0\.expires: must be a date like 2027-01-31/,
    );
    expect(parse(withExpiry('2028-02-29')).exceptions[0]!.expires).toBe('2028-02-29');
  });

  it('property: every real date is accepted and every day past its month’s end refused', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2999-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const day = d.toISOString().slice(0, 10);
          return parse(withExpiry(day)).exceptions[0]!.expires === day;
        },
      ),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2999 }), fc.integer({ min: 1, max: 12 }), (y, m) => {
        const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
        const date = `${y}-${String(m).padStart(2, '0')}-${daysInMonth + 1}`;
        try {
          parse(withExpiry(date));
          return false;
        } catch {
          return true;
        }
      }),
      { numRuns: 200 },
    );
  });

  it('warns about an expired exception when loading the config, one line each', () => {
    const file = join(dir, 'signet.config.yaml');
    writeFileSync(
      file,
      `${withExpiry('2026-01-01')}  - rule: SGN-002\n    resource: "*"\n    reason: later\n    expires: 2030-01-01\n`,
    );
    const warnings: string[] = [];
    loadConfig(file, RULE_IDS, dir, { now: NOW, warn: (line) => warnings.push(line) });
    expect(warnings).toEqual([
      `${file}: exceptions.0 (SGN-001 legacy-*) expired on 2026-01-01; its findings are no longer muted: renew the date or remove it`,
    ]);
    const none: string[] = [];
    loadConfig(file, RULE_IDS, dir, {
      now: new Date('2025-12-31T23:00:00Z'),
      warn: (line) => none.push(line),
    });
    expect(none).toEqual([]);
  });
});

describe('expired exceptions on findings', () => {
  const snapshot = aSnapshot({
    functions: [
      aFunction({ name: 'legacy-job' }),
      aFunction({ name: 'legacy-cron' }),
      aFunction({ name: 'api' }),
    ],
  });
  const sgn001 = (findings: ReturnType<typeof evaluate>['findings'], name: string) =>
    findings.find((f) => f.ruleId === 'SGN-001' && f.resource.name === name)!;

  it('no longer mutes, and the finding says which exception expired and when', () => {
    const config = ConfigSchema.parse({
      exceptions: [
        { rule: 'SGN-001', resource: 'legacy-*', reason: 'migrating in Q3', expires: '2026-11-27' },
      ],
    });
    const { findings } = evaluate(snapshot, config, { now: NOW });
    const job = sgn001(findings, 'legacy-job');
    expect(job.status).toBe('FAIL');
    expect(job.muted).toBeUndefined();
    expect(job.message).toContain('The exception for this finding expired on 2026-11-27: "migrating in Q3"');
    expect(job.details).toMatchObject({
      expiredException: { reason: 'migrating in Q3', expires: '2026-11-27' },
    });
    expect(sgn001(findings, 'api').message).not.toContain('expired');
    expect(sgn001(findings, 'api').details?.expiredException).toBeUndefined();
  });

  it('still mutes on its last day, and an active exception wins over an expired one', () => {
    const lastDay = ConfigSchema.parse({
      exceptions: [{ rule: 'SGN-001', resource: 'legacy-job', reason: 'until today', expires: '2026-11-28' }],
    });
    expect(sgn001(evaluate(snapshot, lastDay, { now: NOW }).findings, 'legacy-job').muted).toMatchObject({
      reason: 'until today',
    });
    const both = ConfigSchema.parse({
      exceptions: [
        { rule: 'SGN-001', resource: 'legacy-*', reason: 'old', expires: '2025-01-01' },
        { rule: '*', resource: 'legacy-cron', reason: 'renewed', expires: '2027-01-01' },
      ],
    });
    const { findings } = evaluate(snapshot, both, { now: NOW });
    expect(sgn001(findings, 'legacy-cron').muted?.reason).toBe('renewed');
    expect(sgn001(findings, 'legacy-cron').message).not.toContain('expired');
    expect(sgn001(findings, 'legacy-job').message).toContain('expired on 2025-01-01');
  });
});
