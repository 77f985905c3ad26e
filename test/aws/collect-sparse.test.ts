// Responses that leave out members the API models mark optional (AWS may omit a default or an empty list):
// the collectors must take AWS's documented default, invent nothing and never fail open. A proxy in front
// of the sandbox removes those members from the real responses; the unmodified SDK reads them.
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AttachUserPolicyCommand, CreatePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateCodeSigningConfigCommand,
  CreateFunctionCommand,
  PublishLayerVersionCommand,
} from '@aws-sdk/client-lambda';
import { CreateOrganizationCommand } from '@aws-sdk/client-organizations';
import {
  AddProfilePermissionCommand,
  PutSigningProfileCommand,
  RevokeSignatureCommand,
} from '@aws-sdk/client-signer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../src/aws/collect/scan.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import {
  createLambdaExecRole,
  createSigningSetup,
  SeedClients,
  signPackage,
} from '../../src/sandbox/seeds/clients.js';
import { createZip } from '../../src/sandbox/zip.js';
import { ACCOUNT, createUserWithKey, policyDocument } from '../helpers/principals.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/** JSON members removed wherever they appear (all optional in the API models). */
const DROPPED_JSON = new Set([
  'CodeSigningPolicies',
  'AllowedPublishers',
  'Description',
  'PackageType',
  'Runtime',
  'Layers',
  'jobOwner',
  'isRevoked',
  'statementId',
  'principal',
  'action',
  'signatureValidityPeriod',
  'MasterAccountId',
  'Content',
  'Value',
]);
/** IAM (XML) list members removed from GetAccountAuthorizationDetails. */
const DROPPED_XML = [
  'GroupList',
  'AttachedManagedPolicies',
  'UserPolicyList',
  'GroupPolicyList',
  'RolePolicyList',
  'PolicyVersionList',
];

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!DROPPED_JSON.has(k)) out[k] = strip(v);
    // A profile status this version of Signet does not know (AWS may add one).
    if (out.profileName === 'future' && 'status' in out) out.status = 'Suspended';
    return out;
  }
  return value;
}

function rewrite(body: Buffer, contentType: string): Buffer {
  const text = body.toString('utf8');
  if (contentType.includes('xml')) {
    if (!text.includes('GetAccountAuthorizationDetailsResult')) return body;
    let out = text;
    for (const tag of DROPPED_XML)
      out = out.replace(new RegExp(`<${tag}>[\\s\\S]*?</${tag}>|<${tag}/>`, 'g'), '');
    return Buffer.from(out);
  }
  if (!contentType.includes('json') || text === '') return body;
  return Buffer.from(JSON.stringify(strip(JSON.parse(text))));
}

let t: TestSandbox;
let proxy: Server;
let proxyEndpoint: string;
let revokedJob: string;

beforeAll(async () => {
  t = await startTestSandbox();
  const seed = new SeedClients(t.endpoint, { ...BOOTSTRAP_CREDENTIALS }, 'us-east-1');
  try {
    await t.clients.organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const role = await createLambdaExecRole(seed);
    const { profileVersionArn } = await createSigningSetup(seed, 'artifacts', 'release');
    await seed.signer.send(
      new PutSigningProfileCommand({ profileName: 'future', platformId: 'AWSLambda-SHA384-ECDSA' }),
    );
    await seed.signer.send(
      new AddProfilePermissionCommand({
        profileName: 'release',
        action: 'signer:StartSigningJob',
        principal: '999999999999',
        statementId: 'contractor',
      }),
    );
    const csc = await seed.lambda.send(
      new CreateCodeSigningConfigCommand({
        Description: 'enforce',
        AllowedPublishers: { SigningProfileVersionArns: [profileVersionArn] },
        CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Warn' },
      }),
    );
    const signed = await signPackage(
      seed,
      'artifacts',
      'fn.zip',
      createZip([{ name: 'index.js', data: 'exports.handler = async () => 1;' }]),
      'release',
    );
    revokedJob = signed.jobId;
    const layer = await seed.lambda.send(
      new PublishLayerVersionCommand({
        LayerName: 'agent',
        Content: { ZipFile: createZip([{ name: 'nodejs/a.js', data: '1' }]) },
      }),
    );
    await seed.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'fn',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: role,
        Code: { S3Bucket: 'artifacts', S3Key: signed.key },
        CodeSigningConfigArn: csc.CodeSigningConfig!.CodeSigningConfigArn!,
        Layers: [layer.LayerVersionArn!],
        Tags: { env: 'prod' },
      }),
    );
    await seed.signer.send(new RevokeSignatureCommand({ jobId: revokedJob, reason: 'bad build' }));
    await createUserWithKey(t.clients, 'dev', [{ Effect: 'Allow', Action: 'lambda:*', Resource: '*' }]);
    const policy = await t.clients.iam.send(
      new CreatePolicyCommand({
        PolicyName: 'deploy',
        PolicyDocument: policyDocument([
          { Effect: 'Allow', Action: 'lambda:UpdateFunctionCode', Resource: '*' },
        ]),
      }),
    );
    await t.clients.iam.send(
      new AttachUserPolicyCommand({ UserName: 'dev', PolicyArn: policy.Policy!.Arn! }),
    );
  } finally {
    seed.destroy();
  }

  const target = new URL(t.endpoint);
  proxy = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (upstream) => {
          const body: Buffer[] = [];
          upstream.on('data', (c: Buffer) => body.push(c));
          upstream.on('end', () => {
            const out = rewrite(Buffer.concat(body), String(upstream.headers['content-type'] ?? ''));
            res.writeHead(upstream.statusCode ?? 502, {
              ...upstream.headers,
              'content-length': String(out.length),
            });
            res.end(out);
          });
        },
      );
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyEndpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  await t?.close();
});

