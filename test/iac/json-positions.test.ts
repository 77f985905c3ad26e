// JSON positions come from a located parser: a finding never points at a sibling resource's key, even
// when siblings share property names or a string value contains text that looks like a key.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { scanIac } from '../../src/iac/index.js';
import { LineIndex, parseJsonLocated } from '../../src/iac/source.js';

function scanText(name: string, text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'signet-json-'));
  writeFileSync(join(dir, name), text);
  return scanIac([dir], { baseDir: dir });
}

type Iac = { line: number; column: number; properties?: Record<string, { line: number; column: number }> };
const prov = (p: unknown) => p as Iac;

describe('JSON positions', () => {
  it('does not point a resource without a property at the next sibling that has it', () => {
    const text = `{
  "Resources": {
    "NoPolicy": {
      "Type": "AWS::Lambda::CodeSigningConfig",
      "Properties": {
        "Description": "\\"CodeSigningPolicies\\": {} is mentioned here only",
        "AllowedPublishers": { "SigningProfileVersionArns": [] }
      }
    },
    "WithPolicy": {
      "Type": "AWS::Lambda::CodeSigningConfig",
      "Properties": {
        "AllowedPublishers": { "SigningProfileVersionArns": [] },
        "CodeSigningPolicies": { "UntrustedArtifactOnDeployment": "Warn" }
      }
    }
  }
}
`;
    const { snapshot } = scanText('t.json', text);
    const csc = (id: string) =>
      prov(snapshot.codeSigningConfigs.find((c) => c.id === `t.json#${id}`)!.provenance);
    expect(csc('NoPolicy')).toMatchObject({ line: 3, column: 5 });
    expect(csc('NoPolicy').properties?.CodeSigningPolicies).toBeUndefined();
    expect(csc('NoPolicy').properties?.AllowedPublishers).toEqual({ line: 7, column: 9 });
    expect(csc('WithPolicy')).toMatchObject({ line: 10, column: 5 });
    expect(csc('WithPolicy').properties?.CodeSigningPolicies).toEqual({ line: 14, column: 9 });
  });

  it('finds keys of a resource whose sibling comes first with the same nested names', () => {
    const located = parseJsonLocated(
      '{"Resources":{"A":{"Properties":{"Tags":{"Properties":1}}},"B":{"Properties":{"Tags":2}}}}',
    );
    expect(located.pathPos(['Resources', 'B', 'Properties', 'Tags'])).toEqual({ line: 1, column: 79 });
    expect(located.pathPos(['Resources', 'A', 'Properties', 'Tags', 'Properties'])).toEqual({
      line: 1,
      column: 42,
    });
    expect(located.pathPos(['Resources', 'A', 'Nope'])).toBeUndefined();
  });

  it('keeps the last of duplicate keys, as JSON.parse does', () => {
    const located = parseJsonLocated('{\n"a": 1,\n"a": 2\n}');
    expect(located.value).toEqual({ a: 2 });
    expect(located.pathPos(['a'])).toEqual({ line: 3, column: 1 });
  });

  it('reports invalid JSON with its line and column', () => {
    const { problems } = scanText('bad.json', '{\n  "Resources": {\n    "A": { "Type": }\n  }\n}\n');
    expect(problems[0]).toMatchObject({ file: 'bad.json', level: 'error', line: 3 });
    expect(problems[0]!.message).toMatch(/^invalid JSON: /);
  });

  it('agrees with jsonc-parser’s tree for every key of generated templates (property-based)', () => {
    const key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,6}$/);
    const leaf = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null));
    const props = fc.dictionary(
      fc.oneof(fc.constantFrom('CodeSigningConfigArn', 'Tags', 'Layers', 'Properties', 'Type'), key),
      fc.oneof(leaf, fc.dictionary(fc.constantFrom('Type', 'Properties', 'Tags', 'x'), leaf, { maxKeys: 3 })),
      { maxKeys: 5 },
    );
    const template = fc.dictionary(
      key,
      fc.record(
        { Type: fc.constant('AWS::Lambda::Function'), Properties: props },
        { requiredKeys: ['Type'] },
      ),
      { minKeys: 1, maxKeys: 6 },
    );
    fc.assert(
      fc.property(template, fc.constantFrom(0, 1, 2, '\t'), fc.boolean(), (resources, indent, bom) => {
        const text = (bom ? '\ufeff' : '') + JSON.stringify({ Resources: resources }, null, indent);
        const located = parseJsonLocated(text);
        const body = bom ? text.slice(1) : text;
        const tree = parseTree(body)!;
        const lines = new LineIndex(body);
        const check = (path: string[], value: unknown) => {
          const node = findNodeAtLocation(tree, path)!;
          expect(located.pathPos(path)).toEqual(lines.pos(node.parent!.children![0]!.offset));
          if (value && typeof value === 'object' && !Array.isArray(value))
            for (const [k, v] of Object.entries(value)) check([...path, k], v);
        };
        for (const [id, res] of Object.entries(resources)) check(['Resources', id], res);
      }),
      { numRuns: 150 },
    );
  });

  it('agrees with jsonc-parser on every key down to Resources.<id>.Properties.<key> of any JSON, escaped keys and any layout (property-based)', () => {
    const key = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom('a"b', 'c\\d', '\u00e9', '\n', '__proto__'),
    );
    const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      v: fc.oneof(
        { maxDepth: 5 },
        fc.oneof(
          fc.string({ maxLength: 6 }),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.boolean(),
          fc.constant(null),
        ),
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(key, tie('v'), { maxKeys: 4 }),
      ),
    })).v;
    fc.assert(
      fc.property(value, fc.constantFrom(0, 1, 3, '\t'), (v, indent) => {
        const text = JSON.stringify({ Resources: { R: { Properties: v } }, Other: v }, null, indent);
        const located = parseJsonLocated(text);
        const tree = parseTree(text)!;
        const lines = new LineIndex(text);
        const check = (path: string[], at: unknown, depth: number) => {
          if (!at || typeof at !== 'object' || Array.isArray(at) || depth > 4) return;
          for (const [k, child] of Object.entries(at)) {
            const node = findNodeAtLocation(tree, [...path, k]);
            // jsonc-parser keeps the first of duplicate keys' nodes; JSON.stringify writes none.
            expect(located.pathPos([...path, k])).toEqual(lines.pos(node!.parent!.children![0]!.offset));
            check([...path, k], child, depth + 1);
          }
        };
        check([], located.value, 0);
      }),
      { numRuns: 300 },
    );
  });

  it('finds positions in a template nested 100,000 levels deep (JSON.parse takes it; a recursive walk would not)', () => {
    let open = '';
    let close = '';
    for (let i = 0; i < 100_000; i++) {
      open += i % 2 ? '[' : '{"k":';
      close = (i % 2 ? ']' : '}') + close;
    }
    const text = `{\n"Resources": {"F": {"Type": "AWS::Lambda::Function",\n "Properties": {"Code": ${open}1${close}, "Runtime": "x"}}}}`;
    const located = parseJsonLocated(text);
    expect(located.pathPos(['Resources', 'F', 'Properties', 'Runtime'])).toEqual({
      line: 3,
      column: 25 + 300_000 + 1 + 100_000 + 2,
    });
    expect(located.pathPos(['Resources', 'F', 'Properties'])).toEqual({ line: 3, column: 2 });
  });
});
