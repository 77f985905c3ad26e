// Property-based checks (fast-check) of the hostile-input guards: whatever nesting or aliasing a file
// has, parsing ends in a value or in that file's parse error — never a stack overflow or a hang — and
// the alias budget refuses exactly the documents whose expansion is over it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHcl } from '../../src/iac/hcl.js';
import { IacParseError, MAX_ALIAS_EXPANSION, parseYamlLocated } from '../../src/iac/source.js';
import { aliasBomb } from '../helpers/hostile-inputs.js';

function outcome(parse: () => unknown): 'ok' | 'parse-error' {
  try {
    parse();
    return 'ok';
  } catch (err) {
    // Anything else (RangeError: Maximum call stack size exceeded, TypeError) fails the property.
    if (err instanceof IacParseError) return 'parse-error';
    throw err;
  }
}

describe('hostile input properties', () => {
  it('parses or rejects any bracket soup in HCL, at any depth, without overflowing the stack', () => {
    const opener = fc.constantFrom('[', '(', '{', '"${', '!', '-', 'x(', 'a.b[');
    const closerFor: Record<string, string> = {
      '[': ']',
      '(': ')',
      '{': '}',
      '"${': '}"',
      '!': '',
      '-': '',
      'x(': ')',
      'a.b[': ']',
    };
    fc.assert(
      fc.property(fc.array(opener, { minLength: 0, maxLength: 3000 }), fc.boolean(), (opens, balanced) => {
        const close = balanced
          ? [...opens]
              .reverse()
              .map((o) => closerFor[o])
              .join('')
          : '';
        const text = `locals {\n  v = ${opens.join('')}1${close}\n}\n`;
        const result = outcome(() => parseHcl(text));
        // Deep enough nesting is always refused; shallow balanced nesting is always accepted.
        if (opens.length > 400) expect(result).toBe('parse-error');
        if (balanced && opens.length < 50 && !opens.includes('{')) expect(result).toBe('ok');
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a YAML document exactly when its aliases expand past the budget', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 1, max: 12 }), (levels, width) => {
        // Anchor i stands for s_i nodes: s_0 = 1 + width, s_i = 1 + width · s_(i-1).
        const sizes = [1 + width];
        for (let i = 1; i < levels; i++) sizes.push(1 + width * sizes[i - 1]!);
        let expansion = sizes[levels - 1]!; // the `Tags: *a(levels-1)` use
        for (let i = 1; i < levels; i++) expansion += width * sizes[i - 1]!;
        const result = outcome(() => parseYamlLocated(aliasBomb(levels, width)));
        expect(result).toBe(expansion > MAX_ALIAS_EXPANSION ? 'parse-error' : 'ok');
      }),
      { numRuns: 80 },
    );
  });

  it('never lets a YAML nesting depth overflow the stack', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20000 }), fc.constantFrom('[', '{a: '), (depth, open) => {
        const close = open === '[' ? ']' : '}';
        outcome(() => parseYamlLocated(`Resources: ${open.repeat(depth)}1${close.repeat(depth)}\n`));
      }),
      { numRuns: 25 },
    );
  });
});
