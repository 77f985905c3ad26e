// Provenance of signed and deployed packages: an in-toto Statement v1 whose predicate is SLSA Provenance
// v1 (https://in-toto.io/Statement/v1, https://slsa.dev/provenance/v1). Subjects are the packages (name +
// sha256); the signed objects, signing jobs, profile versions and deployments are byproducts. Only the
// named CI variables are read, never credentials or the environment wholesale.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../util/fs.js';
import { SIGNET_VERSION } from '../version.js';
import { formatS3Uri, type S3Location } from './location.js';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
/** Identifies how to read `externalParameters` (a URN: Signet publishes no web page for it). */
export const SIGNET_BUILD_TYPE = 'urn:signet:buildtype:aws-signer-lambda:v1';

const resourceDescriptor = z
  .object({
    uri: z.string().min(1).optional(),
    digest: z.record(z.string(), z.string()).optional(),
    name: z.string().min(1).optional(),
    downloadLocation: z.string().optional(),
    mediaType: z.string().optional(),
    content: z.string().optional(),
    annotations: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((r) => r.uri !== undefined || r.digest !== undefined || r.content !== undefined, {
    message: 'a resource descriptor needs uri, digest or content',
  });

/** What Signet accepts when it reads a provenance file back (verify-artifact, deploy). */
export const provenanceSchema = z.object({
  _type: z.literal(STATEMENT_TYPE),
  subject: z.array(z.object({ name: z.string().min(1), digest: z.record(z.string(), z.string()) })).min(1),
  predicateType: z.literal(SLSA_PROVENANCE_V1),
  predicate: z.object({
    buildDefinition: z.object({
      buildType: z.string().min(1),
      externalParameters: z.record(z.string(), z.unknown()),
      internalParameters: z.record(z.string(), z.unknown()).optional(),
      resolvedDependencies: z.array(resourceDescriptor).optional(),
    }),
    runDetails: z.object({
      builder: z.object({
        id: z.string().min(1),
        version: z.record(z.string(), z.string()).optional(),
        builderDependencies: z.array(resourceDescriptor).optional(),
      }),
      metadata: z
        .object({
          invocationId: z.string().optional(),
          startedOn: z.string().optional(),
          finishedOn: z.string().optional(),
        })
        .optional(),
      byproducts: z.array(resourceDescriptor).optional(),
    }),
  }),
});

export type ResourceDescriptor = z.infer<typeof resourceDescriptor>;
export type ProvenanceStatement = z.infer<typeof provenanceSchema>;

export interface CiEnvironment {
  kind: 'github-actions' | 'gitlab-ci' | 'local';
  builderId: string;
  invocationId?: string;
  /** The source repository at the built commit. */
  source?: ResourceDescriptor;
  /** CI facts recorded as external parameters (repository, workflow, commit). */
  parameters: Record<string, string>;
}

const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const DIGITS = /^\d{1,20}$/;
const REPO_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)+$/;
const URL_BASE = /^https:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~-]+)*$/;
const WORKFLOW_REF = /^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+\/[A-Za-z0-9._/-]+@[A-Za-z0-9._/-]+$/;
const REF = /^[A-Za-z0-9._/-]{1,255}$/;

/** Reads one named variable when it has the expected shape: anything odd is left out, not copied. */
function pick(env: NodeJS.ProcessEnv, name: string, shape: RegExp): string | undefined {
  const value = env[name];
  return value !== undefined && shape.test(value) ? value : undefined;
}

