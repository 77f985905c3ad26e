// Collects one account-region, bulk-first (spec §5): ListCodeSigningConfigs, ListFunctionsByCodeSigningConfig
// per CSC, ListFunctions(FunctionVersion=ALL), ListAliases only for functions with published versions,
// tags through the Tagging API, Signer profiles (incl. cancelled/revoked) and revoked/expired jobs.
// No per-function GetFunctionCodeSigningConfig.
import {
  type FunctionConfiguration,
  type LambdaClient,
  paginateListAliases,
  paginateListCodeSigningConfigs,
  paginateListFunctions,
  paginateListFunctionsByCodeSigningConfig,
} from '@aws-sdk/client-lambda';
import { paginateGetResources } from '@aws-sdk/client-resource-groups-tagging-api';
import {
  DescribeSigningJobCommand,
  GetSigningProfileCommand,
  ListProfilePermissionsCommand,
  paginateListSigningJobs,
  paginateListSigningProfiles,
  type SignerClient,
} from '@aws-sdk/client-signer';
import {
  parseLayerVersionArn,
  parseSigningJobArn,
  signingJobArn,
  unqualifiedFunctionArn,
} from '../../model/arn.js';
import type {
  CodeSigningConfig,
  CollectionError,
  Coverage,
  LambdaFunction,
  LayerRef,
  LayerVersion,
  PublishedVersion,
  SigningJob,
  SigningProfile,
} from '../../model/snapshot.js';
import { emptySnapshot, publisherArn, type Snapshot, type SnapshotPart } from '../../model/snapshot.js';
import { SnapshotIndex } from '../../model/snapshot-index.js';
import { judgeSignature, type TrustContext } from '../../model/trust.js';
import type { ClientFactory, Credentials } from '../clients.js';
import { collectionErrorOf } from '../errors.js';

export interface RegionTarget {
  accountId: string;
  region: string;
  credentials: Credentials;
  /** AWS partition (`aws`, `aws-cn`, `aws-us-gov`) of the scanned accounts, from the caller identity. */
  partition: string;
}

export interface RegionResult {
  functions: LambdaFunction[];
  codeSigningConfigs: CodeSigningConfig[];
  signingProfiles: SigningProfile[];
  signingJobs: SigningJob[];
  layerVersions: LayerVersion[];
  coverage: Coverage[];
  collectionErrors: CollectionError[];
}

export interface RegionProgress {
  functionsSeen(count: number): void;
}

type Attempt = <T>(
  service: string,
  operation: string,
  parts: SnapshotPart[],
  run: () => Promise<T>,
) => Promise<T | undefined>;

/**
 * A published version is suspect when the rules' own trust judgement (src/model/trust.ts), run over what
 * this account-region collected and with no configured trust, does not call its code and every layer
 * trusted. Only functions with suspect versions need their aliases (to know whether the version serves
 * traffic); this keeps ListAliases off the hot path of healthy fleets. Being stricter than the rules is
 * safe: a version wrongly called suspect only costs a ListAliases call.
 */
export function hasSuspectVersion(ctx: TrustContext, fn: LambdaFunction): boolean {
  const trusted = (profileArn: string | undefined, jobArn: string | undefined, signedBefore?: string) =>
    profileArn !== undefined &&
    judgeSignature(ctx, fn, profileArn, jobArn, signedBefore).verdict === 'trusted';
  return fn.versions.some(
    (v) =>
      !trusted(v.signingProfileVersionArn, v.signingJobArn, v.lastModified) ||
      v.layers.some((l) => !trusted(l.signingProfileVersionArn, l.signingJobArn, v.lastModified)),
  );
}

/** The parts one account-region's Lambda/Signer/Tagging collection reads. */
const REGION_PARTS: readonly SnapshotPart[] = [
  'functions',
  'versions',
  'codeSigningConfigs',
  'cscAttachments',
  'tags',
  'layers',
  'signingProfiles',
  'signingJobs',
];

