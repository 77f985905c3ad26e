import { functionRef } from '../model/refs.js';
import type { LambdaFunction } from '../model/snapshot.js';
import { judgeSignature } from '../model/trust.js';
import { defineRule, type RuleOutcome } from './rule.js';
import { imageNotApplicable, isImage } from './support.js';

export const deployedSignatureTrusted = defineRule<LambdaFunction>({
  meta: {
    id: 'SGN-005',
    slug: 'deployed-signature-trusted',
    title: "Lambda function's deployed code is signed by a publisher its CSC still trusts",
    severity: 'high',
    productionSeverity: 'critical',
    rationale:
      'A signature made by a profile that has since been revoked (from before the signature) or removed from the CSC, a revoked signing job or an expired signature no longer vouches for the running code — and Lambda does not re-check deployed code.',
    remediation:
      'Re-sign the package with an active profile version that the CSC allows and redeploy; revoke the old signature if it was compromised.',
    planner: 'manual-step',
    resourceType: 'function',
    requires: ['functions', 'cscAttachments', 'codeSigningConfigs', 'signingProfiles', 'signingJobs'],
    sources: ['aws'],
  },
  targets: (ctx) => ctx.snapshot.functions,
  resourceOf: functionRef,
  check(ctx, fn): RuleOutcome {
    const resource = functionRef(fn);
    if (isImage(fn)) return imageNotApplicable(fn);
    if (!fn.signingProfileVersionArn) {
      return {
        status: 'NOT_APPLICABLE',
        resource,
        message: `${fn.name}'s code is not signed (see SGN-004).`,
        requires: ['functions'],
      };
    }
    const verdict = judgeSignature(ctx, fn, fn.signingProfileVersionArn, fn.signingJobArn, fn.lastModified);
    const details = {
      signingProfileVersionArn: fn.signingProfileVersionArn,
      signingJobArn: fn.signingJobArn,
    };
    if (verdict.verdict === 'trusted')
      return {
        status: 'PASS',
        resource,
        message: `${fn.name}'s code signature is still trusted.`,
        details,
      };
    if (verdict.verdict === 'unknown')
      return {
        status: 'UNKNOWN',
        resource,
        message: `Cannot verify ${fn.name}'s code signature: ${verdict.reason}.`,
        details,
      };
    return {
      status: 'FAIL',
      resource,
      message: `${fn.name}'s running code is no longer trusted: ${verdict.reason}; re-sign with an allowed, active profile and redeploy.`,
      details,
    };
  },
});
