// The `scale` fleet for benchmarks: N functions and C CSCs in each of A accounts × R regions, a mix of
// situations (no CSC, Warn, Enforce with signed code, images, published versions behind aliases).
// Run it with quotas off; turn them on for the measured scan.

import {
  CreateAliasCommand,
  CreateCodeSigningConfigCommand,
  CreateFunctionCommand,
  PublishVersionCommand,
} from '@aws-sdk/client-lambda';
import { CreateAccountCommand, CreateOrganizationCommand } from '@aws-sdk/client-organizations';
import { createZip } from '../zip.js';
import { createLambdaExecRole, createSigningSetup, SeedClients, signPackage } from './clients.js';
import type { Seed } from './index.js';

export const SCALE_REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'];

function intParam(params: Record<string, string>, name: string, fallback: number, max: number): number {
  const raw = params[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new Error(`seed parameter ${name}=${raw} must be a whole number from 0 to ${max}`);
  return value;
}

async function pool(count: number, limit: number, run: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) await run(next++);
    }),
  );
}

export const scaleSeed: Seed = async ({ endpoint, credentials, params, log }) => {
  const accounts = intParam(params, 'accounts', 1, 50);
  const regionCount = intParam(params, 'regions', 1, SCALE_REGIONS.length);
  const functions = intParam(params, 'functions', 1000, 100_000);
  const cscs = Math.max(1, intParam(params, 'cscs', 20, 500));
  const mgmt = new SeedClients(endpoint, credentials, 'us-east-1');
  const opened: SeedClients[] = [mgmt];
  try {
    const accountIds = ['111111111111'];
    if (accounts > 1) {
      await mgmt.organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
      for (let a = 1; a < accounts; a++) {
        const out = await mgmt.organizations.send(
          new CreateAccountCommand({ AccountName: `scale-${a}`, Email: `scale-${a}@example.com` }),
        );
        accountIds.push(out.CreateAccountStatus!.AccountId!);
      }
    }
    for (const accountId of accountIds) {
      let roleCreated = false;
      for (const region of SCALE_REGIONS.slice(0, regionCount)) {
        const admin =
          accountId === '111111111111'
            ? mgmt.inRegion(region)
            : await mgmt.assume(
                `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
                'scale-seed',
                region,
              );
        opened.push(admin);
        if (!roleCreated) {
          await createLambdaExecRole(admin);
          roleCreated = true;
        }
        const { bucket, profileVersionArn } = await createSigningSetup(
          admin,
          `signet-scale-${accountId}-${region}`,
          'scale_ci',
        );
        const code = createZip([
          { name: 'index.mjs', data: 'export const handler = async () => ({ ok: true });\n' },
        ]);
        const signed = await signPackage(admin, bucket, 'src/app.zip', code, 'scale_ci');
        const cscArns: { arn: string; enforce: boolean }[] = [];
        for (let c = 0; c < cscs; c++) {
          const enforce = c % 2 === 0;
          const out = await admin.lambda.send(
            new CreateCodeSigningConfigCommand({
              Description: `scale csc ${c}`,
              AllowedPublishers: { SigningProfileVersionArns: [profileVersionArn] },
              CodeSigningPolicies: { UntrustedArtifactOnDeployment: enforce ? 'Enforce' : 'Warn' },
            }),
          );
          cscArns.push({ arn: out.CodeSigningConfig!.CodeSigningConfigArn!, enforce });
        }
        await pool(functions, 32, async (i) => {
          const name = `fn-${String(i).padStart(6, '0')}`;
          const tags = { env: i % 2 ? 'prod' : 'dev', team: `team-${i % 7}` };
          const role = `arn:aws:iam::${accountId}:role/lambda-exec`;
          if (i % 25 === 1) {
            await admin.lambda.send(
              new CreateFunctionCommand({
                FunctionName: name,
                PackageType: 'Image',
                Code: { ImageUri: `${accountId}.dkr.ecr.${region}.amazonaws.com/app:${i}` },
                Role: role,
                Tags: tags,
              }),
            );
            return;
          }
          const csc = i % 5 === 0 ? undefined : cscArns[i % cscArns.length]!;
          await admin.lambda.send(
            new CreateFunctionCommand({
              FunctionName: name,
              Runtime: 'nodejs22.x',
              Handler: 'index.handler',
              Role: role,
              Code: csc?.enforce ? { S3Bucket: bucket, S3Key: signed.key } : { ZipFile: code },
              Tags: tags,
              ...(csc ? { CodeSigningConfigArn: csc.arn } : {}),
            }),
          );
          if (i % 10 === 2) {
            await admin.lambda.send(new PublishVersionCommand({ FunctionName: name }));
            await admin.lambda.send(
              new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }),
            );
          }
        });
        log(`${accountId}/${region}: ${functions} functions, ${cscs} CSCs`);
      }
    }
    return {
      summary: `scale fleet seeded: ${accounts} account(s) × ${regionCount} region(s) × ${functions} functions, ${cscs} CSCs each`,
    };
  } finally {
    for (const client of opened) client.destroy();
  }
};
