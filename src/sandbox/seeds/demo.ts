// The `demo` organisation: 3 accounts, 2-3 regions each, ~40 functions, built through the public API
// with every situation Signet's audit must recognise. What a correct scan finds is data, kept with the
// tests and out of the published build: test/e2e/demo-expectations.json.
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateAliasCommand,
  CreateCodeSigningConfigCommand,
  CreateFunctionCommand,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  PutFunctionCodeSigningConfigCommand,
  UpdateCodeSigningConfigCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  ListRootsCommand,
} from '@aws-sdk/client-organizations';
import {
  AddProfilePermissionCommand,
  CancelSigningProfileCommand,
  GetSigningProfileCommand,
  PutSigningProfileCommand,
  RevokeSignatureCommand,
  RevokeSigningProfileCommand,
} from '@aws-sdk/client-signer';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createZip } from '../zip.js';
import { createLambdaExecRole, createSigningSetup, SeedClients, setClock, signPackage } from './clients.js';
import type { Seed } from './index.js';

/** The accounts of the demo organisation. */
type DemoAccount = 'management' | 'prod' | 'dev';

const DAY = 24 * 60 * 60 * 1000;
const RUNTIME = 'nodejs22.x';
/** A signer profile version ARN in an account nobody scans or trusts. */
export const FOREIGN_PROFILE_VERSION_ARN =
  'arn:aws:signer:us-east-1:222222222222:/signing-profiles/vendor_release/Abc123XyZ9';

function pkg(name: string, revision = 1): Buffer {
  return createZip([
    {
      name: 'index.mjs',
      data: `export const handler = async () => ({ fn: '${name}', revision: ${revision} });\n`,
    },
  ]);
}

function layerPkg(name: string): Buffer {
  return createZip([{ name: `nodejs/node_modules/${name}/index.js`, data: `module.exports = '${name}';\n` }]);
}

