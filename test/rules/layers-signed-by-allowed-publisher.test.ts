import { describe, expect, it } from 'vitest';
import { layersSignedByAllowedPublisher as rule } from '../../src/rules/layers-signed-by-allowed-publisher.js';
import { aProtectedSetup, aSnapshot, coverage, profileVersionArn, runRule } from '../helpers/builders.js';

const LAYER = 'arn:aws:lambda:us-east-1:123456789012:layer:utils:3';

describe('SGN-006 layers-signed-by-allowed-publisher', () => {
  it('passes layers signed by an allowed profile and fails unsigned or untrusted ones', () => {
    const { fn, csc, profile } = aProtectedSetup();
    const base = { codeSigningConfigs: [csc], signingProfiles: [profile] };
    const good = {
      ...fn,
      layers: [{ arn: LAYER, signingProfileVersionArn: profileVersionArn('ci_release') }],
    };
    expect(runRule(rule, aSnapshot({ ...base, functions: [good] }))[0]!.status).toBe('PASS');
    const unsigned = { ...fn, layers: [{ arn: LAYER }] };
    const out = runRule(rule, aSnapshot({ ...base, functions: [unsigned] }))[0]!;
    expect([out.status, out.message]).toEqual(['FAIL', expect.stringMatching(/not signed/)]);
    const untrusted = {
      ...fn,
      layers: [{ arn: LAYER, signingProfileVersionArn: profileVersionArn('team_sandbox') }],
    };
    expect(runRule(rule, aSnapshot({ ...base, functions: [untrusted] }))[0]!.status).toBe('FAIL');
  });

  it('is not applicable without layers and UNKNOWN without CSC data', () => {
    const { fn, csc } = aProtectedSetup();
    expect(runRule(rule, aSnapshot({ functions: [fn], codeSigningConfigs: [csc] }))[0]!.status).toBe(
      'NOT_APPLICABLE',
    );
    const withLayer = { ...fn, layers: [{ arn: LAYER }] };
    const snapshot = aSnapshot({
      functions: [withLayer],
      coverage: [
        ...coverage('ok', ['functions', 'cscAttachments']),
        ...coverage('failed', ['codeSigningConfigs']),
      ],
    });
    expect(runRule(rule, snapshot)[0]!.status).toBe('UNKNOWN');
  });

  it('says once that a template function without a CSC fails (SGN-001) instead of adding an UNKNOWN', () => {
    const { fn } = aProtectedSetup();
    const template = aSnapshot({
      source: 'iac',
      functions: [{ ...fn, codeSigningConfig: { state: 'none' }, layers: [{ arn: LAYER }] }],
    });
    const out = runRule(rule, template)[0]!;
    expect(out.status).toBe('NOT_APPLICABLE');
    expect(out.message).toContain('see SGN-001');
    // With a CSC attached, the same unverifiable layer stays UNKNOWN.
    const { csc } = aProtectedSetup();
    const attached = aSnapshot({
      source: 'iac',
      functions: [{ ...fn, layers: [{ arn: LAYER }] }],
      codeSigningConfigs: [csc],
    });
    expect(runRule(rule, attached)[0]!.status).toBe('UNKNOWN');
  });
});