/** The builder and invocation from GitHub Actions or GitLab CI variables; otherwise a local build. */
export function detectCi(env: NodeJS.ProcessEnv = process.env): CiEnvironment {
  const ghRepo = pick(env, 'GITHUB_REPOSITORY', REPO_PATH);
  if (env.GITHUB_ACTIONS === 'true' && ghRepo) {
    const server = pick(env, 'GITHUB_SERVER_URL', URL_BASE) ?? 'https://github.com';
    const sha = pick(env, 'GITHUB_SHA', COMMIT);
    const runId = pick(env, 'GITHUB_RUN_ID', DIGITS);
    const attempt = pick(env, 'GITHUB_RUN_ATTEMPT', DIGITS) ?? '1';
    const workflowRef = pick(env, 'GITHUB_WORKFLOW_REF', WORKFLOW_REF);
    const ref = pick(env, 'GITHUB_REF', REF);
    return {
      kind: 'github-actions',
      builderId: workflowRef ? `${server}/${workflowRef}` : `${server}/${ghRepo}/actions`,
      ...(runId ? { invocationId: `${server}/${ghRepo}/actions/runs/${runId}/attempts/${attempt}` } : {}),
      ...(sha
        ? { source: { uri: `git+${server}/${ghRepo}${ref ? `@${ref}` : ''}`, digest: { gitCommit: sha } } }
        : {}),
      parameters: {
        repository: ghRepo,
        ...(sha ? { commit: sha } : {}),
        ...(workflowRef ? { workflowRef } : {}),
        ...(runId ? { runId } : {}),
      },
    };
  }
  const glProject = pick(env, 'CI_PROJECT_PATH', REPO_PATH);
  if (env.GITLAB_CI === 'true' && glProject) {
    const server = pick(env, 'CI_SERVER_URL', URL_BASE) ?? 'https://gitlab.com';
    const sha = pick(env, 'CI_COMMIT_SHA', COMMIT);
    const pipelineId = pick(env, 'CI_PIPELINE_ID', DIGITS);
    const runnerId = pick(env, 'CI_RUNNER_ID', DIGITS);
    const ref = pick(env, 'CI_COMMIT_REF_NAME', REF);
    return {
      kind: 'gitlab-ci',
      builderId: runnerId
        ? `${server}/${glProject}/-/runners/${runnerId}`
        : `${server}/${glProject}/-/pipelines`,
      ...(pipelineId ? { invocationId: `${server}/${glProject}/-/pipelines/${pipelineId}` } : {}),
      ...(sha
        ? { source: { uri: `git+${server}/${glProject}${ref ? `@${ref}` : ''}`, digest: { gitCommit: sha } } }
        : {}),
      parameters: {
        repository: glProject,
        ...(sha ? { commit: sha } : {}),
        ...(pipelineId ? { pipelineId } : {}),
      },
    };
  }
  return { kind: 'local', builderId: 'urn:signet:builder:local', parameters: {} };
}

/** What one signed package contributes to a provenance statement. */
export interface SignedArtifactRecord {
  packageName: string;
  packageSha256: string;
  signedObject: S3Location & { sha256: string };
  signingJobArn: string;
  signingProfileVersionArn: string;
  signingProfile: string;
  platformId: string;
  signatureExpiresAt?: string;
}

export interface SigningParameters {
  profile: string;
  profileOwner?: string;
  bucket: string;
  prefix?: string;
  region: string;
}

export function buildProvenance(input: {
  artifacts: SignedArtifactRecord[];
  parameters: SigningParameters;
  ci: CiEnvironment;
  startedOn: Date;
  finishedOn: Date;
}): ProvenanceStatement {
  const { artifacts, parameters, ci } = input;
  return {
    _type: STATEMENT_TYPE,
    subject: artifacts.map((a) => ({ name: a.packageName, digest: { sha256: a.packageSha256 } })),
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: SIGNET_BUILD_TYPE,
        externalParameters: {
          packages: artifacts.map((a) => a.packageName),
          signingProfile: parameters.profile,
          ...(parameters.profileOwner ? { profileOwner: parameters.profileOwner } : {}),
          bucket: parameters.bucket,
          ...(parameters.prefix ? { prefix: parameters.prefix } : {}),
          ...(Object.keys(ci.parameters).length > 0 ? { ci: { kind: ci.kind, ...ci.parameters } } : {}),
        },
        internalParameters: { region: parameters.region, signer: 'AWS Signer' },
        ...(ci.source ? { resolvedDependencies: [ci.source] } : {}),
      },
      runDetails: {
        builder: { id: ci.builderId, version: { signet: SIGNET_VERSION } },
        metadata: {
          ...(ci.invocationId ? { invocationId: ci.invocationId } : {}),
          startedOn: input.startedOn.toISOString(),
          finishedOn: input.finishedOn.toISOString(),
        },
        byproducts: artifacts.map(signedByproduct),
      },
    },
  };
}

