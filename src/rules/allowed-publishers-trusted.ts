import { cscRef } from '../engine/index-snapshot.js';
import type { Rule, RuleOutcome } from './rule.js';
import { judgePublisher, unknownIfMissing } from './support.js';

export const allowedPublishersTrusted: Rule = {
  meta: {
    id: 'SGN-003',
    slug: 'allowed-publishers-trusted',
    title: "Code signing configuration's allowed publishers are active, trusted signing profile versions",
    severity: 'high',
    rationale:
      'A CSC that allows a revoked, cancelled, unknown or foreign signing profile either lets untrusted code deploy or blocks every legitimate deployment.',
    remediation:
      'Replace the offending entries in AllowedPublishers with the version ARN of an active signing profile you control (UpdateCodeSigningConfig), or trust the signing account explicitly in signet.config.yaml.',
    planner: 'update-allowed-publishers',
    resourceType: 'code-signing-config',
    requires: ['codeSigningConfigs', 'signingProfiles'],
    sources: ['aws', 'iac'],
  },
  evaluate(ctx) {
    const out: RuleOutcome[] = [];
    for (const csc of ctx.snapshot.codeSigningConfigs) {
      const resource = cscRef(csc);
      const unknown = unknownIfMissing(ctx, ['codeSigningConfigs'], resource);
      if (unknown) {
        out.push(unknown);
        continue;
      }
      const verdicts = csc.allowedPublishers.map((ref) => judgePublisher(ctx, ref));
      const failed = verdicts.filter((v) => !v.ok && !('unknown' in v && v.unknown));
      const unknowns = verdicts.filter((v) => !v.ok && 'unknown' in v && v.unknown);
      const details = { property: 'AllowedPublishers', publishers: verdicts.map((v) => v.label) };
      if (verdicts.length === 0) {
        out.push({
          status: 'FAIL',
          resource,
          message: `CSC ${resource.name} allows no publisher; add your signing profile version ARN.`,
          details,
        });
      } else if (failed.length > 0) {
        const reasons = failed.map((v) => (v.ok ? '' : v.reason)).join('; ');
        out.push({
          status: 'FAIL',
          resource,
          message: `CSC ${resource.name} allows untrusted publishers: ${reasons}; replace them with active profile versions you control.`,
          details,
        });
      } else if (unknowns.length > 0) {
        const reasons = unknowns.map((v) => (v.ok ? '' : v.reason)).join('; ');
        out.push({
          status: 'UNKNOWN',
          resource,
          message: `Cannot verify every publisher of CSC ${resource.name}: ${reasons}.`,
          details,
        });
      } else {
        out.push({
          status: 'PASS',
          resource,
          message: `CSC ${resource.name} allows only active, trusted signing profile versions.`,
          details,
        });
      }
    }
    return out;
  },
};
