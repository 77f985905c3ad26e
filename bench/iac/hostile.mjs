// Benchmark of `signet iac` (the built CLI, one process per case) on the hostile inputs of issue 8 and
// on large templates: wall time, peak RSS of the process, exit code and the first diagnostic. Inputs are
// generated into a temporary directory; nothing is downloaded or committed.
//
//   npm run build && node bench/iac/hostile.mjs [--only NAME] [--format console|json] [--output]
//
// --output writes the report to a file (`--output FILE`, as CI does) instead of a pipe.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as toYaml } from 'yaml';

const CLI = join(import.meta.dirname, '../../dist/cli/main.js');
// The report format: console (default) measures the scan; json adds rendering every finding to stdout.
const FORMAT = process.argv.includes('--format')
  ? process.argv[process.argv.indexOf('--format') + 1]
  : 'console';
const toFile = process.argv.includes('--output');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

function tfFunction(expr) {
  return `resource "aws_lambda_function" "f" {\n  function_name = "f"\n  code_signing_config_arn = ${expr}\n}\n`;
}

function aliasBomb(levels, width = 9) {
  let y = `a0: &a0 [${Array(width).fill('x').join(', ')}]\n`;
  for (let i = 1; i < levels; i++)
    y += `a${i}: &a${i} [${Array(width)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  return `${y}Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code: { ZipFile: x }\n      Tags: *a${levels - 1}\n`;
}

function nestedDynamicBlocks(depth) {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    open += `dynamic "d${i}" {\nfor_each = []\ncontent {\n`;
    close += '}\n}\n';
  }
  return `resource "aws_lambda_function" "deep" {\n${open}${close}}\n`;
}

function doublingLocals(n) {
  let tf = 'locals {\n  l0 = ["x"]\n';
  for (let i = 1; i <= n; i++) tf += `  l${i} = concat(local.l${i - 1}, local.l${i - 1})\n`;
  return `${tf}}\n${tfFunction(`local.l${n}[0]`)}`;
}

function serverlessChain(levels, width = 3) {
  let custom = '  a0: x\n';
  for (let i = 1; i <= levels; i++)
    custom += `  a${i}: "${Array(width)
      .fill(`\${self:custom.a${i - 1}}`)
      .join('-')}"\n`;
  return `service: chain\nprovider:\n  name: aws\n  runtime: nodejs20.x\ncustom:\n${custom}functions:\n  fn:\n    handler: h.h\n    name: \${self:custom.a${levels}}\n`;
}

/** A CloudFormation template of about `bytes` bytes: Lambda functions with the usual properties. */
function bigTemplate(bytes) {
  const resources = {
    Csc: {
      Type: 'AWS::Lambda::CodeSigningConfig',
      Properties: {
        AllowedPublishers: {
          SigningProfileVersionArns: ['arn:aws:signer:eu-west-1:111122223333:/signing-profiles/P/v1'],
        },
        CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
      },
    },
  };
  const perResource = 420;
  for (let i = 0; i < bytes / perResource; i++) {
    resources[`Function${i}`] = {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: `service-function-${i}`,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
        Code: { S3Bucket: 'artifacts', S3Key: `functions/fn-${i}.zip` },
        ...(i % 3 ? { CodeSigningConfigArn: { 'Fn::GetAtt': ['Csc', 'CodeSigningConfigArn'] } } : {}),
        Environment: { Variables: { STAGE: 'prod', INDEX: String(i) } },
        Tags: [
          { Key: 'env', Value: 'prod' },
          { Key: 'team', Value: `team-${i % 7}` },
        ],
      },
    };
  }
  return { AWSTemplateFormatVersion: '2010-09-09', Resources: resources };
}

