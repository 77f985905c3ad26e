// Hostile YAML and JSON: alias bombs, BOMs. Inputs are generated here, never committed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanIac } from '../../src/iac/index.js';
import { IacParseError, MAX_ALIAS_EXPANSION, parseYamlLocated } from '../../src/iac/source.js';
import { aliasBomb } from '../helpers/hostile-inputs.js';

function scanFiles(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'signet-hostile-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return scanIac([dir], { baseDir: dir });
}

describe('YAML alias bombs', () => {
  it('rejects the 10-level bomb as that file’s parse error, with the alias position, and scans the rest', () => {
    const bomb = aliasBomb(10);
    expect(bomb.length).toBeLessThan(1000);
    const { snapshot, problems } = scanFiles({
      'bomb.yaml': bomb,
      'ok.yaml':
        'Resources:\n  Fine:\n    Type: AWS::Lambda::Function\n    Properties: { Code: { ZipFile: x } }\n',
    });
    const error = problems.find((p) => p.file === 'bomb.yaml')!;
    expect(error).toMatchObject({ level: 'error', line: expect.any(Number), column: expect.any(Number) });
    expect(error.message).toMatch(/aliases expand to more than 1,000,000 nodes/);
    expect(snapshot.functions.map((f) => f.name)).toEqual(['Fine']);
  });

  it('accepts ordinary anchors and aliases, shared between resources', () => {
    const { snapshot, problems } = scanFiles({
      't.yaml': `
Shared: &tags
  - { Key: team, Value: payments }
Resources:
  A:
    Type: AWS::Lambda::Function
    Properties: { Code: { ZipFile: x }, Tags: *tags }
  B:
    Type: AWS::Lambda::Function
    Properties: &props { Code: { ZipFile: x }, Tags: *tags }
  C:
    Type: AWS::Lambda::Function
    Properties: *props
`,
    });
    expect(problems).toEqual([]);
    expect(snapshot.functions.map((f) => [f.name, f.tags])).toEqual([
      ['A', { team: 'payments' }],
      ['B', { team: 'payments' }],
      ['C', { team: 'payments' }],
    ]);
  });

  it('accepts expansion up to the budget and refuses it just past', () => {
    // Width 10, 3 levels: *a1 stands for 111 nodes, *a2 for 1,111; defining them expands 1,220.
    const base = aliasBomb(3, 10).split('Resources:')[0]!;
    const uses = (n: number) => `${base}list: [${Array(n).fill('*a2').join(', ')}]\n`;
    const fits = Math.floor((MAX_ALIAS_EXPANSION - 1220) / 1111);
    expect(() => parseYamlLocated(uses(fits))).not.toThrow();
    expect(() => parseYamlLocated(uses(fits + 1))).toThrow(/aliases expand to more than/);
  });

  it('refuses an alias used before its anchor or inside it', () => {
    expect(() => parseYamlLocated('a: *x\nb: &x 1\n')).toThrow(IacParseError);
    expect(() => parseYamlLocated('a: &x [1, *x]\n')).toThrow(IacParseError);
  });
});

describe('byte order marks', () => {
  it('accepts a UTF-8 BOM in JSON and YAML templates, as CloudFormation does', () => {
    const json = `\ufeff${JSON.stringify({ Resources: { J: { Type: 'AWS::Lambda::Function', Properties: { Code: { ZipFile: 'x' } } } } })}`;
    const yaml =
      '\ufeffResources:\n  Y:\n    Type: AWS::Lambda::Function\n    Properties: { Code: { ZipFile: x } }\n';
    const { snapshot, problems } = scanFiles({ 'j.json': json, 'y.yaml': yaml });
    expect(problems).toEqual([]);
    expect(snapshot.functions.map((f) => [f.name, (f.provenance as { line: number }).line])).toEqual([
      ['J', 1],
      ['Y', 2],
    ]);
  });
});
