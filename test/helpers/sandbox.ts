// Test helper: a sandbox on a random loopback port and real AWS SDK v3 clients pointed at it.
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { S3Client } from '@aws-sdk/client-s3';
import { SignerClient } from '@aws-sdk/client-signer';
import { STSClient } from '@aws-sdk/client-sts';
import {
  BOOTSTRAP_CREDENTIALS,
  createSandbox,
  type Sandbox,
  type SandboxOptions,
} from '../../src/sandbox/index.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface ClientSet {
  lambda: LambdaClient;
  signer: SignerClient;
  s3: S3Client;
  sts: STSClient;
  iam: IAMClient;
  organizations: OrganizationsClient;
  tagging: ResourceGroupsTaggingAPIClient;
  cloudtrail: CloudTrailClient;
}

export function clientsFor(
  endpoint: string,
  credentials: Credentials = BOOTSTRAP_CREDENTIALS,
  region = 'us-east-1',
): ClientSet {
  const common = { endpoint, region, credentials, maxAttempts: 3 };
  return {
    lambda: new LambdaClient(common),
    // GetRevocationStatus carries a host prefix the SDK would prepend to a custom endpoint.
    signer: new SignerClient({ ...common, disableHostPrefix: true }),
    s3: new S3Client({ ...common, forcePathStyle: true }),
    sts: new STSClient(common),
    iam: new IAMClient(common),
    organizations: new OrganizationsClient(common),
    tagging: new ResourceGroupsTaggingAPIClient(common),
    cloudtrail: new CloudTrailClient(common),
  };
}

export interface TestSandbox {
  sandbox: Sandbox;
  endpoint: string;
  clients: ClientSet;
  close(): Promise<void>;
}

/** Starts a sandbox with quotas off unless the options turn them on. */
export async function startTestSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  const sandbox = createSandbox({ quotas: { enabled: false }, ...options });
  const endpoint = await sandbox.listen();
  const clients = clientsFor(endpoint);
  return {
    sandbox,
    endpoint,
    clients,
    close: async () => {
      for (const client of Object.values(clients)) client.destroy();
      await sandbox.close();
    },
  };
}
