// Adapter output for each format: resolution of intrinsics/expressions, positions, suppressions and
// malformed input (clear parse errors with file:line, never a crash; other files still scanned).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { scanIac } from '../../src/iac/index.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'signet-iac-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function scan(files: Record<string, string>) {
  const dir = project(files);
  return scanIac([dir], { baseDir: dir });
}

describe('CloudFormation and SAM', () => {
  it('resolves short-form intrinsics, conditions, mappings and parameter defaults', () => {
    const { snapshot } = scan({
      'template.yaml': `
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env: { Type: String, Default: prod }
  Mode: { Type: String, Default: Enforce }
  ExternalCsc: { Type: String }
Mappings:
  Policies: { prod: { mode: Enforce }, dev: { mode: Warn } }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Signer:
    Type: AWS::Signer::SigningProfile
    Properties: { PlatformId: AWSLambda-SHA384-ECDSA, SignatureValidityPeriod: { Value: 6, Type: MONTHS } }
  CscA:
    Type: AWS::Lambda::CodeSigningConfig
    Properties:
      AllowedPublishers:
        SigningProfileVersionArns:
          - !GetAtt Signer.ProfileVersionArn
          - arn:aws:signer:eu-west-1:111122223333:/signing-profiles/Other/abc123
          - !Sub 'arn:aws:signer:\${AWS::Region}:\${AWS::AccountId}:/signing-profiles/X/v1'
      CodeSigningPolicies:
        UntrustedArtifactOnDeployment: !FindInMap [Policies, !Ref Env, mode]
  CscB:
    Type: AWS::Lambda::CodeSigningConfig
    Properties:
      AllowedPublishers: { SigningProfileVersionArns: [!Ref Signer] }
      CodeSigningPolicies: { UntrustedArtifactOnDeployment: !Ref Mode }
  WithIf:
    Type: AWS::Lambda::Function
    Properties:
      Code: { ZipFile: x }
      CodeSigningConfigArn: !If [IsProd, !GetAtt CscA.CodeSigningConfigArn, !Ref AWS::NoValue]
      Tags: [{ Key: env, Value: !Ref Env }]
  Imported:
    Type: AWS::Lambda::Function
    Properties:
      Code: { ZipFile: x }
      CodeSigningConfigArn: !ImportValue shared-csc-arn
  FromParam:
    Type: AWS::Lambda::Function
    Properties:
      Code: { ZipFile: x }
      CodeSigningConfigArn: !Ref ExternalCsc
  Image:
    Type: AWS::Lambda::Function
    Properties:
      PackageType: Image
      Code: { ImageUri: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1 }
  Nested:
    Type: AWS::CloudFormation::Stack
    Properties: { TemplateURL: https://example.com/t.yaml }
`,
    });
    const fn = (name: string) => snapshot.functions.find((f) => f.name === name)!;
    expect(fn('WithIf').codeSigningConfig).toEqual({ state: 'attached', id: 'template.yaml#CscA' });
    expect(fn('WithIf').tags).toEqual({ env: 'prod' });
    expect(fn('WithIf').provenance).toMatchObject({
      format: 'cloudformation',
      line: 30,
      column: 3,
      logicalId: 'WithIf',
    });
    expect(fn('WithIf').provenance).toMatchObject({
      properties: { CodeSigningConfigArn: { line: 34, column: 7 } },
    });
    expect(fn('Imported').codeSigningConfig).toEqual({
      state: 'unresolved',
      reason: "imported value 'shared-csc-arn'",
    });
    expect(fn('FromParam').codeSigningConfig).toMatchObject({
      state: 'unresolved',
      reason: 'parameter ExternalCsc has no default; give its deployed value with --param ExternalCsc=VALUE',
    });
    expect(fn('Image').packageType).toBe('Image');
    const a = snapshot.codeSigningConfigs.find((c) => c.id === 'template.yaml#CscA')!;
    expect(a.policy).toBe('Enforce');
    expect(a.policySource).toBe('parameter-default');
    expect(a.allowedPublishers).toEqual([
      { kind: 'profile', profileId: 'template.yaml#Signer' },
      { kind: 'arn', arn: 'arn:aws:signer:eu-west-1:111122223333:/signing-profiles/Other/abc123' },
      {
        kind: 'unresolved',
        reason:
          'pseudo parameter AWS::Region: arn:aws:signer:${AWS::Region}:${AWS::AccountId}:/signing-profiles/X/v1',
      },
    ]);
    const b = snapshot.codeSigningConfigs.find((c) => c.id === 'template.yaml#CscB')!;
    expect(b).toMatchObject({
      policy: 'Enforce',
      policySource: 'parameter-default',
      policyNote: 'chosen by the default of parameter Mode',
    });
    expect(b.allowedPublishers).toEqual([{ kind: 'profile-arn-not-version', what: 'Signer (Ref)' }]);
    expect(snapshot.signingProfiles[0]).toMatchObject({
      status: 'Active',
      platformId: 'AWSLambda-SHA384-ECDSA',
      signatureValidity: { value: 6, type: 'MONTHS' },
    });
  });

  it('gives UNKNOWN (not FAIL) with the reason for a CSC it cannot resolve, and N/A for image functions', () => {
    const { snapshot } = scan({
      't.yaml': `
Resources:
  Imported:
    Type: AWS::Lambda::Function
    Properties: { Code: { ZipFile: x }, CodeSigningConfigArn: !ImportValue shared-csc }
  Image:
    Type: AWS::Serverless::Function
    Properties: { ImageUri: repo/app:1 }
`,
    });
    const { findings } = evaluate(snapshot, defaultConfig());
    const sgn1 = findings.filter((f) => f.ruleId === 'SGN-001');
    expect(sgn1.find((f) => f.resource.name === 'Imported')).toMatchObject({ status: 'UNKNOWN' });
    expect(sgn1.find((f) => f.resource.name === 'Imported')!.message).toContain(
      "imported value 'shared-csc'",
    );
    expect(sgn1.find((f) => f.resource.name === 'Image')).toMatchObject({ status: 'NOT_APPLICABLE' });
  });

  it('honours Metadata and comment suppressions with a reason and warns about ones without', () => {
    const { snapshot } = scan({
      't.yaml': `
Resources:
  Legacy:
    Type: AWS::Lambda::Function
    Metadata:
      signet:
        suppress:
          - rule: SGN-001
            reason: retired in Q3, tracked in OPS-12
  # signet:ignore SGN-001 vendor code, cannot be signed
  Vendor:
    Type: AWS::Lambda::Function
    Properties: { Code: { ZipFile: x } }
  # signet:ignore SGN-001
  NoReason:
    Type: AWS::Lambda::Function
    Properties: { Code: { ZipFile: x } }
`,
    });
    const { findings } = evaluate(snapshot, defaultConfig());
    const byName = (n: string) => findings.find((f) => f.ruleId === 'SGN-001' && f.resource.name === n)!;
    expect(byName('Legacy').muted).toEqual({ reason: 'retired in Q3, tracked in OPS-12', source: 'inline' });
    expect(byName('Vendor').muted).toEqual({ reason: 'vendor code, cannot be signed', source: 'inline' });
    expect(byName('NoReason').muted).toBeUndefined();
    expect(byName('NoReason').status).toBe('FAIL');
    expect(snapshot.parseErrors).toEqual([
      {
        file: 't.yaml',
        line: 14,
        column: 1,
        message: expect.stringMatching(/^warning: suppression of SGN-001 on NoReason has no reason/),
      },
    ]);
  });

  it('applies SAM Globals and JSON templates get positions too', () => {
    const { snapshot } = scan({
      'sam.json': JSON.stringify(
        {
          Transform: 'AWS::Serverless-2016-10-31',
          Globals: { Function: { Layers: [{ Ref: 'Deps' }], Tags: { team: 'a' } } },
          Resources: {
            Deps: { Type: 'AWS::Serverless::LayerVersion', Properties: { LayerName: 'deps' } },
            Fn: {
              Type: 'AWS::Serverless::Function',
              Properties: {
                Tags: { env: 'prod' },
                Layers: ['arn:aws:lambda:eu-west-1:111122223333:layer:x:1'],
              },
            },
          },
        },
        null,
        2,
      ),
    });
    const fn = snapshot.functions[0]!;
    expect(fn.provenance).toMatchObject({ format: 'sam', line: 22, column: 5 });
    expect(fn.tags).toEqual({ team: 'a', env: 'prod' });
    expect(fn.layers).toEqual([
      { layerId: 'sam.json#Deps' },
      { arn: 'arn:aws:lambda:eu-west-1:111122223333:layer:x:1' },
    ]);
  });
});

