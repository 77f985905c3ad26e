import { describe, expect, it } from 'vitest';
import { EXIT_FINDINGS, EXIT_OK, EXIT_UNVERIFIED, evaluateGate } from '../../src/engine/gate.js';
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
});
