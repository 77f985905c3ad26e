import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGEMENT_ACCOUNT_ID } from '../../src/sandbox/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

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
});
