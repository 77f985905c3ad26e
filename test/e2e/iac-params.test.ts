// `signet iac --param/--param-file/--config-env` through the built CLI (dist/, from `npm run build`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const CLI = join(process.cwd(), 'dist/cli/main.js');
const CSC_ARN = 'arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-0123456789abcdef0';
let dir: string;

function signet(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'iac', ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function sgn001(stdout: string): { status: string; message: string }[] {
  const report = JSON.parse(stdout) as { findings: { ruleId: string; status: string; message: string }[] };
  return report.findings.filter((f) => f.ruleId === 'SGN-001');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'signet-e2e-params-'));
  writeFileSync(
    join(dir, 'template.yaml'),
    `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  SigningConfigArn: { Type: String, Default: none, Description: passed by the pipeline }
Conditions:
  UseSigning: !Not [!Equals [!Ref SigningConfigArn, none]]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      CodeSigningConfigArn: !If [UseSigning, !Ref SigningConfigArn, !Ref AWS::NoValue]
`,
  );
  writeFileSync(
    join(dir, 'samconfig.toml'),
    `version = 0.1
[default.deploy.parameters]
parameter_overrides = "SigningConfigArn=none"
[prod.deploy.parameters]
parameter_overrides = "SigningConfigArn=${CSC_ARN}"
`,
  );
  writeFileSync(
    join(dir, 'params.json'),
    JSON.stringify([{ ParameterKey: 'SigningConfigArn', ParameterValue: CSC_ARN }]),
  );
});

describe('signet iac deploy-time values', () => {
  it('fails at the default and names the parameter', () => {
    const r = signet('template.yaml', '--format', 'json', '--fail-on', 'high');
    expect(r.code).toBe(3);
    const [finding] = sgn001(r.stdout);
    expect(finding).toMatchObject({ status: 'FAIL' });
    expect(finding!.message).toContain('default of parameter SigningConfigArn');
  });

  it('takes --param, --param-file (CloudFormation JSON, samconfig.toml with --config-env), --param last', () => {
    const viaParam = signet('template.yaml', '--format', 'json', '--param', `SigningConfigArn=${CSC_ARN}`);
    expect(viaParam.code).toBe(0);
    expect(sgn001(viaParam.stdout)[0]).toMatchObject({ status: 'UNKNOWN' });

    expect(
      sgn001(signet('template.yaml', '--format', 'json', '--param-file', 'params.json').stdout)[0],
    ).toMatchObject({
      status: 'UNKNOWN',
    });
    // samconfig default environment: the pipeline passes "none" → FAIL, and not from the default.
    const samDefault = sgn001(
      signet('template.yaml', '--format', 'json', '--param-file', 'samconfig.toml').stdout,
    )[0];
    expect(samDefault).toMatchObject({ status: 'FAIL' });
    expect(samDefault!.message).not.toContain('default of parameter');
    expect(
      sgn001(
        signet('template.yaml', '--format', 'json', '--param-file', 'samconfig.toml', '--config-env', 'prod')
          .stdout,
      )[0],
    ).toMatchObject({ status: 'UNKNOWN' });
    // --param wins over files.
    expect(
      sgn001(
        signet(
          'template.yaml',
          '--format',
          'json',
          '--param-file',
          'params.json',
          '--param',
          'SigningConfigArn=none',
        ).stdout,
      )[0],
    ).toMatchObject({ status: 'FAIL' });
  });

  it('rejects bad values with exit 2 and one line', () => {
    for (const args of [
      ['--param', 'NoEquals'],
      ['--param-file', 'missing.json'],
      ['--param-file', 'samconfig.toml', '--config-env', 'qa'],
    ]) {
      const r = signet('template.yaml', ...args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^signet: /);
    }
  });

  it('documents the flags in --help', () => {
    const help = signet('--help').stdout;
    for (const flag of ['--param <NAME=VALUE>', '--param-file <file>', '--config-env <env>'])
      expect(help).toContain(flag);
  });
});
