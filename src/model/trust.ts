// The one trust judgement over a snapshot: is a publisher (signing profile version) trusted, is a
// signature still valid. Rules and the collector's alias short-cut both use it, so they cannot disagree.
import { parseSigningJobArn, parseSigningProfileArn } from './arn.js';
import type {
  CodeSigningConfig,
  LambdaFunction,
  PublisherRef,
  SigningProfile,
  Snapshot,
} from './snapshot.js';
import type { SnapshotIndex } from './snapshot-index.js';
import { wildcard } from './wildcard.js';

/** Trust settings (from the config file), already validated. */
export interface TrustPolicy {
  /** Signing profile (version) ARNs or ARN patterns (`*` wildcard) trusted besides the scanned accounts'. */
  trustedSigningProfiles: string[];
  /** Accounts whose signing profiles are trusted (besides the scanned accounts). */
  trustedAccounts: string[];
}

export interface TrustContext {
  snapshot: Snapshot;
  index: SnapshotIndex;
  policy: TrustPolicy;
  now: Date;
}

/** Why a publisher is trusted. */
export type TrustBasis =
  /** An active profile version of a scanned account (and in the allow-list, when there is one). */
  | 'scanned-profile'
  /** A profile defined in the scanned templates. */
  | 'template-profile'
  /** Named by `trust.accounts` / `trust.signingProfiles`; Signet cannot see its status. */
  | 'configuration';

export type PublisherVerdict =
  | { verdict: 'trusted'; basis: TrustBasis; profile?: SigningProfile }
  | { verdict: 'untrusted' | 'unknown'; reason: string; profile?: SigningProfile };

export type SignatureVerdict = { verdict: 'trusted' } | { verdict: 'untrusted' | 'unknown'; reason: string };

export function attachedCsc(ctx: TrustContext, fn: LambdaFunction): CodeSigningConfig | undefined {
  return fn.codeSigningConfig.state === 'attached'
    ? ctx.index.cscById.get(fn.codeSigningConfig.id)
    : undefined;
}

function trustedByConfig(ctx: TrustContext, arn: string, accountId: string): boolean {
  return (
    ctx.policy.trustedAccounts.includes(accountId) ||
    ctx.policy.trustedSigningProfiles.some((p) => wildcard(p, arn))
  );
}

/**
 * Is a signing profile version ARN a publisher Signet can trust? Active profile versions of scanned
 * accounts are; cancelled, revoked and unknown versions are not (a cancelled one's existing signatures
 * are, in `signature` mode); other accounts' profiles only when the config trusts them. A config allow-list (`trust.signingProfiles`) also restricts scanned accounts.
 */
