// Real CDK output: small apps synthesised with aws-cdk-lib, scanned as a cloud assembly (cdk.out).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as signer from 'aws-cdk-lib/aws-signer';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { type IacScanResult, scanIac } from '../../src/iac/index.js';

function zipFunction(stack: Stack, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => "ok";'),
    ...props,
  });
}

function buildApp(outdir: string): void {
  const app = new App({ outdir });
  const stack = new Stack(app, 'Shop', { env: { account: '111122223333', region: 'eu-west-1' } });
  const profile = new signer.SigningProfile(stack, 'Profile', {
    platform: signer.Platform.AWS_LAMBDA_SHA384_ECDSA,
  });
  const enforce = new lambda.CodeSigningConfig(stack, 'EnforceCsc', {
    signingProfiles: [profile],
    untrustedArtifactOnDeployment: lambda.UntrustedArtifactOnDeployment.ENFORCE,
  });
  const warn = new lambda.CodeSigningConfig(stack, 'WarnCsc', { signingProfiles: [profile] });
  const layer = new lambda.LayerVersion(stack, 'Deps', {
    code: lambda.Code.fromBucket(s3.Bucket.fromBucketName(stack, 'Artifacts', 'artifacts'), 'deps.zip'),
  });
  zipFunction(stack, 'Unsigned');
  zipFunction(stack, 'Enforced', { codeSigningConfig: enforce, layers: [layer] });
  zipFunction(stack, 'WarnOnly', { codeSigningConfig: warn });
  new lambda.Function(stack, 'Container', {
    code: lambda.Code.fromEcrImage(ecr.Repository.fromRepositoryName(stack, 'Repo', 'app')),
    handler: lambda.Handler.FROM_IMAGE,
    runtime: lambda.Runtime.FROM_IMAGE,
  });
  // A stage becomes a nested cloud assembly.
  const stage = new Stage(app, 'Prod');
  zipFunction(new Stack(stage, 'Api'), 'StageFn');
  app.synth();
}

describe('CDK cloud assemblies', () => {
  let result: IacScanResult;
  let outdir: string;

  beforeAll(() => {
    outdir = join(mkdtempSync(join(tmpdir(), 'signet-cdk-')), 'cdk.out');
    buildApp(outdir);
    result = scanIac([join(outdir, '..')], { baseDir: join(outdir, '..') });
  }, 120_000);

  const fn = (path: string) => result.snapshot.functions.find((f) => f.name === path)!;

  it('reads every stack, including stages (nested assemblies), with construct paths as names', () => {
    expect(result.snapshot.parseErrors).toEqual([]);
    expect(result.scanned.map((s) => s.format)).toEqual(['cdk', 'cdk']);
    expect(result.snapshot.functions.map((f) => f.name).sort()).toEqual([
      'Prod/Api/StageFn',
      'Shop/Container',
      'Shop/Enforced',
      'Shop/Unsigned',
      'Shop/WarnOnly',
    ]);
    const enforced = fn('Shop/Enforced');
    expect(enforced.provenance).toMatchObject({
      source: 'iac',
      format: 'cdk',
      file: 'cdk.out/Shop.template.json',
    });
    expect(enforced.provenance.source === 'iac' && enforced.provenance.line).toBeGreaterThan(1);
  });

  it('resolves CDK references to the CSC, the profile version and the layer', () => {
    const enforced = fn('Shop/Enforced');
    expect(enforced.codeSigningConfig.state).toBe('attached');
    const csc = result.snapshot.codeSigningConfigs.find(
      (c) => enforced.codeSigningConfig.state === 'attached' && c.id === enforced.codeSigningConfig.id,
    )!;
    expect(csc).toMatchObject({ policy: 'Enforce', policySource: 'explicit' });
    expect(csc.allowedPublishers).toEqual([
      { kind: 'profile', profileId: result.snapshot.signingProfiles[0]!.id },
    ]);
    expect(enforced.layers).toEqual([{ layerId: result.snapshot.layerVersions[0]!.id }]);
    expect(fn('Shop/Container').packageType).toBe('Image');
    expect(fn('Shop/Unsigned').codeSigningConfig).toEqual({ state: 'none' });
  });

  it('gives the same rule results as for hand-written templates', () => {
    const { findings } = evaluate(result.snapshot, defaultConfig());
    const status = (ruleId: string, name: string) =>
      findings.find((f) => f.ruleId === ruleId && f.resource.name === name)?.status;
    expect(status('SGN-001', 'Shop/Unsigned')).toBe('FAIL');
    expect(status('SGN-001', 'Prod/Api/StageFn')).toBe('FAIL');
    expect(status('SGN-001', 'Shop/Enforced')).toBe('PASS');
    expect(status('SGN-001', 'Shop/Container')).toBe('NOT_APPLICABLE');
    expect(status('SGN-002', 'Shop/Enforced')).toBe('PASS');
    // CDK's default (no untrustedArtifactOnDeployment) is Warn.
    expect(status('SGN-002', 'Shop/WarnOnly')).toBe('FAIL');
    expect(status('SGN-006', 'Shop/Enforced')).toBe('UNKNOWN');
  });
});
