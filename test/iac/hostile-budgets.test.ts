// Exponential Serverless variables, CDK assemblies that point at themselves, and deep nesting in YAML
// and JSON: each finishes quickly as that file's error (or a warning), and the other files are scanned.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanIac } from '../../src/iac/index.js';
import { serverlessChain } from '../helpers/hostile-inputs.js';

const OK_YAML =
  'Resources:\n  Fine:\n    Type: AWS::Lambda::Function\n    Properties: { Code: { ZipFile: x } }\n';

function scanTree(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'signet-budget-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, ...scanIac([dir], { baseDir: dir }) };
}

describe('Serverless variables', () => {
  it('finishes the 18-level self: chain (3 references per level): each path is resolved once', () => {
    const { snapshot, problems } = scanTree({
      'sls/serverless.yml': serverlessChain(18),
      'ok.yaml': OK_YAML,
    });
    expect(problems).toEqual([]);
    // Deeper than Signet follows variables: the name stays the function's key, not a guess.
    expect(snapshot.functions.map((f) => f.name).sort()).toEqual(['Fine', 'fn']);
  });

  it('stops a chain whose value outgrows the string budget, as that file’s error', () => {
    const { snapshot, problems } = scanTree({
      'sls/serverless.yml': serverlessChain(12, 4),
      'ok.yaml': OK_YAML,
    });
    const error = problems.find((p) => p.file === 'sls/serverless.yml')!;
    expect(error.level).toBe('error');
    expect(error.message).toMatch(
      /evaluation budget exceeded: a Serverless variable resolves to more than 1,000,000 characters/,
    );
    expect(snapshot.functions.map((f) => f.name)).toEqual(['Fine']);
  });

  it('resolves a short chain exactly', () => {
    const { snapshot, problems } = scanTree({ 'serverless.yml': serverlessChain(3, 2) });
    expect(problems).toEqual([]);
    expect(snapshot.functions.map((f) => f.name)).toEqual(['x-x-x-x-x-x-x-x']);
  });

  it('leaves a variable that refers to itself unknown instead of looping', () => {
    const { snapshot } = scanTree({
      'serverless.yml': `service: s\nprovider:\n  name: aws\ncustom:\n  a: \${self:custom.b}\n  b: \${self:custom.a}\nfunctions:\n  fn:\n    handler: h.h\n    name: \${self:custom.a}\n`,
    });
    // The function keeps its logical name: its configured name could not be resolved.
    expect(snapshot.functions.map((f) => f.name)).toEqual(['fn']);
  });
});

describe('CDK assemblies', () => {
  const manifest = (artifacts: Record<string, unknown>) => JSON.stringify({ version: '36.0.0', artifacts });
  const template = JSON.stringify({
    Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: { Code: { ZipFile: 'x' } } } },
  });

  it('reads a stack once when nested assemblies point at "." (itself) and at a parent', () => {
    const { snapshot, problems } = scanTree({
      'cdk.out/manifest.json': manifest({
        Stack: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Stack.template.json' } },
        ...Object.fromEntries(
          Array.from({ length: 11 }, (_, i) => [
            `Self${i}`,
            { type: 'cdk:cloud-assembly', properties: { directoryName: '.' } },
          ]),
        ),
        Stage: { type: 'cdk:cloud-assembly', properties: { directoryName: 'stage' } },
      }),
      'cdk.out/Stack.template.json': template,
      'cdk.out/stage/manifest.json': manifest({
        Up: { type: 'cdk:cloud-assembly', properties: { directoryName: '..' } },
      }),
    });
    expect(snapshot.functions).toHaveLength(1);
    expect(problems.filter((p) => p.level === 'error')).toEqual([]);
    expect(problems.filter((p) => p.message.includes('already scanned'))).toHaveLength(12);
  });

  it('refuses nested assemblies deeper than the budget, as an error', () => {
    const files: Record<string, string> = {
      'cdk.out/Stack.template.json': template,
    };
    let dir = 'cdk.out';
    for (let i = 0; i < 12; i++) {
      files[`${dir}/manifest.json`] = manifest({
        ...(i === 0
          ? {
              Stack: {
                type: 'aws:cloudformation:stack',
                properties: { templateFile: 'Stack.template.json' },
              },
            }
          : {}),
        Next: { type: 'cdk:cloud-assembly', properties: { directoryName: 'n' } },
      });
      dir += '/n';
    }
    const { snapshot, problems } = scanTree(files);
    expect(snapshot.functions).toHaveLength(1);
    expect(problems).toContainEqual(
      expect.objectContaining({ level: 'error', message: expect.stringContaining('deeper than 10 levels') }),
    );
  });
});

describe('deep nesting in YAML and JSON', () => {
  it('makes 10,000 nested YAML lists that file’s error', () => {
    const text = `Resources:\n  A: ${'['.repeat(10000)}${']'.repeat(10000)}\n`;
    const { snapshot, problems } = scanTree({ 'deep.yaml': text, 'ok.yaml': OK_YAML });
    expect(problems.find((p) => p.file === 'deep.yaml')).toMatchObject({ level: 'error' });
    expect(snapshot.functions.map((f) => f.name)).toContain('Fine');
  });

  it('scans a JSON template with 10,000 nested lists (JSON.parse and the key locator do not recurse)', () => {
    const text = `{"Resources": {"A": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "deep", "Environment": ${'['.repeat(10000)}${']'.repeat(10000)}}}}}`;
    const { snapshot, problems } = scanTree({ 'deep.json': text, 'ok.yaml': OK_YAML });
    expect(problems.filter((p) => p.level === 'error')).toEqual([]);
    expect(snapshot.functions.map((f) => f.name).sort()).toEqual(['Fine', 'deep']);
  });
});
