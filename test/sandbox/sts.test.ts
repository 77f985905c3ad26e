import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGEMENT_ACCOUNT_ID } from '../../src/sandbox/index.js';
import { assumeRole, createRole } from '../helpers/principals.js';
import { clientsFor, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => t.close());

describe('STS', () => {
  it('answers GetCallerIdentity for the bootstrap admin', async () => {
    const out = await t.clients.sts.send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe(MANAGEMENT_ACCOUNT_ID);
    expect(out.Arn).toBe(`arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:user/admin`);
    expect(out.UserId).toMatch(/^AIDA/);
  });

  it('rejects an unknown access key with InvalidClientTokenId', async () => {
    const sts = new STSClient({
      endpoint: t.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIANOTKNOWN00000000', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
      $metadata: { httpStatusCode: 403 },
    });
    sts.destroy();
  });

  it('says an expired session is expired (ExpiredToken / ExpiredTokenException), as AWS does', async () => {
    const role = await createRole(t.clients, 'short-lived', [
      { Effect: 'Allow', Action: '*', Resource: '*' },
    ]);
    const session = clientsFor(t.endpoint, await assumeRole(t.clients, role, 'expiry'));
    try {
      // Valid now…
      await expect(session.sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
        Arn: expect.stringContaining(':assumed-role/short-lived/expiry'),
      });
      // …and expired two hours on (the default session lasts one hour).
      t.sandbox.world.clockOffsetMs += 2 * 3_600_000;
      await expect(session.sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
        name: 'ExpiredToken',
        $metadata: { httpStatusCode: 403 },
      });
      await expect(session.lambda.send(new ListFunctionsCommand({}))).rejects.toMatchObject({
        name: 'ExpiredTokenException',
        $metadata: { httpStatusCode: 403 },
      });
      await expect(session.s3.send(new ListObjectsV2Command({ Bucket: 'any' }))).rejects.toMatchObject({
        name: 'ExpiredToken',
        $metadata: { httpStatusCode: 400 },
      });
    } finally {
      t.sandbox.world.clockOffsetMs = 0;
      for (const client of Object.values(session)) client.destroy();
    }
  });
});
