import { functionRef } from '../model/refs.js';
import type { LambdaFunction } from '../model/snapshot.js';
import { defineRule, type RuleOutcome } from './rule.js';
import { imageNotApplicable, isImage } from './support.js';

export const functionHasCodeSigningConfig = defineRule<LambdaFunction>({
  meta: {
    id: 'SGN-001',
    slug: 'function-has-code-signing-config',
    title: 'Lambda function has a code signing configuration',
    severity: 'high',
    productionSeverity: 'critical',
    rationale:
      'Without a code signing configuration Lambda accepts any deployment package: tampered or unauthorised code deploys silently.',
    remediation:
      'Create a code signing configuration that allows your signing profile version and attach it with PutFunctionCodeSigningConfig (or CodeSigningConfigArn in the template).',
    planner: 'configuration',
    resourceType: 'function',
    requires: ['functions', 'cscAttachments'],
    sources: ['aws', 'iac'],
  },
  targets: (ctx) => ctx.snapshot.functions,
  resourceOf: functionRef,
  check(_ctx, fn): RuleOutcome {
    const resource = functionRef(fn);
    if (isImage(fn)) return imageNotApplicable(fn);
    const csc = fn.codeSigningConfig;
    if (csc.state === 'none') {
      return {
        status: 'FAIL',
        resource,
        message: csc.note
          ? `${fn.name} has no code signing configuration when deployed with ${csc.note}, so any package deploys; if the pipeline passes a CSC, give its value (signet iac --param/--param-file), otherwise attach a CSC in Enforce mode.`
          : `${fn.name} has no code signing configuration, so any package deploys; attach a CSC in Enforce mode.`,
        details: { property: 'CodeSigningConfigArn' },
      };
    }
    if (csc.state === 'unresolved') {
      return {
        status: 'UNKNOWN',
        resource,
        message: `${fn.name} refers to a code signing configuration Signet cannot resolve (${csc.reason}); scan the stack that defines it or the live account.`,
        details: {
          property: 'CodeSigningConfigArn',
          ...(csc.arn ? { codeSigningConfigArn: csc.arn } : {}),
        },
      };
    }
    return {
      status: 'PASS',
      resource,
      message: `${fn.name} has code signing configuration ${csc.id}.`,
      details: { codeSigningConfig: csc.id },
    };
  },
});
