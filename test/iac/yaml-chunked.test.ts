// Large YAML templates are parsed piece by piece (less memory); the result must be exactly what the
// whole-document parser gives: same values, same positions, same errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { IacParseError, type Located, parseYamlLocated } from '../../src/iac/source.js';

/** Every key position down to `Resources.<id>.Properties.<prop>.<key>`. */
function positionsOf(located: Located): unknown[] {
  const out: unknown[] = [];
  const walk = (path: string[], value: unknown) => {
    if (!value || typeof value !== 'object' || Array.isArray(value) || path.length > 4) return;
    for (const [k, v] of Object.entries(value)) {
      out.push([...path, k].join('.'), located.pathPos([...path, k]));
      walk([...path, k], v);
    }
  };
  walk([], located.value);
  return out;
}

const whole = (text: string) => parseYamlLocated(text, { chunkAbove: Number.POSITIVE_INFINITY });
const chunked = (text: string) => parseYamlLocated(text, { chunkAbove: 0 });

describe('YAML parsed in pieces', () => {
  it('gives the same values and positions as the whole-document parser (property-based)', () => {
    const name = fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,8}$/);
    const scalar = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null));
    const props = fc.dictionary(
      name,
      fc.oneof(scalar, fc.dictionary(name, scalar, { maxKeys: 3 }), fc.array(scalar, { maxLength: 3 })),
      {
        maxKeys: 5,
      },
    );
    const resource = fc.record({
      Type: fc.constantFrom('AWS::Lambda::Function', 'AWS::S3::Bucket'),
      Properties: props,
    });
    const template = fc.record(
      {
        AWSTemplateFormatVersion: fc.constant('2010-09-09'),
        Parameters: fc.dictionary(
          name,
          fc.record({ Type: fc.constant('String'), Default: fc.string({ maxLength: 8 }) }),
          {
            maxKeys: 2,
          },
        ),
        Resources: fc.dictionary(name, resource, { minKeys: 1, maxKeys: 8 }),
        Outputs: fc.dictionary(name, fc.record({ Value: fc.string({ maxLength: 8 }) }), { maxKeys: 2 }),
      },
      { requiredKeys: ['Resources'] },
    );
    fc.assert(
      fc.property(
        template,
        fc.constantFrom(2, 4),
        fc.boolean(),
        fc.boolean(),
        (t, indent, comments, marker) => {
          let text = (marker ? '---\n' : '') + stringify(t, { indent });
          if (comments)
            text = `# generated\n${text.replace(/\nResources:\n/, '\n# resources follow\nResources:\n  # first\n')}`;
          const a = whole(text);
          const b = chunked(text);
          expect(b.value).toEqual(a.value);
          expect(positionsOf(b)).toEqual(positionsOf(a));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps short-form intrinsics and flow collections in pieces', () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A:\n    Type: AWS::Lambda::Function\n    Properties: { CodeSigningConfigArn: !GetAtt Csc.CodeSigningConfigArn, Tags: [{ Key: a, Value: !Ref P }] }\n  Csc:\n    Type: AWS::Lambda::CodeSigningConfig\n`;
    expect(chunked(text).value).toEqual(whole(text).value);
    expect(chunked(text).pathPos(['Resources', 'Csc'])).toEqual({ line: 6, column: 3 });
  });

  it('falls back to the whole parser for anchors, several documents and broken pieces', () => {
    const anchors = 'Shared: &s { a: 1 }\nResources:\n  A: *s\n';
    expect(chunked(anchors).value).toEqual({ Shared: { a: 1 }, Resources: { A: { a: 1 } } });
    const docs = '---\nResources:\n  A: 1\n---\nResources:\n  B: 1\n';
    expect(() => chunked(docs)).toThrow(IacParseError);
    expect(() => whole(docs)).toThrow(IacParseError);
    // A column-0 continuation line: not a piece of its own; the whole parser reports the real error.
    expect(() => chunked('Resources:\n  A: [1,\n2]\nB: 1\n')).not.toThrow(TypeError);
  });
});
