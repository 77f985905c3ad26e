import { type Citation, globMatch } from '../iam/index.js';
import { profileRef } from '../model/refs.js';
import {
  accountRef,
  citationDetail,
  citationText,
  firstGrant,
  GRANT_PARTS,
  governanceView,
  grantDetail,
  grantText,
  IAM_PARTS,
  type IamPrincipal,
  iamMissing,
  matchesAny,
  needsPipeline,
  principalRef,
  regionalGap,
  SIGN_ACTION,
  SIGNING_ADMIN_ACTIONS,
} from './governance.js';
import { defineRule, type RuleContext, type RuleOutcome } from './rule.js';

/** Identity statements that grant every Signer action on every resource (`signer:*` or `*` on `*`). */
function broadSignerGrants(p: IamPrincipal): Citation[] {
  const out: Citation[] = [];
  for (const policy of p.identity)
    for (const statement of policy.statements) {
      if (statement.effect !== 'Allow' || !statement.action) continue;
      const everySigner = statement.action.some((a) => globMatch(a, 'signer:*', true) && a.endsWith('*'));
      const everyResource = (statement.resource ?? []).includes('*');
      if (everySigner && everyResource && !statement.condition)
        out.push({ policyId: policy.id, kind: policy.kind, statement, conditional: false });
    }
  return out;
}

function untrustedPermissions(ctx: RuleContext, accountId: string): RuleOutcome[] {
  const trusted = new Set([...ctx.snapshot.accounts.map((a) => a.accountId), ...ctx.policy.trustedAccounts]);
  const out: RuleOutcome[] = [];
  for (const profile of ctx.snapshot.signingProfiles) {
    if (profile.accountId !== accountId || profile.status !== 'Active') continue;
    const bad = (profile.permissions ?? []).filter((perm) => {
      const account = /^\d{12}$/.exec(perm.principal)?.[0] ?? /:(\d{12}):/.exec(perm.principal)?.[1];
      return !account || !trusted.has(account);
    });
    if (bad.length === 0) continue;
    out.push({
      status: 'FAIL',
      resource: profileRef(profile),
      message: `Signing profile ${profile.name} lets accounts outside trust use it: ${bad.map((b) => `${b.principal} ${b.action} (statement ${b.statementId})`).join('; ')}; remove them with RemoveProfilePermission or add the account to trust.accounts.`,
      details: { permissions: bad },
      requires: ['signingProfiles'],
    });
  }
  return out;
}

export const signingProfileAccess = defineRule<string>({
  meta: {
    id: 'SGN-012',
    slug: 'signing-profile-access',
    title: 'Only the configured admins administer signing and only the configured signers sign',
    severity: 'high',
    rationale:
      'Loose IAM on signing profiles is a known pitfall: whoever can sign with a trusted profile, revoke signatures or share the profile decides what code Lambda accepts.',
    remediation:
      'Grant signer:StartSigningJob on the trusted profiles only to pipeline.signers, the profile administration actions only to pipeline.admins; replace signer:* on * grants with the actions and profile ARNs needed; remove profile permissions for accounts outside trust.',
    resourceType: 'iam-principal',
    requires: ['iam', 'organizationPolicies', 'signingProfiles'],
    sources: ['aws'],
  },
  targets: (ctx) => ctx.snapshot.accounts.map((a) => a.accountId),
  resourceOf: (accountId, ctx) => accountRef(ctx, accountId),
  check(ctx, accountId): RuleOutcome[] {
    const account = accountRef(ctx, accountId);
    const unconfigured = needsPipeline(ctx, account, 'admins');
    if (unconfigured) return [unconfigured];
    const { admins, signers } = ctx.policy.pipeline!;
    const view = governanceView(ctx);
    const principals = view.principalsOf(accountId);
    if (!principals) return [iamMissing(ctx, accountId), ...untrustedPermissions(ctx, accountId)];
    const profiles = ctx.snapshot.signingProfiles.filter((p) => p.accountId === accountId && p.arn);
    const region = profiles[0]?.region ?? ctx.snapshot.regions[0] ?? 'us-east-1';
    // A new profile (PutSigningProfile) is judged on a profile ARN that does not exist yet.
    const adminTargets = [
      ...profiles.map((p) => p.arn!),
      `arn:${ctx.snapshot.partition ?? 'aws'}:signer:${region}:${accountId}:/signing-profiles/signetProbeNewProfile`,
    ];
    const signTargets = profiles.filter((p) => p.status === 'Active').map((p) => p.arn!);
    const outcomes: RuleOutcome[] = untrustedPermissions(ctx, accountId);
    let uncertain = 0;
    for (const p of principals) {
      if (p.serviceLinked) continue;
      const problems: string[] = [];
      const details: Record<string, unknown> = {};
      let conditional = false;
      if (!matchesAny(admins, p.arn)) {
        const admin = firstGrant(view, p, SIGNING_ADMIN_ACTIONS, adminTargets);
        if (admin) {
          problems.push(`can administer signing: ${grantText(admin)}`);
          details.administer = grantDetail(admin);
          conditional ||= admin.evaluation.decision === 'conditional';
        }
      }
      if (!matchesAny(signers, p.arn)) {
        const sign = firstGrant(view, p, [SIGN_ACTION], signTargets);
        if (sign) {
          problems.push(`can sign: ${grantText(sign)}`);
          details.sign = grantDetail(sign);
          conditional ||= sign.evaluation.decision === 'conditional';
        }
      }
      const broad = broadSignerGrants(p);
      if (broad.length) {
        problems.push(`has signer:* on * from ${broad.map(citationText).join('; ')}`);
        details.broadGrants = broad.map(citationDetail);
      }
      if (problems.length === 0) {
        if (p.unreadable.length) uncertain += 1;
        continue;
      }
      outcomes.push({
        status: conditional && !broad.length ? 'UNKNOWN' : 'FAIL',
        resource: principalRef(p),
        message: `${p.kind} ${p.name} ${details.sign ? 'is not a configured signer but ' : details.administer ? 'is not a configured admin but ' : ''}${problems.join('; ')}. Narrow its policies to what its job needs.`,
        details: { ...details, admins, signers },
        requires: GRANT_PARTS,
      });
    }
    const gap = regionalGap(ctx, accountId, ['signingProfiles']);
    if (outcomes.length === 0)
      outcomes.push({
        status: uncertain || gap ? 'UNKNOWN' : 'PASS',
        resource: account,
        message: gap
          ? `Cannot tell: ${gap}, so not every signing profile could be checked.`
          : uncertain
            ? `${uncertain} principal(s) in ${accountId} have policies Signet could not read; the others respect pipeline.admins/signers.`
            : `Only pipeline.admins can administer signing and only pipeline.signers can sign in ${accountId} (${principals.length} principals, ${profiles.length} profiles).`,
        requires: IAM_PARTS,
      });
    return outcomes;
  },
});
