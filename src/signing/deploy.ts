// Deploying a verified signed object: a function's code (UpdateFunctionCode from the exact object
// version, wait for LastUpdateStatus, optional version + alias) or a layer version whose users move to it
// (UpdateFunctionConfiguration each, reporting those that could not move). Pre-flight runs before any write.

import { createHash } from 'node:crypto';
import {
  CreateAliasCommand,
  GetAliasCommand,
  GetCodeSigningConfigCommand,
  GetFunctionCodeSigningConfigCommand,
  GetFunctionCommand,
  type GetFunctionCommandOutput,
  type LambdaClient,
  ListFunctionsCommand,
  PublishLayerVersionCommand,
  type PublishLayerVersionCommandOutput,
  PublishVersionCommand,
  type Runtime,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { SignetError, UsageError } from '../errors.js';
import { partitionOfRegion } from '../model/arn.js';
import type { SigningContext } from './context.js';
import { refused } from './explain.js';
import { type CscFacts, preflight } from './preflight.js';
import type { VerifiedArtifact } from './verify.js';

export const DEFAULT_DEPLOY_TIMEOUT_S = 300;

export interface DeployOptions {
  requireEnforce?: boolean;
  /** Seconds to wait for LastUpdateStatus to settle. */
  timeoutSeconds?: number;
  onStatus?: (status: string) => void;
  onWarning?: (warning: string) => void;
  /**
   * The function's CSC as a pre-flight just read it (undefined inside = none): not read again. Lambda
   * itself still enforces the CSC at UpdateFunctionCode, so a change in between cannot slip through.
   */
  knownCsc?: { csc: CscFacts | undefined };
  /** CSCs already read, by ARN: deploying many functions at once reads each CSC once. */
  cscCache?: Map<string, Promise<CscFacts>>;
}

export interface FunctionDeployment {
  functionName: string;
  functionArn: string;
  /** Published version number, when --publish. */
  version?: string;
  /** The ARN that now runs the code (qualified when published). */
  deployedArn: string;
  codeSha256: string;
  signingProfileVersionArn?: string;
  signingJobArn?: string;
  alias?: string;
  warnings: string[];
}

function awsName(err: unknown): string {
  return (err as { name?: string }).name ?? '';
}

/** Everything the pre-flight needs to know about a function's code signing config. */
export async function functionCsc(
  lambda: LambdaClient,
  functionName: string,
  cache = new Map<string, Promise<CscFacts>>(),
): Promise<CscFacts | undefined> {
  let arn: string | undefined;
  try {
    arn = (await lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: functionName })))
      .CodeSigningConfigArn;
  } catch (err) {
    if (awsName(err) === 'ResourceNotFoundException')
      throw new UsageError(`function ${functionName} does not exist; check --function and --region`);
    throw refused(err, `function ${functionName}`);
  }
  if (!arn) return undefined;
  const csc = arn;
  // The promise is cached, so functions deployed at once share one read of their CSC.
  let facts = cache.get(csc);
  if (!facts) {
    facts = lambda.send(new GetCodeSigningConfigCommand({ CodeSigningConfigArn: csc })).then((out) => ({
      arn: csc,
      policy: out.CodeSigningConfig?.CodeSigningPolicies?.UntrustedArtifactOnDeployment ?? 'Warn',
      allowedProfileVersionArns: out.CodeSigningConfig?.AllowedPublishers?.SigningProfileVersionArns ?? [],
    }));
    cache.set(csc, facts);
    facts.catch(() => cache.delete(csc));
  }
  return facts;
}

/**
 * Pre-flight of a function for a profile version before anything is signed or uploaded (deploy
 * --package): refuses (exit 2) what the CSC would not accept. Returns the warnings and the CSC read.
 */
export async function preflightFunction(
  ctx: SigningContext,
  functionName: string,
  profileVersionArn: string,
  options: Pick<DeployOptions, 'requireEnforce' | 'cscCache'> = {},
): Promise<{ warnings: string[]; csc: CscFacts | undefined }> {
  const lambda = ctx.factory.lambda(ctx.target);
  const csc = await functionCsc(lambda, functionName, options.cscCache);
  const check = preflight({
    subject: `function ${functionName}`,
    csc,
    profileVersionArn,
    profileStatus: 'Active',
    requireEnforce: options.requireEnforce ?? false,
  });
  if (check.problems.length > 0)
    throw new UsageError(`refusing to deploy to function ${functionName}: ${check.problems.join('; ')}`);
  return { warnings: check.warnings, csc };
}