function signedByproduct(a: SignedArtifactRecord): ResourceDescriptor {
  return {
    name: `signed:${a.packageName}`,
    uri: formatS3Uri(a.signedObject, true),
    digest: { sha256: a.signedObject.sha256 },
    mediaType: 'application/zip',
    annotations: {
      package: a.packageName,
      packageSha256: a.packageSha256,
      signingJobArn: a.signingJobArn,
      signingProfileVersionArn: a.signingProfileVersionArn,
      signingProfile: a.signingProfile,
      platformId: a.platformId,
      ...(a.signatureExpiresAt ? { signatureExpiresAt: a.signatureExpiresAt } : {}),
    },
  };
}

export interface DeploymentRecord {
  /** `function:NAME` or `layer:NAME`. */
  target: string;
  /** The function version ARN (qualified when published) or the layer version ARN. */
  arn: string;
  codeSha256: string;
  signedObject: S3Location;
  alias?: string;
  movedFunctions?: string[];
}

/** Adds a deployment byproduct (the deployed version and its CodeSha256) to a statement. */
export function withDeployment(
  statement: ProvenanceStatement,
  deployment: DeploymentRecord,
): ProvenanceStatement {
  const byproduct: ResourceDescriptor = {
    name: `deployed:${deployment.target}`,
    uri: deployment.arn,
    // Lambda's CodeSha256 is the base64 SHA-256 of the deployed package: recorded as hex like the others.
    digest: { sha256: Buffer.from(deployment.codeSha256, 'base64').toString('hex') },
    annotations: {
      codeSha256: deployment.codeSha256,
      signedObject: formatS3Uri(deployment.signedObject, true),
      ...(deployment.alias ? { alias: deployment.alias } : {}),
      ...(deployment.movedFunctions ? { movedFunctions: deployment.movedFunctions } : {}),
    },
  };
  const runDetails = statement.predicate.runDetails;
  return {
    ...statement,
    predicate: {
      ...statement.predicate,
      runDetails: {
        ...runDetails,
        metadata: { ...runDetails.metadata, finishedOn: new Date().toISOString() },
        byproducts: [...(runDetails.byproducts ?? []), byproduct],
      },
    },
  };
}

/** The signed-object byproduct recorded for a location's bucket and key. */
export function signedRecordFor(
  statement: ProvenanceStatement,
  location: S3Location,
): { byproduct: ResourceDescriptor; versionId?: string } | undefined {
  for (const byproduct of statement.predicate.runDetails.byproducts ?? []) {
    if (!byproduct.name?.startsWith('signed:') || !byproduct.uri) continue;
    const match = /^s3:\/\/([^/?]+)\/([^?]+)(?:\?versionId=(.+))?$/.exec(byproduct.uri);
    if (!match || match[1] !== location.bucket || decodeURIComponent(match[2]!) !== location.key) continue;
    // A different version of the same key is still this record: the caller reports the mismatch.
    const versionId = match[3] ? decodeURIComponent(match[3]) : undefined;
    return { byproduct, ...(versionId ? { versionId } : {}) };
  }
  return undefined;
}

export function readProvenance(file: string): ProvenanceStatement {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read provenance ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      { cause: err },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (err) {
    throw new UsageError(`provenance ${file} is not JSON; pass the file signet sign --provenance wrote`, {
      cause: err,
    });
  }
  const parsed = provenanceSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(
      `provenance ${file} is not an in-toto Statement v1 with SLSA Provenance v1: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  return parsed.data;
}

export function provenanceExists(file: string): boolean {
  return existsSync(file);
}

export function writeProvenance(file: string, statement: ProvenanceStatement): void {
  writeFileAtomic(file, `${JSON.stringify(statement, null, 2)}\n`);
}
