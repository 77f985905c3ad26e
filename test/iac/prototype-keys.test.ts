// Keys that are also names of Object.prototype members (`toString`, `constructor`, `__proto__`) are
// ordinary keys in templates: they must neither reach the prototype (a value nobody wrote) nor set it
// (a property CloudFormation or Terraform never sees), and must not crash a file's evaluation.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanIac } from '../../src/iac/scan.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signet-proto-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function scan(name: string, text: string) {
  writeFileSync(join(dir, name), text);
  const result = scanIac([dir], { baseDir: dir });
  return { ...result, errors: result.problems.filter((p) => p.level === 'error') };
}

describe('CloudFormation', () => {
  it('a Ref or GetAtt to `toString` is a reference to nothing defined, not to a resource', () => {
    const { snapshot } = scan(
      't.yaml',
      `Resources:
  F:
    Type: AWS::Lambda::Function
    Properties:
      Code: {ZipFile: x}
      CodeSigningConfigArn: !Ref toString
  G:
    Type: AWS::Lambda::Function
    Properties:
      Code: {ZipFile: x}
      CodeSigningConfigArn: !GetAtt constructor.CodeSigningConfigArn
`,
    );
    expect(snapshot.functions.map((f) => f.codeSigningConfig)).toEqual([
      { state: 'unresolved', reason: "Ref to 'toString', which is not defined in this template" },
      { state: 'unresolved', reason: "GetAtt of 'constructor', which is not defined in this template" },
    ]);
  });

  it('Fn::FindInMap does not find `__proto__` or `constructor` in a mapping', () => {
    const { snapshot } = scan(
      't.yaml',
      `Mappings:
  M:
    a: {b: arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-0123456789abcdef0}
Resources:
  F:
    Type: AWS::Lambda::Function
    Properties:
      Code: {ZipFile: x}
      CodeSigningConfigArn: !FindInMap [M, a, __proto__]
  G:
    Type: AWS::Lambda::Function
    Properties:
      Code: {ZipFile: x}
      CodeSigningConfigArn: !FindInMap [M, constructor, b]
`,
    );
    expect(snapshot.functions.map((f) => f.codeSigningConfig)).toEqual([
      { state: 'unresolved', reason: 'mapping M.a.__proto__ is not defined' },
      { state: 'unresolved', reason: 'mapping M.constructor.b is not defined' },
    ]);
  });

  it('tags named `__proto__` and `toString` are kept as tags', () => {
    const { snapshot } = scan(
      't.json',
      JSON.stringify({
        Resources: {
          F: {
            Type: 'AWS::Lambda::Function',
            Properties: {
              Code: { ZipFile: 'x' },
              Tags: [
                { Key: '__proto__', Value: 'a' },
                { Key: 'toString', Value: 'b' },
              ],
            },
          },
        },
      }),
    );
    const tags = snapshot.functions[0]!.tags;
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
    expect(Object.entries(tags)).toEqual([
      ['__proto__', 'a'],
      ['toString', 'b'],
    ]);
  });
});

describe('Terraform', () => {
  const fn = (name: string, extra = '') =>
    `resource "aws_lambda_function" "f" {\n  function_name = ${name}\n  filename = "f.zip"\n${extra}}\n`;

  it('lookup() of `toString` in a map takes the default', () => {
    const { snapshot, errors } = scan(
      'main.tf',
      `locals {\n  m = { a = "x" }\n}\n${fn('lookup(local.m, "toString", "fallback")')}`,
    );
    expect(errors).toEqual([]);
    expect(snapshot.functions.map((f) => f.name)).toEqual(['fallback']);
  });

  it('a for expression grouping by `toString` and `constructor` keys evaluates (it crashed the file)', () => {
    const { snapshot, errors } = scan(
      'main.tf',
      fn('"n-${length({ for s in ["toString", "toString", "constructor"] : s => s... })}"'),
    );
    expect(errors).toEqual([]);
    expect(snapshot.functions.map((f) => f.name)).toEqual(['n-2']);
  });

  it('an index `["constructor"]` into a map is not found, and an object key `__proto__` is a key', () => {
    const { snapshot, errors } = scan(
      'main.tf',
      `locals {\n  m = { a = "x" }\n}\n${fn('"f"', '  tags = merge({ "__proto__" = "p" }, { env = "prod" })\n  description = local.m["constructor"]\n')}`,
    );
    expect(errors).toEqual([]);
    const tags = snapshot.functions[0]!.tags;
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
    expect(Object.entries(tags)).toEqual([
      ['__proto__', 'p'],
      ['env', 'prod'],
    ]);
  });
});
