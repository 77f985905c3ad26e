// The pipeline steps behind `signet sign` and `signet deploy`: sign (recording provenance), verify,
// deploy, and add the deployment to the provenance. The CLI only parses options and renders.
import type { SigningContext } from './context.js';
import {
  type DeployOptions,
  deployFunction,
  deployLayer,
  type FunctionDeployment,
  type LayerDeployment,
} from './deploy.js';
import { parseS3Uri } from './location.js';
import {
  buildProvenance,
  detectCi,
  type ProvenanceStatement,
  provenanceExists,
  readProvenance,
  withDeployment,
  writeProvenance,
} from './provenance.js';
import { type SignedArtifact, type SignOptions, signPackages } from './sign.js';
import { type VerifiedArtifact, verifyArtifact } from './verify.js';

export interface SignRun {
  packages: string[];
  profile: string;
  profileOwner?: string;
  bucket: string;
  prefix: string;
  concurrency: number;
  timeoutSeconds: number;
  provenance?: string;
  onStatus?: (status: string) => void;
  env?: NodeJS.ProcessEnv;
}

export async function runSigning(
  ctx: SigningContext,
  run: SignRun,
): Promise<{ artifacts: SignedArtifact[]; provenance: ProvenanceStatement }> {
  const startedOn = new Date();
  const options: SignOptions & { concurrency: number; onDone: (file: string, done: number) => void } = {
    profileName: run.profile,
    ...(run.profileOwner ? { profileOwner: run.profileOwner } : {}),
    bucket: run.bucket,
    prefix: run.prefix,
    timeoutMs: run.timeoutSeconds * 1000,
    concurrency: run.concurrency,
    onDone: (_file, done) => run.onStatus?.(`signed ${done}/${run.packages.length}`),
  };
  const artifacts = await signPackages(ctx, run.packages, options);
  const provenance = buildProvenance({
    artifacts,
    parameters: {
      profile: run.profile,
      ...(run.profileOwner ? { profileOwner: run.profileOwner } : {}),
      bucket: run.bucket,
      ...(run.prefix ? { prefix: run.prefix } : {}),
      region: ctx.target.region,
    },
    ci: detectCi(run.env ?? process.env),
    startedOn,
    finishedOn: new Date(),
  });
  if (run.provenance) writeProvenance(run.provenance, provenance);
  return { artifacts, provenance };
}

export interface DeployRun extends Omit<SignRun, 'packages' | 'profile' | 'bucket'> {
  functionName?: string;
  layerName?: string;
  packageFile?: string;
  signed?: string;
  profile?: string;
  bucket?: string;
  publish: boolean;
  alias?: string;
  requireEnforce: boolean;
  updateFunctions: boolean;
  compatibleRuntimes?: string[];
  onWarning?: (warning: string) => void;
}

export interface DeployOutcome {
  signed?: SignedArtifact;
  artifact: VerifiedArtifact;
  function?: FunctionDeployment;
  layer?: LayerDeployment;
  provenance?: ProvenanceStatement;
}

export async function runDeployment(ctx: SigningContext, run: DeployRun): Promise<DeployOutcome> {
  let statement: ProvenanceStatement | undefined;
  let signed: SignedArtifact | undefined;
  let location: ReturnType<typeof parseS3Uri>;
  if (run.packageFile) {
    const result = await runSigning(ctx, {
      ...run,
      packages: [run.packageFile],
      profile: run.profile!,
      bucket: run.bucket!,
      concurrency: 1,
      // Written after the deployment, with it.
      provenance: undefined,
    } as SignRun);
    signed = result.artifacts[0]!;
    statement = result.provenance;
    location = signed.signedObject;
  } else {
    location = parseS3Uri(run.signed!);
    // An existing provenance file is checked against the object before deploying it.
    if (run.provenance && provenanceExists(run.provenance)) statement = readProvenance(run.provenance);
  }
  run.onStatus?.('verifying the signed object');
  const artifact = await verifyArtifact(ctx, location, statement ? { provenance: statement } : {});
  const deployOptions: DeployOptions = {
    requireEnforce: run.requireEnforce,
    timeoutSeconds: run.timeoutSeconds,
    ...(run.onStatus ? { onStatus: run.onStatus } : {}),
    ...(run.onWarning ? { onWarning: run.onWarning } : {}),
  };
  const outcome: DeployOutcome = { artifact, ...(signed ? { signed } : {}) };
  if (run.functionName) {
    outcome.function = await deployFunction(ctx, run.functionName, artifact, {
      ...deployOptions,
      publish: run.publish,
      ...(run.alias ? { alias: run.alias } : {}),
    });
  } else {
    outcome.layer = await deployLayer(ctx, run.layerName!, artifact, {
      ...deployOptions,
      updateFunctions: run.updateFunctions,
      concurrency: run.concurrency,
      ...(run.compatibleRuntimes ? { compatibleRuntimes: run.compatibleRuntimes } : {}),
    });
  }
  if (run.provenance) {
    // Deploying an object signed elsewhere without a provenance file: the statement's subject is the object.
    statement ??= {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: artifact.uri, digest: { sha256: artifact.location.sha256 } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {
        buildDefinition: {
          buildType: 'urn:signet:buildtype:aws-signer-lambda:v1',
          externalParameters: { signed: artifact.uri },
          internalParameters: { region: ctx.target.region },
        },
        runDetails: { builder: { id: detectCi(run.env ?? process.env).builderId } },
      },
    };
    const fn = outcome.function;
    const layer = outcome.layer;
    statement = withDeployment(statement, {
      target: fn ? `function:${fn.functionName}` : `layer:${layer!.layerName}`,
      arn: fn ? fn.deployedArn : layer!.layerVersionArn,
      codeSha256: fn ? fn.codeSha256 : layer!.codeSha256,
      signedObject: artifact.location,
      ...(fn?.alias ? { alias: fn.alias } : {}),
      ...(layer ? { movedFunctions: layer.moved.map((m) => m.functionName) } : {}),
    });
    writeProvenance(run.provenance, statement);
    outcome.provenance = statement;
  }
  return outcome;
}
