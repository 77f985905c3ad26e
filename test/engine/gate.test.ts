import { describe, expect, it } from 'vitest';
import {
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_UNVERIFIED,
  EXIT_USAGE,
  evaluateGate,
  gateRequested,
} from '../../src/engine/gate.js';
import type { Finding } from '../../src/model/finding.js';
import type { CollectionError } from '../../src/model/snapshot.js';

function finding(over: Partial<Finding>): Finding {
  return {
    id: 'x',
    ruleId: 'SGN-001',
    slug: 's',
    title: 't',
    status: 'PASS',
    severity: 'high',
    resource: {
      type: 'function',
      id: 'f',
      name: 'f',
      provenance: { source: 'aws', arn: 'f', accountId: '1', region: 'r' },
    },
    message: 'm',
    remediation: 'r',
    production: false,
    inScope: true,
    ...over,
  };
}

const collectionError: CollectionError = {
  service: 'lambda',
  operation: 'ListFunctions',
  accountId: '1',
  region: 'us-east-1',
  errorCode: 'AccessDeniedException',
  message: 'denied',
  parts: ['functions'],
};

const input = (findings: Finding[], collectionErrors: CollectionError[] = []) => ({
  findings,
  collectionErrors,
  parseErrors: [],
});

describe('the gate', () => {
  it('exits 0 without a gate, whatever the findings', () => {
    const all = input([finding({ status: 'FAIL' }), finding({ status: 'ERROR' })], [collectionError]);
    expect(evaluateGate(all, {})).toEqual({ exitCode: EXIT_OK, reasons: [] });
  });

  it('exits 3 for an unmuted FAIL at or above --fail-on, not below it or muted', () => {
    expect(
      evaluateGate(input([finding({ status: 'FAIL', severity: 'high' })]), { failOn: 'high' }).exitCode,
    ).toBe(EXIT_FINDINGS);
    expect(
      evaluateGate(input([finding({ status: 'FAIL', severity: 'medium' })]), { failOn: 'high' }).exitCode,
    ).toBe(EXIT_OK);
    const muted = finding({ status: 'FAIL', muted: { reason: 'ok', source: 'config' } });
    expect(evaluateGate(input([muted]), { failOn: 'low' }).exitCode).toBe(EXIT_OK);
  });

  it('fails any gate on an ERROR finding, whatever its severity', () => {
    const result = evaluateGate(input([finding({ status: 'ERROR', severity: 'info' })]), {
      failOn: 'critical',
    });
    expect(result.exitCode).toBe(EXIT_UNVERIFIED);
    expect(result.reasons.join()).toMatch(/rule error/);
  });

  it('fails on UNKNOWN only with --fail-on-unknown (and at the --fail-on severity)', () => {
    const unknown = input([finding({ status: 'UNKNOWN', severity: 'medium' })]);
    expect(evaluateGate(unknown, { failOn: 'low' }).exitCode).toBe(EXIT_OK);
    expect(evaluateGate(unknown, { failOnUnknown: true }).exitCode).toBe(EXIT_UNVERIFIED);
    expect(evaluateGate(unknown, { failOn: 'low', failOnUnknown: true }).exitCode).toBe(EXIT_UNVERIFIED);
    expect(evaluateGate(unknown, { failOn: 'high', failOnUnknown: true }).exitCode).toBe(EXIT_OK);
  });

  it('fails closed on an incomplete collection unless --allow-incomplete', () => {
    const partial = input([finding({ status: 'PASS' })], [collectionError]);
    const strict = evaluateGate(partial, { failOn: 'high' });
    expect(strict.exitCode).toBe(EXIT_UNVERIFIED);
    expect(strict.reasons.join()).toMatch(/incomplete collection: 1 AWS call failed/);
    expect(evaluateGate(partial, { failOn: 'high', allowIncomplete: true }).exitCode).toBe(EXIT_OK);
  });

  it('fails closed on unparsed files unless --allow-incomplete', () => {
    const clean = input([finding({ status: 'PASS' })]);
    expect(evaluateGate(clean, { failOn: 'high' }, { unparsedFiles: 2 }).exitCode).toBe(EXIT_UNVERIFIED);
    expect(
      evaluateGate(clean, { failOn: 'high', allowIncomplete: true }, { unparsedFiles: 2 }).exitCode,
    ).toBe(EXIT_OK);
  });

  it('reports definite failures first (exit 3) and lists every reason', () => {
    const result = evaluateGate(
      input([finding({ status: 'FAIL' }), finding({ status: 'ERROR' })], [collectionError]),
      { failOn: 'high' },
    );
    expect(result.exitCode).toBe(EXIT_FINDINGS);
    expect(result.reasons).toHaveLength(3);
  });

  it('keeps the documented exit codes: 0 clean, 1 unverified, 2 usage, 3 findings', () => {
    expect([EXIT_OK, EXIT_UNVERIFIED, EXIT_USAGE, EXIT_FINDINGS]).toEqual([0, 1, 2, 3]);
  });

  it('asks for a gate with --fail-on or --fail-on-unknown, not with --allow-incomplete alone', () => {
    expect(gateRequested({})).toBe(false);
    expect(gateRequested({ allowIncomplete: true })).toBe(false);
    expect(gateRequested({ failOnUnknown: false })).toBe(false);
    expect(gateRequested({ failOn: 'info' })).toBe(true);
    expect(gateRequested({ failOnUnknown: true })).toBe(true);
    // --allow-incomplete alone is no gate: an incomplete scan still exits 0 when nothing was asked.
    const partial = input([finding({ status: 'ERROR' })], [collectionError]);
    expect(evaluateGate(partial, { allowIncomplete: true })).toEqual({ exitCode: EXIT_OK, reasons: [] });
  });

  it('passes a clean fleet with an empty list of reasons', () => {
    const clean = input([
      finding({ status: 'PASS', severity: 'critical' }),
      finding({ status: 'NOT_APPLICABLE', severity: 'critical' }),
    ]);
    expect(evaluateGate(clean, { failOn: 'info', failOnUnknown: true })).toEqual({
      exitCode: EXIT_OK,
      reasons: [],
    });
  });

  it('counts FAILs exactly at the threshold and above, and says how many in the CI log', () => {
    const findings = [
      finding({ status: 'FAIL', severity: 'critical' }),
      finding({ status: 'FAIL', severity: 'medium' }),
      finding({ status: 'FAIL', severity: 'low' }),
      finding({ status: 'FAIL', severity: 'info' }),
    ];
    expect(evaluateGate(input(findings), { failOn: 'medium' })).toEqual({
      exitCode: EXIT_FINDINGS,
      reasons: ['2 unmuted FAIL findings at or above medium'],
    });
    expect(evaluateGate(input(findings), { failOn: 'critical' })).toEqual({
      exitCode: EXIT_FINDINGS,
      reasons: ['1 unmuted FAIL finding at or above critical'],
    });
    expect(evaluateGate(input(findings), { failOn: 'info' }).reasons).toEqual([
      '4 unmuted FAIL findings at or above info',
    ]);
  });

  it('does not gate FAILs with --fail-on-unknown alone (no severity was asked for)', () => {
    const result = evaluateGate(input([finding({ status: 'FAIL', severity: 'critical' })]), {
      failOnUnknown: true,
    });
    expect(result).toEqual({ exitCode: EXIT_OK, reasons: [] });
    // ...but a FAIL next to an UNKNOWN is still "cannot verify", not "findings" (exit 1, not 3).
    const both = evaluateGate(
      input([finding({ status: 'FAIL', severity: 'critical' }), finding({ status: 'UNKNOWN' })]),
      { failOnUnknown: true },
    );
    expect(both).toEqual({ exitCode: EXIT_UNVERIFIED, reasons: ['1 UNKNOWN finding (--fail-on-unknown)'] });
  });

  it('counts every UNKNOWN of any severity with --fail-on-unknown alone, but never muted ones', () => {
    const unknowns = input([
      finding({ status: 'UNKNOWN', severity: 'info' }),
      finding({ status: 'UNKNOWN', severity: 'low' }),
      finding({ status: 'UNKNOWN', severity: 'critical', muted: { reason: 'accepted', source: 'config' } }),
    ]);
    expect(evaluateGate(unknowns, { failOnUnknown: true })).toEqual({
      exitCode: EXIT_UNVERIFIED,
      reasons: ['2 UNKNOWN findings (--fail-on-unknown)'],
    });
    const onlyMuted = input([
      finding({ status: 'UNKNOWN', muted: { reason: 'accepted', source: 'inline' } }),
    ]);
    expect(evaluateGate(onlyMuted, { failOnUnknown: true }).exitCode).toBe(EXIT_OK);
  });

  it('fails on ERROR findings even when muted or without --fail-on, and counts them in the reason', () => {
    const errors = input([
      finding({ status: 'ERROR', severity: 'info' }),
      finding({ status: 'ERROR', severity: 'low', muted: { reason: 'x', source: 'config' } }),
    ]);
    expect(evaluateGate(errors, { failOnUnknown: true })).toEqual({
      exitCode: EXIT_UNVERIFIED,
      reasons: ['2 rule errors (a rule could not judge a resource; see the ERROR findings)'],
    });
    expect(evaluateGate(input([finding({ status: 'ERROR' })]), { failOn: 'low' }).reasons).toEqual([
      '1 rule error (a rule could not judge a resource; see the ERROR findings)',
    ]);
  });

  it('names how many AWS calls failed and how many files could not be parsed', () => {
    const two = input([], [collectionError, { ...collectionError, region: 'eu-west-1' }]);
    expect(evaluateGate(two, { failOn: 'high' }, { unparsedFiles: 1 })).toEqual({
      exitCode: EXIT_UNVERIFIED,
      reasons: [
        'incomplete collection: 2 AWS calls failed (fix access and scan again, or accept with --allow-incomplete)',
        '1 file could not be parsed (fix them, or accept with --allow-incomplete)',
      ],
    });
    expect(evaluateGate(input([]), { failOn: 'high' }, { unparsedFiles: 3 }).reasons).toEqual([
      '3 files could not be parsed (fix them, or accept with --allow-incomplete)',
    ]);
    expect(evaluateGate(input([]), { failOn: 'high' }, { unparsedFiles: 0 })).toEqual({
      exitCode: EXIT_OK,
      reasons: [],
    });
  });

  it('lists the reasons in a fixed order: findings, errors, unknowns, incomplete collection', () => {
    const result = evaluateGate(
      input(
        [
          finding({ status: 'UNKNOWN', severity: 'high' }),
          finding({ status: 'ERROR' }),
          finding({ status: 'FAIL', severity: 'high' }),
        ],
        [collectionError],
      ),
      { failOn: 'high', failOnUnknown: true },
      { unparsedFiles: 1 },
    );
    expect(result.exitCode).toBe(EXIT_FINDINGS);
    expect(result.reasons.map((r) => r.split(' (')[0])).toEqual([
      '1 unmuted FAIL finding at or above high',
      '1 rule error',
      '1 UNKNOWN finding',
      'incomplete collection: 1 AWS call failed',
      '1 file could not be parsed',
    ]);
    // --allow-incomplete drops only the collection reasons.
    expect(
      evaluateGate(
        input([finding({ status: 'ERROR' })], [collectionError]),
        { failOn: 'high', allowIncomplete: true },
        { unparsedFiles: 1 },
      ).reasons,
    ).toHaveLength(1);
  });
});