const TRUST_MANAGEMENT = (managementAccount: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${managementAccount}:root` },
        Action: 'sts:AssumeRole',
      },
    ],
  });

interface AccountKit {
  key: DemoAccount;
  accountId: string;
  admin: SeedClients;
  signer: SeedClients;
  deployer: SeedClients;
  human: SeedClients;
  bucket: string;
  profileVersionArn: string;
  /** Role sessions expire when the seed moves the clock: assume the roles again. */
  refresh(): Promise<AccountKit>;
}

/** The demo's CI/CD pipeline principals (signet demo uses them when no config file is given). */
export const DEMO_PIPELINE = {
  deployers: ['arn:aws:iam::*:role/ci-deployer'],
  signers: ['arn:aws:iam::*:role/ci-signer'],
  admins: ['arn:aws:iam::*:role/OrganizationAccountAccessRole', 'arn:aws:iam::*:user/admin'],
};

/** The pipeline role pair: each can do its half only (separation of duties). */
const PIPELINE_POLICIES = {
  'ci-signer': [
    'signer:StartSigningJob',
    'signer:DescribeSigningJob',
    'signer:GetSigningProfile',
    's3:PutObject',
    's3:GetObject',
    's3:GetObjectVersion',
  ],
  'ci-deployer': ['lambda:*', 'iam:PassRole', 's3:GetObject', 's3:GetObjectVersion'],
} as const;

async function setUpAccount(
  mgmt: SeedClients,
  key: AccountKit['key'],
  accountId: string,
  region: string,
  adminRole: string | undefined,
  log: (m: string) => void,
): Promise<AccountKit> {
  const admin = adminRole
    ? await mgmt.assume(`arn:aws:iam::${accountId}:role/${adminRole}`, 'signet-demo-seed', region)
    : mgmt.inRegion(region);
  const managementAccount = (await mgmt.sts.send(new GetCallerIdentityCommand({}))).Account!;
  for (const [roleName, actions] of Object.entries(PIPELINE_POLICIES)) {
    await admin.iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: TRUST_MANAGEMENT(managementAccount),
      }),
    );
    await admin.iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: 'pipeline',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
        }),
      }),
    );
  }
  await createLambdaExecRole(admin);
  await admin.iam.send(new CreateUserCommand({ UserName: 'alice' }));
  await admin.iam.send(
    new AttachUserPolicyCommand({
      UserName: 'alice',
      PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    }),
  );
  const key1 = await admin.iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
  const human = new SeedClients(
    mgmt.endpoint,
    { accessKeyId: key1.AccessKey!.AccessKeyId!, secretAccessKey: key1.AccessKey!.SecretAccessKey! },
    region,
  );
  const signer = await mgmt.assume(`arn:aws:iam::${accountId}:role/ci-signer`, 'pipeline-sign', region);
  const deployer = await mgmt.assume(`arn:aws:iam::${accountId}:role/ci-deployer`, 'pipeline-deploy', region);
  const { bucket, profileVersionArn } = await createSigningSetup(
    admin,
    `signet-demo-artifacts-${accountId}-${region}`,
    'ci_release',
    { owner: 'platform' },
  );
  log(`${key} account ${accountId} ${region}: roles, bucket and signing profile ready`);
  const kit: AccountKit = {
    key,
    accountId,
    admin,
    signer,
    deployer,
    human,
    bucket,
    profileVersionArn,
    refresh: async () => sessionsFor(mgmt, kit, adminRole, region),
  };
  return kit;
}

async function sessionsFor(
  mgmt: SeedClients,
  kit: AccountKit,
  adminRole: string | undefined,
  region: string,
): Promise<AccountKit> {
  const { accountId } = kit;
  const refreshed: AccountKit = {
    ...kit,
    admin: adminRole
      ? await mgmt.assume(`arn:aws:iam::${accountId}:role/${adminRole}`, 'signet-demo-seed', region)
      : mgmt.inRegion(region),
    signer: await mgmt.assume(`arn:aws:iam::${accountId}:role/ci-signer`, 'pipeline-sign', region),
    deployer: await mgmt.assume(`arn:aws:iam::${accountId}:role/ci-deployer`, 'pipeline-deploy', region),
    refresh: async () => sessionsFor(mgmt, refreshed, adminRole, region),
  };
  return refreshed;
}

async function createCsc(
  kit: AccountKit,
  description: string,
  policy: 'Warn' | 'Enforce',
  publishers: string[],
): Promise<string> {
  const out = await kit.admin.lambda.send(
    new CreateCodeSigningConfigCommand({
      Description: description,
      AllowedPublishers: { SigningProfileVersionArns: publishers },
      CodeSigningPolicies: { UntrustedArtifactOnDeployment: policy },
    }),
  );
  return out.CodeSigningConfig!.CodeSigningConfigArn!;
}

interface FunctionSpec {
  name: string;
  tags: Record<string, string>;
  csc?: string;
  signed?: boolean;
  layers?: string[];
  by?: 'deployer' | 'human';
  profile?: string;
}

async function deploy(kit: AccountKit, spec: FunctionSpec): Promise<string | undefined> {
  const client = spec.by === 'human' ? kit.human : kit.deployer;
  let code: { ZipFile: Buffer } | { S3Bucket: string; S3Key: string };
  let jobId: string | undefined;
  if (spec.signed) {
    const signed = await signPackage(
      kit.signer,
      kit.bucket,
      `src/${spec.name}.zip`,
      pkg(spec.name),
      spec.profile ?? 'ci_release',
    );
    code = { S3Bucket: kit.bucket, S3Key: signed.key };
    jobId = signed.jobId;
  } else {
    code = { ZipFile: pkg(spec.name) };
  }
  await client.lambda.send(
    new CreateFunctionCommand({
      FunctionName: spec.name,
      Runtime: RUNTIME,
      Handler: 'index.handler',
      Role: `arn:aws:iam::${kit.accountId}:role/lambda-exec`,
      Code: code,
      Tags: spec.tags,
      ...(spec.csc ? { CodeSigningConfigArn: spec.csc } : {}),
      ...(spec.layers ? { Layers: spec.layers } : {}),
    }),
  );
  return jobId;
}

async function publishLayer(kit: AccountKit, name: string, profile?: string): Promise<string> {
  const content = profile
    ? {
        S3Bucket: kit.bucket,
        S3Key: (await signPackage(kit.signer, kit.bucket, `layers/${name}.zip`, layerPkg(name), profile)).key,
      }
    : { ZipFile: layerPkg(name) };
  const out = await kit.deployer.lambda.send(
    new PublishLayerVersionCommand({ LayerName: name, Content: content, CompatibleRuntimes: [RUNTIME] }),
  );
  return out.LayerVersionArn!;
}

export const demoSeed: Seed = async ({ endpoint, credentials, log }) => {
  const mgmt = new SeedClients(endpoint, credentials, 'us-east-1');
  const opened: SeedClients[] = [mgmt];
  try {
    // History starts 30 days ago: old deployments, a 1-day signature that has since expired.
    await setClock(endpoint, -30 * DAY);
    await mgmt.organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const accounts: Record<string, string> = {};
    for (const [key, name] of [
      ['prod', 'workloads-prod'],
      ['dev', 'workloads-dev'],
    ] as const) {
      const created = await mgmt.organizations.send(
        new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }),
      );
      accounts[key] = created.CreateAccountStatus!.AccountId!;
    }
    const roots = await mgmt.organizations.send(new ListRootsCommand({}));
    const scp = await mgmt.organizations.send(
      new CreatePolicyCommand({
        Name: 'require-code-signing-config',
        Description: 'Deny CreateFunction without a code signing configuration',
        Type: 'SERVICE_CONTROL_POLICY',
        Content: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Action: 'lambda:CreateFunction',
              Resource: '*',
              Condition: { Null: { 'lambda:CodeSigningConfigArn': 'true' } },
            },
          ],
        }),
      }),
    );
    log(`organization ${roots.Roots?.[0]?.Id ?? ''}: accounts prod=${accounts.prod} dev=${accounts.dev}`);

    const managementId = '111111111111';
    let prod = await setUpAccount(
      mgmt,
      'prod',
      accounts.prod!,
      'us-east-1',
      'OrganizationAccountAccessRole',
      log,
    );
    let prodEu = await setUpAccountRegion(prod, 'eu-west-1');
    let dev = await setUpAccount(
      mgmt,
      'dev',
      accounts.dev!,
      'us-east-1',
      'OrganizationAccountAccessRole',
      log,
    );
    let devWest = await setUpAccountRegion(dev, 'us-west-2');
    let management = await setUpAccount(mgmt, 'management', managementId, 'us-east-1', undefined, log);
    opened.push(
      ...[prod, prodEu, dev, devWest, management].flatMap((k) => [k.admin, k.signer, k.deployer, k.human]),
    );

    // -- 30 days ago -------------------------------------------------------------------------------
    await dev.admin.signer.send(
      new PutSigningProfileCommand({
        profileName: 'legacy_release',
        platformId: 'AWSLambda-SHA384-ECDSA',
        signatureValidityPeriod: { value: 6, type: 'MONTHS' },
      }),
    );
    await dev.admin.signer.send(
      new PutSigningProfileCommand({
        profileName: 'old_team',
        platformId: 'AWSLambda-SHA384-ECDSA',
        signatureValidityPeriod: { value: 6, type: 'MONTHS' },
      }),
    );
    const legacyArn = (
      await dev.admin.signer.send(new GetSigningProfileCommand({ profileName: 'legacy_release' }))
    ).profileVersionArn!;
    const oldTeamArn = (
      await dev.admin.signer.send(new GetSigningProfileCommand({ profileName: 'old_team' }))
    ).profileVersionArn!;
    await prod.admin.signer.send(
      new PutSigningProfileCommand({
        profileName: 'short_lived',
        platformId: 'AWSLambda-SHA384-ECDSA',
        signatureValidityPeriod: { value: 1, type: 'DAYS' },
      }),
    );
    const shortArn = (
      await prod.admin.signer.send(new GetSigningProfileCommand({ profileName: 'short_lived' }))
    ).profileVersionArn!;

    const prodEnforce = await createCsc(prod, 'prod enforce', 'Enforce', [prod.profileVersionArn, shortArn]);
    const prodWarn = await createCsc(prod, 'prod warn', 'Warn', [prod.profileVersionArn]);
    const prodTags = (team: string) => ({ env: 'prod', team, 'data-classification': 'confidential' });

    // Deployed unsigned long before anyone attached a CSC.
    await deploy(prod, { name: 'legacy-batch', tags: prodTags('batch'), by: 'human' });
    await deploy(prod, {
      name: 'audit-forwarder',
      tags: prodTags('security'),
      layers: [await publishLayer(prod, 'third-party-agent')],
    });
    // checkout v1: unsigned, published, alias "live" still points at it.
    await deploy(prod, { name: 'checkout', tags: prodTags('shop'), by: 'human' });
    await prod.human.lambda.send(new PublishVersionCommand({ FunctionName: 'checkout' }));
    await prod.human.lambda.send(
      new CreateAliasCommand({ FunctionName: 'checkout', Name: 'live', FunctionVersion: '1' }),
    );
    // A signature valid for one day, 30 days ago.
    await deploy(prod, {
      name: 'session-cleaner',
      tags: prodTags('platform'),
      csc: prodEnforce,
      signed: true,
      profile: 'short_lived',
    });
    // Signed by legacy_release, which is revoked later with an effective time before this signature.
    const devStale = await createCsc(dev, 'stale publishers', 'Enforce', [legacyArn, oldTeamArn]);
    await deploy(dev, {
      name: 'inventory',
      tags: { env: 'dev', team: 'shop' },
      csc: devStale,
      signed: true,
      profile: 'legacy_release',
    });

    // -- now -------------------------------------------------------------------------------------------
    await setClock(endpoint, 0);
    [prod, prodEu, dev, devWest, management] = await Promise.all([
      prod.refresh(),
      prodEu.refresh(),
      dev.refresh(),
      devWest.refresh(),
      management.refresh(),
    ]);
    opened.push(...[prod, prodEu, dev, devWest, management].flatMap((k) => [k.admin, k.signer, k.deployer]));
    await dev.admin.signer.send(
      new RevokeSigningProfileCommand({
        profileName: 'legacy_release',
        profileVersion: legacyArn.split('/').pop()!,
        reason: 'key handling incident INC-4711',
        effectiveTime: new Date(Date.now() - 40 * DAY),
      }),
    );
    await dev.admin.signer.send(new CancelSigningProfileCommand({ profileName: 'old_team' }));
    await prod.admin.signer.send(
      new AddProfilePermissionCommand({
        profileName: 'ci_release',
        action: 'signer:StartSigningJob',
        principal: '999999999999',
        statementId: 'contractor-signing',
      }),
    );

    await deploy(prod, { name: 'payments-api', tags: prodTags('payments'), csc: prodEnforce, signed: true });
    await deploy(prod, { name: 'reports-export', tags: prodTags('finance'), by: 'human' });
    await deploy(prod, { name: 'billing-sync', tags: prodTags('finance'), csc: prodWarn, signed: true });
    await deploy(prod, { name: 'notifications', tags: prodTags('comms'), csc: prodWarn, by: 'human' });
    // CSC attached after the unsigned deployments: the code keeps running unverified.
    for (const name of ['legacy-batch', 'audit-forwarder']) {
      await prod.admin.lambda.send(
        new PutFunctionCodeSigningConfigCommand({ FunctionName: name, CodeSigningConfigArn: prodEnforce }),
      );
    }
    await prod.admin.lambda.send(
      new PutFunctionCodeSigningConfigCommand({
        FunctionName: 'checkout',
        CodeSigningConfigArn: prodEnforce,
      }),
    );
    const signedCheckout = await signPackage(
      prod.signer,
      prod.bucket,
      'src/checkout-v2.zip',
      pkg('checkout', 2),
      'ci_release',
    );
    await prod.deployer.lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: 'checkout',
        S3Bucket: prod.bucket,
        S3Key: signedCheckout.key,
      }),
    );
    await prod.deployer.lambda.send(new PublishVersionCommand({ FunctionName: 'checkout' }));
    await prod.deployer.lambda.send(
      new CreateAliasCommand({ FunctionName: 'checkout', Name: 'canary', FunctionVersion: '2' }),
    );

    const signedLayer = await publishLayer(prod, 'shared-utils', 'ci_release');
    await deploy(prod, {
      name: 'orders-worker',
      tags: prodTags('shop'),
      csc: prodEnforce,
      signed: true,
      layers: [signedLayer],
    });
    // A layer signed by a profile this function's CSC does not allow, let through by Warn.
    await prod.admin.signer.send(
      new PutSigningProfileCommand({
        profileName: 'team_sandbox',
        platformId: 'AWSLambda-SHA384-ECDSA',
        signatureValidityPeriod: { value: 3, type: 'MONTHS' },
      }),
    );
    const untrustedLayer = await publishLayer(prod, 'search-plugins', 'team_sandbox');
    await deploy(prod, { name: 'search-indexer', tags: prodTags('shop'), csc: prodWarn, signed: true });
    await prod.deployer.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'search-indexer', Layers: [untrustedLayer] }),
    );
    // Signed, deployed, then the signature was revoked.
    const revokedJob = await deploy(prod, {
      name: 'profile-service',
      tags: prodTags('identity'),
      csc: prodEnforce,
      signed: true,
    });
    await prod.admin.signer.send(
      new RevokeSignatureCommand({ jobId: revokedJob!, reason: 'build host compromised' }),
    );
    // Container image: code signing does not apply.
    await prod.deployer.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'image-resizer',
        PackageType: 'Image',
        Code: { ImageUri: `${prod.accountId}.dkr.ecr.us-east-1.amazonaws.com/image-resizer:1.4.2` },
        Role: `arn:aws:iam::${prod.accountId}:role/lambda-exec`,
        Tags: prodTags('media'),
      }),
    );
    // Healthy fleet in prod (us-east-1 and eu-west-1).
    for (let i = 1; i <= 8; i++)
      await deploy(prod, {
        name: `catalog-svc-${i}`,
        tags: prodTags('shop'),
        csc: prodEnforce,
        signed: true,
      });
    const euEnforce = await createCsc(prodEu, 'prod eu enforce', 'Enforce', [prodEu.profileVersionArn]);
    for (let i = 1; i <= 5; i++)
      await deploy(prodEu, { name: `eu-orders-${i}`, tags: prodTags('shop'), csc: euEnforce, signed: true });
    await deploy(prodEu, { name: 'eu-gdpr-export', tags: prodTags('legal') });

    // dev: looser
    const devEnforce = await createCsc(dev, 'dev enforce', 'Enforce', [dev.profileVersionArn]);
    const devVendor = await createCsc(dev, 'vendor publisher', 'Warn', [
      dev.profileVersionArn,
      FOREIGN_PROFILE_VERSION_ARN,
    ]);
    await deploy(dev, { name: 'dev-playground', tags: { env: 'dev', team: 'platform' }, by: 'human' });
    await deploy(dev, { name: 'dev-api', tags: { env: 'dev', team: 'shop' }, csc: devEnforce, signed: true });
    await deploy(dev, {
      name: 'dev-vendor-sync',
      tags: { env: 'dev', team: 'integrations' },
      csc: devVendor,
      signed: true,
    });
    for (let i = 1; i <= 4; i++)
      await deploy(dev, {
        name: `dev-tool-${i}`,
        tags: { env: 'dev', team: 'platform' },
        by: i % 2 ? 'human' : 'deployer',
      });
    for (let i = 1; i <= 4; i++)
      await deploy(devWest, { name: `west-exp-${i}`, tags: { env: 'dev', team: 'research' }, by: 'human' });

    // governance (SGN-010..013): a role that can both sign and deploy, a manual signing by a human, and a
    // CSC downgraded Enforce → Warn by a human and set back by an admin.
    await prod.admin.iam.send(
      new CreateRoleCommand({
        RoleName: 'release-bot',
        AssumeRolePolicyDocument: TRUST_MANAGEMENT(managementId),
      }),
    );
    await prod.admin.iam.send(
      new PutRolePolicyCommand({
        RoleName: 'release-bot',
        PolicyName: 'sign-and-ship',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Sid: 'Sign', Effect: 'Allow', Action: 'signer:StartSigningJob', Resource: '*' },
            { Sid: 'Ship', Effect: 'Allow', Action: 'lambda:UpdateFunctionCode', Resource: '*' },
          ],
        }),
      }),
    );
    await signPackage(prod.human, prod.bucket, 'src/hotfix.zip', pkg('hotfix'), 'ci_release');
    await prod.human.lambda.send(
      new UpdateCodeSigningConfigCommand({
        CodeSigningConfigArn: prodEnforce,
        CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Warn' },
      }),
    );
    await prod.admin.lambda.send(
      new UpdateCodeSigningConfigCommand({
        CodeSigningConfigArn: prodEnforce,
        CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
      }),
    );

    // management: one well-run function
    const mgmtEnforce = await createCsc(management, 'management enforce', 'Enforce', [
      management.profileVersionArn,
    ]);
    await deploy(management, {
      name: 'org-audit',
      tags: { env: 'prod', team: 'security' },
      csc: mgmtEnforce,
      signed: true,
    });

    // Attached to the prod account last: the sandbox evaluates SCPs, and the demo's history includes
    // functions deployed without a CSC before the guardrail existed.
    await mgmt.organizations.send(
      new AttachPolicyCommand({ PolicyId: scp.Policy!.PolicySummary!.Id!, TargetId: accounts.prod! }),
    );
    return {
      summary: `demo organisation seeded: accounts management=${managementId} prod=${accounts.prod} dev=${accounts.dev}`,
    };
  } finally {
    for (const client of opened) client.destroy();
  }
};

async function setUpAccountRegion(kit: AccountKit, region: string): Promise<AccountKit> {
  const admin = kit.admin.inRegion(region);
  const { bucket, profileVersionArn } = await createSigningSetup(
    admin,
    `signet-demo-artifacts-${kit.accountId}-${region}`,
    'ci_release',
  );
  const regional: AccountKit = {
    ...kit,
    admin,
    signer: kit.signer.inRegion(region),
    deployer: kit.deployer.inRegion(region),
    human: kit.human.inRegion(region),
    bucket,
    profileVersionArn,
    refresh: async () => {
      const fresh = await kit.refresh();
      return {
        ...regional,
        admin: fresh.admin.inRegion(region),
        signer: fresh.signer.inRegion(region),
        deployer: fresh.deployer.inRegion(region),
      };
    },
  };
  return regional;
}
