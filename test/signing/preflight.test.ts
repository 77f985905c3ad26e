// Pre-flight decisions (pure) and the one-line explanations of AWS's deployment errors.
import { describe, expect, it } from 'vitest';
import { explainAwsError } from '../../src/signing/explain.js';
import { jobIdOfKey, parseS3Uri } from '../../src/signing/location.js';
import { preflight } from '../../src/signing/preflight.js';

const allowed = 'arn:aws:signer:us-east-1:111111111111:/signing-profiles/release/AbCdEf1234';
const other = 'arn:aws:signer:us-east-1:111111111111:/signing-profiles/rogue/ZzZzZz9999';
const enforce = {
  arn: 'arn:aws:lambda:us-east-1:111111111111:code-signing-config:csc-1',
  policy: 'Enforce',
  allowedProfileVersionArns: [allowed],
};
const warn = { ...enforce, policy: 'Warn' };

function run(overrides: Partial<Parameters<typeof preflight>[0]>) {
  return preflight({
    subject: 'function api',
    csc: enforce,
    profileVersionArn: allowed,
    profileStatus: 'Active',
    requireEnforce: false,
    ...overrides,
  });
}

describe('preflight', () => {
  it('passes an allowed, active profile under Enforce', () => {
    expect(run({})).toEqual({ problems: [], warnings: [] });
    expect(run({ requireEnforce: true })).toEqual({ problems: [], warnings: [] });
  });

  it('refuses a profile version the CSC does not allow, in Enforce and in Warn', () => {
    for (const csc of [enforce, warn]) {
      const result = run({ csc, profileVersionArn: other });
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]).toContain(`${other} is not among the allowed publishers`);
    }
  });

  it('refuses revoked and cancelled profiles and revoked signatures', () => {
    expect(run({ profileStatus: 'Revoked' }).problems[0]).toContain('is Revoked');
    expect(run({ profileStatus: 'Canceled' }).problems[0]).toContain('is Canceled');
    expect(run({ revoked: 'revoked: arn:job' }).problems[0]).toContain('the signature is revoked');
  });

  it('warns about Warn and missing CSCs, and refuses them with requireEnforce', () => {
    expect(run({ csc: warn })).toEqual({
      problems: [],
      warnings: [expect.stringContaining('is in Warn mode: Lambda only warns')],
    });
    expect(run({ csc: undefined }).warnings).toEqual([
      'function api has no code signing config: Lambda will not check this signature',
    ]);
    expect(run({ csc: warn, requireEnforce: true }).problems[0]).toContain('--require-enforce');
    expect(run({ csc: undefined, requireEnforce: true }).problems[0]).toContain(
      'has no code signing config, and --require-enforce',
    );
  });
});

describe('explainAwsError', () => {
  it('maps the code signing errors to one line that says what to do', () => {
    const cases: [string, RegExp][] = [
      ['CodeVerificationFailedException', /Enforce mode .* sign with a profile version listed/],
      ['InvalidCodeSignatureException', /changed after signing .* sign the original package again/],
      ['CodeSigningConfigNotFoundException', /no longer exists/],
      ['ResourceConflictException', /is busy .* run again/],
      ['AccessDeniedException', /signet iam-policy deploy/],
    ];
    for (const [name, pattern] of cases) {
      const text = explainAwsError({ name, message: 'Lambda says\nno' }, 'function api');
      expect(text).toMatch(pattern);
      expect(text).not.toContain('\n');
    }
    expect(explainAwsError({ name: 'Weird', message: 'multi\nline' }, 'layer x')).toBe(
      'Weird for layer x: multi line',
    );
  });
});

describe('locations', () => {
  it('parses signed object URIs and finds the job id Signer appended', () => {
    expect(
      parseS3Uri('s3://my-bucket/ci/signed/app-1b4e28ba-2fa1-11d2-883f-0016d3cca427?versionId=abc'),
    ).toEqual({
      bucket: 'my-bucket',
      key: 'ci/signed/app-1b4e28ba-2fa1-11d2-883f-0016d3cca427',
      versionId: 'abc',
    });
    expect(jobIdOfKey('ci/signed/app-1b4e28ba-2fa1-11d2-883f-0016d3cca427')).toBe(
      '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
    );
    expect(jobIdOfKey('ci/app.zip')).toBeUndefined();
    expect(() => parseS3Uri('https://my-bucket.s3.amazonaws.com/x')).toThrow(/not an S3 object location/);
    expect(() => parseS3Uri('s3://Bad_Bucket/x')).toThrow(/not an S3 object location/);
  });
});
