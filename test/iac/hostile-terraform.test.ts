// Hostile Terraform: one bad file is that file's error with its position, the others are scanned;
// exponential expressions hit an evaluation budget instead of memory; large counts are said.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanIac } from '../../src/iac/index.js';
import { doublingLocals, nestedDynamicBlocks, tfFunction } from '../helpers/hostile-inputs.js';

const GOOD = `resource "aws_lambda_function" "good" {\n  function_name = "good"\n}\n`;

/** Each hostile file in its own module directory, beside a good module. */
function scanModules(modules: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'signet-tf-'));
  for (const [name, text] of Object.entries({ ...modules, good: GOOD })) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'main.tf'), text);
  }
  return scanIac([dir], { baseDir: dir });
}

describe('hostile .tf files', () => {
  it('turns a self-referencing variable into that file’s error and still scans the rest', () => {
    const { snapshot, problems } = scanModules({
      self: `variable "v" {\n  default = var.v\n}\n${tfFunction('var.v')}`,
      pair: `variable "a" {\n  default = var.b\n}\nvariable "b" {\n  default = var.a\n}\n${tfFunction('var.a')}`,
    });
    expect(problems).toContainEqual(
      expect.objectContaining({
        file: 'self/main.tf',
        level: 'error',
        line: 2,
        message: expect.stringContaining('var.v → var.v'),
      }),
    );
    expect(problems.find((p) => p.file === 'pair/main.tf')!.message).toMatch(/var\.a → var\.b → var\.a/);
    expect(
      snapshot.functions.find((f) => f.id === 'self/main.tf#aws_lambda_function.f')!.codeSigningConfig,
    ).toMatchObject({
      state: 'unresolved',
      reason: expect.stringContaining('cyclic reference'),
    });
    expect(snapshot.functions.map((f) => f.name)).toContain('good');
  });

  it.each([
    ['10,000 nested lists', tfFunction(`${'['.repeat(10000)}"x"${']'.repeat(10000)}`)],
    ['10,000 nested parentheses', tfFunction(`${'('.repeat(10000)}"x"${')'.repeat(10000)}`)],
    ['10,000 negations', tfFunction(`${'!'.repeat(10000)}true`)],
    ['10,000 nested interpolations', tfFunction(`${'"${'.repeat(10000)}x${'}"'.repeat(10000)}`)],
    ['3,000 nested dynamic blocks', nestedDynamicBlocks(3000)],
  ])('reports %s as the file’s parse error with a position', (_name, text) => {
    const { snapshot, problems } = scanModules({ bad: text });
    const error = problems.find((p) => p.file === 'bad/main.tf');
    expect(error).toMatchObject({ level: 'error', line: expect.any(Number), column: expect.any(Number) });
    expect(error!.message).toMatch(/^invalid HCL: .*nested more than 200 levels deep/);
    expect(snapshot.functions.map((f) => f.name)).toEqual(['good']);
  });

  it('accepts nesting a real module might use', () => {
    const { problems } = scanModules({ ok: tfFunction(`${'['.repeat(50)}"x"${']'.repeat(50)}`) });
    expect(problems.filter((p) => p.level === 'error')).toEqual([]);
  });

  it('stops 40 doubling locals at the value budget, as that file’s error, with the local’s position', () => {
    const { snapshot, problems } = scanModules({ bomb: doublingLocals(40) });
    const error = problems.find((p) => p.file === 'bomb/main.tf')!;
    expect(error).toMatchObject({ level: 'error', line: expect.any(Number) });
    expect(error.message).toMatch(/evaluation budget exceeded: a value with more than 1,000,000 elements/);
    expect(problems.filter((p) => p.file === 'bomb/main.tf')).toHaveLength(1);
    const fn = snapshot.functions.find((f) => f.id === 'bomb/main.tf#aws_lambda_function.f')!;
    expect(fn.codeSigningConfig).toMatchObject({ state: 'unresolved' });
    expect(snapshot.functions.map((f) => f.name)).toContain('good');
  });

  it('evaluates a few doubling locals exactly (the budget is not hit early)', () => {
    const { snapshot, problems } = scanModules({ small: doublingLocals(10) });
    expect(problems.filter((p) => p.level === 'error')).toEqual([]);
    expect(
      snapshot.functions.find((f) => f.id === 'small/main.tf#aws_lambda_function.f')!.codeSigningConfig,
    ).toMatchObject({
      state: 'unresolved',
      arn: 'x',
    });
  });

  it('stops a string that doubles 40 times at the string budget', () => {
    let tf = 'locals {\n  s0 = "ab"\n';
    for (let i = 1; i <= 40; i++) tf += `  s${i} = "\${local.s${i - 1}}\${local.s${i - 1}}"\n`;
    const { problems } = scanModules({ strings: `${tf}}\n${tfFunction('local.s40')}` });
    expect(problems.find((p) => p.file === 'strings/main.tf')!.message).toMatch(
      /a string longer than 1,000,000 characters/,
    );
  });

  it('says when count asks for more instances than Signet evaluates', () => {
    const { snapshot, problems } = scanModules({
      many: `resource "aws_lambda_function" "many" {\n  count = 5000\n  function_name = "m\${count.index}"\n}\n`,
    });
    expect(problems).toContainEqual(
      expect.objectContaining({
        file: 'many/main.tf',
        level: 'warning',
        line: 2,
        message: expect.stringMatching(
          /count of aws_lambda_function\.many is 5,000; Signet evaluates the first 1,000/,
        ),
      }),
    );
    expect(snapshot.functions.filter((f) => f.name.startsWith('m'))).toHaveLength(1000);
    expect(snapshot.parseErrors).toContainEqual(
      expect.objectContaining({ message: expect.stringContaining('5,000') }),
    );
  });

  it('says nothing for a count within the limit', () => {
    const { problems } = scanModules({
      some: 'resource "aws_lambda_function" "some" {\n  count = 1000\n}\n',
    });
    expect(problems).toEqual([]);
  });
});
