// Terraform modules on real-world layouts: instances of for_each/count module calls, local modules
// followed with their inputs, and directories called as modules not judged again as roots.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { scanIac } from '../../src/iac/index.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'signet-tf-modules-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function scan(files: Record<string, string>, paths?: string[]) {
  const dir = project(files);
  return scanIac(paths ? paths.map((p) => join(dir, p)) : [dir], { baseDir: dir });
}

describe('terraform-aws-modules/lambda module instances', () => {
  it('makes every for_each and count instance a function of its own', () => {
    const { snapshot } = scan({
      'main.tf': `
module "fn" {
  for_each      = toset(["dev", "staging", "prod"])
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "svc-\${each.key}"
  code_signing_config_arn = each.key == "prod" ? aws_lambda_code_signing_config.this.arn : null
}
module "worker" {
  count         = 2
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "worker-\${count.index}"
}
module "off" {
  count         = 0
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "never"
}
resource "aws_lambda_code_signing_config" "this" {
  allowed_publishers { signing_profile_version_arns = ["arn:aws:signer:us-east-1:111122223333:/signing-profiles/P/abc"] }
  policies { untrusted_artifact_on_deployment = "Enforce" }
}
`,
    });
    const byName = Object.fromEntries(snapshot.functions.map((f) => [f.name, f]));
    expect(Object.keys(byName).sort()).toEqual([
      'svc-dev',
      'svc-prod',
      'svc-staging',
      'worker-0',
      'worker-1',
    ]);
    expect(byName['svc-prod']!.id).toBe('main.tf#module.fn["prod"].aws_lambda_function.this[0]');
    expect(byName['svc-prod']!.codeSigningConfig).toEqual({
      state: 'attached',
      id: 'main.tf#aws_lambda_code_signing_config.this',
    });
    expect(byName['svc-dev']!.codeSigningConfig).toEqual({ state: 'none' });
    expect(byName['worker-1']!.id).toBe('main.tf#module.worker[1].aws_lambda_function.this[0]');
    const fails = evaluate(snapshot, defaultConfig())
      .findings.filter((r) => r.ruleId === 'SGN-001' && r.status === 'FAIL')
      .map((r) => r.resource.id)
      .sort();
    expect(fails).toHaveLength(4);
  });
});

const WORKER = `variable "name" {
  type = string
}
variable "csc_arn" {
  type    = string
  default = null
}
resource "aws_lambda_function" "this" {
  function_name           = var.name
  role                    = "arn:aws:iam::111122223333:role/r"
  code_signing_config_arn = var.csc_arn
}
output "function_name" {
  value = aws_lambda_function.this.function_name
}
`;

