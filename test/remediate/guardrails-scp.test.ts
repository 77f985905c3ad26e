// `signet guardrails scp` evaluated by the sandbox as AWS Organizations would: the generated SCP blocks
// an unsigned CreateFunction in a member account, allows a compliant one, keeps CSC changes to the
// admin role, and never restricts the management account.
import { AttachRolePolicyCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import {
  CreateCodeSigningConfigCommand,
  CreateFunctionCommand,
  DeleteFunctionCodeSigningConfigCommand,
  UpdateCodeSigningConfigCommand,
} from '@aws-sdk/client-lambda';
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  ListRootsCommand,
} from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildScps,
  DEFAULT_ADMIN_ROLE,
  PROTECTED_ACTIONS,
  SCP_MAX_CHARS,
  splitFileNames,
} from '../../src/remediate/guardrails.js';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import {
  createLambdaExecRole,
  createSigningSetup,
  SeedClients,
  signPackage,
} from '../../src/sandbox/seeds/clients.js';
import { createZip } from '../../src/sandbox/zip.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const pkg = createZip([{ name: 'index.mjs', data: 'export const handler = async () => 1;\n' }]);

describe('guardrails scp (pure)', () => {
  it('denies CreateFunction without a CSC, with an unapproved CSC, and protected actions to non-admins', () => {
    const [doc, ...rest] = buildScps({
      allowedCscs: ['arn:aws:lambda:*:*:code-signing-config:csc-*'],
      adminRoles: [DEFAULT_ADMIN_ROLE],
    });
    expect(rest).toEqual([]);
    expect(doc!.Statement.map((s) => s.Sid)).toEqual([
      'SignetDenyCreateFunctionWithoutCsc',
      'SignetDenyCreateFunctionWithUnapprovedCsc',
      'SignetProtectCodeSigning',
    ]);
    expect(doc!.Statement[2]!.Action).toEqual(PROTECTED_ACTIONS);
    expect(JSON.stringify(doc).length).toBeLessThanOrEqual(SCP_MAX_CHARS);
  });

  it('splits by statement when over 5,120 characters, never splitting a list', () => {
    const admins = Array.from(
      { length: 60 },
      (_, i) => `arn:aws:iam::*:role/platform-admin-team-number-${i}`,
    );
    const cscs = Array.from(
      { length: 40 },
      (_, i) => `arn:aws:lambda:us-east-1:1234567890${String(i).padStart(2, '0')}:code-signing-config:csc-*`,
    );
    const docs = buildScps({ allowedCscs: cscs, adminRoles: admins });
    expect(docs.length).toBeGreaterThan(1);
    for (const d of docs) expect(JSON.stringify(d).length).toBeLessThanOrEqual(SCP_MAX_CHARS);
    expect(docs.flatMap((d) => d.Statement)).toHaveLength(3);
    expect(splitFileNames('out/scp.json', 2)).toEqual(['out/scp-1.json', 'out/scp-2.json']);
    const huge = Array.from({ length: 200 }, (_, i) => `arn:aws:iam::*:role/admin-${i}-with-a-long-name`);
    expect(() => buildScps({ allowedCscs: [], adminRoles: huge })).toThrow(/use \* patterns/);
    expect(() => buildScps({ allowedCscs: ['csc-123'], adminRoles: [DEFAULT_ADMIN_ROLE] })).toThrow(
      /is not a code signing config ARN/,
    );
  });
});