export function judgeProfileVersionArn(
  ctx: TrustContext,
  arn: string,
  /**
   * `publisher`: may this profile version sign what the CSC lets deploy (a revoked profile signs nothing
   * new). `signature`: may a signature it made still be trusted — a revoked profile only invalidates
   * signatures made at or after its revocation's effective time, which `judgeSignature` then checks.
   */
  mode: 'publisher' | 'signature' = 'publisher',
): PublisherVerdict {
  const parsed = parseSigningProfileArn(arn);
  if (!parsed) return { verdict: 'untrusted', reason: `'${arn}' is not a signing profile version ARN` };
  if (!parsed.profileVersion) {
    return {
      verdict: 'untrusted',
      reason: `'${arn}' is a signing profile ARN, not a profile *version* ARN, so it never matches a signature`,
    };
  }
  const allowList = ctx.policy.trustedSigningProfiles;
  const profile = ctx.index.profilesByVersionArn.get(arn);
  if (!ctx.index.scannedAccounts.has(parsed.accountId) || ctx.snapshot.source === 'iac') {
    if (trustedByConfig(ctx, arn, parsed.accountId)) return { verdict: 'trusted', basis: 'configuration' };
    if (ctx.snapshot.source === 'iac') {
      return {
        verdict: 'unknown',
        reason: `'${arn}' is defined outside these files; its status cannot be checked here`,
      };
    }
    return {
      verdict: 'untrusted',
      reason: `'${arn}' belongs to account ${parsed.accountId}, which is neither scanned nor trusted (add it to trust.accounts if it is your signing account)`,
    };
  }
  const coverage = ctx.index.partStatus('signingProfiles', parsed.accountId, parsed.region);
  if (!profile) {
    if (coverage !== 'ok') {
      return {
        verdict: 'unknown',
        reason: `signing profiles of ${parsed.accountId}/${parsed.region} were not collected`,
      };
    }
    const sameName = ctx.snapshot.signingProfiles.find(
      (p) => p.name === parsed.profileName && p.accountId === parsed.accountId && p.region === parsed.region,
    );
    return {
      verdict: 'untrusted',
      reason: sameName
        ? `'${arn}' is not the current version of profile ${parsed.profileName} (current: ${sameName.profileVersion ?? '?'})`
        : `signing profile version '${arn}' does not exist`,
      ...(sameName ? { profile: sameName } : {}),
    };
  }
  if (profile.status === 'Revoked' && mode === 'publisher') {
    const from = profile.revocationEffectiveFrom;
    return {
      verdict: 'untrusted',
      reason: `signing profile ${profile.name} is revoked${from ? ` (effective ${from})` : ''}: it signs nothing new, and Lambda rejects signatures it made from that time on`,
      profile,
    };
  }
  // Cancelling a profile only stops new signing jobs; Lambda still accepts what it signed (its checks are
  // integrity, expiry, allowed publisher and revocation). As a publisher a CSC should no longer list it;
  // a signature it made before its cancellation — every one it made — stays valid, as AWS judges it.
  if (profile.status === 'Canceled' && mode === 'publisher')
    return { verdict: 'untrusted', reason: `signing profile ${profile.name} is cancelled`, profile };
  if (allowList.length > 0 && !allowList.some((p) => wildcard(p, arn))) {
    return {
      verdict: 'untrusted',
      reason: `signing profile ${profile.name} is not in trust.signingProfiles`,
      profile,
    };
  }
  return { verdict: 'trusted', basis: 'scanned-profile', profile };
}

/** A short label for an allowed-publisher entry, for reports. */
export function publisherLabel(ctx: TrustContext, ref: PublisherRef): string {
  switch (ref.kind) {
    case 'arn':
      return ref.arn;
    case 'profile':
      return ctx.index.profilesById.get(ref.profileId)?.name ?? ref.profileId;
    case 'profile-arn-not-version':
      return ref.what;
    case 'unresolved':
      return ref.reason;
  }
}

/** Judges one allowed-publisher entry of a CSC (ARN, template reference or unresolved value). */
export function judgePublisher(ctx: TrustContext, ref: PublisherRef): PublisherVerdict & { label: string } {
  const label = publisherLabel(ctx, ref);
  switch (ref.kind) {
    case 'profile-arn-not-version':
      return {
        verdict: 'untrusted',
        label,
        reason: `${ref.what} refers to a signing profile ARN instead of its version ARN (ProfileVersionArn / version_arn), so no signature will ever match`,
      };
    case 'unresolved':
      return { verdict: 'unknown', label, reason: `publisher cannot be resolved statically: ${ref.reason}` };
    case 'profile': {
      const profile = ctx.index.profilesById.get(ref.profileId);
      if (!profile)
        return { verdict: 'untrusted', label, reason: `signing profile ${ref.profileId} is not defined` };
      if (profile.status === 'Canceled' || profile.status === 'Revoked') {
        return {
          verdict: 'untrusted',
          label,
          reason: `signing profile ${profile.name} is ${profile.status === 'Canceled' ? 'cancelled' : 'revoked'}`,
          profile,
        };
      }
      if (profile.status === 'Unknown') {
        return {
          verdict: 'unknown',
          label,
          reason: `signing profile ${profile.name} is not defined in these files, so its status cannot be checked`,
          profile,
        };
      }
      return { verdict: 'trusted', basis: 'template-profile', label, profile };
    }
    case 'arn':
      return { ...judgeProfileVersionArn(ctx, ref.arn), label };
  }
}

