// Deploy-time values (--param/--param-file): every file shape, values reaching CloudFormation
// parameters and Terraform variables, defaults named in findings, unresolved values staying UNKNOWN.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { UsageError } from '../../src/errors.js';
import { scanIac } from '../../src/iac/index.js';
import { type IacParams, loadParamFile, splitParameterOverrides } from '../../src/iac/params.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'signet-params-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const CSC_ARN = 'arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-0123456789abcdef0';

const SAM = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  SigningConfigArn:
    Type: String
    Default: none
    Description: passed by the pipeline
  Other:
    Type: String
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
  Plain:
    Type: AWS::Serverless::Function
    Properties: { Runtime: python3.12, Handler: app.handler, CodeUri: src/ }
  FromOther:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      CodeSigningConfigArn: !Ref Other
`;

const TF = `variable "csc_arn" {
  type        = string
  default     = null
  description = "passed by the pipeline"
}
variable "enabled" {
  type    = bool
  default = true
}
resource "aws_lambda_function" "fn" {
  count                   = var.enabled ? 1 : 0
  function_name           = "tf-fn"
  role                    = "arn:aws:iam::111122223333:role/r"
  code_signing_config_arn = var.csc_arn
}
`;

function sgn001(files: Record<string, string>, params?: IacParams) {
  const dir = project(files);
  const result = scanIac([dir], { baseDir: dir, ...(params ? { params } : {}) });
  const { findings } = evaluate(result.snapshot, defaultConfig());
  return {
    result,
    byName: Object.fromEntries(
      findings.filter((f) => f.ruleId === 'SGN-001').map((f) => [f.resource.name, f] as const),
    ),
  };
}

describe('parameter and variable defaults', () => {
  it('says a CSC is missing because of a parameter default and names the parameter', () => {
    const { byName } = sgn001({ 'template.yaml': SAM });
    expect(byName.Fn).toMatchObject({ status: 'FAIL' });
    expect(byName.Fn!.message).toContain('when deployed with the default of parameter SigningConfigArn');
    // A function with no CSC property at all gets the plain message.
    expect(byName.Plain!.message).not.toContain('default');
    // A parameter without a default and without a given value stays UNKNOWN, saying how to give it.
    expect(byName.FromOther).toMatchObject({ status: 'UNKNOWN' });
    expect(byName.FromOther!.message).toContain('--param Other=VALUE');
  });

  it('uses given values: a CSC ARN from the pipeline is no longer a FAIL, and is never a PASS', () => {
    const params: IacParams = new Map([
      ['SigningConfigArn', { value: CSC_ARN, source: '--param' }],
      ['Other', { value: CSC_ARN, source: 'prod.json' }],
    ]);
    const { byName } = sgn001({ 'template.yaml': SAM }, params);
    expect(byName.Fn).toMatchObject({ status: 'UNKNOWN' });
    expect(byName.Fn!.details).toMatchObject({ codeSigningConfigArn: CSC_ARN });
    expect(byName.FromOther).toMatchObject({ status: 'UNKNOWN' });
  });

  it('says a Terraform CSC is missing because of a variable default of null, and follows -var values', () => {
    const bare = sgn001({ 'main.tf': TF });
    expect(bare.byName['tf-fn']!.status).toBe('FAIL');
    expect(bare.byName['tf-fn']!.message).toContain('var.csc_arn (default)');
    const given = sgn001({ 'main.tf': TF }, new Map([['csc_arn', { value: CSC_ARN, source: '--param' }]]));
    expect(given.byName['tf-fn']!.status).toBe('UNKNOWN');
    expect(given.byName['tf-fn']!.message).toContain('var.csc_arn (--param)');
    // A bool variable given as text is read as Terraform reads -var: count becomes 0.
    const off = sgn001({ 'main.tf': TF }, new Map([['enabled', { value: 'false', source: '--param' }]]));
    expect(off.byName['tf-fn']).toBeUndefined();
  });

  it('notes given values that no scanned file declares', () => {
    const { result } = sgn001(
      { 'template.yaml': SAM },
      new Map([['SigningConfigARN', { value: 'x', source: '--param' }]]),
    );
    expect(result.problems).toContainEqual(
      expect.objectContaining({
        file: '--param',
        level: 'note',
        message: expect.stringContaining('SigningConfigARN'),
      }),
    );
  });
});

describe('parameter files', () => {
  const file = (name: string, text: string) => {
    const dir = project({ [name]: text });
    return join(dir, name);
  };
  const values = (m: Map<string, { value: unknown }>) =>
    Object.fromEntries([...m].map(([k, v]) => [k, v.value]));

  it('reads both CloudFormation parameter file shapes', () => {
    expect(
      values(
        loadParamFile(
          file(
            'params.json',
            JSON.stringify([
              { ParameterKey: 'A', ParameterValue: 'x' },
              { ParameterKey: 'B', ParameterValue: 3 },
              { ParameterKey: 'C', UsePreviousValue: true },
            ]),
          ),
        ),
      ),
    ).toEqual({ A: 'x', B: '3' });
    expect(
      values(
        loadParamFile(
          file('config.json', JSON.stringify({ Parameters: { A: 'y', L: ['a', 'b'] }, Tags: {} })),
        ),
      ),
    ).toEqual({ A: 'y', L: 'a,b' });
  });

  it('reads .tfvars and .tfvars.json', () => {
    expect(
      values(loadParamFile(file('prod.tfvars', 'csc_arn = "arn:x"\ncount_n = 2\nnames = ["a", "b"]\n'))),
    ).toEqual({
      csc_arn: 'arn:x',
      count_n: 2,
      names: ['a', 'b'],
    });
    expect(values(loadParamFile(file('prod.tfvars.json', '{"csc_arn": null}')))).toEqual({ csc_arn: null });
  });

  it('reads samconfig parameter_overrides per environment, global then deploy', () => {
    const toml = file(
      'samconfig.toml',
      `version = 0.1
