import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import { demoSeed } from '../../src/sandbox/seeds/demo.js';
import { createZip } from '../../src/sandbox/zip.js';
import { pipelineCommand } from '../../src/signing/pipeline-hint.js';
import { requireFreshDist, runCli } from '../helpers/cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;

beforeAll(async () => {
  requireFreshDist();
  t = await startTestSandbox();
  await demoSeed({
    endpoint: t.endpoint,
    credentials: { ...BOOTSTRAP_CREDENTIALS },
    params: {},
    log: () => {},
  });
}, 120_000);
afterAll(async () => t?.close());

it('the pipeline command signet demo prints deploys signed code to prod checkout', async () => {
  const accounts = await t.clients.organizations.send(new ListAccountsCommand({}));
  const prod = accounts.Accounts!.find((a) => a.Name === 'workloads-prod')!;
  const role = await t.clients.sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${prod.Id}:role/OrganizationAccountAccessRole`,
      RoleSessionName: 'pipeline',
    }),
  );
  const creds = role.Credentials!;
  const dir = mkdtempSync(join(tmpdir(), 'signet-demo-pipeline-'));
  const command = pipelineCommand({
    functionName: 'checkout',
    profile: 'ci_release',
    bucket: `signet-demo-artifacts-${prod.Id}-us-east-1`,
    region: 'us-east-1',
  })
    .replace('dist/checkout.zip', join(dir, 'checkout.zip'))
    .replace('checkout.provenance.json', join(dir, 'checkout.provenance.json'));
  writeFileSync(
    join(dir, 'checkout.zip'),
    createZip([{ name: 'index.js', data: 'exports.handler = async () => "v3";\n' }]),
  );
  const args = command.split(' ').slice(1);
  const run = await runCli(args, {
    env: {
      AWS_ACCESS_KEY_ID: creds.AccessKeyId!,
      AWS_SECRET_ACCESS_KEY: creds.SecretAccessKey!,
      AWS_SESSION_TOKEN: creds.SessionToken!,
      AWS_ENDPOINT_URL: t.endpoint,
    },
  });
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/alias live → \d+/);
  const lambda = new LambdaClient({
    endpoint: t.endpoint,
    region: 'us-east-1',
    credentials: {
      accessKeyId: creds.AccessKeyId!,
      secretAccessKey: creds.SecretAccessKey!,
      sessionToken: creds.SessionToken!,
    },
  });
  try {
    const live = await lambda.send(new GetFunctionCommand({ FunctionName: 'checkout', Qualifier: 'live' }));
    expect(live.Configuration?.SigningJobArn).toMatch(
      new RegExp(`^arn:aws:signer:us-east-1:${prod.Id}:/signing-jobs/`),
    );
  } finally {
    lambda.destroy();
  }
}, 60_000);