describe('Terraform', () => {
  it('evaluates variables, tfvars, locals, count, for_each, conditionals and the lambda module', () => {
    const { snapshot, problems } = scan({
      'main.tf': `
variable "mode" {
  default = "Warn"
}
variable "enabled" { default = true }
locals {
  csc_arn = var.enabled ? aws_lambda_code_signing_config.this[0].arn : null
  names   = { a = "alpha", b = "beta" }
}
resource "aws_signer_signing_profile" "p" {
  name_prefix = "rel"
  platform_id = "AWSLambda-SHA384-ECDSA"
  signature_validity_period {
    value = 90
    type  = "DAYS"
  }
}
resource "aws_lambda_code_signing_config" "this" {
  count = var.enabled ? 1 : 0
  allowed_publishers {
    signing_profile_version_arns = [aws_signer_signing_profile.p.version_arn, "arn:aws:signer:eu-west-1:111122223333:/signing-profiles/Ext/v1"]
  }
  policies {
    untrusted_artifact_on_deployment = var.mode
  }
}
resource "aws_lambda_layer_version" "deps" {
  layer_name = "deps"
}
resource "aws_lambda_function" "fn" {
  for_each                = local.names
  function_name           = "\${each.value}-fn"
  code_signing_config_arn = local.csc_arn
  layers                  = [aws_lambda_layer_version.deps.arn]
  tags                    = { env = "prod" }
}
resource "aws_lambda_function" "counted" {
  count         = 2
  function_name = "c\${count.index}"
  package_type  = count.index == 1 ? "Image" : "Zip"
}
resource "aws_lambda_function" "remote" {
  function_name           = "remote"
  code_signing_config_arn = data.aws_ssm_parameter.csc.value
}
module "lambda" {
  source                  = "terraform-aws-modules/lambda/aws"
  version                 = "~> 7.0"
  function_name           = "from-module"
  code_signing_config_arn = aws_lambda_code_signing_config.this[0].arn
  layers                  = [module.layer.lambda_layer_arn]
}
module "layer" {
  source       = "terraform-aws-modules/lambda/aws"
  create_layer = true
  layer_name   = "shared"
}
module "other" {
  source = "./modules/other"
}
`,
      'terraform.tfvars': 'mode = "Enforce"\n',
    });
    const fn = (name: string) => snapshot.functions.find((f) => f.name === name)!;
    expect(fn('alpha-fn')).toMatchObject({
      id: 'main.tf#aws_lambda_function.fn["a"]',
      codeSigningConfig: { state: 'attached', id: 'main.tf#aws_lambda_code_signing_config.this[0]' },
      layers: [{ layerId: 'main.tf#aws_lambda_layer_version.deps' }],
      tags: { env: 'prod' },
      provenance: {
        format: 'terraform',
        line: 30,
        column: 1,
        properties: {
          code_signing_config_arn: { line: 33, column: 3 },
          CodeSigningConfigArn: { line: 33, column: 3 },
        },
      },
    });
    expect(fn('beta-fn')).toBeDefined();
    expect(fn('c0').packageType).toBe('Zip');
    expect(fn('c1').packageType).toBe('Image');
    expect(fn('remote').codeSigningConfig).toMatchObject({
      state: 'unresolved',
      reason: expect.stringContaining('data source data.aws_ssm_parameter.csc'),
    });
    expect(fn('from-module')).toMatchObject({
      id: 'main.tf#module.lambda.aws_lambda_function.this[0]',
      codeSigningConfig: { state: 'attached', id: 'main.tf#aws_lambda_code_signing_config.this[0]' },
      layers: [{ layerId: 'main.tf#module.layer.aws_lambda_layer_version.this[0]' }],
    });
    expect(snapshot.layerVersions.map((l) => l.layerName).sort()).toEqual(['deps', 'shared']);
    const csc = snapshot.codeSigningConfigs[0]!;
    expect(csc).toMatchObject({
      policy: 'Enforce',
      policySource: 'parameter-default',
      policyNote: 'chosen by var.mode (terraform.tfvars)',
    });
    expect(csc.allowedPublishers).toEqual([
      { kind: 'profile', profileId: 'main.tf#aws_signer_signing_profile.p' },
      { kind: 'arn', arn: 'arn:aws:signer:eu-west-1:111122223333:/signing-profiles/Ext/v1' },
    ]);
    expect(snapshot.signingProfiles[0]).toMatchObject({
      name: 'rel*',
      signatureValidity: { value: 90, type: 'DAYS' },
    });
    // Local modules are followed; this one has no files, which is said.
    expect(problems.find((p) => p.message.includes('module.other'))?.message).toContain(
      'module.other (./modules/other): no .tf files in ./modules/other',
    );
  });

  it('honours comment suppressions above a resource block', () => {
    const { snapshot } = scan({
      'main.tf': `
# signet:ignore SGN-001 batch job, replaced next sprint (JIRA-9)
resource "aws_lambda_function" "legacy" {
  function_name = "legacy"
}
`,
    });
    expect(snapshot.functions[0]!.provenance).toMatchObject({
      suppressions: [{ ruleId: 'SGN-001', reason: 'batch job, replaced next sprint (JIRA-9)' }],
    });
  });

  it('reads plan JSON with references from the configuration', () => {
    const { snapshot } = scan({
      'plan.json': JSON.stringify({
        format_version: '1.2',
        planned_values: {
          root_module: {
            resources: [
              {
                address: 'aws_signer_signing_profile.p',
                mode: 'managed',
                type: 'aws_signer_signing_profile',
                name: 'p',
                values: { platform_id: 'AWSLambda-SHA384-ECDSA' },
              },
              {
                address: 'aws_lambda_code_signing_config.c',
                mode: 'managed',
                type: 'aws_lambda_code_signing_config',
                name: 'c',
                values: { allowed_publishers: [{}], policies: [] },
              },
              {
                address: 'aws_lambda_function.f',
                mode: 'managed',
                type: 'aws_lambda_function',
                name: 'f',
                values: { function_name: 'f', package_type: 'Zip' },
              },
            ],
          },
        },
        resource_changes: [
          { address: 'aws_lambda_function.f', change: { after_unknown: { code_signing_config_arn: true } } },
        ],
        configuration: {
          root_module: {
            resources: [
              {
                address: 'aws_lambda_function.f',
                expressions: {
                  code_signing_config_arn: {
                    references: ['aws_lambda_code_signing_config.c.arn', 'aws_lambda_code_signing_config.c'],
                  },
                },
              },
              {
                address: 'aws_lambda_code_signing_config.c',
                expressions: {
                  allowed_publishers: [
                    {
                      signing_profile_version_arns: {
                        references: ['aws_signer_signing_profile.p.arn', 'aws_signer_signing_profile.p'],
                      },
                    },
                  ],
                },
              },
            ],
          },
        },
      }),
    });
    expect(snapshot.functions[0]!.codeSigningConfig).toEqual({
      state: 'attached',
      id: 'plan.json#aws_lambda_code_signing_config.c',
    });
    expect(snapshot.codeSigningConfigs[0]).toMatchObject({
      policy: 'Warn',
      policySource: 'default',
      allowedPublishers: [{ kind: 'profile-arn-not-version', what: 'aws_signer_signing_profile.p.arn' }],
    });
  });
});

