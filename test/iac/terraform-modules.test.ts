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