/** A snapshot of one account-region's results so far, for the trust judgement. */
function regionTrustContext(
  target: { accountId: string; region: string },
  result: RegionResult,
  failed: ReadonlySet<SnapshotPart>,
  now: Date,
): TrustContext {
  const snapshot: Snapshot = {
    ...emptySnapshot('aws', now.toISOString()),
    accounts: [{ accountId: target.accountId }],
    regions: [target.region],
    functions: result.functions,
    codeSigningConfigs: result.codeSigningConfigs,
    signingProfiles: result.signingProfiles,
    signingJobs: result.signingJobs,
    layerVersions: result.layerVersions,
    coverage: REGION_PARTS.map((part) => ({
      accountId: target.accountId,
      region: target.region,
      part,
      status: failed.has(part) ? 'failed' : 'ok',
    })),
  };
  return {
    snapshot,
    index: new SnapshotIndex(snapshot),
    policy: { trustedAccounts: [], trustedSigningProfiles: [] },
    now,
  };
}

async function collectAliases(
  lambda: LambdaClient,
  result: RegionResult,
  attempt: Attempt,
  trust: TrustContext,
): Promise<void> {
  const withVersions = result.functions.filter((fn) => fn.versions.length > 0);
  await Promise.all(
    withVersions.map(async (fn) => {
      if (!hasSuspectVersion(trust, fn)) {
        fn.aliasesCollected = false;
        return;
      }
      await attempt('lambda', 'ListAliases', ['versions'], async () => {
        for await (const page of paginateListAliases(
          { client: lambda },
          { FunctionName: fn.id, MaxItems: 10000 },
        )) {
          for (const alias of page.Aliases ?? []) {
            if (!alias.Name || !alias.FunctionVersion) continue;
            fn.aliases[alias.Name] = alias.FunctionVersion;
            fn.versions.find((v) => v.version === alias.FunctionVersion)?.aliases.push(alias.Name);
            for (const weighted of Object.keys(alias.RoutingConfig?.AdditionalVersionWeights ?? {})) {
              fn.versions.find((v) => v.version === weighted)?.aliases.push(`${alias.Name} (weighted)`);
            }
          }
        }
      });
      fn.aliasesCollected = true;
    }),
  );
}

/**
 * A revoked profile invalidates only the signatures made at or after its revocation's effective time, so
 * for code signed by a revoked profile of this account-region Signet needs the signing time: one
 * DescribeSigningJob per such job (few: only revoked profiles' jobs, and only those not listed already).
 */
async function describeJobsOfRevokedProfiles(
  signer: SignerClient,
  target: RegionTarget,
  result: RegionResult,
  attempt: Attempt,
): Promise<void> {
  const revoked = new Set(
    result.signingProfiles.filter((p) => p.status === 'Revoked').map((p) => p.profileVersionArn ?? p.id),
  );
  if (revoked.size === 0) return;
  const known = new Map(result.signingJobs.map((j) => [j.jobArn, j]));
  const wanted = new Set<string>();
  const consider = (profileArn: string | undefined, jobArn: string | undefined) => {
    if (!profileArn || !jobArn || !revoked.has(profileArn) || known.get(jobArn)?.createdAt) return;
    const parsed = parseSigningJobArn(jobArn);
    if (parsed?.accountId === target.accountId && parsed.region === target.region) wanted.add(jobArn);
  };
  for (const fn of result.functions) {
    for (const code of [fn, ...fn.versions]) {
      consider(code.signingProfileVersionArn, code.signingJobArn);
      for (const layer of code.layers) consider(layer.signingProfileVersionArn, layer.signingJobArn);
    }
  }
  await Promise.all(
    [...wanted].map(async (jobArn) => {
      const jobId = parseSigningJobArn(jobArn)!.jobId;
      const job = await attempt('signer', 'DescribeSigningJob', ['signingJobs'], () =>
        signer.send(new DescribeSigningJobCommand({ jobId })),
      );
      if (!job) return;
      result.signingJobs.push({
        jobId,
        jobArn,
        accountId: target.accountId,
        region: target.region,
        ...(job.profileName ? { profileName: job.profileName } : {}),
        ...(job.profileVersion ? { profileVersion: job.profileVersion } : {}),
        ...(job.status ? { status: job.status } : {}),
        isRevoked: job.revocationRecord !== undefined || (known.get(jobArn)?.isRevoked ?? false),
        ...(iso(job.createdAt) ? { createdAt: iso(job.createdAt) } : {}),
        ...(iso(job.signatureExpiresAt) ? { signatureExpiresAt: iso(job.signatureExpiresAt) } : {}),
        ...(job.requestedBy ? { requestedBy: job.requestedBy } : {}),
      });
    }),
  );
}

