// Benchmark of `signet iac`: 1,000 generated templates (CloudFormation YAML, CloudFormation/CDK-style
// JSON, Terraform, Serverless), ~50 resources each. Prints files per second and the ratio of the scan
// time (discovery + read + parse + resolve + model) to the bare parse time of the same files
// (read + yaml.parse / JSON.parse / HCL parse). Target: ratio <= 1.5.
//
//   npm run build && node bench/iac/run.mjs [--files 1000] [--resources 50] [--runs 3]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { defaultConfig } from '../../dist/config/schema.js';
import { evaluate } from '../../dist/engine/evaluate.js';
import { parseHcl } from '../../dist/iac/hcl.js';
import { scanIac } from '../../dist/iac/index.js';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const FILES = arg('files', 1000);
const RESOURCES = arg('resources', 50);
const RUNS = arg('runs', 3);

function cfnResources(n, seed) {
  const res = {
    Signer: { Type: 'AWS::Signer::SigningProfile', Properties: { PlatformId: 'AWSLambda-SHA384-ECDSA' } },
    Csc: {
      Type: 'AWS::Lambda::CodeSigningConfig',
      Properties: {
        AllowedPublishers: { SigningProfileVersionArns: [{ 'Fn::GetAtt': ['Signer', 'ProfileVersionArn'] }] },
        CodeSigningPolicies: { UntrustedArtifactOnDeployment: seed % 2 ? 'Enforce' : 'Warn' },
      },
    },
  };
  for (let i = 0; i < n - 2; i++) {
    const kind = i % 5;
    if (kind === 4) {
      res[`Bucket${i}`] = {
        Type: 'AWS::S3::Bucket',
        Properties: { BucketName: { 'Fn::Sub': `b-${seed}-${i}-\${AWS::Region}` } },
      };
      continue;
    }
    res[`Fn${i}`] = {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: `fn-${seed}-${i}`,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: { 'Fn::GetAtt': [`Role${seed}`, 'Arn'] },
        Code: { S3Bucket: 'artifacts', S3Key: `fn-${i}.zip` },
        ...(kind !== 0 ? { CodeSigningConfigArn: { 'Fn::GetAtt': ['Csc', 'CodeSigningConfigArn'] } } : {}),
        Environment: { Variables: { STAGE: { Ref: 'Stage' }, INDEX: String(i) } },
        Tags: [
          { Key: 'env', Value: 'prod' },
          { Key: 'team', Value: `t${i % 7}` },
        ],
      },
    };
  }
  res[`Role${seed}`] = {
    Type: 'AWS::IAM::Role',
    Properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] } },
  };
  return res;
}

function cfnYaml(n, seed) {
  const lines = [
    "AWSTemplateFormatVersion: '2010-09-09'",
    'Parameters:',
    '  Stage: { Type: String, Default: prod }',
    'Resources:',
  ];
  for (const [id, r] of Object.entries(cfnResources(n, seed))) {
    lines.push(`  ${id}:`, `    Type: ${r.Type}`, '    Properties:');
    const p = r.Properties;
    if (r.Type === 'AWS::Lambda::Function') {
      lines.push(
        `      FunctionName: ${p.FunctionName}`,
        '      Runtime: nodejs22.x',
        '      Handler: index.handler',
        `      Role: !GetAtt ${p.Role['Fn::GetAtt'][0]}.Arn`,
        `      Code: { S3Bucket: artifacts, S3Key: ${p.Code.S3Key} }`,
        ...(p.CodeSigningConfigArn ? ['      CodeSigningConfigArn: !GetAtt Csc.CodeSigningConfigArn'] : []),
        '      Environment:',
        '        Variables:',
        '          STAGE: !Ref Stage',
        `          INDEX: '${p.Environment.Variables.INDEX}'`,
        '      Tags:',
        '        - { Key: env, Value: prod }',
        `        - { Key: team, Value: ${p.Tags[1].Value} }`,
      );
    } else if (r.Type === 'AWS::Lambda::CodeSigningConfig') {
      lines.push(
        '      AllowedPublishers:',
        '        SigningProfileVersionArns: [!GetAtt Signer.ProfileVersionArn]',
        `      CodeSigningPolicies: { UntrustedArtifactOnDeployment: ${p.CodeSigningPolicies.UntrustedArtifactOnDeployment} }`,
      );
    } else if (r.Type === 'AWS::S3::Bucket') {
      lines.push(`      BucketName: !Sub '${p.BucketName['Fn::Sub']}'`);
    } else if (r.Type === 'AWS::IAM::Role') {
      lines.push("      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] }");
    } else {
      lines.push('      PlatformId: AWSLambda-SHA384-ECDSA');
    }
  }
  return `${lines.join('\n')}\n`;
}

function cfnJson(n, seed) {
  return `${JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Parameters: { Stage: { Type: 'String', Default: 'prod' } }, Resources: cfnResources(n, seed) }, null, 1)}\n`;
}

