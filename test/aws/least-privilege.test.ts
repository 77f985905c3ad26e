// The IAM policy `signet iam-policy scan` prints is exactly enough: a scan with it sees everything,
// a policy without one declared action leaves that part UNKNOWN, and an undeclared call is refused.
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateCodeSigningConfigCommand,
  CreateFunctionCommand,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import { PutSigningProfileCommand } from '@aws-sdk/client-signer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iamPolicyFor, SCAN_CALLS } from '../../src/aws/calls.js';
import { ClientFactory, UndeclaredCallError } from '../../src/aws/clients.js';
import { collectSnapshot } from '../../src/aws/collect/scan.js';
import { defaultConfig } from '../../src/config/schema.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { createZip } from '../../src/sandbox/zip.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;

async function userWithPolicy(name: string, actions: string[]) {
  await t.clients.iam.send(new CreateUserCommand({ UserName: name }));
  await t.clients.iam.send(
    new PutUserPolicyCommand({
      UserName: name,
      PolicyName: 'signet',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
      }),
    }),
  );
  const key = await t.clients.iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
}

beforeAll(async () => {
  t = await startTestSandbox();
  await t.clients.iam.send(
    new CreateRoleCommand({
      RoleName: 'lambda-exec',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    }),
  );
  const profile = await t.clients.signer.send(
    new PutSigningProfileCommand({ profileName: 'ci', platformId: 'AWSLambda-SHA384-ECDSA' }),
  );
  const csc = await t.clients.lambda.send(
    new CreateCodeSigningConfigCommand({
      AllowedPublishers: { SigningProfileVersionArns: [profile.profileVersionArn!] },
    }),
  );
  await t.clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'fn',
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::111111111111:role/lambda-exec',
      Code: { ZipFile: createZip([{ name: 'index.mjs', data: 'export const handler = () => 1;' }]) },
      CodeSigningConfigArn: csc.CodeSigningConfig!.CodeSigningConfigArn!,
    }),
  );
});
afterAll(async () => t?.close());

describe('least privilege for signet scan', () => {
  it('collects everything with exactly the declared actions', async () => {
    const credentials = await userWithPolicy('auditor', iamPolicyFor(SCAN_CALLS).Statement[0]!.Action);
    const snapshot = await collectSnapshot({
      endpoint: t.endpoint,
      credentials,
      homeRegion: 'us-east-1',
      // Quotas are off in this sandbox: pace CloudTrail's 2 requests/s 50x faster, as a scaled sandbox would.
      rateScale: 50,
    });
    expect(snapshot.collectionErrors).toEqual([]);
    expect(snapshot.regions.length).toBeGreaterThan(10);
    expect(snapshot.functions.map((f) => f.name)).toEqual(['fn']);
  });

  it('records AccessDenied for a missing action and answers UNKNOWN, not PASS', async () => {
    const actions = iamPolicyFor(SCAN_CALLS).Statement[0]!.Action.filter(
      (a) => a !== 'lambda:ListFunctionsByCodeSigningConfig',
    );
    const credentials = await userWithPolicy('auditor-minus', actions);
    const snapshot = await collectSnapshot({
      endpoint: t.endpoint,
      credentials,
      homeRegion: 'us-east-1',
      regions: ['us-east-1'],
      rateScale: 50,
    });
    expect(snapshot.collectionErrors).toEqual([
      expect.objectContaining({
        operation: 'ListFunctionsByCodeSigningConfig',
        errorCode: 'AccessDeniedException',
        region: 'us-east-1',
      }),
    ]);
    const sgn001 = evaluate(snapshot, defaultConfig()).findings.find((f) => f.ruleId === 'SGN-001')!;
    expect(sgn001.status).toBe('UNKNOWN');
  });

  it('refuses a call the command did not declare', async () => {
    const factory = new ClientFactory({ endpoint: t.endpoint, declared: [] });
    const lambda = factory.lambda({
      accountId: '111111111111',
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    await expect(lambda.send(new ListFunctionsCommand({}))).rejects.toBeInstanceOf(UndeclaredCallError);
    factory.destroy();
  });
});
