// The governance collectors against the sandbox: CloudTrail events made by real calls under different
// principals, IAM authorization details with groups and boundaries, SCPs; UNKNOWN-making failures.
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  PutRolePermissionsBoundaryCommand,
} from '@aws-sdk/client-iam';
import { CreateFunctionCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../src/aws/collect/scan.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import { createZip } from '../../src/sandbox/zip.js';
import { ACCOUNT, assumeRole, createRole, createUserWithKey, policyDocument } from '../helpers/principals.js';
import { clientsFor, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
const zip = createZip([{ name: 'index.mjs', data: 'export const handler = () => 1;' }]);

beforeAll(async () => {
  t = await startTestSandbox();
  const exec = await createRole(t.clients, 'lambda-exec', [
    { Effect: 'Allow', Action: 'logs:*', Resource: '*' },
  ]);
  const deployRole = await createRole(t.clients, 'ci-deploy-prod', [
    { Effect: 'Allow', Action: ['lambda:*', 'iam:PassRole'], Resource: '*' },
  ]);
  const boundary = await t.clients.iam.send(
    new CreatePolicyCommand({
      PolicyName: 'deploy-boundary',
      PolicyDocument: policyDocument([
        { Effect: 'Allow', Action: ['lambda:*', 'iam:PassRole'], Resource: '*' },
      ]),
    }),
  );
  await t.clients.iam.send(
    new PutRolePermissionsBoundaryCommand({
      RoleName: 'ci-deploy-prod',
      PermissionsBoundary: boundary.Policy!.Arn!,
    }),
  );
  const ci = clientsFor(t.endpoint, await assumeRole(t.clients, deployRole, 'build-7'));
  await ci.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'orders',
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: exec,
      Code: { ZipFile: zip },
    }),
  );
  const alice = clientsFor(t.endpoint, await createUserWithKey(t.clients, 'alice'));
  await t.clients.iam.send(new CreateGroupCommand({ GroupName: 'developers' }));
  const devPolicy = await t.clients.iam.send(
    new CreatePolicyCommand({
      PolicyName: 'developers',
      PolicyDocument: policyDocument([
        { Effect: 'Allow', Action: 'lambda:UpdateFunctionCode', Resource: '*' },
      ]),
    }),
  );
  await t.clients.iam.send(
    new AttachGroupPolicyCommand({ GroupName: 'developers', PolicyArn: devPolicy.Policy!.Arn! }),
  );
  await t.clients.iam.send(new AddUserToGroupCommand({ GroupName: 'developers', UserName: 'alice' }));
  // Granted through the group only: the sandbox evaluates group policies like AWS.
  await alice.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'orders', ZipFile: zip }));
  for (const c of [ci, alice]) for (const client of Object.values(c)) client.destroy();
}, 60_000);
afterAll(async () => t?.close());

// Each test scans for itself (inside the test, not in beforeAll) so mutation testing can tell which test
// covers which collector line.
const scan = (): Promise<Snapshot> =>
  collectSnapshot({
    endpoint: t.endpoint,
    credentials: BOOTSTRAP_CREDENTIALS,
    homeRegion: 'us-east-1',
    regions: ['us-east-1'],
    // Quotas are off in this sandbox: pace CloudTrail's 2 requests/s 50x faster, as a scaled sandbox would.
    rateScale: 50,
  });

describe('governance collection', () => {
  it('records who changed Lambda code, as CloudTrail recorded it', async () => {
    const snapshot = await scan();
    const events = snapshot.governance!.trailEvents;
    const create = events.find((e) => e.eventName === 'CreateFunction20150331')!;
    expect(create.actor).toMatchObject({
      type: 'AssumedRole',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ci-deploy-prod/build-7`,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/ci-deploy-prod`,
    });
    const update = events.find((e) => e.eventName === 'UpdateFunctionCode20150331v2')!;
    expect(update.actor).toMatchObject({
      type: 'IAMUser',
      arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      userName: 'alice',
    });
    expect(update.sourceIPAddress).toBeTruthy();
    expect(update.userAgent).toMatch(/aws-sdk-js/);
    expect(update.requestParameters).toMatchObject({ functionName: 'orders' });
    expect(snapshot.coverage).toContainEqual({
      accountId: ACCOUNT,
      region: 'us-east-1',
      part: 'cloudtrail',
      status: 'ok',
    });
  });

  it('reads IAM with groups, group membership and permissions boundaries', async () => {
    const snapshot = await scan();
    const iam = snapshot.governance!.iam.find((a) => a.accountId === ACCOUNT)!;
    expect(iam.users.find((u) => u.name === 'alice')?.groups).toEqual(['developers']);
    expect(iam.groups.find((g) => g.name === 'developers')?.attachedPolicies).toEqual([
      `arn:aws:iam::${ACCOUNT}:policy/developers`,
    ]);
    expect(iam.roles.find((r) => r.name === 'ci-deploy-prod')?.permissionsBoundary).toBe(
      `arn:aws:iam::${ACCOUNT}:policy/deploy-boundary`,
    );
    expect(JSON.parse(iam.policies.find((p) => p.name === 'developers')!.document)).toMatchObject({
      Statement: [{ Action: 'lambda:UpdateFunctionCode' }],
    });
    expect(snapshot.coverage).toContainEqual({
      accountId: ACCOUNT,
      region: 'global',
      part: 'iam',
      status: 'ok',
    });
  });

  it('skips CloudTrail with --no-cloudtrail and says so in coverage', async () => {
    const skipped = await collectSnapshot({
      endpoint: t.endpoint,
      credentials: BOOTSTRAP_CREDENTIALS,
      homeRegion: 'us-east-1',
      regions: ['us-east-1'],
      governance: { cloudtrail: false },
    });
    expect(skipped.governance!.trailEvents).toEqual([]);
    expect(skipped.coverage).toContainEqual({
      accountId: ACCOUNT,
      region: 'us-east-1',
      part: 'cloudtrail',
      status: 'not-collected',
    });
  });

  it('records a CloudTrail or IAM failure as a collection error on its part', async () => {
    const creds = await createUserWithKey(t.clients, 'auditor-no-trail', [
      {
        Effect: 'Allow',
        NotAction: ['cloudtrail:LookupEvents', 'iam:GetAccountAuthorizationDetails'],
        Resource: '*',
      },
    ]);
    const partial = await collectSnapshot({
      endpoint: t.endpoint,
      credentials: creds,
      homeRegion: 'us-east-1',
      regions: ['us-east-1'],
    });
    expect(partial.collectionErrors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ operation: 'LookupEvents', parts: ['cloudtrail'] }),
        expect.objectContaining({ operation: 'GetAccountAuthorizationDetails', parts: ['iam'] }),
      ]),
    );
    expect(partial.coverage).toContainEqual({
      accountId: ACCOUNT,
      region: 'us-east-1',
      part: 'cloudtrail',
      status: 'failed',
    });
  });
});
