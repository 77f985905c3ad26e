// `signet iam-policy sign|deploy` print exactly enough: a pipeline user holding only the deploy policy
// signs and deploys; one holding only the sign policy cannot deploy; neither can change a CSC.
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CALLS, iamPolicyFor, SIGN_CALLS } from '../../src/aws/calls.js';
import type { SigningContext } from '../../src/signing/context.js';
import { deployFunction } from '../../src/signing/deploy.js';
import { parseS3Uri } from '../../src/signing/location.js';
import { signPackage } from '../../src/signing/sign.js';
import { verifyArtifact } from '../../src/signing/verify.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { aFunction, aPackageFile, context, type SigningWorld, signingWorld } from './fixtures.js';

let t: TestSandbox;
let w: SigningWorld;
const contexts: SigningContext[] = [];

async function pipelineUser(name: string, policy: object) {
  await t.clients.iam.send(new CreateUserCommand({ UserName: name }));
  await t.clients.iam.send(
    new PutUserPolicyCommand({
      UserName: name,
      PolicyName: 'signet',
      PolicyDocument: JSON.stringify(policy),
    }),
  );
  const key = await t.clients.iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
}

beforeAll(async () => {
  t = await startTestSandbox();
  w = await signingWorld(t);
  await aFunction(t, w, 'orders', w.enforceCsc);
});
afterAll(async () => {
  for (const c of contexts) c.factory.destroy();
  await t?.close();
});

describe('pipeline role policies', () => {
  it('the deploy policy is enough to sign, verify and deploy under Enforce', async () => {
    const ctx = await context(t, DEPLOY_CALLS, await pipelineUser('deployer', iamPolicyFor(DEPLOY_CALLS)));
    contexts.push(ctx);
    const signed = await signPackage(ctx, aPackageFile(w.dir), { profileName: w.profile, bucket: w.bucket });
    const artifact = await verifyArtifact(ctx, parseS3Uri(signed.signedUri));
    expect(artifact.checks.filter((c) => !c.ok)).toEqual([]);
    const deployed = await deployFunction(ctx, 'orders', artifact, { publish: true, alias: 'live' });
    expect(deployed.signingJobArn).toBe(signed.signingJobArn);
    const fn = await t.clients.lambda.send(
      new GetFunctionCommand({ FunctionName: 'orders', Qualifier: 'live' }),
    );
    expect(fn.Configuration?.SigningJobArn).toBe(signed.signingJobArn);
  });

  it('the sign policy signs but cannot deploy', async () => {
    const creds = await pipelineUser('signer-only', iamPolicyFor(SIGN_CALLS));
    const signCtx = await context(t, SIGN_CALLS, creds);
    contexts.push(signCtx);
    const signed = await signPackage(signCtx, aPackageFile(w.dir), {
      profileName: w.profile,
      bucket: w.bucket,
    });
    const deployCtx = await context(t, DEPLOY_CALLS, creds);
    contexts.push(deployCtx);
    const artifact = await verifyArtifact(deployCtx, parseS3Uri(signed.signedUri));
    expect(artifact.checks.find((c) => c.id === 'revocation')?.ok).toBe(false);
    await expect(deployFunction(deployCtx, 'orders', artifact)).rejects.toThrow(
      /not authorized for function orders .*signet iam-policy deploy/,
    );
  });

  it('neither policy can change a code signing config (separation of duties)', () => {
    for (const calls of [SIGN_CALLS, DEPLOY_CALLS]) {
      const actions = iamPolicyFor(calls).Statement[0]!.Action;
      expect(actions.filter((a) => /CodeSigningConfig$/.test(a) && !a.startsWith('lambda:Get'))).toEqual([]);
      expect(actions).not.toContain('signer:PutSigningProfile');
      expect(actions).not.toContain('signer:RevokeSignature');
    }
  });
});
