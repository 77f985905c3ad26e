import type { Policy } from '../iam/index.js';
import { parsePolicy } from '../iam/index.js';
import { parseSigningProfileArn } from '../model/arn.js';
import {
  accountRef,
  DEPLOY_ACTIONS,
  firstGrant,
  GRANT_PARTS,
  type Grant,
  governanceView,
  grantDetail,
  grantText,
  IAM_PARTS,
  iamMissing,
  principalRef,
  regionalGap,
  SIGN_ACTION,
} from './governance.js';
import { defineRule, type RuleContext, type RuleOutcome } from './rule.js';

/** Signing profile ARNs (not version ARNs) that some code signing config allows. */
export function allowedProfileArns(ctx: RuleContext): string[] {
  const out = new Set<string>();
  for (const csc of ctx.snapshot.codeSigningConfigs)
    for (const ref of csc.allowedPublishers) {
      if (ref.kind !== 'arn') continue;
      const p = parseSigningProfileArn(ref.arn);
      if (p)
        out.add(`arn:${p.partition}:signer:${p.region}:${p.accountId}:/signing-profiles/${p.profileName}`);
    }
  return [...out].sort();
}

/** The profile's cross-account permissions (AddProfilePermission) as a resource policy. */
export function profilePermissionPolicy(ctx: RuleContext, profileArn: string): Policy[] {
  const profile = ctx.index.profilesByArn.get(profileArn);
  const permissions = profile?.permissions ?? [];
  if (permissions.length === 0) return [];
  return [
    parsePolicy(
      {
        Statement: permissions.map((p) => ({
          Sid: p.statementId,
          Effect: 'Allow',
          Principal: { AWS: p.principal },
          Action: p.action,
          Resource: '*',
        })),
      },
      `profile permissions of ${profileArn}`,
      'resource',
    ),
  ];
}

export const separationOfDuties = defineRule<string>({
  meta: {
    id: 'SGN-011',
    slug: 'separation-of-duties',
    title: 'No single identity can both sign code and deploy Lambda code',
    severity: 'high',
    rationale:
      'Code signing only proves something if the identity that signs cannot also deploy: one principal with both can sign and ship anything, which is the separation-of-duties guardrail.',
    remediation:
      'Split the permissions: pipeline signers get signer:StartSigningJob on the trusted profiles only, deployers get the Lambda write actions only; remove broad grants (AdministratorAccess, lambda:*, signer:*) from everyday roles, or add a Deny with an aws:PrincipalArn exception.',
    resourceType: 'iam-principal',
    requires: ['iam', 'organizationPolicies', 'functions', 'codeSigningConfigs'],
    sources: ['aws'],
  },
  targets: (ctx) => ctx.snapshot.accounts.map((a) => a.accountId),
  resourceOf: (accountId, ctx) => accountRef(ctx, accountId),
  check(ctx, accountId): RuleOutcome[] {
    const view = governanceView(ctx);
    const principals = view.principalsOf(accountId);
    const account = accountRef(ctx, accountId);
    if (!principals) return [iamMissing(ctx, accountId)];
    const profiles = allowedProfileArns(ctx).filter((arn) => {
      const owner = parseSigningProfileArn(arn)?.accountId;
      return owner === accountId || profilePermissionPolicy(ctx, arn).length > 0;
    });
    const functions = ctx.snapshot.functions
      .filter((f) => f.accountId === accountId && f.packageType !== 'Image')
      .map((f) => f.id);
    if (profiles.length === 0 || functions.length === 0) {
      return [
        {
          status: 'NOT_APPLICABLE',
          resource: account,
          message:
            profiles.length === 0
              ? `No signing profile that a code signing config allows can be used from account ${accountId}.`
              : `Account ${accountId} has no Zip Lambda functions to deploy to.`,
          requires: IAM_PARTS,
        },
      ];
    }
    const layerArn = `arn:${ctx.snapshot.partition ?? 'aws'}:lambda:${ctx.snapshot.regions[0] ?? 'us-east-1'}:${accountId}:layer:signet-any-layer`;
    const outcomes: RuleOutcome[] = [];
    let uncertain = 0;
    for (const p of principals) {
      if (p.serviceLinked) continue;
      const sign = firstGrant(view, p, [SIGN_ACTION], profiles, (arn) => {
        const owner = parseSigningProfileArn(arn)?.accountId ?? accountId;
        return owner === accountId
          ? undefined
          : { policies: profilePermissionPolicy(ctx, arn), account: owner };
      });
      if (!sign) {
        if (p.unreadable.length) uncertain += 1;
        continue;
      }
      const deploy: Grant | undefined =
        firstGrant(view, p, DEPLOY_ACTIONS.slice(0, 3), functions) ??
        firstGrant(view, p, ['lambda:PublishLayerVersion'], [layerArn]);
      if (!deploy) {
        if (p.unreadable.length) uncertain += 1;
        continue;
      }
      const conditional =
        sign.evaluation.decision === 'conditional' || deploy.evaluation.decision === 'conditional';
      outcomes.push({
        status: conditional ? 'UNKNOWN' : 'FAIL',
        resource: principalRef(p),
        message: `${p.kind} ${p.name} can both sign — ${grantText(sign)} — and deploy — ${grantText(deploy)}${conditional ? '; whether the conditions hold cannot be checked offline' : ''}. Split signing and deploying between different roles.`,
        details: { sign: grantDetail(sign), deploy: grantDetail(deploy), groups: p.groups },
        requires: GRANT_PARTS,
      });
    }
    const gap = regionalGap(ctx, accountId, ['functions', 'codeSigningConfigs']);
    if (outcomes.length === 0) {
      outcomes.push({
        status: uncertain || gap ? 'UNKNOWN' : 'PASS',
        resource: account,
        message: gap
          ? `Cannot tell: ${gap}, so not every function or trusted profile could be checked.`
          : uncertain
            ? `${uncertain} principal(s) in ${accountId} have policies Signet could not read; the others cannot both sign and deploy.`
            : `No user or role in ${accountId} can both start signing jobs on a trusted profile and change Lambda code (${principals.length} principals evaluated${view.scps(accountId)?.apply ? ', SCPs included' : ''}).`,
        requires: IAM_PARTS,
      });
    }
    return outcomes;
  },
});
