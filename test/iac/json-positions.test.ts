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
});
