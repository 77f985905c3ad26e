// SDK clients for seeds. Seeds are sandbox clients like any other, so (unlike the rest of
// src/sandbox/) they import the AWS SDK.
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  DescribeSigningJobCommand,
  PutSigningProfileCommand,
  SignerClient,
  StartSigningJobCommand,
  waitUntilSuccessfulSigningJob,
} from '@aws-sdk/client-signer';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

export interface SeedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export class SeedClients {
  readonly lambda: LambdaClient;
  readonly signer: SignerClient;
  readonly s3: S3Client;
  readonly sts: STSClient;
  readonly iam: IAMClient;
  readonly organizations: OrganizationsClient;

  constructor(
    readonly endpoint: string,
    readonly credentials: SeedCredentials,
    readonly region: string,
  ) {
    const common = { endpoint, region, credentials, maxAttempts: 10, retryMode: 'adaptive' };
    this.lambda = new LambdaClient(common);
    this.signer = new SignerClient({ ...common, disableHostPrefix: true });
    this.s3 = new S3Client({ ...common, forcePathStyle: true });
    this.sts = new STSClient(common);
    this.iam = new IAMClient(common);
    this.organizations = new OrganizationsClient(common);
  }

  inRegion(region: string): SeedClients {
    return new SeedClients(this.endpoint, this.credentials, region);
  }

  async assume(roleArn: string, sessionName: string, region = this.region): Promise<SeedClients> {
    const out = await this.sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }),
    );
    const c = out.Credentials!;
    return new SeedClients(
      this.endpoint,
      { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
      region,
    );
  }

  destroy(): void {
    for (const client of [this.lambda, this.signer, this.s3, this.sts, this.iam, this.organizations])
      client.destroy();
  }
}

/** Uploads a package to a versioned bucket, signs it with a profile, returns the signed object's key. */
export async function signPackage(
  clients: SeedClients,
  bucket: string,
  key: string,
  body: Buffer,
  profileName: string,
): Promise<{ key: string; jobId: string }> {
  const put = await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  const job = await clients.signer.send(
    new StartSigningJobCommand({
      source: { s3: { bucketName: bucket, key, version: put.VersionId! } },
      destination: { s3: { bucketName: bucket, prefix: 'signed/' } },
      profileName,
    }),
  );
  await waitUntilSuccessfulSigningJob(
    { client: clients.signer, minDelay: 1, maxDelay: 2, maxWaitTime: 60 },
    { jobId: job.jobId! },
  );
  const described = await clients.signer.send(new DescribeSigningJobCommand({ jobId: job.jobId! }));
  return { key: described.signedObject!.s3!.key!, jobId: job.jobId! };
}

export async function setClock(endpoint: string, offsetMs: number): Promise<void> {
  const res = await fetch(`${endpoint}/_sandbox/clock`, {
    method: 'POST',
    body: JSON.stringify({ offsetMs }),
  });
  if (!res.ok) throw new Error(`cannot set the sandbox clock: HTTP ${res.status}`);
}

/** Creates the `lambda-exec` execution role (trusting lambda.amazonaws.com) that seeded functions use. */
export async function createLambdaExecRole(clients: SeedClients): Promise<string> {
  const out = await clients.iam.send(
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
  return out.Role!.Arn!;
}

/** A versioned artifact bucket (signing sources must be versioned) and a Lambda signing profile in it region. */
export async function createSigningSetup(
  clients: SeedClients,
  bucket: string,
  profileName: string,
  tags?: Record<string, string>,
): Promise<{ bucket: string; profileVersionArn: string }> {
  const region = clients.region;
  await clients.s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      ...(region === 'us-east-1'
        ? {}
        : { CreateBucketConfiguration: { LocationConstraint: region as never } }),
    }),
  );
  await clients.s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  const profile = await clients.signer.send(
    new PutSigningProfileCommand({
      profileName,
      platformId: 'AWSLambda-SHA384-ECDSA',
      signatureValidityPeriod: { value: 12, type: 'MONTHS' },
      ...(tags ? { tags } : {}),
    }),
  );
  return { bucket, profileVersionArn: profile.profileVersionArn! };
}
