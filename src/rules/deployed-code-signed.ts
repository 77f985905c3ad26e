import { functionRef } from '../model/refs.js';
import type { LambdaFunction } from '../model/snapshot.js';
import { attachedCsc } from '../model/trust.js';
import { defineRule, type RuleOutcome } from './rule.js';
import { imageNotApplicable, isImage } from './support.js';

export const deployedCodeSigned = defineRule<LambdaFunction>({
  meta: {
    id: 'SGN-004',
    slug: 'deployed-code-signed',
    title: "Lambda function's deployed code is signed",
    severity: 'high',
    productionSeverity: 'critical',
    rationale:
      'Lambda validates signatures only at deploy time: code deployed before the CSC was attached, or let through by Warn, keeps running unsigned until the next deployment.',
    remediation: 'Sign the package with AWS Signer and redeploy it (signet sign), then enforce the CSC.',
    planner: 'manual-step',
    resourceType: 'function',
    requires: ['functions'],
    sources: ['aws'],
  },
  targets: (ctx) => ctx.snapshot.functions,
  resourceOf: functionRef,
  check(ctx, fn): RuleOutcome {
    const resource = functionRef(fn);
    if (isImage(fn)) return imageNotApplicable(fn);
    if (fn.signingProfileVersionArn) {
      return {
        status: 'PASS',
        resource,
        message: `${fn.name}'s deployed code is signed by ${fn.signingProfileVersionArn}.`,
        details: { signingProfileVersionArn: fn.signingProfileVersionArn, signingJobArn: fn.signingJobArn },
      };
    }
    const csc = attachedCsc(ctx, fn);
    const why = !csc
      ? fn.codeSigningConfig.state === 'attached'
        ? 'its CSC is attached, yet the code predates it'
        : 'it has no CSC'
      : csc.policy === 'Warn'
        ? 'its CSC is in Warn, which let the unsigned deployment through or it predates the CSC'
        : 'it was deployed before its Enforce CSC was attached';
    return {
      status: 'FAIL',
      resource,
      message: `${fn.name} is running unsigned code (${why}); sign the package and redeploy it.`,
      details: { lastModified: fn.lastModified },
    };
  },
});
