// A sandbox account ready for signing pipelines: a versioned artifact bucket, an allowed and a rogue
// signing profile, Enforce and Warn CSCs, functions with and without them, package files on disk.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateCodeSigningConfigCommand,
  CreateFunctionCommand,
  PutFunctionCodeSigningConfigCommand,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { PutSigningProfileCommand } from '@aws-sdk/client-signer';
import type { ApiCall } from '../../src/aws/calls.js';
import { DEPLOY_CALLS } from '../../src/aws/calls.js';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import { createZip } from '../../src/sandbox/zip.js';
import { openSigningContext, type SigningContext } from '../../src/signing/context.js';
import type { Credentials, TestSandbox } from '../helpers/sandbox.js';
import { aRole } from '../sandbox/lambda-fixtures.js';

export interface SigningWorld {
  bucket: string;
  unversioned: string;
  profile: string;
  profileVersionArn: string;
  rogue: string;
  rogueVersionArn: string;
  enforceCsc: string;
  warnCsc: string;
  role: string;
  dir: string;
}

let counter = 0;

/** Writes a fresh ZIP package file and returns its path. */
export function aPackageFile(dir: string, name = `app-${++counter}.zip`, seed = name): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    createZip([
      { name: 'index.js', data: `exports.handler = async () => '${seed}-${Date.now()}-${Math.random()}';\n` },
    ]),
  );
  return file;
}

export async function signingWorld(t: TestSandbox): Promise<SigningWorld> {
  const { s3, signer, lambda, iam } = t.clients;
  const bucket = 'pipeline-artifacts';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  const unversioned = 'plain-bucket';
  await s3.send(new CreateBucketCommand({ Bucket: unversioned }));
  const profile = await signer.send(
    new PutSigningProfileCommand({ profileName: 'release_signer', platformId: 'AWSLambda-SHA384-ECDSA' }),
  );
  const rogue = await signer.send(
    new PutSigningProfileCommand({ profileName: 'rogue_signer', platformId: 'AWSLambda-SHA384-ECDSA' }),
  );
  const enforce = await lambda.send(
    new CreateCodeSigningConfigCommand({
      AllowedPublishers: { SigningProfileVersionArns: [profile.profileVersionArn!] },
      CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
    }),
  );
  const warn = await lambda.send(
    new CreateCodeSigningConfigCommand({
      AllowedPublishers: { SigningProfileVersionArns: [profile.profileVersionArn!] },
      CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Warn' },
    }),
  );
  const role = await aRole(iam);
  return {
    bucket,
    unversioned,
    profile: 'release_signer',
    profileVersionArn: profile.profileVersionArn!,
    rogue: 'rogue_signer',
    rogueVersionArn: rogue.profileVersionArn!,
    enforceCsc: enforce.CodeSigningConfig!.CodeSigningConfigArn!,
    warnCsc: warn.CodeSigningConfig!.CodeSigningConfigArn!,
    role,
    dir: mkdtempSync(join(tmpdir(), 'signet-signing-')),
  };
}

/** A function running unsigned code, then given a CSC (attaching never re-validates deployed code). */
export async function aFunction(
  t: TestSandbox,
  w: SigningWorld,
  name: string,
  csc?: string,
  layers?: string[],
): Promise<void> {
  await t.clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: w.role,
      Code: { ZipFile: new Uint8Array(createZip([{ name: 'index.js', data: `// ${name}\n` }])) },
      ...(layers ? { Layers: layers } : {}),
    }),
  );
  if (csc)
    await t.clients.lambda.send(
      new PutFunctionCodeSigningConfigCommand({ FunctionName: name, CodeSigningConfigArn: csc }),
    );
}

export function context(
  t: TestSandbox,
  declared: readonly ApiCall[] = DEPLOY_CALLS,
  credentials: Credentials = BOOTSTRAP_CREDENTIALS,
): Promise<SigningContext> {
  return openSigningContext({ endpoint: t.endpoint, region: 'us-east-1', credentials, declared });
}
