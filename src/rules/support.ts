// Shared pieces of rule logic: UNKNOWN when data is missing, publisher trust, signature trust.
import { functionRef, parseSigningProfileArn } from '../engine/index-snapshot.js';
import type { ResourceRef } from '../model/finding.js';
import type {
  CodeSigningConfig,
  LambdaFunction,
  PublisherRef,
  SigningProfile,
  SnapshotPart,
} from '../model/snapshot.js';
import { matchWildcard } from '../util/wildcard.js';
import type { RuleContext, RuleOutcome } from './rule.js';

/** Marker IaC adapters use for a publisher that names a profile ARN where a version ARN is required. */
export const PROFILE_ARN_NOT_VERSION = 'profile-arn-not-version:';

/** `*` wildcard match in linear time (see src/util/wildcard.ts). */
export function wildcard(pattern: string, value: string): boolean {
  return matchWildcard(pattern, value);
}

/** UNKNOWN outcome when a required part was not collected for the resource's account/region. */
export function unknownIfMissing(
  ctx: RuleContext,
  parts: readonly SnapshotPart[],
  resource: ResourceRef,
): RuleOutcome | undefined {
  const missing = ctx.index.missingPart(parts, resource.accountId, resource.region);
  if (!missing) return undefined;
  const cause = ctx.index.errorFor(missing.part, resource.accountId, resource.region);
  return {
    status: 'UNKNOWN',
    resource,
    message: `Cannot tell: ${missing.part} ${missing.status === 'failed' ? 'could not be collected' : 'were not collected'} for ${resource.accountId ?? '?'}/${resource.region ?? '?'}${cause ? ` (${cause})` : ''}; fix access and scan again.`,
    details: { missingPart: missing.part },
  };
}

export function isImage(fn: LambdaFunction): boolean {
  return fn.packageType === 'Image';
}

export function imageNotApplicable(fn: LambdaFunction): RuleOutcome {
  return {
    status: 'NOT_APPLICABLE',
    resource: functionRef(fn),
    message:
      'Container-image functions do not support Lambda code signing; verify images with ECR image signing instead.',
  };
}

export function attachedCsc(ctx: RuleContext, fn: LambdaFunction): CodeSigningConfig | undefined {
  return fn.codeSigningConfig.state === 'attached'
    ? ctx.index.cscById.get(fn.codeSigningConfig.id)
    : undefined;
}

export type PublisherVerdict =
  | { ok: true; profile?: SigningProfile; note?: string }
  | { ok: false; unknown?: boolean; reason: string; profile?: SigningProfile };

function trustedByConfig(ctx: RuleContext, arn: string, accountId: string): boolean {
  return (
    ctx.policy.trustedAccounts.includes(accountId) ||
    ctx.policy.trustedSigningProfiles.some((p) => wildcard(p, arn))
  );
}

/**
 * Is a signing profile version ARN a publisher Signet can trust? Active profile versions of scanned
 * accounts are; cancelled, revoked and unknown versions are not; other accounts' profiles only when the
 * config trusts them. A config allow-list (`trust.signingProfiles`) also restricts scanned accounts.
 */
export function judgeProfileVersionArn(ctx: RuleContext, arn: string): PublisherVerdict {
  const parsed = parseSigningProfileArn(arn);
  if (!parsed) return { ok: false, reason: `'${arn}' is not a signing profile version ARN` };
  if (!parsed.profileVersion) {
    return {
      ok: false,
      reason: `'${arn}' is a signing profile ARN, not a profile *version* ARN, so it never matches a signature`,
    };
  }
  const allowList = ctx.policy.trustedSigningProfiles;
  const profile = ctx.index.profilesByVersionArn.get(arn);
  if (!ctx.index.scannedAccounts.has(parsed.accountId) || ctx.snapshot.source === 'iac') {
    if (trustedByConfig(ctx, arn, parsed.accountId)) return { ok: true, note: 'trusted by configuration' };
    if (ctx.snapshot.source === 'iac') {
      return {
        ok: false,
        unknown: true,
        reason: `'${arn}' is defined outside these files; its status cannot be checked here`,
      };
    }
    return {
      ok: false,
      reason: `'${arn}' belongs to account ${parsed.accountId}, which is neither scanned nor trusted (add it to trust.accounts if it is your signing account)`,
    };
  }
  const coverage = ctx.index.partStatus('signingProfiles', parsed.accountId, parsed.region);
  if (!profile) {
    if (coverage !== 'ok') {
      return {
        ok: false,
        unknown: true,
        reason: `signing profiles of ${parsed.accountId}/${parsed.region} were not collected`,
      };
    }
    const sameName = ctx.snapshot.signingProfiles.find(
      (p) => p.name === parsed.profileName && p.accountId === parsed.accountId && p.region === parsed.region,
    );
    return {
      ok: false,
      reason: sameName
        ? `'${arn}' is not the current version of profile ${parsed.profileName} (current: ${sameName.profileVersion ?? '?'})`
        : `signing profile version '${arn}' does not exist`,
      ...(sameName ? { profile: sameName } : {}),
    };
  }
  if (profile.status === 'Revoked')
    return { ok: false, reason: `signing profile ${profile.name} is revoked`, profile };
  if (profile.status === 'Canceled')
    return { ok: false, reason: `signing profile ${profile.name} is cancelled`, profile };
  if (allowList.length > 0 && !allowList.some((p) => wildcard(p, arn))) {
    return { ok: false, reason: `signing profile ${profile.name} is not in trust.signingProfiles`, profile };
  }
  return { ok: true, profile };
}