function terraform(n, seed) {
  const out = [
    'variable "mode" {\n  default = "Enforce"\n}\n',
    'locals {\n  tags = { env = "prod", team = "t1" }\n}\n',
    'resource "aws_signer_signing_profile" "p" {\n  platform_id = "AWSLambda-SHA384-ECDSA"\n  signature_validity_period {\n    value = 6\n    type  = "MONTHS"\n  }\n}\n',
    'resource "aws_lambda_code_signing_config" "c" {\n  allowed_publishers {\n    signing_profile_version_arns = [aws_signer_signing_profile.p.version_arn]\n  }\n  policies {\n    untrusted_artifact_on_deployment = var.mode\n  }\n}\n',
  ];
  for (let i = 0; i < n - 2; i++) {
    if (i % 5 === 4) {
      out.push(`resource "aws_s3_bucket" "b${i}" {\n  bucket = "b-${seed}-${i}"\n  tags   = local.tags\n}\n`);
      continue;
    }
    out.push(
      `# function ${i}\nresource "aws_lambda_function" "f${i}" {\n  function_name = "fn-${seed}-${i}"\n  role          = "arn:aws:iam::111122223333:role/r"\n  runtime       = "nodejs22.x"\n  handler       = "index.handler"\n  filename      = "\${path.module}/fn-${i}.zip"\n${i % 5 ? '  code_signing_config_arn = aws_lambda_code_signing_config.c.arn\n' : ''}  tags          = merge(local.tags, { index = "${i}" })\n  environment {\n    variables = {\n      STAGE = "prod"\n    }\n  }\n}\n`,
    );
  }
  return out.join('\n');
}

function serverless(n, seed) {
  const lines = [
    `service: svc${seed}`,
    'plugins:',
    '  - serverless-aws-signer',
    'provider:',
    '  name: aws',
    '  runtime: nodejs22.x',
    "  stage: ${opt:stage, 'prod'}",
    '  tags: { env: prod }',
    'custom:',
    '  signer:',
    '    profileName: Release',
    '    signingPolicy: Enforce',
    'functions:',
  ];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  fn${i}:`,
      `    handler: src/fn${i}.handler`,
      '    memorySize: 256',
      '    events:',
      `      - http: { path: /fn${i}, method: get }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const root = mkdtempSync(join(tmpdir(), 'signet-bench-iac-'));
const files = [];
for (let i = 0; i < FILES; i++) {
  const dir = join(root, String(i).padStart(4, '0'));
  mkdirSync(dir);
  const kind = i % 4;
  const [name, text, parser] =
    kind === 0
      ? ['template.yaml', cfnYaml(RESOURCES, i), 'yaml']
      : kind === 1
        ? ['template.json', cfnJson(RESOURCES, i), 'json']
        : kind === 2
          ? ['main.tf', terraform(RESOURCES, i), 'hcl']
          : ['serverless.yml', serverless(RESOURCES, i), 'yaml'];
  writeFileSync(join(dir, name), text);
  files.push({ path: join(dir, name), parser, bytes: text.length });
}

function bareParse() {
  const start = performance.now();
  for (const f of files) {
    const text = readFileSync(f.path, 'utf8');
    if (f.parser === 'yaml') parseYaml(text, { logLevel: 'error', uniqueKeys: false });
    else if (f.parser === 'json') JSON.parse(text);
    else parseHcl(text);
  }
  return performance.now() - start;
}

function scan() {
  const start = performance.now();
  const result = scanIac([root], { baseDir: root });
  return { ms: performance.now() - start, result };
}

let bestParse = Number.POSITIVE_INFINITY;
let bestScan = Number.POSITIVE_INFINITY;
let result;
for (let run = 0; run < RUNS; run++) {
  bestParse = Math.min(bestParse, bareParse());
  const s = scan();
  bestScan = Math.min(bestScan, s.ms);
  result = s.result;
}
const evalStart = performance.now();
const { findings } = evaluate(result.snapshot, defaultConfig());
const evalMs = performance.now() - evalStart;
const mb = files.reduce((n, f) => n + f.bytes, 0) / 1048576;
const errors = result.problems.filter((p) => p.level === 'error');

console.log(
  `signet iac benchmark: ${FILES} files (${mb.toFixed(1)} MB), ~${RESOURCES} resources each, best of ${RUNS} runs, Node ${process.versions.node}`,
);
console.log(`  bare parse (read + yaml.parse / JSON.parse / HCL parse): ${bestParse.toFixed(0)} ms`);
console.log(
  `  scan (discover + read + parse + resolve + model):        ${bestScan.toFixed(0)} ms  → ${((FILES / bestScan) * 1000).toFixed(0)} files/s`,
);
console.log(`  ratio scan / bare parse: ${(bestScan / bestParse).toFixed(2)} (target <= 1.5)`);
console.log(
  `  evaluate (all rules): ${evalMs.toFixed(0)} ms for ${result.snapshot.functions.length} functions, ${findings.length} findings`,
);
console.log(`  parse errors: ${errors.length}`);
rmSync(root, { recursive: true, force: true });