describe('local Terraform modules', () => {
  it('follows a local module with its inputs and reports at the module file with the instance address', () => {
    const { snapshot, scanned } = scan({
      'live/main.tf': `
resource "aws_lambda_code_signing_config" "csc" {
  allowed_publishers { signing_profile_version_arns = ["arn:aws:signer:us-east-1:111122223333:/signing-profiles/P/abc"] }
  policies { untrusted_artifact_on_deployment = "Enforce" }
}
module "api" {
  source  = "../modules/worker"
  name    = "api-fn"
  csc_arn = aws_lambda_code_signing_config.csc.arn
}
module "jobs" {
  source   = "../modules/worker"
  for_each = { nightly = "n", hourly = "h" }
  name     = "job-\${each.key}"
}
`,
      'modules/worker/main.tf': WORKER,
    });
    const byName = Object.fromEntries(snapshot.functions.map((f) => [f.name, f]));
    // The module directory is not also judged as a root with its defaults (which has no name).
    expect(Object.keys(byName).sort()).toEqual(['api-fn', 'job-hourly', 'job-nightly']);
    expect(byName['api-fn']!.codeSigningConfig).toEqual({
      state: 'attached',
      id: 'live/main.tf#aws_lambda_code_signing_config.csc',
    });
    expect(byName['api-fn']!.provenance).toMatchObject({
      file: 'modules/worker/main.tf',
      line: 8,
      logicalId: 'module.api.aws_lambda_function.this',
    });
    expect(byName['job-nightly']!.provenance).toMatchObject({
      logicalId: 'module.jobs["nightly"].aws_lambda_function.this',
    });
    expect(byName['job-nightly']!.codeSigningConfig).toEqual({
      state: 'none',
      note: 'var.csc_arn (default)',
    });
    expect(scanned.map((s) => s.file).sort()).toEqual(['live/main.tf', 'modules/worker/main.tf']);
    const { findings } = evaluate(snapshot, defaultConfig());
    const fail = findings.find((f) => f.ruleId === 'SGN-001' && f.resource.name === 'job-hourly')!;
    expect(fail.status).toBe('FAIL');
  });

  it('follows nested modules, module outputs and modules outside the scanned path', () => {
    const dir = project({
      'examples/complete/main.tf': `
module "signing" {
  source = "../../modules/signing"
}
module "app" {
  source  = "../../"
  name    = "app-fn"
  csc_arn = module.signing.csc_arn
}
`,
      'main.tf': `
variable "name" {}
variable "csc_arn" { default = null }
module "inner" {
  source  = "./modules/worker"
  count   = 2
  name    = "\${var.name}-\${count.index}"
  csc_arn = var.csc_arn
}
`,
      'modules/worker/main.tf': WORKER,
      'modules/signing/main.tf': `
resource "aws_lambda_code_signing_config" "this" {
  allowed_publishers { signing_profile_version_arns = ["arn:aws:signer:us-east-1:111122223333:/signing-profiles/P/abc"] }
  policies { untrusted_artifact_on_deployment = "Enforce" }
}
output "csc_arn" {
  value = aws_lambda_code_signing_config.this.arn
}
`,
    });
    // Only the example is scanned: its `../../` module is read from outside the given path.
    const { snapshot } = scanIac([join(dir, 'examples/complete')], { baseDir: dir });
    const fns = snapshot.functions.map((f) => [
      f.name,
      f.provenance.source === 'iac' ? f.provenance.logicalId : '',
      f.codeSigningConfig,
    ]);
    expect(fns).toEqual([
      [
        'app-fn-0',
        'module.app.module.inner[0].aws_lambda_function.this',
        { state: 'attached', id: snapshot.codeSigningConfigs[0]!.id },
      ],
      [
        'app-fn-1',
        'module.app.module.inner[1].aws_lambda_function.this',
        { state: 'attached', id: snapshot.codeSigningConfigs[0]!.id },
      ],
    ]);
    expect(snapshot.codeSigningConfigs[0]!.id).toBe(
      'modules/signing/main.tf#module.signing.aws_lambda_code_signing_config.this@examples/complete',
    );
  });

  it('keeps the same module called by two roots apart', () => {
    const { snapshot } = scan({
      'a/main.tf': 'module "w" {\n  source = "../modules/worker"\n  name = "a-fn"\n}\n',
      'b/main.tf': 'module "w" {\n  source = "../modules/worker"\n  name = "b-fn"\n}\n',
      'modules/worker/main.tf': WORKER,
    });
    expect(snapshot.functions.map((f) => f.id).sort()).toEqual([
      'modules/worker/main.tf#module.w.aws_lambda_function.this@a',
      'modules/worker/main.tf#module.w.aws_lambda_function.this@b',
    ]);
  });

  it('stops at recursive module calls and at missing module directories, saying so', () => {
    const { problems, snapshot } = scan({
      'root/main.tf': 'module "a" {\n  source = "../a"\n}\nmodule "gone" {\n  source = "./nowhere"\n}\n',
      'a/main.tf': 'module "b" {\n  source = "../b"\n}\n',
      'b/main.tf': `module "a" {\n  source = "../a"\n}\n${WORKER.replace('type = string\n', 'default = "b-fn"\n')}`,
    });
    expect(snapshot.functions.map((f) => f.name)).toEqual(['b-fn']);
    expect(problems).toContainEqual(
      expect.objectContaining({
        file: 'b/main.tf',
        level: 'error',
        message: expect.stringContaining('Terraform rejects recursive modules'),
      }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        file: 'root/main.tf',
        line: 4,
        message: expect.stringContaining('no .tf files in ./nowhere'),
      }),
    );
  });

  it('notes resources that count = 0 removes, and names a function whose name is "" by its address', () => {
    const { problems, snapshot } = scan({
      'main.tf': `
variable "create" {
  default = false
}
variable "name" {
  default = ""
}
resource "aws_lambda_function" "optional" {
  count         = var.create ? 1 : 0
  function_name = "optional"
  role          = "r"
}
resource "aws_lambda_function" "unnamed" {
  function_name = var.name
  role          = "r"
}
`,
    });
    expect(snapshot.functions.map((f) => f.name)).toEqual(['aws_lambda_function.unnamed']);
    expect(problems).toContainEqual(
      expect.objectContaining({
        level: 'note',
        line: 9,
        message: expect.stringMatching(
          /^aws_lambda_function\.optional is not created: count = 0 \(from var\.create \(default\)\)/,
        ),
      }),
    );
  });
});