/** Strips a `:qualifier` from a function ARN. */
export const unqualified = unqualifiedFunctionArn;

function iso(value: Date | string | undefined): string | undefined {
  return value instanceof Date ? value.toISOString() : value;
}

function layersOf(config: FunctionConfiguration): LayerRef[] {
  return (config.Layers ?? []).map((l) => ({
    ...(l.Arn ? { arn: l.Arn } : {}),
    ...(l.SigningProfileVersionArn ? { signingProfileVersionArn: l.SigningProfileVersionArn } : {}),
    ...(l.SigningJobArn ? { signingJobArn: l.SigningJobArn } : {}),
  }));
}

function codeState(config: FunctionConfiguration) {
  return {
    ...(config.CodeSha256 ? { codeSha256: config.CodeSha256 } : {}),
    ...(config.LastModified ? { lastModified: config.LastModified } : {}),
    ...(config.SigningProfileVersionArn ? { signingProfileVersionArn: config.SigningProfileVersionArn } : {}),
    ...(config.SigningJobArn ? { signingJobArn: config.SigningJobArn } : {}),
    layers: layersOf(config),
  };
}

export async function collectRegion(
  factory: ClientFactory,
  target: RegionTarget,
  now: Date,
  progress?: RegionProgress,
): Promise<RegionResult> {
  const { accountId, region } = target;
  const result: RegionResult = {
    functions: [],
    codeSigningConfigs: [],
    signingProfiles: [],
    signingJobs: [],
    layerVersions: [],
    coverage: [],
    collectionErrors: [],
  };
  const failed = new Set<SnapshotPart>();
  const attempt = async <T>(
    service: string,
    operation: string,
    parts: SnapshotPart[],
    run: () => Promise<T>,
  ): Promise<T | undefined> => {
    try {
      return await run();
    } catch (err) {
      const error = collectionErrorOf(err);
      for (const part of parts) failed.add(part);
      result.collectionErrors.push({ service, operation, accountId, region, ...error, parts });
      return undefined;
    }
  };

  const lambda = factory.lambda(target);
  const signer = factory.signer(target);
  const tagging = factory.tagging(target);

  // Lambda and Signer/Tagging have separate quotas: run the three lanes concurrently.
  // The CSC chain and ListFunctions share one quota but not their latency: run them side by side.
  const attachment = new Map<string, string>();
  const cscChain = async () => {
    const cscs = await attempt(
      'lambda',
      'ListCodeSigningConfigs',
      ['codeSigningConfigs', 'cscAttachments'],
      async () => {
        const out: CodeSigningConfig[] = [];
        for await (const page of paginateListCodeSigningConfigs({ client: lambda }, { MaxItems: 10000 })) {
          for (const c of page.CodeSigningConfigs ?? []) {
            if (!c.CodeSigningConfigArn) continue;
            const policy = c.CodeSigningPolicies?.UntrustedArtifactOnDeployment;
            out.push({
              id: c.CodeSigningConfigArn,
              arn: c.CodeSigningConfigArn,
              accountId,
              region,
              ...(c.Description ? { description: c.Description } : {}),
              policy: policy === 'Enforce' ? 'Enforce' : 'Warn',
              policySource: policy ? 'explicit' : 'default',
              allowedPublishers: (c.AllowedPublishers?.SigningProfileVersionArns ?? []).map(publisherArn),
              provenance: { source: 'aws', arn: c.CodeSigningConfigArn, accountId, region },
            });
          }
        }
        return out;
      },
    );
    result.codeSigningConfigs = cscs ?? [];
    await Promise.all(
      result.codeSigningConfigs.map((csc) =>
        attempt('lambda', 'ListFunctionsByCodeSigningConfig', ['cscAttachments'], async () => {
          for await (const page of paginateListFunctionsByCodeSigningConfig(
            { client: lambda },
            { CodeSigningConfigArn: csc.arn, MaxItems: 10000 },
          )) {
            for (const fnArn of page.FunctionArns ?? []) attachment.set(unqualified(fnArn), csc.id);
          }
        }),
      ),
    );
  };

  const lambdaLane = async () => {
    const functions = new Map<string, LambdaFunction>();
    const versions: FunctionConfiguration[] = [];
    const listing = attempt('lambda', 'ListFunctions', ['functions', 'versions', 'layers'], async () => {
      for await (const page of paginateListFunctions(
        { client: lambda },
        { FunctionVersion: 'ALL', MaxItems: 50 },
      )) {
        for (const config of page.Functions ?? []) {
          if (!config.FunctionArn || !config.FunctionName) continue;
          if (config.Version && config.Version !== '$LATEST') {
            versions.push(config);
            continue;
          }
          const arn = unqualified(config.FunctionArn);
          functions.set(arn, {
            id: arn,
            name: config.FunctionName,
            accountId,
            region,
            packageType: config.PackageType === 'Image' ? 'Image' : 'Zip',
            ...(config.Runtime ? { runtime: config.Runtime } : {}),
            codeSigningConfig: { state: 'none' },
            tags: {},
            versions: [],
            aliases: {},
            ...codeState(config),
            provenance: { source: 'aws', arn, accountId, region },
          });
        }
        // Functions, not their published versions (FunctionVersion=ALL lists both).
        progress?.functionsSeen(
          (page.Functions ?? []).filter((c) => !c.Version || c.Version === '$LATEST').length,
        );
      }
    });
    await Promise.all([cscChain(), listing]);
    for (const [arn, fn] of functions) {
      const cscId = attachment.get(arn);
      if (cscId) fn.codeSigningConfig = { state: 'attached', id: cscId };
    }
    for (const config of versions) {
      const fn = functions.get(unqualified(config.FunctionArn!));
      if (!fn) continue;
      const version: PublishedVersion = {
        version: config.Version!,
        arn: config.FunctionArn!,
        aliases: [],
        ...codeState(config),
      };
      fn.versions.push(version);
    }
    result.functions = [...functions.values()];
    const layers = new Map<string, LayerVersion>();
    for (const fn of result.functions) {
      for (const layer of [...fn.layers, ...fn.versions.flatMap((v) => v.layers)]) {
        if (!layer.arn || layers.has(layer.arn)) continue;
        const parsed = parseLayerVersionArn(layer.arn);
        layers.set(layer.arn, {
          id: layer.arn,
          arn: layer.arn,
          layerName: parsed?.layerName ?? layer.arn,
          ...(parsed ? { version: parsed.version, accountId: parsed.accountId } : {}),
          region: parsed?.region ?? region,
          ...(layer.signingProfileVersionArn
            ? { signingProfileVersionArn: layer.signingProfileVersionArn }
            : {}),
          ...(layer.signingJobArn ? { signingJobArn: layer.signingJobArn } : {}),
          provenance: { source: 'aws', arn: layer.arn, accountId, region },
        });
      }
    }
    result.layerVersions = [...layers.values()];
  };

  const tagLane = async () => {
    const tags = new Map<string, Record<string, string>>();
    await attempt('tagging', 'GetResources', ['tags'], async () => {
      for await (const page of paginateGetResources(
        { client: tagging },
        { ResourceTypeFilters: ['lambda:function'], ResourcesPerPage: 100 },
      )) {
        for (const mapping of page.ResourceTagMappingList ?? []) {
          if (!mapping.ResourceARN) continue;
          tags.set(
            unqualified(mapping.ResourceARN),
            Object.fromEntries((mapping.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
          );
        }
      }
    });
    return tags;
  };

  const signerLane = async () => {
    const profiles = await attempt('signer', 'ListSigningProfiles', ['signingProfiles'], async () => {
      const out: SigningProfile[] = [];
      for await (const page of paginateListSigningProfiles(
        { client: signer },
        { includeCanceled: true, statuses: ['Active', 'Canceled', 'Revoked'], maxResults: 25 },
      )) {
        for (const p of page.profiles ?? []) {
          if (!p.profileName || !p.arn) continue;
          const validity = p.signatureValidityPeriod;
          out.push({
            id: p.profileVersionArn ?? p.arn,
            name: p.profileName,
            arn: p.arn,
            accountId,
            region,
            ...(p.profileVersion ? { profileVersion: p.profileVersion } : {}),
            ...(p.profileVersionArn ? { profileVersionArn: p.profileVersionArn } : {}),
            ...(p.platformId ? { platformId: p.platformId } : {}),
            status:
              p.status === 'Active' || p.status === 'Canceled' || p.status === 'Revoked'
                ? p.status
                : 'Unknown',
            ...(validity?.value !== undefined && validity.type
              ? { signatureValidity: { value: validity.value, type: validity.type } }
              : {}),
            ...(p.tags ? { tags: p.tags } : {}),
            provenance: { source: 'aws', arn: p.arn, accountId, region },
          });
        }
      }
      return out;
    });
    result.signingProfiles = profiles ?? [];
    // Revocation time and permissions are not in the list: ask only for the few profiles that need it.
    await Promise.all(
      result.signingProfiles.map(async (profile) => {
        if (profile.status === 'Revoked') {
          const detail = await attempt('signer', 'GetSigningProfile', ['signingProfiles'], () =>
            signer.send(new GetSigningProfileCommand({ profileName: profile.name })),
          );
          const from = iso(detail?.revocationRecord?.revocationEffectiveFrom);
          if (from) profile.revocationEffectiveFrom = from;
        }
        if (profile.status === 'Active') {
          const perms = await attempt('signer', 'ListProfilePermissions', ['signingProfiles'], () =>
            signer.send(new ListProfilePermissionsCommand({ profileName: profile.name })),
          );
          profile.permissions = (perms?.permissions ?? []).map((p) => ({
            statementId: p.statementId ?? '',
            principal: p.principal ?? '',
            action: p.action ?? '',
          }));
        }
      }),
    );
    const jobs = new Map<string, SigningJob>();
    const addJobs = async (filter: { isRevoked?: boolean; signatureExpiresBefore?: Date }) => {
      for await (const page of paginateListSigningJobs({ client: signer }, { ...filter, maxResults: 25 })) {
        for (const j of page.jobs ?? []) {
          if (!j.jobId) continue;
          const owner = j.jobOwner ?? accountId;
          const jobArn = signingJobArn(target.partition, region, owner, j.jobId);
          jobs.set(jobArn, {
            jobId: j.jobId,
            jobArn,
            accountId: owner,
            region,
            ...(j.profileName ? { profileName: j.profileName } : {}),
            ...(j.profileVersion ? { profileVersion: j.profileVersion } : {}),
            ...(j.status ? { status: j.status } : {}),
            // Listed by the isRevoked=true query: revoked, whether or not the summary repeats the flag.
            isRevoked:
              filter.isRevoked === true || Boolean(j.isRevoked) || (jobs.get(jobArn)?.isRevoked ?? false),
            ...(iso(j.createdAt) ? { createdAt: iso(j.createdAt) } : {}),
            ...(iso(j.signatureExpiresAt) ? { signatureExpiresAt: iso(j.signatureExpiresAt) } : {}),
          });
        }
      }
    };
    await attempt('signer', 'ListSigningJobs', ['signingJobs'], async () => {
      await addJobs({ isRevoked: true });
      await addJobs({ signatureExpiresBefore: now });
    });
    result.signingJobs = [...jobs.values()];
  };

  const [, tags] = await Promise.all([lambdaLane(), tagLane(), signerLane()]);
  await describeJobsOfRevokedProfiles(signer, target, result, attempt);
  await collectAliases(lambda, result, attempt, regionTrustContext(target, result, failed, now));
  for (const fn of result.functions) fn.tags = tags.get(fn.id) ?? {};
  // Only the parts this collector reads: CloudTrail, IAM and SCPs are the governance collector's to report.
  result.coverage = REGION_PARTS.map((part) => ({
    accountId,
    region,
    part,
    status: failed.has(part) ? 'failed' : 'ok',
  }));
  return result;
}
