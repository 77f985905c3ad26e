// `signet iac` (the built CLI) on a checkout holding every hostile input of issue 8 at once: it
// finishes, names each bad file with its position, scans the good one, fails a --fail-on gate
// (some files were not scanned) and prints no terminal escape sequence.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import {
  aliasBomb,
  doublingLocals,
  nestedDynamicBlocks,
  serverlessChain,
  tfFunction,
} from '../helpers/hostile-inputs.js';

const signet = (args: string[]) => runCli(args);

function hostileCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'signet-hostile-e2e-'));
  const put = (name: string, text: string) => {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  };
  put(
    'good.yaml',
    'Resources:\n  Good:\n    Type: AWS::Lambda::Function\n    Properties: { Code: { ZipFile: x } }\n',
  );
  put('bomb.yaml', aliasBomb(10));
  for (const link of ['a', 'b', 'c', 'loop']) symlinkSync('.', join(dir, link));
  execFileSync('mkfifo', [join(dir, 'p.yaml')]);
  symlinkSync('/dev/zero', join(dir, 'z.yaml'));
  put('selfvar/main.tf', `variable "v" {\n  default = var.v\n}\n${tfFunction('var.v')}`);
  put('deep/main.tf', tfFunction(`${'['.repeat(10000)}"x"${']'.repeat(10000)}`));
  put('dynamic/main.tf', nestedDynamicBlocks(3000));
  put('locals/main.tf', doublingLocals(40));
  put('count/main.tf', 'resource "aws_lambda_function" "many" {\n  count = 5000\n}\n');
  put('sls/serverless.yml', serverlessChain(12, 4));
  put(
    'cdk.out/manifest.json',
    JSON.stringify({
      version: '36.0.0',
      artifacts: {
        S: { type: 'aws:cloudformation:stack', properties: { templateFile: 'S.template.json' } },
        Me: { type: 'cdk:cloud-assembly', properties: { directoryName: '.' } },
      },
    }),
  );
  put('cdk.out/S.template.json', JSON.stringify({ Resources: { Cdk: { Type: 'AWS::Lambda::Function' } } }));
  put('t\u001b[2J\u001b[31mEVIL\u001b]0;pwned\u0007.yaml', 'Resources:\n  X: [\n');
  put('esc.json', '{"Resources": {"\u001b]0;pwned\u0007": 1,}}');
  put('bom.json', `\ufeff${JSON.stringify({ Resources: { Bom: { Type: 'AWS::Lambda::Function' } } })}`);
  return dir;
}

describe('signet iac on a hostile checkout (built CLI)', () => {
  it('finishes, reports each bad file, scans the good ones and keeps the terminal clean', async () => {
    const dir = hostileCheckout();
    const { code, stdout, stderr } = await signet(['iac', dir, '--format', 'json', '--fail-on', 'critical']);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
    expect(stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    for (const bad of [
      'bomb.yaml',
      'selfvar/main.tf',
      'deep/main.tf',
      'dynamic/main.tf',
      'locals/main.tf',
      'sls/serverless.yml',
    ])
      expect(stderr).toMatch(new RegExp(`${bad.replace('.', '\\.')}(:\\d+:\\d+)?: error: `));
    expect(stderr).toMatch(/p\.yaml: warning: a FIFO/);
    expect(stderr).toMatch(/z\.yaml: warning: a character device/);
    expect(stderr).toMatch(/count\/main\.tf:2:3: warning: count of aws_lambda_function\.many is 5,000/);
    // The escape sequences in the file name are removed, not interpreted.
    expect(stderr).toMatch(/tEVIL\.yaml:3:1: error: invalid YAML/);
    const report = JSON.parse(stdout) as { findings: { resource: { id: string } }[] };
    // Ids are relative to the working directory (the test's), so compare their ends.
    const ids = [...new Set(report.findings.map((f) => f.resource.id.split('/signet-hostile-e2e-')[1]))];
    for (const id of ['good.yaml#Good', 'bom.json#Bom', 'cdk.out/S.template.json#Cdk'])
      expect(ids.some((i) => i?.endsWith(`/${id}`))).toBe(true);
    // Files could not be scanned: a CI gate fails closed.
    expect(code).toBe(1);
  });

  it('sanitises a one-line error that carries a hostile path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signet-hostile-e2e-'));
    const config = join(dir, 'c\u001b]0;pwned\u0007\u001b[2J.yaml');
    writeFileSync(config, 'trust: [\n');
    const { code, stderr } = await signet(['iac', dir, '--config', config]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/^signet: /);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
    expect(stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});
