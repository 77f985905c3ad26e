import { evaluateRequest, type Policy } from '../iam/index.js';
import { GLOBAL_REGION } from '../model/values.js';
import { accountRef, citationDetail, citationText, governanceView } from './governance.js';
import { defineRule, type RuleOutcome } from './rule.js';

/** What the probe principal may do without SCPs: everything (so only SCPs decide). */
const ALLOW_ALL: Policy = {
  id: 'probe identity (allows everything)',
  kind: 'identity',
  statements: [{ index: 0, effect: 'Allow', action: ['*'], resource: ['*'] }],
};

export const preventiveScp = defineRule<string>({
  meta: {
    id: 'SGN-014',
    slug: 'preventive-scp',
    title: 'An SCP denies creating Lambda functions without a code signing config in every account',
    severity: 'medium',
    rationale:
      'Detective rules find unsigned functions after the fact; a service control policy that denies lambda:CreateFunction without lambda:CodeSigningConfigArn stops them being created at all, whatever IAM allows.',
    remediation:
      'Attach an SCP with {"Effect":"Deny","Action":"lambda:CreateFunction","Resource":"*","Condition":{"Null":{"lambda:CodeSigningConfigArn":"true"}}} to the root or the OUs of every workload account (`signet guardrails scp` writes one); keep workloads out of the management account, where SCPs never apply.',
    resourceType: 'account',
    requires: ['organizationPolicies'],
    sources: ['aws'],
  },
  targets: (ctx) => ctx.snapshot.accounts.map((a) => a.accountId),
  resourceOf: (accountId, ctx) => accountRef(ctx, accountId),
  check(ctx, accountId): RuleOutcome {
    const resource = accountRef(ctx, accountId);
    const scp = governanceView(ctx).scps(accountId);
    const hasFunctions = ctx.snapshot.functions.some((f) => f.accountId === accountId);
    if (!scp) {
      // No organisation data at all: the engine answers UNKNOWN from coverage (requires).
      const cause = ctx.index.errorFor('organizationPolicies', accountId, GLOBAL_REGION);
      return {
        status: 'UNKNOWN',
        resource,
        message: `Cannot tell: the organisation's SCPs were not collected${cause ? ` (${cause})` : ''}; scan from the management account or a delegated administrator.`,
        details: { missingPart: 'organizationPolicies' },
      };
    }
    if (!scp.apply) {
      const management = scp.note?.includes('management');
      if (management && !hasFunctions)
        return {
          status: 'NOT_APPLICABLE',
          resource,
          message: `${accountId} is the management account: SCPs never apply to it, and it runs no Lambda functions — keep it that way.`,
        };
      return {
        status: 'FAIL',
        resource,
        message: management
          ? `${accountId} is the management account, where SCPs never apply, yet it runs Lambda functions: move workloads to member accounts.`
          : `${accountId} is ${scp.note ?? 'outside SCPs'}: no SCP can prevent unsigned functions there; join it to an organisation and attach the code-signing SCP.`,
        details: { note: scp.note },
      };
    }
    if (scp.unreadable.length)
      return {
        status: 'UNKNOWN',
        resource,
        message: `Cannot prove the guardrail: ${scp.unreadable.join('; ')}.`,
      };
    const region = ctx.snapshot.regions[0] ?? 'us-east-1';
    const partition = ctx.snapshot.partition ?? 'aws';
    const probe = {
      principal: `arn:${partition}:iam::${accountId}:role/signet-scp-probe`,
      action: 'lambda:CreateFunction',
      resource: `arn:${partition}:lambda:${region}:${accountId}:function:signet-scp-probe`,
    };
    const unsigned = evaluateRequest(probe, { identity: [ALLOW_ALL], scps: scp.levels });
    const levels = scp.levels.map((l) => l.map((p) => p.id));
    if (unsigned.decision === 'explicit-deny') {
      return {
        status: 'PASS',
        resource,
        message: `An SCP denies lambda:CreateFunction without a code signing config in ${accountId}: ${unsigned.deniedBy.map(citationText).join('; ')}.`,
        details: { deniedBy: unsigned.deniedBy.map(citationDetail), scps: levels },
      };
    }
    if (unsigned.decision === 'implicit-deny') {
      return {
        status: 'PASS',
        resource,
        message: `The SCPs of ${accountId} allow no lambda:CreateFunction at all (${unsigned.reason ?? 'no Allow'}).`,
        details: { scps: levels },
      };
    }
    if (unsigned.decision === 'conditional') {
      return {
        status: 'UNKNOWN',
        resource,
        message: `The SCPs of ${accountId} deny unsigned CreateFunction only under conditions Signet cannot evaluate (${unsigned.deniedBy.map(citationText).join('; ')}); check them by hand.`,
        details: { scps: levels },
      };
    }
    return {
      status: 'FAIL',
      resource,
      message: `No SCP on ${accountId} (root, OUs or account) denies lambda:CreateFunction without lambda:CodeSigningConfigArn: ${levels.flat().length} SCP(s) evaluated. Attach the code-signing guardrail (signet guardrails scp).`,
      details: { scps: levels },
    };
  },
});
