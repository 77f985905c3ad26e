import type { TrailEvent } from '../model/governance.js';
import { GLOBAL_REGION } from '../model/values.js';
import {
  accountRef,
  eventEvidence,
  eventFunctionName,
  eventSentence,
  firstGrant,
  GRANT_PARTS,
  governanceView,
  grantDetail,
  grantText,
  IAM_PARTS,
  iamMissing,
  matchesAny,
  needsPipeline,
  principalRef,
  regionalGap,
  TAMPER_ACTIONS,
  trailEvents,
} from './governance.js';
import { defineRule, type RuleContext, type RuleOutcome } from './rule.js';

/** Who can (IAM, per account: region `global`) and who did (CloudTrail, per account-region). */
type Target = { kind: 'iam' | 'events'; accountId: string; region: string };

/** What a successful event did to enforcement, or undefined when it did not weaken it. */
function weakening(ctx: RuleContext, e: TrailEvent): string | undefined {
  if (e.errorCode) return undefined;
  const params = e.requestParameters ?? {};
  if (e.eventName === 'DeleteFunctionCodeSigningConfig')
    return `detached the code signing config from function ${eventFunctionName(e) ?? '?'}`;
  if (e.eventName === 'DeleteCodeSigningConfig')
    return `deleted code signing config ${String(params.codeSigningConfigArn ?? '?')}`;
  if (e.eventName === 'UpdateCodeSigningConfig') {
    const policies = params.codeSigningPolicies as { untrustedArtifactOnDeployment?: unknown } | undefined;
    if (policies?.untrustedArtifactOnDeployment === 'Warn')
      return `set code signing config ${String(params.codeSigningConfigArn ?? '?')} to Warn (downgrade from Enforce)`;
    return undefined;
  }
  if (e.eventName === 'PutFunctionCodeSigningConfig') {
    const arn = String(params.codeSigningConfigArn ?? '');
    const csc = ctx.index.cscById.get(arn);
    if (csc && csc.policy === 'Warn')
      return `attached Warn-mode code signing config ${arn} to function ${eventFunctionName(e) ?? '?'}`;
  }
  return undefined;
}

function iamCheck(ctx: RuleContext, accountId: string): RuleOutcome[] {
  const account = accountRef(ctx, accountId);
  const unconfigured = needsPipeline(ctx, account, 'admins');
  if (unconfigured) return [unconfigured];
  const { admins, deployers } = ctx.policy.pipeline!;
  const view = governanceView(ctx);
  const principals = view.principalsOf(accountId);
  if (!principals) return [iamMissing(ctx, accountId)];
  const functions = ctx.snapshot.functions.filter((f) => f.accountId === accountId).map((f) => f.id);
  const cscs = ctx.snapshot.codeSigningConfigs
    .filter((c) => c.accountId === accountId && c.arn)
    .map((c) => c.arn!);
  if (functions.length === 0 && cscs.length === 0)
    return [
      {
        status: 'NOT_APPLICABLE',
        resource: account,
        message: `Account ${accountId} has no functions or code signing configs to weaken.`,
        requires: IAM_PARTS,
      },
    ];
  const outcomes: RuleOutcome[] = [];
  for (const p of principals) {
    if (p.serviceLinked || matchesAny([...admins, ...deployers], p.arn)) continue;
    const grant =
      firstGrant(view, p, TAMPER_ACTIONS.slice(0, 2), functions) ??
      firstGrant(view, p, TAMPER_ACTIONS.slice(2), cscs);
    if (!grant) continue;
    outcomes.push({
      status: grant.evaluation.decision === 'conditional' ? 'UNKNOWN' : 'FAIL',
      resource: principalRef(p),
      message: `${p.kind} ${p.name} is neither a configured admin nor deployer but can weaken code signing: ${grantText(grant)}. Remove the permission or deny it outside pipeline.admins.`,
      details: { grant: grantDetail(grant), admins, deployers },
      requires: GRANT_PARTS,
    });
  }
  if (outcomes.length === 0) {
    const gap = regionalGap(ctx, accountId, ['functions', 'codeSigningConfigs']);
    outcomes.push({
      status: gap ? 'UNKNOWN' : 'PASS',
      resource: account,
      message: gap
        ? `Cannot tell: ${gap}.`
        : `Only pipeline.admins and pipeline.deployers can detach, replace or downgrade code signing configs in ${accountId}.`,
      requires: IAM_PARTS,
    });
  }
  return outcomes;
}

function eventsCheck(ctx: RuleContext, accountId: string, region: string): RuleOutcome {
  const resource = accountRef(ctx, accountId, region);
  const days = ctx.policy.lookbackDays ?? 30;
  const found = trailEvents(ctx)
    .filter((e) => e.accountId === accountId && e.region === region)
    .flatMap((e) => {
      const what = weakening(ctx, e);
      return what ? [{ e, what }] : [];
    });
  if (found.length === 0)
    return {
      status: 'PASS',
      resource,
      message: `No code signing config was detached, deleted or downgraded in ${accountId}/${region} in the last ${days} days.`,
      requires: ['cloudtrail'],
    };
  return {
    status: 'FAIL',
    resource,
    message: `Code signing was weakened in ${accountId}/${region} in the last ${days} days (even if set back since): ${found
      .map(({ e, what }) => `${what} — ${eventSentence(e)}`)
      .join('; ')}.`,
    details: { events: found.map(({ e, what }) => ({ ...eventEvidence(e), change: what })) },
    requires: ['cloudtrail'],
  };
}

export const codeSigningTamperAccess = defineRule<Target>({
  meta: {
    id: 'SGN-013',
    slug: 'code-signing-tamper-access',
    title: 'Only admins and deployers can weaken code signing, and nobody did',
    severity: 'high',
    rationale:
      'Detaching a code signing config or switching it from Enforce to Warn turns signing off for the next deployment; whoever can do it can bypass signing, and a downgrade that was set back afterwards still let unverified code in.',
    remediation:
      'Limit DeleteFunctionCodeSigningConfig, PutFunctionCodeSigningConfig, UpdateCodeSigningConfig and DeleteCodeSigningConfig to pipeline.admins/deployers (an SCP deny with an aws:PrincipalArn exception makes CSCs sticky); investigate each weakening event and what was deployed while it lasted.',
    resourceType: 'account',
    requires: ['iam', 'organizationPolicies', 'cloudtrail', 'functions', 'codeSigningConfigs'],
    sources: ['aws'],
  },
  targets: (ctx) => {
    const out: Target[] = [];
    for (const { accountId } of ctx.snapshot.accounts) {
      out.push({ kind: 'iam', accountId, region: GLOBAL_REGION });
      // Every account-region the scan recorded: where CloudTrail was not read, the engine answers UNKNOWN.
      const regions = new Set(
        ctx.snapshot.coverage
          .filter((c) => c.accountId === accountId && c.region !== GLOBAL_REGION)
          .map((c) => c.region),
      );
      for (const region of [...regions].sort()) out.push({ kind: 'events', accountId, region });
    }
    return out;
  },
  resourceOf: (t, ctx) => accountRef(ctx, t.accountId, t.region),
  check: (ctx, t) =>
    t.kind === 'iam' ? iamCheck(ctx, t.accountId) : eventsCheck(ctx, t.accountId, t.region),
});
