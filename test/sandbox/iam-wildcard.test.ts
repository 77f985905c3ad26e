// The sandbox's IAM wildcard matcher (`*`, `?`): a regex's answers without its backtracking.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wildcardMatch } from '../../src/sandbox/iam-policy.js';

function reference(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, caseInsensitive ? 'is' : 's').test(value);
}

describe('sandbox IAM wildcardMatch', () => {
  it('matches actions case-insensitively and resources exactly', () => {
    expect(wildcardMatch('lambda:Get*', 'lambda:GetFunction', true)).toBe(true);
    expect(wildcardMatch('LAMBDA:get*', 'lambda:GetFunction', true)).toBe(true);
    expect(wildcardMatch('arn:aws:s3:::bucket/*', 'arn:aws:s3:::Bucket/x')).toBe(false);
    expect(wildcardMatch('arn:aws:iam::?????????????:role/*', 'arn:aws:iam::111111111111:role/r')).toBe(
      false,
    );
    expect(wildcardMatch('arn:aws:iam::????????????:role/*', 'arn:aws:iam::111111111111:role/r')).toBe(true);
  });

  it('property: agrees with the reference regex', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'B', ':', '/'), maxLength: 12 });
    const pattern = fc.string({ unit: fc.constantFrom('a', 'b', ':', '/', '*', '?'), maxLength: 8 });
    fc.assert(
      fc.property(pattern, text, fc.boolean(), (p, v, ci) => wildcardMatch(p, v, ci) === reference(p, v, ci)),
      { numRuns: 3000 },
    );
  });

  it('answers a backtracking bomb in a policy like any other pattern', () => {
    expect(wildcardMatch(`${'a*'.repeat(30)}b`, 'a'.repeat(200))).toBe(false);
  });
});