const cases = [
  { name: 'YAML alias bomb (10 levels × 9)', files: { 'bomb.yaml': aliasBomb(10) } },
  {
    name: 'symlink traps (ln -s . a/b/c, loop, FIFO, /dev/zero)',
    setup(dir) {
      writeFileSync(join(dir, 't.yaml'), 'Resources:\n  F:\n    Type: AWS::Lambda::Function\n');
      for (const l of ['a', 'b', 'c', 'loop']) symlinkSync('.', join(dir, l));
      execFileSync('mkfifo', [join(dir, 'p.yaml')]);
      symlinkSync('/dev/zero', join(dir, 'z.yaml'));
    },
  },
  {
    name: 'self-referencing variable',
    files: { 'main.tf': `variable "v" {\n  default = var.v\n}\n${tfFunction('var.v')}` },
  },
  { name: '10k-deep [[…]]', files: { 'main.tf': tfFunction(`${'['.repeat(10000)}"x"${']'.repeat(10000)}`) } },
  { name: '10k-deep ((…))', files: { 'main.tf': tfFunction(`${'('.repeat(10000)}"x"${')'.repeat(10000)}`) } },
  { name: '3k nested dynamic blocks', files: { 'main.tf': nestedDynamicBlocks(3000) } },
  { name: '40 doubling Terraform locals', files: { 'main.tf': doublingLocals(40) } },
  { name: 'Serverless self: chain ×3, 18 levels', files: { 'serverless.yml': serverlessChain(18) } },
  {
    name: 'Serverless self: chain ×4, 12 levels (string budget)',
    files: { 'serverless.yml': serverlessChain(12, 4) },
  },
  {
    name: 'CDK manifest with 11 nested assemblies at "."',
    files: {
      'cdk.out/manifest.json': JSON.stringify({
        version: '36.0.0',
        artifacts: {
          S: { type: 'aws:cloudformation:stack', properties: { templateFile: 'S.template.json' } },
          ...Object.fromEntries(
            Array.from({ length: 11 }, (_, i) => [
              `N${i}`,
              { type: 'cdk:cloud-assembly', properties: { directoryName: '.' } },
            ]),
          ),
        },
      }),
      'cdk.out/S.template.json': JSON.stringify({ Resources: { F: { Type: 'AWS::Lambda::Function' } } }),
    },
  },
  {
    name: 'count = 5000',
    files: { 'main.tf': 'resource "aws_lambda_function" "many" {\n  count = 5000\n}\n' },
  },
  { name: '19 MB YAML', files: () => ({ 'big.yaml': toYaml(bigTemplate(19e6 / 1.25)) }) },
  {
    name: '50 MB JSON (--max-file-size 100)',
    args: ['--max-file-size', '100'],
    files: () => ({ 'big.json': JSON.stringify(bigTemplate(50e6 / 1.5), null, 1) }),
  },
];

const rows = [];
for (const c of cases) {
  if (only && !c.name.includes(only)) continue;
  const dir = mkdtempSync(join(tmpdir(), 'signet-bench-hostile-'));
  const files = typeof c.files === 'function' ? c.files() : (c.files ?? {});
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  c.setup?.(dir);
  const bytes = Object.keys(files).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  const start = process.hrtime.bigint();
  const run = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%M',
      process.execPath,
      CLI,
      'iac',
      dir,
      '--format',
      FORMAT,
      ...(toFile ? ['--output', join(dir, '..', `${dir.split('/').pop()}.report`)] : []),
      ...(c.args ?? []),
    ],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      timeout: 600_000,
    },
  );
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const stderr = run.stderr.trim().split('\n');
  const peakKb = Number(stderr.pop());
  const first =
    stderr.find((l) => /: (error|warning):/.test(l)) ?? stderr.find((l) => l.startsWith('scanned')) ?? '';
  rows.push({
    case: c.name,
    input: bytes > 1e6 ? `${(bytes / 1048576).toFixed(1)} MB` : `${bytes} B`,
    wall: `${(ms / 1000).toFixed(2)} s`,
    peakRss: `${(peakKb / 1024).toFixed(0)} MB`,
    ...(bytes > 1e6 ? { 'rss/size': ((peakKb * 1024) / bytes).toFixed(1) } : {}),
    exit: run.status,
    says: first
      .replace(dir, '')
      .replace(/^\.*\/*[^:]*tmp\/signet-bench-hostile-[^/]+\//, '')
      .slice(0, 110),
  });
  rmSync(dir, { recursive: true, force: true });
  if (toFile) rmSync(join(dir, '..', `${dir.split('/').pop()}.report`), { force: true });
}
console.table(rows);
console.log(
  `Node ${process.version}, load average ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
