import { cscRef } from '../model/refs.js';
import type { CodeSigningConfig } from '../model/snapshot.js';
import { judgePublisher } from '../model/trust.js';
import { defineRule, type RuleOutcome } from './rule.js';

export const allowedPublishersTrusted = defineRule<CodeSigningConfig>({
  meta: {
    id: 'SGN-003',
    slug: 'allowed-publishers-trusted',
    title: "Code signing configuration's allowed publishers are active, trusted signing profile versions",
    severity: 'high',
    rationale:
      'A CSC that allows a revoked, cancelled, unknown or foreign signing profile either lets untrusted code deploy or blocks every legitimate deployment.',
    remediation:
      'Replace the offending entries in AllowedPublishers with the version ARN of an active signing profile you control (UpdateCodeSigningConfig), or trust the signing account explicitly in signet.config.yaml.',
    planner: 'configuration',
    resourceType: 'code-signing-config',
    requires: ['codeSigningConfigs', 'signingProfiles'],
    sources: ['aws', 'iac'],
  },
  targets: (ctx) => ctx.snapshot.codeSigningConfigs,
  resourceOf: cscRef,
  check(ctx, csc): RuleOutcome {
    const resource = cscRef(csc);
    const verdicts = csc.allowedPublishers.map((ref) => judgePublisher(ctx, ref));
    const failed = verdicts.flatMap((v) => (v.verdict === 'untrusted' ? [v.reason] : []));
    const unknowns = verdicts.flatMap((v) => (v.verdict === 'unknown' ? [v.reason] : []));
    const details = { property: 'AllowedPublishers', publishers: verdicts.map((v) => v.label) };
    if (verdicts.length === 0) {
      return {
        status: 'FAIL',
        resource,
        message: `CSC ${resource.name} allows no publisher; add your signing profile version ARN.`,
        details,
      };
    } else if (failed.length > 0) {
      return {
        status: 'FAIL',
        resource,
        message: `CSC ${resource.name} allows untrusted publishers: ${failed.join('; ')}; replace them with active profile versions you control.`,
        details,
      };
    } else if (unknowns.length > 0) {
      return {
        status: 'UNKNOWN',
        resource,
        message: `Cannot verify every publisher of CSC ${resource.name}: ${unknowns.join('; ')}.`,
        details,
      };
    } else {
      return {
        status: 'PASS',
        resource,
        message: `CSC ${resource.name} allows only active, trusted signing profile versions.`,
        details,
      };
    }
  },
});