const scan = (): Promise<Snapshot> =>
  collectSnapshot({
    endpoint: proxyEndpoint,
    credentials: { ...BOOTSTRAP_CREDENTIALS },
    homeRegion: 'us-east-1',
    regions: ['us-east-1'],
    rateScale: 50,
  });

describe('sparse responses', () => {
  it('a CSC without its policy or publishers is AWS’s default (Warn) with no publisher invented', async () => {
    const s = await scan();
    expect(s.collectionErrors).toEqual([]);
    expect(s.codeSigningConfigs).toHaveLength(1);
    expect(s.codeSigningConfigs[0]).toMatchObject({
      policy: 'Warn',
      policySource: 'default',
      allowedPublishers: [],
    });
    expect(s.codeSigningConfigs[0]!.description).toBeUndefined();
  });

  it('a function without package type, runtime or layers is a Zip function with no layer', async () => {
    const s = await scan();
    expect(s.functions).toHaveLength(1);
    expect(s.functions[0]).toMatchObject({ name: 'fn', packageType: 'Zip', layers: [] });
    expect(s.functions[0]!.runtime).toBeUndefined();
    expect(s.layerVersions).toEqual([]);
  });

  it('a profile status Signet does not know is Unknown (never trusted), and permissions keep their rows', async () => {
    const s = await scan();
    const future = s.signingProfiles.find((p) => p.name === 'future')!;
    expect(future.status).toBe('Unknown');
    expect(future.signatureValidity).toBeUndefined();
    expect(future.permissions).toBeUndefined();
    const release = s.signingProfiles.find((p) => p.name === 'release')!;
    expect(release.permissions).toEqual([{ statementId: '', principal: '', action: '' }]);
  });

  it('a job listed as revoked stays revoked without its isRevoked flag, and belongs to the scanned account', async () => {
    const s = await scan();
    expect(s.signingJobs).toEqual([
      expect.objectContaining({
        jobId: revokedJob,
        accountId: ACCOUNT,
        jobArn: `arn:aws:signer:us-east-1:${ACCOUNT}:/signing-jobs/${revokedJob}`,
        isRevoked: true,
      }),
    ]);
  });

  it('a tag without a value is an empty value', async () => {
    const s = await scan();
    expect(s.functions[0]!.tags).toEqual({ env: '' });
  });

  it('IAM entries without lists have empty lists; a policy without versions an empty document', async () => {
    const s = await scan();
    const iam = s.governance!.iam[0]!;
    const dev = iam.users.find((u) => u.name === 'dev')!;
    expect(dev).toEqual({
      arn: `arn:aws:iam::${ACCOUNT}:user/dev`,
      name: 'dev',
      groups: [],
      attachedPolicies: [],
      inlinePolicies: [],
    });
    expect(iam.roles.every((r) => r.attachedPolicies.length === 0 && r.inlinePolicies.length === 0)).toBe(
      true,
    );
    expect(iam.policies.find((p) => p.name === 'deploy')!.document).toBe('{}');
  });

  it('an organisation without its management account or policy content reads as empty, not invented', async () => {
    const s = await scan();
    const org = s.governance!.organization!;
    expect(org.managementAccountId).toBe('');
    expect(org.policies.map((p) => [p.name, p.content])).toEqual([['FullAWSAccess', '{}']]);
  });
});
