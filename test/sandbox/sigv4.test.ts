// SigV4: the sandbox recomputes every header signature with the key's secret, as AWS does.

import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => t?.close());

const wrongSecret = { accessKeyId: BOOTSTRAP_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' };

describe('SigV4 verification', () => {
  it('rejects a wrong secret with each protocol family’s error', async () => {
    const common = { endpoint: t.endpoint, region: 'us-east-1', credentials: wrongSecret, maxAttempts: 1 };
    const lambda = new LambdaClient(common);
    const sts = new STSClient(common);
    const s3 = new S3Client({ ...common, forcePathStyle: true });
    await expect(lambda.send(new ListFunctionsCommand({}))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
    });
    await expect(s3.send(new ListBucketsCommand({}))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
    });
    for (const c of [lambda, sts, s3]) c.destroy();
  });

  it('requires the session token of temporary credentials', async () => {
    await t.clients.iam.send(
      new CreateRoleCommand({
        RoleName: 'auditor',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::111111111111:root' },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    );
    const out = await t.clients.sts.send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111111111111:role/auditor', RoleSessionName: 'audit' }),
    );
    const c = out.Credentials!;
    const common = { endpoint: t.endpoint, region: 'us-east-1', maxAttempts: 1 };
    const withToken = new STSClient({
      ...common,
      credentials: {
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretAccessKey!,
        sessionToken: c.SessionToken!,
      },
    });
    expect((await withToken.send(new GetCallerIdentityCommand({}))).Arn).toMatch(
      /assumed-role\/auditor\/audit$/,
    );
    const withoutToken = new STSClient({
      ...common,
      credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey! },
    });
    await expect(withoutToken.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
    });
    withToken.destroy();
    withoutToken.destroy();
  });
});