describe('Serverless Framework', () => {
  it('maps functions, image functions, provider tags, layers and resources overrides', () => {
    const { snapshot } = scan({
      'serverless.yml': `
service: shop
provider:
  name: aws
  stage: \${opt:stage, 'prod'}
  tags: { env: prod }
layers:
  deps: { path: layer }
functions:
  api-handler:
    handler: h.api
    layers: [{ Ref: DepsLambdaLayer }]
  worker:
    image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/worker:1
resources:
  Resources:
    ApiDashhandlerLambdaFunction:
      Properties:
        CodeSigningConfigArn: arn:aws:lambda:eu-west-1:111122223333:code-signing-config:csc-0123456789abcdef0
`,
    });
    const api = snapshot.functions.find((f) => f.name === 'shop-prod-api-handler')!;
    expect(api).toMatchObject({
      tags: { env: 'prod' },
      layers: [{ layerId: 'serverless.yml#DepsLambdaLayer' }],
      codeSigningConfig: {
        state: 'unresolved',
        arn: 'arn:aws:lambda:eu-west-1:111122223333:code-signing-config:csc-0123456789abcdef0',
      },
      provenance: {
        format: 'serverless',
        line: 10,
        column: 3,
        properties: { CodeSigningConfigArn: { line: 19, column: 9 } },
      },
    });
    expect(snapshot.functions.find((f) => f.name === 'shop-prod-worker')!.packageType).toBe('Image');
  });
});

