// Proof of enforcement for one Enforce CSC: a short-lived probe function bound to it, created from a
// package signed by an allowed publisher (positive control), then an unsigned UpdateFunctionCode that
// must fail with CodeVerificationFailedException; the probe is deleted whatever happens, and leftovers
// of interrupted runs are found by tag.
import { randomBytes } from 'node:crypto';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  type LambdaClient,
  UpdateFunctionCodeCommand,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import {
  paginateGetResources,
  type ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DescribeSigningJobCommand, type SignerClient, StartSigningJobCommand } from '@aws-sdk/client-signer';
import { singleFileZip } from '../../util/zip.js';
import { describeError as errorText } from '../errors.js';

export const PROBE_TAG = 'signet:probe';

export interface ProbeClients {
  lambda: LambdaClient;
  signer: SignerClient;
  s3: S3Client;
  tagging: ResourceGroupsTaggingAPIClient;
}

export interface ProbeInput {
  cscArn: string;
  /** Signing profile (name) in the CSC's account-region that the CSC allows. */
  profileName: string;
  /** Versioned artifact bucket in the CSC's account-region. */
  bucket: string;
  roleArn: string;
  /** Bounded wait for the signing job. */
  signTimeoutMs?: number;
}

export interface ProbeEvidence {
  cscArn: string;
  proven: boolean;
  /** What happened, in one line (the error when not proven). */
  detail: string;
  probeFunction?: string;
  startedAt: string;
  finishedAt: string;
  /** Request ids of the calls an auditor would look up in CloudTrail. */
  requestIds: Record<string, string>;
  cleanedUp: boolean;
}

function requestIdOf(value: unknown): string | undefined {
  return (value as { $metadata?: { requestId?: string } })?.$metadata?.requestId;
}

async function signProbePackage(
  clients: ProbeClients,
  input: ProbeInput,
  id: string,
  requestIds: Record<string, string>,
): Promise<{ bucket: string; key: string }> {
  const key = `signet-probe/${id}.zip`;
  const body = singleFileZip('index.mjs', `export const handler = async () => ({ probe: '${id}' });\n`);
  const put = await clients.s3.send(new PutObjectCommand({ Bucket: input.bucket, Key: key, Body: body }));
  if (!put.VersionId)
    throw new Error(
      `bucket ${input.bucket} is not versioned; Signer needs the object version (enable versioning)`,
    );
  const job = await clients.signer.send(
    new StartSigningJobCommand({
      source: { s3: { bucketName: input.bucket, key, version: put.VersionId } },
      destination: { s3: { bucketName: input.bucket, prefix: 'signet-probe/signed/' } },
      profileName: input.profileName,
    }),
  );
  requestIds.StartSigningJob = requestIdOf(job) ?? '';
  const deadline = Date.now() + (input.signTimeoutMs ?? 120_000);
  for (;;) {
    const described = await clients.signer.send(new DescribeSigningJobCommand({ jobId: job.jobId! }));
    if (described.status === 'Succeeded')
      return { bucket: input.bucket, key: described.signedObject!.s3!.key! };
    if (described.status === 'Failed')
      throw new Error(`signing job ${job.jobId} failed: ${described.statusReason ?? ''}`);
    if (Date.now() > deadline) throw new Error(`signing job ${job.jobId} did not finish in time`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

export async function probeCsc(clients: ProbeClients, input: ProbeInput): Promise<ProbeEvidence> {
  const startedAt = new Date().toISOString();
  const id = randomBytes(5).toString('hex');
  const name = `signet-probe-${id}`;
  const requestIds: Record<string, string> = {};
  let created = false;
  let proven = false;
  let detail: string;
  try {
    const signed = await signProbePackage(clients, input, id, requestIds);
    const create = await clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: input.roleArn,
        Code: { S3Bucket: signed.bucket, S3Key: signed.key },
        CodeSigningConfigArn: input.cscArn,
        Description: `Signet enforcement probe for ${input.cscArn}; safe to delete`,
        Tags: { [PROBE_TAG]: 'true', 'managed-by': 'signet' },
        Timeout: 3,
        MemorySize: 128,
      }),
    );
    created = true;
    requestIds.CreateFunction = requestIdOf(create) ?? '';
    await waitUntilFunctionActiveV2(
      { client: clients.lambda, maxWaitTime: 120, minDelay: 1, maxDelay: 5 },
      { FunctionName: name },
    );
    try {
      const update = await clients.lambda.send(
        new UpdateFunctionCodeCommand({
          FunctionName: name,
          ZipFile: singleFileZip('index.mjs', 'export const handler = async () => "unsigned";\n'),
        }),
      );
      requestIds.UpdateFunctionCode = requestIdOf(update) ?? '';
      detail = 'an unsigned UpdateFunctionCode was ACCEPTED: this CSC does not block unsigned code';
    } catch (err) {
      requestIds.UpdateFunctionCode = requestIdOf(err) ?? '';
      if ((err as { name?: string }).name === 'CodeVerificationFailedException') {
        proven = true;
        detail =
          'signed package accepted; unsigned UpdateFunctionCode refused with CodeVerificationFailedException';
      } else
        detail = `unsigned UpdateFunctionCode failed with ${errorText(err)}, not CodeVerificationFailedException`;
    }
  } catch (err) {
    detail = `probe could not run: ${errorText(err)}`;
  }
  let cleanedUp = !created;
  if (created) {
    try {
      const deleted = await clients.lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
      requestIds.DeleteFunction = requestIdOf(deleted) ?? '';
      cleanedUp = true;
    } catch (err) {
      detail += `; cleanup failed (${errorText(err)}): the next run deletes it by tag`;
    }
  }
  return {
    cscArn: input.cscArn,
    proven,
    detail,
    ...(created ? { probeFunction: name } : {}),
    startedAt,
    finishedAt: new Date().toISOString(),
    requestIds,
    cleanedUp,
  };
}

/** Deletes probe functions an interrupted run left behind (found by tag). */
export async function cleanupProbes(clients: ProbeClients): Promise<string[]> {
  const deleted: string[] = [];
  for await (const page of paginateGetResources(
    { client: clients.tagging },
    { TagFilters: [{ Key: PROBE_TAG, Values: ['true'] }], ResourceTypeFilters: ['lambda:function'] },
  )) {
    for (const r of page.ResourceTagMappingList ?? []) {
      const arn = r.ResourceARN!;
      if (!/:function:signet-probe-[0-9a-f]+$/.test(arn)) continue;
      try {
        await clients.lambda.send(new DeleteFunctionCommand({ FunctionName: arn }));
        deleted.push(arn);
      } catch (err) {
        if ((err as { name?: string }).name !== 'ResourceNotFoundException') throw err;
      }
    }
  }
  return deleted;
}
