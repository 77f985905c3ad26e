// `*` wildcards: the same answers as a reference regex, without its exponential backtracking.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wildcard } from '../../src/rules/support.js';
import { matchGlob, matchWildcard } from '../../src/util/wildcard.js';

function reference(pattern: string, value: string): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 's').test(value);
}

describe('matchWildcard', () => {
  it('matches literal, prefix, suffix, infix and ARN patterns', () => {
    const yes: [string, string][] = [
      ['orders', 'orders'],
      ['orders-*', 'orders-api'],
      ['*-api', 'orders-api'],
      ['*', ''],
      ['**', 'x'],
      ['a*b*c', 'abc'],
      [
        'arn:aws:signer:*:111111111111:/signing-profiles/*',
        'arn:aws:signer:us-east-1:111111111111:/signing-profiles/p/ABC',
      ],
      ['a.b?', 'a.b?'],
    ];
    const no: [string, string][] = [
      ['orders', 'orders2'],
      ['orders-*', 'order-api'],
      ['a*a', 'a'],
      ['ab*ba', 'aba'],
      ['a.b?', 'axbc'],
      ['*x*', 'abc'],
      ['Orders', 'orders'],
    ];
    for (const [p, v] of yes) expect(matchWildcard(p, v), `${p} ~ ${v}`).toBe(true);
    for (const [p, v] of no) expect(matchWildcard(p, v), `${p} !~ ${v}`).toBe(false);
  });

  it('property: agrees with the reference regex on generated patterns and names', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '-', '.'), maxLength: 12 });
    const pattern = fc.string({ unit: fc.constantFrom('a', 'b', '-', '.', '*', '?'), maxLength: 8 });
    fc.assert(
      fc.property(pattern, text, (p, v) => matchWildcard(p, v) === reference(p, v)),
      { numRuns: 3000 },
    );
    // A pattern always matches the value it was made from by replacing runs with `*`.
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 4 }), (v, cuts) => {
        let p = v;
        for (const c of cuts) {
          const at = v.length === 0 ? 0 : c % v.length;
          p = `${p.slice(0, at)}*${p.slice(at + 1)}`;
        }
        return matchWildcard(p, v);
      }),
    );
  });

  it('answers the backtracking bomb (26 `*` against a 63-character name) like any other pattern', () => {
    const pattern = `${'a*'.repeat(26)}b`;
    const name = 'a'.repeat(63);
    expect(matchWildcard(pattern, name)).toBe(false);
    expect(matchWildcard(pattern, `${name}b`)).toBe(true);
    // The rules' and config's matcher is this one.
    expect(wildcard(pattern, name)).toBe(false);
  });
});

describe('matchGlob with `?` and case folding (the IAM flavour)', () => {
  function iamReference(pattern: string, value: string, ignoreCase: boolean): boolean {
    const escaped = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    return new RegExp(`^${escaped}$`, ignoreCase ? 'si' : 's').test(value);
  }

  it('property: agrees with the reference regex, `?` being one character', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'B', '-', '?', ':'), maxLength: 12 });
    const pattern = fc.string({ unit: fc.constantFrom('a', 'b', 'B', '-', '*', '?', ':'), maxLength: 8 });
    fc.assert(
      fc.property(
        pattern,
        text,
        fc.boolean(),
        (p, v, ignoreCase) =>
          matchGlob(p, v, { anyChar: true, ignoreCase }) === iamReference(p, v, ignoreCase),
      ),
      { numRuns: 3000 },
    );
  });

  it('keeps `?` literal unless asked', () => {
    expect(matchGlob('a?c', 'abc')).toBe(false);
    expect(matchGlob('a?c', 'a?c')).toBe(true);
    expect(matchGlob('a?c', 'abc', { anyChar: true })).toBe(true);
    expect(matchGlob('lambda:Get*', 'LAMBDA:GETFUNCTION', { ignoreCase: true })).toBe(true);
    expect(matchGlob('lambda:Get*', 'LAMBDA:GETFUNCTION')).toBe(false);
  });
});