[default.global.parameters]
parameter_overrides = "Stage=dev Shared=1"
[default.deploy.parameters]
parameter_overrides = "Stage=prod Name=\\"two words\\" ParameterKey=Old,ParameterValue=v"
[staging.deploy.parameters]
parameter_overrides = ["Stage=staging", "Csc=arn:aws:x"]
`,
    );
    expect(values(loadParamFile(toml))).toEqual({ Stage: 'prod', Shared: '1', Name: 'two words', Old: 'v' });
    expect(values(loadParamFile(toml, 'staging'))).toEqual({ Stage: 'staging', Csc: 'arn:aws:x' });
    expect(() => loadParamFile(toml, 'prod')).toThrow(
      /has no 'prod' environment \(it has: default, staging\)/,
    );
    const yaml = file(
      'samconfig.yaml',
      `version: 0.1
default:
  deploy:
    parameters:
      parameter_overrides: SigningConfigArn=arn:aws:lambda:x
`,
    );
    expect(values(loadParamFile(yaml))).toEqual({ SigningConfigArn: 'arn:aws:lambda:x' });
    expect(splitParameterOverrides(`A='x y' B=`, 'f')).toEqual([
      ['A', 'x y'],
      ['B', ''],
    ]);
  });

  it('rejects bad files with one line naming the file and the fix', () => {
    const bad = (name: string, text: string) => {
      try {
        loadParamFile(file(name, text));
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        return (err as Error).message;
      }
      throw new Error('expected a UsageError');
    };
    expect(bad('p.json', '{"Foo": 1}')).toMatch(/expected a CloudFormation parameters file/);
    expect(bad('p.json', '[{"Key": "A"}]')).toMatch(/entry 1 has no ParameterKey/);
    expect(bad('p.json', '{oops')).toMatch(/invalid JSON/);
    expect(bad('samconfig.toml', 'x = ')).toMatch(/invalid TOML/);
    expect(bad('p.txt', 'A=1')).toMatch(/unknown kind of file/);
    expect(bad('samconfig.toml', '[default.deploy.parameters]\nparameter_overrides = "A=\'x"')).toMatch(
      /unclosed/,
    );
    expect(() => loadParamFile('/nonexistent/params.json')).toThrow(/cannot read it \(ENOENT\)/);
  });
});
