// The JSON report's shape (key order, schema version, dropped undefined values) and the streamed JSON
// writer's byte-for-byte agreement with JSON.stringify on the awkward cases.
import { describe, expect, it } from 'vitest';
import { REPORT_JSON_SCHEMA_VERSION, renderJson, renderJsonChunks } from '../../src/report/json.js';
import { JsonArrayStream, jsonChunks } from '../../src/report/json-stream.js';
import { aFinding, aReportInput } from './builders.js';

const text = (value: unknown) => [...jsonChunks(value)].join('');

describe('JSON report', () => {
  it('orders the top level as documented, then any other keys alphabetically', () => {
    const input = { ...aReportInput({ findings: [aFinding()] }), zeta: 1, alpha: 2 };
    const parsed = JSON.parse(renderJson(input)) as Record<string, unknown>;
    expect(REPORT_JSON_SCHEMA_VERSION).toBe(1);
    expect(Object.keys(parsed)).toEqual([
      'schemaVersion',
      'tool',
      'generatedAt',
      'source',
      'collectedAt',
      'accounts',
      'regions',
      'coverage',
      'signingProfileCounts',
      'rules',
      'findings',
      'collectionErrors',
      'parseErrors',
      'alpha',
      'zeta',
    ]);
  });

  it('sorts nested keys and drops undefined values, inside findings and elsewhere', () => {
    const finding = { ...aFinding({ details: { b: undefined, a: [{ y: 1, x: 2 }] } }), muted: undefined };
    const input = aReportInput({
      findings: [finding],
      coverage: { noCsc: 1, inScopeFunctions: 1, enforced: 0, warn: 0, notApplicable: 0, unknown: undefined },
    });
    const out = renderJson(input);
    const parsed = JSON.parse(out) as {
      findings: Record<string, unknown>[];
      coverage: Record<string, unknown>;
    };
    expect(Object.keys(parsed.findings[0]!)).toEqual([...Object.keys(parsed.findings[0]!)].sort());
    expect(parsed.findings[0]).not.toHaveProperty('muted');
    expect(parsed.findings[0]!.details).toEqual({ a: [{ x: 2, y: 1 }] });
    expect(out).toContain('"a": [\n          {\n            "x": 2,\n            "y": 1');
    expect(Object.keys(parsed.coverage)).toEqual([
      'enforced',
      'inScopeFunctions',
      'noCsc',
      'notApplicable',
      'warn',
    ]);
  });

  it('is the same text in pieces, ending in a newline', () => {
    const input = aReportInput({ findings: [aFinding({ name: 'a' }), aFinding({ name: 'b' })] });
    const chunks = [...renderJsonChunks(input)];
    expect(chunks.join('')).toBe(renderJson(input));
    expect(chunks.at(-1)).toBe('\n');
    expect(renderJson(input)).toBe(`${JSON.stringify(JSON.parse(renderJson(input)), null, 2)}\n`);
  });

  it('writes an empty findings list as []', () => {
    expect(renderJson(aReportInput())).toContain('"findings": [],');
  });
});

describe('jsonChunks edge cases', () => {
  it('prints streamed elements JSON.stringify cannot represent as null, and skips such object members', () => {
    const items = [1, undefined, () => 2, Symbol('s'), { a: undefined, b: 'x' }];
    const doc = {
      skipped: undefined,
      fn: () => 1,
      sym: Symbol('t'),
      list: new JsonArrayStream(items),
      after: [undefined, { deep: 'v' }],
    };
    const plain = {
      skipped: undefined,
      fn: () => 1,
      sym: Symbol('t'),
      list: items,
      after: [undefined, { deep: 'v' }],
    };
    expect(text(doc)).toBe(JSON.stringify(plain, null, 2));
  });

  it('indents multi-line elements at every depth of a streamed document', () => {
    const element = { a: { b: [1, 2] }, c: 'line\nbreak' };
    const doc = {
      outer: [{ inner: { list: new JsonArrayStream([element, element]) } }, [new JsonArrayStream([[1]])]],
    };
    const plain = { outer: [{ inner: { list: [element, element] } }, [[[1]]]] };
    expect(text(doc)).toBe(JSON.stringify(plain, null, 2));
  });

  it('prints an empty streamed array and an object with only a stream', () => {
    expect(text(new JsonArrayStream([]))).toBe('[]');
    expect(text({ s: new JsonArrayStream([]) })).toBe('{\n  "s": []\n}');
    expect(text([new JsonArrayStream([])])).toBe('[\n  []\n]');
    expect(text({ u: undefined, s: new JsonArrayStream(['a']) })).toBe('{\n  "s": [\n    "a"\n  ]\n}');
  });

  it('prints nothing for a value JSON.stringify omits', () => {
    expect(text(undefined)).toBe('');
    expect(text(() => 1)).toBe('');
  });

  it('yields a streamed array’s elements as separate pieces', () => {
    const chunks = [...jsonChunks(new JsonArrayStream(['a', 'b']))];
    expect(chunks).toEqual(['[\n  ', '"a"', ',\n  ', '"b"', '\n]']);
    const nested = [...jsonChunks({ k: new JsonArrayStream([1]) })];
    expect(nested).toEqual(['{\n  "k": ', '[\n    ', '1', '\n  ]', '\n}']);
  });
});