function revokedText(artifact: VerifiedArtifact): string | undefined {
  const check = artifact.checks.find((c) => c.id === 'revocation');
  return check && !check.ok && check.detail.startsWith('revoked') ? check.detail : undefined;
}

/** Refuses (exit 2) when verification failed in a way deploying would not fix. */
export function requireVerified(artifact: VerifiedArtifact): void {
  const failed = artifact.checks.filter((c) => !c.ok);
  if (failed.length > 0)
    throw new UsageError(`refusing to deploy ${artifact.uri}: ${failed.map((c) => c.detail).join('; ')}`);
}

async function waitUpdated(
  lambda: LambdaClient,
  functionName: string,
  timeoutSeconds: number,
): Promise<GetFunctionCommandOutput> {
  const result = await waitUntilFunctionUpdatedV2(
    { client: lambda, maxWaitTime: timeoutSeconds, minDelay: 1, maxDelay: 5 },
    { FunctionName: functionName },
  ).catch((err: unknown) => {
    throw new SignetError(
      'UPDATE_NOT_SETTLED',
      `${functionName}'s update did not settle within ${timeoutSeconds} s (${(err as Error).message?.split('\n')[0] ?? 'timeout'}); check it with aws lambda get-function --function-name ${functionName}`,
      { cause: err },
    );
  });
  const reason = result.reason as GetFunctionCommandOutput | undefined;
  if (!reason?.Configuration) {
    // The waiter stops on a read error (e.g. access denied); say what it was.
    throw new SignetError(
      'UPDATE_NOT_SETTLED',
      `cannot read ${functionName} after the update: ${String((result.reason as Error)?.message ?? result.state)}`,
    );
  }
  return reason;
}

function b64sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

/** Deploys a verified signed object to a function. */
export async function deployFunction(
  ctx: SigningContext,
  functionName: string,
  artifact: VerifiedArtifact,
  options: DeployOptions & { publish?: boolean; alias?: string } = {},
): Promise<FunctionDeployment> {
  if (options.alias && !options.publish)
    throw new UsageError('--alias points at a published version: add --publish');
  const timeout = options.timeoutSeconds ?? DEFAULT_DEPLOY_TIMEOUT_S;
  const lambda = ctx.factory.lambda(ctx.target);
  const subject = `function ${functionName}`;
  options.onStatus?.('pre-flight');
  const csc = options.knownCsc
    ? options.knownCsc.csc
    : await functionCsc(lambda, functionName, options.cscCache);
  const check = preflight({
    subject,
    csc,
    profileVersionArn: artifact.profileVersionArn ?? '(unknown)',
    profileStatus: artifact.profileStatus ?? 'Unknown',
    ...(revokedText(artifact) ? { revoked: revokedText(artifact)! } : {}),
    requireEnforce: options.requireEnforce ?? false,
  });
  if (check.problems.length > 0)
    throw new UsageError(`refusing to deploy to ${subject}: ${check.problems.join('; ')}`);
  requireVerified(artifact);
  for (const warning of check.warnings) options.onWarning?.(warning);

  // An update already in progress (another pipeline) would make ours fail with a conflict: wait first.
  const before = await lambda.send(new GetFunctionCommand({ FunctionName: functionName }));
  if (before.Configuration?.PackageType === 'Image')
    throw new UsageError(
      `${subject} is a container image function; Lambda code signing covers ZIP packages only`,
    );
  if (before.Configuration?.LastUpdateStatus === 'InProgress')
    await waitUpdated(lambda, functionName, timeout);

  options.onStatus?.('updating code');
  try {
    await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: functionName,
        S3Bucket: artifact.location.bucket,
        S3Key: artifact.location.key,
        ...(artifact.location.versionId ? { S3ObjectVersion: artifact.location.versionId } : {}),
      }),
    );
  } catch (err) {
    throw refused(err, subject);
  }
  options.onStatus?.('waiting for LastUpdateStatus');
  const after = await waitUpdated(lambda, functionName, timeout);
  const config = after.Configuration!;
  if (config.LastUpdateStatus !== 'Successful')
    throw new SignetError(
      'UPDATE_FAILED',
      `${subject}'s update ended ${config.LastUpdateStatus}: ${config.LastUpdateStatusReason ?? 'no reason given'}`,
    );
  const expected = b64sha256(artifact.bytes);
  if (config.CodeSha256 !== expected)
    throw new SignetError(
      'CODE_MISMATCH',
      `${subject} now runs code with CodeSha256 ${config.CodeSha256}, not the verified object's ${expected}: another deployment raced this one; check the function before publishing`,
    );
  const deployment: FunctionDeployment = {
    functionName,
    functionArn: config.FunctionArn ?? functionName,
    deployedArn: config.FunctionArn ?? functionName,
    codeSha256: config.CodeSha256!,
    ...(config.SigningProfileVersionArn ? { signingProfileVersionArn: config.SigningProfileVersionArn } : {}),
    ...(config.SigningJobArn ? { signingJobArn: config.SigningJobArn } : {}),
    warnings: check.warnings,
  };
  if (options.publish) {
    options.onStatus?.('publishing a version');
    try {
      const published = await lambda.send(
        new PublishVersionCommand({
          FunctionName: functionName,
          CodeSha256: config.CodeSha256,
          RevisionId: config.RevisionId,
          Description: `signed ${artifact.jobArn ?? artifact.uri}`.slice(0, 256),
        }),
      );
      deployment.version = published.Version!;
      deployment.deployedArn = published.FunctionArn ?? `${deployment.functionArn}:${published.Version}`;
    } catch (err) {
      throw refused(err, subject);
    }
  }
  if (options.alias && deployment.version) {
    options.onStatus?.(`moving alias ${options.alias}`);
    await moveAlias(lambda, functionName, options.alias, deployment.version, subject);
    deployment.alias = options.alias;
  }
  return deployment;
}