/** Judges one allowed-publisher entry of a CSC (ARN, template reference or unresolved value). */
export function judgePublisher(ctx: RuleContext, ref: PublisherRef): PublisherVerdict & { label: string } {
  if (ref.unresolved !== undefined) {
    if (ref.unresolved.startsWith(PROFILE_ARN_NOT_VERSION)) {
      const what = ref.unresolved.slice(PROFILE_ARN_NOT_VERSION.length).trim();
      return {
        ok: false,
        label: what,
        reason: `${what} refers to a signing profile ARN instead of its version ARN (ProfileVersionArn / version_arn), so no signature will ever match`,
      };
    }
    return {
      ok: false,
      unknown: true,
      label: ref.unresolved,
      reason: `publisher cannot be resolved statically: ${ref.unresolved}`,
    };
  }
  if (ref.profileId !== undefined) {
    const profile = ctx.index.profilesById.get(ref.profileId);
    if (!profile)
      return { ok: false, label: ref.profileId, reason: `signing profile ${ref.profileId} is not defined` };
    if (profile.status === 'Canceled' || profile.status === 'Revoked') {
      return {
        ok: false,
        label: profile.name,
        reason: `signing profile ${profile.name} is ${profile.status.toLowerCase()}`,
        profile,
      };
    }
    if (profile.status === 'Unknown') {
      return {
        ok: false,
        unknown: true,
        label: profile.name,
        reason: `signing profile ${profile.name} is not defined in these files, so its status cannot be checked`,
        profile,
      };
    }
    return { ok: true, label: profile.name, profile };
  }
  const arn = ref.arn ?? '';
  return { ...judgeProfileVersionArn(ctx, arn), label: arn };
}

/** The version ARNs a CSC allows (template references resolved to their profile's version ARN or id). */
export function allowedVersionArns(ctx: RuleContext, csc: CodeSigningConfig): Set<string> {
  const out = new Set<string>();
  for (const ref of csc.allowedPublishers) {
    if (ref.arn) out.add(ref.arn);
    if (ref.profileId) {
      const profile = ctx.index.profilesById.get(ref.profileId);
      out.add(profile?.profileVersionArn ?? ref.profileId);
    }
  }
  return out;
}

export type SignatureVerdict = { ok: true } | { ok: false; unknown?: boolean; reason: string };

/**
 * Is deployed code (or a layer) signed by `profileVersionArn` with job `jobArn` still trusted for this
 * function: allowed by its CSC (or trusted when it has none), profile active, job not revoked, signature
 * not expired.
 */
export function judgeSignature(
  ctx: RuleContext,
  fn: LambdaFunction,
  profileVersionArn: string,
  jobArn: string | undefined,
): SignatureVerdict {
  const csc = attachedCsc(ctx, fn);
  if (csc && !allowedVersionArns(ctx, csc).has(profileVersionArn)) {
    return { ok: false, reason: `signed by ${profileVersionArn}, which the function's CSC does not allow` };
  }
  const publisher = judgeProfileVersionArn(ctx, profileVersionArn);
  if (!publisher.ok)
    return { ok: false, ...(publisher.unknown ? { unknown: true } : {}), reason: publisher.reason };
  if (!jobArn) return { ok: true };
  const job = ctx.index.jobsByArn.get(jobArn);
  const jobAccount = /:(\d{12}):\/signing-jobs\//.exec(jobArn)?.[1];
  const jobRegion = /^arn:aws[a-z-]*:signer:([a-z0-9-]+):/.exec(jobArn)?.[1];
  if (job?.isRevoked) return { ok: false, reason: `its signature (job ${job.jobId}) was revoked` };
  if (job?.signatureExpiresAt && Date.parse(job.signatureExpiresAt) <= ctx.now.getTime()) {
    return { ok: false, reason: `its signature expired on ${job.signatureExpiresAt.slice(0, 10)}` };
  }
  if (!job && jobAccount && ctx.index.partStatus('signingJobs', jobAccount, jobRegion) !== 'ok') {
    if (publisher.note === 'trusted by configuration') return { ok: true };
    return {
      ok: false,
      unknown: true,
      reason: `signing jobs of ${jobAccount}/${jobRegion ?? '?'} were not collected, so revocation and expiry cannot be checked`,
    };
  }
  const profile = publisher.profile;
  if (
    profile?.revocationEffectiveFrom &&
    job?.createdAt &&
    Date.parse(profile.revocationEffectiveFrom) <= Date.parse(job.createdAt)
  ) {
    return {
      ok: false,
      reason: `signing profile ${profile.name} was revoked before this signature was made`,
    };
  }
  return { ok: true };
}
