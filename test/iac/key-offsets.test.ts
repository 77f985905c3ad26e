// Key positions are stored compactly (issue 8 item 5: memory on large templates): a run of offsets per
// small object in one shared array, a Map for large ones. The positions must be those of the text, in
// every key order JavaScript gives objects (integer-like keys first), with duplicates and merge keys.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isPair, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import {
  KeyOffsets,
  LineIndex,
  type Located,
  parseJsonLocated,
  parseYamlLocated,
} from '../../src/iac/source.js';

/** The oracle: every key of every mapping, as the `yaml` library locates it (the last of duplicates). */
function oraclePositions(text: string): Map<string, { line: number; column: number }> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  const out = new Map<string, { line: number; column: number }>();
  const walk = (node: unknown, path: string[]) => {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const p = lineCounter.linePos((pair.key as Node).range![0]);
      out.set([...path, key].join('\u0000'), { line: p.line, column: p.col });
      walk(pair.value, [...path, key]);
    }
  };
  walk(doc.contents, []);
  return out;
}

function locatedPositions(located: Located, maxPath = Number.POSITIVE_INFINITY) {
  const out = new Map<string, unknown>();
  const walk = (value: unknown, path: string[]) => {
    if (!value || typeof value !== 'object' || Array.isArray(value) || path.length >= maxPath) return;
    for (const [k, v] of Object.entries(value)) {
      out.set([...path, k].join('\u0000'), located.pathPos([...path, k]));
      walk(v, [...path, k]);
    }
  };
  walk(located.value, []);
  return out;
}