async function moveAlias(
  lambda: LambdaClient,
  functionName: string,
  alias: string,
  version: string,
  subject: string,
): Promise<void> {
  let revisionId: string | undefined;
  try {
    revisionId = (await lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: alias })))
      .RevisionId;
  } catch (err) {
    if (awsName(err) !== 'ResourceNotFoundException') throw refused(err, `${subject} alias ${alias}`);
  }
  try {
    if (revisionId === undefined)
      await lambda.send(
        new CreateAliasCommand({ FunctionName: functionName, Name: alias, FunctionVersion: version }),
      );
    else
      await lambda.send(
        new UpdateAliasCommand({
          FunctionName: functionName,
          Name: alias,
          FunctionVersion: version,
          RevisionId: revisionId,
        }),
      );
  } catch (err) {
    throw refused(err, `${subject} alias ${alias}`);
  }
}

export interface LayerDeployment {
  layerName: string;
  layerVersionArn: string;
  version: number;
  codeSha256: string;
  signingProfileVersionArn?: string;
  signingJobArn?: string;
  moved: { functionName: string; from: string; to: string }[];
  notMoved: { functionName: string; from: string; reason: string }[];
  warnings: string[];
}

interface LayerUser {
  functionName: string;
  layers: string[];
  from: string;
  revisionId?: string;
}

/** Functions in the caller's account and region whose $LATEST uses another version of the layer. */
async function layerUsers(
  lambda: LambdaClient,
  layerArn: string,
  newVersionArn: string,
): Promise<LayerUser[]> {
  const users: LayerUser[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListFunctionsCommand({ ...(marker ? { Marker: marker } : {}) }));
    for (const fn of page.Functions ?? []) {
      const layers = (fn.Layers ?? []).map((l) => l.Arn!).filter(Boolean);
      const from = layers.find((arn) => arn.startsWith(`${layerArn}:`) && arn !== newVersionArn);
      if (from)
        users.push({
          functionName: fn.FunctionName!,
          layers,
          from,
          ...(fn.RevisionId ? { revisionId: fn.RevisionId } : {}),
        });
    }
    marker = page.NextMarker || undefined;
  } while (marker);
  return users.sort((a, b) => a.functionName.localeCompare(b.functionName));
}