describe('guardrails scp in the sandbox (member accounts are bounded by SCPs)', () => {
  let t: TestSandbox;
  let mgmt: SeedClients;
  let admin: SeedClients;
  let developer: SeedClients;
  let memberId: string;
  let cscArn: string;
  let signedKey: string;
  let bucket: string;
  let roleArn: string;

  beforeAll(async () => {
    t = await startTestSandbox();
    mgmt = new SeedClients(t.endpoint, { ...BOOTSTRAP_CREDENTIALS }, 'us-east-1');
    await mgmt.organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const created = await mgmt.organizations.send(
      new CreateAccountCommand({ AccountName: 'member', Email: 'member@example.com' }),
    );
    memberId = created.CreateAccountStatus!.AccountId!;
    admin = await mgmt.assume(`arn:aws:iam::${memberId}:role/OrganizationAccountAccessRole`, 'admin');
    // A developer with AdministratorAccess: identity policies allow everything, the SCP must not.
    await admin.iam.send(
      new CreateRoleCommand({
        RoleName: 'developer',
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
    await admin.iam.send(
      new AttachRolePolicyCommand({
        RoleName: 'developer',
        PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      }),
    );
    roleArn = await createLambdaExecRole(admin);
    const setup = await createSigningSetup(admin, `artifacts-${memberId}`, 'ci_release');
    bucket = setup.bucket;
    signedKey = (await signPackage(admin, bucket, 'app.zip', pkg, 'ci_release')).key;
    const csc = await admin.lambda.send(
      new CreateCodeSigningConfigCommand({
        AllowedPublishers: { SigningProfileVersionArns: [setup.profileVersionArn] },
        CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
      }),
    );
    cscArn = csc.CodeSigningConfig!.CodeSigningConfigArn!;
    const [doc] = buildScps({ allowedCscs: [cscArn], adminRoles: [DEFAULT_ADMIN_ROLE] });
    const policy = await mgmt.organizations.send(
      new CreatePolicyCommand({
        Name: 'signet-guardrails',
        Description: 'signet guardrails scp',
        Type: 'SERVICE_CONTROL_POLICY',
        Content: JSON.stringify(doc),
      }),
    );
    const root = (await mgmt.organizations.send(new ListRootsCommand({}))).Roots![0]!.Id!;
    await mgmt.organizations.send(
      new AttachPolicyCommand({ PolicyId: policy.Policy!.PolicySummary!.Id!, TargetId: root }),
    );
    developer = await mgmt.assume(`arn:aws:iam::${memberId}:role/developer`, 'dev');
  }, 60_000);

  afterAll(async () => {
    for (const c of [mgmt, admin, developer]) c?.destroy();
    await t?.close();
  });

  const create = (clients: SeedClients, name: string, csc?: string, signed = true) =>
    clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: roleArn,
        Code: signed ? { S3Bucket: bucket, S3Key: signedKey } : { ZipFile: pkg },
        ...(csc ? { CodeSigningConfigArn: csc } : {}),
      }),
    );

  it('blocks CreateFunction without a CSC, even for a principal whose identity policy allows everything', async () => {
    await expect(create(developer, 'no-csc', undefined, false)).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringMatching(/explicit deny in a service control policy/),
    });
    await expect(create(admin, 'no-csc-admin', undefined, false)).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });

  it('blocks CreateFunction naming a CSC outside the allowed list', async () => {
    const other = await admin.lambda.send(
      new CreateCodeSigningConfigCommand({
        AllowedPublishers: {
          SigningProfileVersionArns: [
            `arn:aws:signer:us-east-1:${memberId}:/signing-profiles/ci_release/Abcdef1234`,
          ],
        },
      }),
    );
    await expect(
      create(developer, 'other-csc', other.CodeSigningConfig!.CodeSigningConfigArn!),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });

  it('allows a compliant CreateFunction: signed package, allowed Enforce CSC', async () => {
    const out = await create(developer, 'compliant', cscArn);
    expect(out.FunctionName).toBe('compliant');
  });

  it('keeps CSC changes to the admin role', async () => {
    await expect(
      developer.lambda.send(new DeleteFunctionCodeSigningConfigCommand({ FunctionName: 'compliant' })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(
      developer.lambda.send(
        new UpdateCodeSigningConfigCommand({
          CodeSigningConfigArn: cscArn,
          CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Warn' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const updated = await admin.lambda.send(
      new UpdateCodeSigningConfigCommand({ CodeSigningConfigArn: cscArn, Description: 'admin may' }),
    );
    expect(updated.CodeSigningConfig?.Description).toBe('admin may');
  });

  it('does not restrict the management account', async () => {
    const mgmtRole = await createLambdaExecRole(mgmt);
    const out = await mgmt.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'mgmt-no-csc',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: mgmtRole,
        Code: { ZipFile: pkg },
      }),
    );
    expect(out.FunctionName).toBe('mgmt-no-csc');
  });
});