describe('compact key positions', () => {
  it('gives each key the position of its text, whatever the key order JavaScript uses (property-based)', () => {
    // Integer-like keys ("7", "10") come first in Object.keys whatever their place in the text.
    const key = fc.oneof(
      fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,5}$/),
      fc.integer({ min: 0, max: 50 }).map(String),
    );
    const leaf = fc.oneof(fc.integer(), fc.stringMatching(/^[a-z]{1,6}$/));
    const mapping = fc.letrec((tie) => ({
      map: fc.array(fc.tuple(key, fc.oneof({ depthSize: 'small', maxDepth: 3 }, leaf, tie('map'))), {
        minLength: 1,
        maxLength: 12,
      }),
    })).map as fc.Arbitrary<[string, unknown][]>;
    const render = (entries: [string, unknown][], indent: number): string =>
      entries
        .map(([k, v]) =>
          Array.isArray(v)
            ? `${' '.repeat(indent)}${k}:\n${render(v as [string, unknown][], indent + 2)}`
            : `${' '.repeat(indent)}${k}: ${v}\n`,
        )
        .join('');
    fc.assert(
      fc.property(mapping, (entries) => {
        const text = render(entries, 0);
        const oracle = oraclePositions(text);
        const located = locatedPositions(parseYamlLocated(text));
        for (const [path, pos] of located) expect(pos, path).toEqual(oracle.get(path));
      }),
      { numRuns: 100 },
    );
  });

  it('keeps a Map for objects with many keys (Resources of a large template)', () => {
    const text = `Resources:\n${Array.from({ length: 40 }, (_, i) => `  R${i}:\n    Type: T${i}\n`).join('')}`;
    const located = parseYamlLocated(text);
    expect(located.pathPos(['Resources', 'R0'])).toEqual({ line: 2, column: 3 });
    expect(located.pathPos(['Resources', 'R39'])).toEqual({ line: 80, column: 3 });
    expect(located.pathPos(['Resources', 'R39', 'Type'])).toEqual({ line: 81, column: 5 });
    expect(located.pathPos(['Resources', 'R40'])).toBeUndefined();
  });

  it('gives keys brought in by a merge key no position, and the keys written there theirs', () => {
    const located = parseYamlLocated('base: &b { x: 1, y: 2 }\nthing:\n  <<: *b\n  y: 3\n');
    expect(located.value).toEqual({ base: { x: 1, y: 2 }, thing: { y: 3, x: 1 } });
    expect(located.pathPos(['thing', 'y'])).toEqual({ line: 4, column: 3 });
    expect(located.pathPos(['thing', 'x'])).toBeUndefined();
  });

  it('answers "unknown", never a wrong position, for an object changed after parsing', () => {
    const located = parseJsonLocated('{"a": {"b": 1, "c": 2}}');
    const inner = (located.value as { a: Record<string, unknown> }).a;
    expect(located.pathPos(['a', 'c'])).toEqual({ line: 1, column: 16 });
    delete inner.b;
    expect(located.pathPos(['a', 'c'])).toBeUndefined();
  });

  it('records positions for the keys given, the last of duplicates winning', () => {
    const offsets = new KeyOffsets();
    const obj = { b: 1, 10: 2, a: 3 };
    offsets.record(obj, ['b', 'a', '10', 'b'], [5, 9, 14, 20]);
    expect(offsets.get(obj, 'b')).toBe(20);
    expect(offsets.get(obj, '10')).toBe(14);
    expect(offsets.get(obj, 'a')).toBe(9);
    expect(offsets.get(obj, 'z')).toBeUndefined();
    expect(offsets.get({ b: 1, 10: 2, a: 3 }, 'b')).toBeUndefined();
  });

  it('in a large YAML template parsed in pieces, keeps positions down to Resources.<id>.Properties.<prop>', () => {
    const resource = (i: number) =>
      `  Fn${i}:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code:\n        S3Bucket: b\n      Environment:\n        Variables:\n          A: "${i}"\n`;
    const text = `Resources:\n${Array.from({ length: 200 }, (_, i) => resource(i)).join('')}`;
    const chunked = parseYamlLocated(text, { chunkAbove: 1000 });
    const whole = parseYamlLocated(text, { chunkAbove: Number.POSITIVE_INFINITY });
    expect(chunked.value).toEqual(whole.value);
    // Every position a report can show (keys of objects at depth ≤ 4) is the same either way.
    expect(locatedPositions(chunked, 5)).toEqual(locatedPositions(whole, 5));
    expect(chunked.pathPos(['Resources', 'Fn199', 'Properties', 'Code'])).toEqual({
      line: 200 * 8 - 3,
      column: 7,
    });
    expect(chunked.pathPos(['Resources', 'Fn199', 'Properties', 'Environment', 'Variables'])).toEqual({
      line: 200 * 8,
      column: 9,
    });
    // Deeper keys are never shown in a report: not kept for large files.
    expect(chunked.pathPos(['Resources', 'Fn199', 'Properties', 'Environment', 'Variables', 'A'])).toBe(
      undefined,
    );
    expect(whole.pathPos(['Resources', 'Fn199', 'Properties', 'Environment', 'Variables', 'A'])).toEqual({
      line: 200 * 8 + 1,
      column: 11,
    });
  });

  it('gives the same line and column once the line index has let go of the text', () => {
    const text = 'a: 1\n\nbb: 2\r\n  c: 3\n';
    const kept = new LineIndex(text);
    const detached = new LineIndex(text).detach();
    for (let offset = 0; offset < text.length; offset++)
      expect(detached.pos(offset)).toEqual(kept.pos(offset));
    expect(detached.pos(text.indexOf('c'))).toEqual({ line: 4, column: 3 });
  });

  it('locates keys of a large JSON template parsed with its positions up front', () => {
    const resources: Record<string, unknown> = {};
    for (let i = 0; i < 10000; i++)
      resources[`Fn${i}`] = {
        Type: 'AWS::Lambda::Function',
        Properties: { FunctionName: `function-number-${i}` },
      };
    const text = JSON.stringify({ Resources: resources }, null, 1);
    expect(text.length).toBeGreaterThan(1024 * 1024);
    const located = parseJsonLocated(text);
    const line = text.split('\n').findIndex((l) => l.includes('"Fn9999"')) + 1;
    expect(located.pathPos(['Resources', 'Fn9999'])).toEqual({ line, column: 3 });
    expect(located.pathPos(['Resources', 'Fn9999', 'Properties', 'FunctionName'])).toEqual({
      line: line + 3,
      column: 5,
    });
  });
});