/** Publishes a verified signed object as a layer version and, optionally, moves the layer's users to it. */
export async function deployLayer(
  ctx: SigningContext,
  layerName: string,
  artifact: VerifiedArtifact,
  options: DeployOptions & {
    updateFunctions?: boolean;
    description?: string;
    compatibleRuntimes?: string[];
    concurrency?: number;
  } = {},
): Promise<LayerDeployment> {
  if (!/^[a-zA-Z0-9_-]{1,140}$/.test(layerName))
    throw new UsageError(`--layer ${layerName} is not a layer name (letters, digits, - and _)`);
  const timeout = options.timeoutSeconds ?? DEFAULT_DEPLOY_TIMEOUT_S;
  const lambda = ctx.factory.lambda(ctx.target);
  // A profile or signature problem refuses the whole deployment before anything is published.
  const base = preflight({
    subject: `layer ${layerName}`,
    csc: undefined,
    profileVersionArn: artifact.profileVersionArn ?? '(unknown)',
    profileStatus: artifact.profileStatus ?? 'Unknown',
    ...(revokedText(artifact) ? { revoked: revokedText(artifact)! } : {}),
    requireEnforce: false,
  });
  if (base.problems.length > 0)
    throw new UsageError(`refusing to publish layer ${layerName}: ${base.problems.join('; ')}`);
  requireVerified(artifact);
  const layerArn = `arn:${partitionOfRegion(ctx.target.region)}:lambda:${ctx.target.region}:${ctx.target.accountId}:layer:${layerName}`;

  // Decide which users can move before publishing, so that a refusal is known up front.
  const movable: LayerUser[] = [];
  const notMoved: LayerDeployment['notMoved'] = [];
  const warnings: string[] = [];
  let users: LayerUser[] = [];
  if (options.updateFunctions) {
    options.onStatus?.('finding functions that use the layer');
    users = await layerUsers(lambda, layerArn, '');
    const cscs = options.cscCache ?? new Map<string, Promise<CscFacts>>();
    for (const user of users) {
      const subject = `function ${user.functionName} (layer ${layerName})`;
      const check = preflight({
        subject,
        csc: await functionCsc(lambda, user.functionName, cscs),
        profileVersionArn: artifact.profileVersionArn ?? '(unknown)',
        profileStatus: artifact.profileStatus ?? 'Unknown',
        requireEnforce: options.requireEnforce ?? false,
      });
      if (check.problems.length > 0)
        notMoved.push({
          functionName: user.functionName,
          from: user.from,
          reason: check.problems.join('; '),
        });
      else movable.push(user);
      warnings.push(...check.warnings);
    }
  }
  for (const warning of warnings) options.onWarning?.(warning);

  options.onStatus?.('publishing the layer version');
  let published: PublishLayerVersionCommandOutput;
  try {
    published = await lambda.send(
      new PublishLayerVersionCommand({
        LayerName: layerName,
        Content: {
          S3Bucket: artifact.location.bucket,
          S3Key: artifact.location.key,
          ...(artifact.location.versionId ? { S3ObjectVersion: artifact.location.versionId } : {}),
        },
        Description: (options.description ?? `signed ${artifact.jobArn ?? artifact.uri}`).slice(0, 256),
        ...(options.compatibleRuntimes
          ? { CompatibleRuntimes: options.compatibleRuntimes as Runtime[] }
          : {}),
      }),
    );
  } catch (err) {
    throw refused(err, `layer ${layerName}`);
  }
  const newArn = published.LayerVersionArn!;
  const result: LayerDeployment = {
    layerName,
    layerVersionArn: newArn,
    version: published.Version!,
    codeSha256: published.Content?.CodeSha256 ?? '',
    ...(published.Content?.SigningProfileVersionArn
      ? { signingProfileVersionArn: published.Content.SigningProfileVersionArn }
      : {}),
    ...(published.Content?.SigningJobArn ? { signingJobArn: published.Content.SigningJobArn } : {}),
    moved: [],
    notMoved,
    warnings,
  };
  // Each move is its own update; Lambda's control plane (15 requests/s shared) is paced by the factory.
  let next = 0;
  const worker = async () => {
    while (next < movable.length) {
      const user = movable[next++]!;
      const subject = `function ${user.functionName}`;
      options.onStatus?.(`moving ${user.functionName} to ${layerName}:${result.version}`);
      try {
        const current = await lambda.send(new GetFunctionCommand({ FunctionName: user.functionName }));
        if (current.Configuration?.LastUpdateStatus === 'InProgress')
          await waitUpdated(lambda, user.functionName, timeout);
        const layers = user.layers.map((arn) => (arn === user.from ? newArn : arn));
        await lambda.send(
          new UpdateFunctionConfigurationCommand({
            FunctionName: user.functionName,
            Layers: layers,
            ...(user.revisionId ? { RevisionId: user.revisionId } : {}),
          }),
        );
        const after = await waitUpdated(lambda, user.functionName, timeout);
        if (after.Configuration?.LastUpdateStatus !== 'Successful')
          throw new SignetError(
            'UPDATE_FAILED',
            `update ended ${after.Configuration?.LastUpdateStatus}: ${after.Configuration?.LastUpdateStatusReason ?? ''}`,
          );
        result.moved.push({ functionName: user.functionName, from: user.from, to: newArn });
      } catch (err) {
        const reason = err instanceof SignetError ? err.message : refused(err, subject).message;
        result.notMoved.push({ functionName: user.functionName, from: user.from, reason });
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, movable.length)) }, worker),
  );
  result.moved.sort((a, b) => a.functionName.localeCompare(b.functionName));
  result.notMoved.sort((a, b) => a.functionName.localeCompare(b.functionName));
  return result;
}
