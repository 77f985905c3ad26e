// Runs and renders `signet sign`, `deploy` and `verify-artifact` (loaded on demand: it pulls in the SDK).
import { DEPLOY_CALLS, SIGN_CALLS, VERIFY_ARTIFACT_CALLS } from '../aws/calls.js';
import { openSigningContext } from '../signing/context.js';
import { parseS3Uri } from '../signing/location.js';
import { runDeployment, runSigning } from '../signing/pipeline.js';
import { readProvenance } from '../signing/provenance.js';
import { verifyArtifact } from '../signing/verify.js';
import { stderrProgress } from './progress.js';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK } from './report-output.js';

interface Common {
  endpoint?: string;
  region: string;
  timeoutSeconds: number;
  json: boolean;
}

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);

export async function runSign(
  opts: Common & {
    packages: string[];
    profile: string;
    profileOwner?: string;
    bucket: string;
    prefix: string;
    provenance?: string;
    concurrency: number;
  },
): Promise<number> {
  const ctx = await openSigningContext({ ...opts, declared: SIGN_CALLS });
  const progress = stderrProgress();
  try {
    progress.update(`signing ${opts.packages.length} package(s) with ${opts.profile}…`);
    const { artifacts } = await runSigning(ctx, {
      ...opts,
      onStatus: (s) => progress.update(`signing: ${s}`),
    });
    progress.done();
    if (opts.json) {
      out(
        JSON.stringify(
          {
            artifacts: artifacts.map((a) => ({
              package: a.packageName,
              packageSha256: a.packageSha256,
              signed: a.signedUri,
              signedObject: a.signedObject,
              source: a.source,
              jobId: a.jobId,
              jobArn: a.signingJobArn,
              jobOwner: a.jobOwner,
              profile: a.signingProfile,
              profileVersionArn: a.signingProfileVersionArn,
              platformId: a.platformId,
              signedAt: a.signedAt,
              signatureExpiresAt: a.signatureExpiresAt,
            })),
            ...(opts.provenance ? { provenance: opts.provenance } : {}),
          },
          null,
          2,
        ),
      );
    } else {
      for (const a of artifacts) out(`${a.signedUri}  job ${a.jobId}`);
      if (opts.provenance) err(`provenance written to ${opts.provenance}`);
    }
    return EXIT_OK;
  } finally {
    progress.done();
    ctx.factory.destroy();
  }
}

export async function runDeploy(
  opts: Common & {
    functionName?: string;
    layerName?: string;
    packageFile?: string;
    signed?: string;
    profile?: string;
    profileOwner?: string;
    bucket?: string;
    prefix: string;
    publish: boolean;
    alias?: string;
    provenance?: string;
    requireEnforce: boolean;
    updateFunctions: boolean;
    compatibleRuntimes?: string[];
    concurrency: number;
  },
): Promise<number> {
  // Parse the location before calling AWS: a malformed --signed is a usage error.
  if (opts.signed) parseS3Uri(opts.signed);
  const ctx = await openSigningContext({ ...opts, declared: DEPLOY_CALLS });
  const progress = stderrProgress();
  const warnings: string[] = [];
  try {
    const outcome = await runDeployment(ctx, {
      ...opts,
      onStatus: (s) => progress.update(`deploy: ${s}`),
      onWarning: (w) => warnings.push(w),
    });
    progress.done();
    for (const w of warnings) err(`warning: ${w}`);
    const notMoved = outcome.layer?.notMoved ?? [];
    if (opts.json) {
      const { bytes: _bytes, ...artifact } = outcome.artifact;
      out(
        JSON.stringify(
          {
            ...(outcome.signed
              ? {
                  signed: {
                    uri: outcome.signed.signedUri,
                    jobId: outcome.signed.jobId,
                    jobArn: outcome.signed.signingJobArn,
                  },
                }
              : {}),
            artifact,
            ...(outcome.function ? { function: outcome.function } : {}),
            ...(outcome.layer ? { layer: outcome.layer } : {}),
            ...(opts.provenance ? { provenance: opts.provenance } : {}),
            warnings,
          },
          null,
          2,
        ),
      );
    } else {
      if (outcome.signed) out(`signed ${outcome.signed.signedUri}  job ${outcome.signed.jobId}`);
      const fn = outcome.function;
      if (fn)
        out(
          `deployed ${fn.deployedArn}  CodeSha256 ${fn.codeSha256}${fn.alias ? `  alias ${fn.alias} → ${fn.version}` : ''}`,
        );
      const layer = outcome.layer;
      if (layer) {
        out(`published ${layer.layerVersionArn}  CodeSha256 ${layer.codeSha256}`);
        for (const m of layer.moved) out(`moved ${m.functionName}: ${m.from} → ${m.to}`);
        for (const m of notMoved) out(`NOT moved ${m.functionName} (still ${m.from}): ${m.reason}`);
      }
      if (opts.provenance) err(`provenance written to ${opts.provenance}`);
    }
    return notMoved.length > 0 ? EXIT_ERROR : EXIT_OK;
  } finally {
    progress.done();
    ctx.factory.destroy();
  }
}

export async function runVerifyArtifact(
  opts: Common & { signed: string; provenance?: string },
): Promise<number> {
  const location = parseS3Uri(opts.signed);
  const provenance = opts.provenance ? readProvenance(opts.provenance) : undefined;
  const ctx = await openSigningContext({ ...opts, declared: VERIFY_ARTIFACT_CALLS });
  try {
    const result = await verifyArtifact(ctx, location, provenance ? { provenance } : {});
    if (opts.json) {
      const { bytes: _bytes, ...rest } = result;
      out(JSON.stringify(rest, null, 2));
    } else {
      out(
        `${result.ok ? 'VERIFIED' : 'FAILED'} ${result.uri}${result.location.versionId ? ` (version ${result.location.versionId})` : ''}`,
      );
      for (const check of result.checks) out(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.id}: ${check.detail}`);
    }
    return result.ok ? EXIT_OK : EXIT_FINDINGS;
  } finally {
    ctx.factory.destroy();
  }
}