/** The version ARNs a CSC allows (template references resolved to their profile's version ARN or id). */
export function allowedVersionArns(ctx: TrustContext, csc: CodeSigningConfig): Set<string> {
  const out = new Set<string>();
  for (const ref of csc.allowedPublishers) {
    if (ref.kind === 'arn') out.add(ref.arn);
    if (ref.kind === 'profile') {
      const profile = ctx.index.profilesById.get(ref.profileId);
      out.add(profile?.profileVersionArn ?? ref.profileId);
    }
  }
  return out;
}

/**
 * AWS Signer's revocation semantics (RevokeSigningProfile): signatures a revoked profile version made
 * *before* the revocation's effective time stay valid; those made at or after it are not trusted
 * (AWS: "Signatures generated using the signing profile after this timestamp are not trusted"; the
 * instant itself counts as revoked, the conservative reading). The signing time is the job's `createdAt`;
 * without it, the code's last modification is an upper bound (a signature precedes its deployment).
 */
function judgeRevokedProfile(
  profile: SigningProfile,
  signedAt: string | undefined,
  signedBefore: string | undefined,
): SignatureVerdict {
  const from = profile.revocationEffectiveFrom;
  if (!from) {
    return {
      verdict: 'unknown',
      reason: `signing profile ${profile.name} is revoked but its revocation time could not be read, so whether this signature predates it is unknown`,
    };
  }
  const effective = Date.parse(from);
  if (signedAt !== undefined && Number.isFinite(Date.parse(signedAt))) {
    if (Date.parse(signedAt) >= effective) {
      return {
        verdict: 'untrusted',
        reason: `it was signed at ${signedAt}, after signing profile ${profile.name}'s revocation took effect (${from})`,
      };
    }
    return { verdict: 'trusted' };
  }
  if (signedBefore !== undefined && Date.parse(signedBefore) < effective) return { verdict: 'trusted' };
  return {
    verdict: 'unknown',
    reason: `signing profile ${profile.name} is revoked from ${from} and the signature's time could not be read, so it may have been made after that`,
  };
}

/**
 * Is deployed code (or a layer) signed by `profileVersionArn` with job `jobArn` still trusted for this
 * function: allowed by its CSC (or trusted when it has none), profile active (or revoked only after the
 * signature was made), job not revoked (RevokeSignature), signature not expired. `signedBefore` is when
 * the code was last deployed (an upper bound for the signing time).
 */
export function judgeSignature(
  ctx: TrustContext,
  fn: LambdaFunction,
  profileVersionArn: string,
  jobArn: string | undefined,
  signedBefore?: string,
): SignatureVerdict {
  const csc = attachedCsc(ctx, fn);
  if (csc && !allowedVersionArns(ctx, csc).has(profileVersionArn)) {
    return {
      verdict: 'untrusted',
      reason: `signed by ${profileVersionArn}, which the function's CSC does not allow`,
    };
  }
  const publisher = judgeProfileVersionArn(ctx, profileVersionArn, 'signature');
  if (publisher.verdict !== 'trusted') return { verdict: publisher.verdict, reason: publisher.reason };
  const profile = publisher.profile;
  const job = jobArn ? ctx.index.jobsByArn.get(jobArn) : undefined;
  const parsedJob = jobArn ? parseSigningJobArn(jobArn) : undefined;
  if (job?.isRevoked) return { verdict: 'untrusted', reason: `its signature (job ${job.jobId}) was revoked` };
  if (job?.signatureExpiresAt && Date.parse(job.signatureExpiresAt) <= ctx.now.getTime()) {
    return {
      verdict: 'untrusted',
      reason: `its signature expired on ${job.signatureExpiresAt.slice(0, 10)}`,
    };
  }
  if (
    !job &&
    parsedJob &&
    publisher.basis !== 'configuration' &&
    ctx.index.partStatus('signingJobs', parsedJob.accountId, parsedJob.region) !== 'ok'
  ) {
    return {
      verdict: 'unknown',
      reason: `signing jobs of ${parsedJob.accountId}/${parsedJob.region} were not collected, so revocation and expiry cannot be checked`,
    };
  }
  if (profile?.status === 'Revoked') return judgeRevokedProfile(profile, job?.createdAt, signedBefore);
  return { verdict: 'trusted' };
}
