import { describe, expect, it } from 'vitest';
import { publishedVersionsVerified as rule } from '../../src/rules/published-versions-verified.js';
import {
  aFunction,
  aProtectedSetup,
  aSnapshot,
  coverage,
  profileVersionArn,
  runRule,
} from '../helpers/builders.js';

describe('SGN-007 published-versions-verified', () => {
  const { fn, csc, profile } = aProtectedSetup({ name: 'checkout' });
  const v = (version: string, signed: boolean, aliases: string[]) => ({
    version,
    arn: `${fn.id}:${version}`,
    aliases,
    layers: [],
    ...(signed ? { signingProfileVersionArn: profileVersionArn('ci_release') } : {}),
  });
  const base = { codeSigningConfigs: [csc], signingProfiles: [profile] };

  it('fails an alias on an old unsigned version and passes one on a signed version', () => {
    const withVersions = {
      ...fn,
      versions: [v('1', false, ['live']), v('2', true, ['canary']), v('3', false, [])],
    };
    const out = runRule(rule, aSnapshot({ ...base, functions: [withVersions] }));
    expect(out.map((o) => [o.resource.name, o.status])).toEqual([
      ['checkout:1', 'FAIL'],
      ['checkout:2', 'PASS'],
    ]);
    expect(out[0]!.message).toMatch(/alias live/);
    const all = runRule(rule, aSnapshot({ ...base, functions: [withVersions] }), { versions: 'all' });
    expect(all).toHaveLength(3);
  });

  it('is not applicable without published versions and UNKNOWN when versions were not collected', () => {
    expect(runRule(rule, aSnapshot({ functions: [aFunction()] }))[0]!.status).toBe('NOT_APPLICABLE');
    const snapshot = aSnapshot({
      functions: [aFunction()],
      coverage: [...coverage('ok', ['functions']), ...coverage('failed', ['versions'])],
    });
    expect(runRule(rule, snapshot)[0]!.status).toBe('UNKNOWN');
  });
});