describe('malformed input', () => {
  it('reports broken YAML, broken HCL, cyclic references and over-large files with positions, and scans the rest', () => {
    const dir = project({
      'broken.yaml': 'Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: { Code: [\n',
      'bad/main.tf': 'resource "aws_lambda_function" "x" {\n  function_name = "x"\n  layers = [\n}\n',
      'cycle/main.tf':
        'locals {\n  a = local.b\n  b = local.a\n}\nresource "aws_lambda_function" "f" {\n  code_signing_config_arn = local.a\n}\n',
      'cyclic.yaml':
        'Conditions:\n  A: !Condition B\n  B: !Condition A\nResources:\n  X:\n    Type: AWS::Lambda::Function\n    Properties: { CodeSigningConfigArn: !GetAtt Y.Arn }\n  Y:\n    Type: AWS::Lambda::CodeSigningConfig\n    Condition: A\n    DependsOn: X\n    Properties: { Description: !If [A, a, b] }\n',
      'big.json': `{"Resources": {"F": {"Type": "AWS::Lambda::Function"}}, "pad": "${'x'.repeat(3 * 1024 * 1024)}"}`,
      'ok.yaml':
        'Resources:\n  Fine:\n    Type: AWS::Lambda::Function\n    Properties: { Code: { ZipFile: x } }\n',
    });
    const { snapshot } = scanIac([dir], { baseDir: dir, maxFileBytes: 1024 * 1024 });
    const errors = snapshot.parseErrors!;
    const find = (file: string) => errors.filter((e) => e.file === file);
    expect(find('broken.yaml')[0]).toMatchObject({
      line: expect.any(Number),
      message: expect.stringContaining('invalid YAML'),
    });
    expect(find('bad/main.tf')[0]).toMatchObject({
      line: 4,
      column: 1,
      message: expect.stringContaining('invalid HCL'),
    });
    expect(find('cycle/main.tf')[0]!.message).toMatch(/cyclic reference: local\.a → local\.b → local\.a/);
    const cyclic = find('cyclic.yaml').map((e) => e.message);
    expect(cyclic).toContainEqual(expect.stringMatching(/^cyclic condition reference: A → B → A/));
    expect(cyclic).toContainEqual(
      expect.stringMatching(/^circular dependency between resources: (X → Y → X|Y → X → Y)/),
    );
    expect(find('big.json')[0]!.message).toContain('over the 1 MB limit');
    expect(snapshot.functions.map((f) => f.name)).toContain('Fine');
    expect(
      snapshot.functions.find((f) => f.id === 'cycle/main.tf#aws_lambda_function.f')!.codeSigningConfig,
    ).toMatchObject({ state: 'unresolved' });
  });

  it('scans a large template (5,000 resources) without trouble', () => {
    const resources: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i++)
      resources[`Fn${i}`] = { Type: 'AWS::Lambda::Function', Properties: { Code: { ZipFile: 'x' } } };
    const { snapshot } = scan({ 'huge.json': JSON.stringify({ Resources: resources }, null, 1) });
    expect(snapshot.functions).toHaveLength(5000);
    expect(snapshot.functions[4999]!.provenance).toMatchObject({ logicalId: 'Fn4999' });
  });

  it('skips files it does not recognise', () => {
    const { snapshot, scanned } = scan({
      'package.json': '{"name":"x"}',
      'notes.yaml': 'a: 1\n',
      'tsconfig.json': '{ /* c */ }',
    });
    expect(scanned).toEqual([]);
    expect(snapshot.parseErrors).toEqual([]);
  });
});
