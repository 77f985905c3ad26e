import { functionRef } from '../model/refs.js';
import type { CodeSigningConfig, LambdaFunction } from '../model/snapshot.js';
import { defineRule, type RuleOutcome } from './rule.js';
import { attachedCsc, imageNotApplicable, isImage } from './support.js';

/** In templates the line to change is the CSC's policy (or the CSC itself when the policy is omitted). */
function policyLocation(csc: CodeSigningConfig): {
  location?: { file: string; line: number; column: number };
} {
  const p = csc.provenance;
  if (p.source !== 'iac') return {};
  const at = p.properties?.CodeSigningPolicies ?? { line: p.line, column: p.column };
  return { location: { file: p.file, ...at } };
}

export const codeSigningConfigEnforces = defineRule<LambdaFunction>({
  meta: {
    id: 'SGN-002',
    slug: 'code-signing-config-enforces',
    title: "Lambda function's code signing configuration enforces (blocks untrusted deployments)",
    severity: 'medium',
    productionSeverity: 'high',
    rationale:
      'A CSC in Warn (the default in the API, CloudFormation, Terraform and CDK) only logs unsigned or untrusted deployments and lets them through.',
    remediation:
      "Set CodeSigningPolicies.UntrustedArtifactOnDeployment to Enforce (UpdateCodeSigningConfig) once the function's pipeline deploys signed code.",
    planner: 'configuration',
    resourceType: 'function',
    requires: ['functions', 'cscAttachments', 'codeSigningConfigs'],
    sources: ['aws', 'iac'],
  },
  targets: (ctx) => ctx.snapshot.functions,
  resourceOf: functionRef,
  check(ctx, fn): RuleOutcome {
    const resource = functionRef(fn);
    if (isImage(fn)) return imageNotApplicable(fn);
    if (fn.codeSigningConfig.state === 'none') {
      return {
        status: 'NOT_APPLICABLE',
        resource,
        message: `${fn.name} has no code signing configuration (see SGN-001).`,
      };
    }
    const csc = attachedCsc(ctx, fn);
    if (!csc) {
      const reason =
        fn.codeSigningConfig.state === 'unresolved'
          ? fn.codeSigningConfig.reason
          : `CSC ${fn.codeSigningConfig.id} was not found`;
      return {
        status: 'UNKNOWN',
        resource,
        message: `Cannot tell whether ${fn.name}'s CSC enforces: ${reason}.`,
      };
    }
    const cscProperty = {
      property: 'CodeSigningPolicies',
      codeSigningConfig: csc.id,
      ...policyLocation(csc),
    };
    if (typeof csc.policy === 'object') {
      return {
        status: 'UNKNOWN',
        resource,
        message: `Cannot tell whether ${fn.name}'s CSC enforces: its policy cannot be resolved statically (${csc.policy.unresolved}).`,
        details: cscProperty,
      };
    }
    const caveat =
      csc.policySource === 'parameter-default'
        ? ` (resolved from a parameter default${csc.policyNote ? `: ${csc.policyNote}` : ''})`
        : '';
    if (csc.policy === 'Enforce') {
      return {
        status: 'PASS',
        resource,
        message: `${fn.name}'s CSC ${csc.id} enforces${caveat}.`,
        details: cscProperty,
      };
    } else {
      const how =
        csc.policySource === 'default' ? 'defaults to Warn (no policy set)' : `is set to Warn${caveat}`;
      return {
        status: 'FAIL',
        resource,
        message: `${fn.name}'s CSC ${csc.id} ${how}, so unsigned or untrusted code still deploys; switch it to Enforce.`,
        details: cscProperty,
      };
    }
  },
});
