import { parseSigningProfileArn } from '../model/arn.js';
import type { TrailEvent } from '../model/governance.js';
import { profileRef } from '../model/refs.js';
import type { SigningProfile } from '../model/snapshot.js';
import {
  actorArn,
  eventEvidence,
  eventSentence,
  matchesAny,
  needsPipeline,
  trailEvents,
} from './governance.js';
import { defineRule, type RuleContext, type RuleOutcome } from './rule.js';

/** Profiles (account|region|name) that some code signing config allows. */
function allowedProfiles(ctx: RuleContext): Set<string> {
  const out = new Set<string>();
  for (const csc of ctx.snapshot.codeSigningConfigs)
    for (const ref of csc.allowedPublishers) {
      const parsed = ref.kind === 'arn' ? parseSigningProfileArn(ref.arn) : undefined;
      if (parsed) out.add(`${parsed.accountId}|${parsed.region}|${parsed.profileName}`);
    }
  return out;
}

function signingEvents(ctx: RuleContext, profile: SigningProfile): TrailEvent[] {
  return trailEvents(ctx).filter((e) => {
    if (e.eventName !== 'StartSigningJob' || e.errorCode) return false;
    const name = e.requestParameters?.profileName;
    const owner = e.requestParameters?.profileOwner;
    return (
      name === profile.name &&
      e.region === profile.region &&
      (typeof owner === 'string' && owner !== '' ? owner : e.accountId) === profile.accountId
    );
  });
}

export const signedOutsidePipeline = defineRule<SigningProfile>({
  meta: {
    id: 'SGN-010',
    slug: 'signed-outside-pipeline',
    title: 'Signing jobs for trusted signing profiles are started only by the CI/CD pipeline',
    severity: 'high',
    rationale:
      'A signature from a trusted profile is what makes Lambda accept code; a person or unknown principal who starts signing jobs ("manual signing") can make any package look like it came from the pipeline.',
    remediation:
      'Find out what was signed by hand and revoke those signatures (signer:RevokeSignature) if they are not legitimate; restrict signer:StartSigningJob on the profile to the pipeline.signers roles (SGN-012).',
    resourceType: 'signing-profile',
    requires: ['signingProfiles', 'codeSigningConfigs', 'cloudtrail'],
    sources: ['aws'],
  },
  targets: (ctx) => {
    const allowed = allowedProfiles(ctx);
    return ctx.snapshot.signingProfiles.filter((p) => allowed.has(`${p.accountId}|${p.region}|${p.name}`));
  },
  resourceOf: profileRef,
  check(ctx, profile): RuleOutcome {
    const resource = profileRef(profile);
    const unconfigured = needsPipeline(ctx, resource, 'signers');
    if (unconfigured) return unconfigured;
    const signers = ctx.policy.pipeline!.signers;
    const days = ctx.policy.lookbackDays ?? 30;
    const events = signingEvents(ctx, profile);
    if (events.length === 0) {
      return {
        status: 'NOT_APPLICABLE',
        resource,
        message: `No signing job for ${profile.name} in the ${days}-day CloudTrail window.`,
        details: { lookbackDays: days },
      };
    }
    const manual = events.filter((e) => {
      const who = actorArn(e.actor);
      return !who || !matchesAny(signers, who);
    });
    const details = {
      signingJobs: events.length,
      manual: manual.map(eventEvidence),
      signers,
    };
    if (manual.length === 0) {
      return {
        status: 'PASS',
        resource,
        message: `All ${events.length} signing job(s) for ${profile.name} in the last ${days} days were started by the pipeline.`,
        details,
      };
    }
    // The most recent by time (a snapshot read from a file need not be in time order).
    const latest = manual.reduce((a, b) => (Date.parse(b.eventTime) >= Date.parse(a.eventTime) ? b : a));
    return {
      status: 'FAIL',
      resource,
      message: `${manual.length} of ${events.length} signing job(s) for ${profile.name} were started outside the pipeline, latest by ${eventSentence(latest)}; check what was signed and revoke it if needed.`,
      details,
    };
  },
});
