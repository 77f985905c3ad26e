import { profileRef } from '../model/refs.js';
import type { SigningProfile } from '../model/snapshot.js';
import { defineRule, type RuleOutcome } from './rule.js';

const DAYS = { DAYS: 1, MONTHS: 30, YEARS: 365 } as const;

export const signingProfileHygiene = defineRule<SigningProfile>({
  meta: {
    id: 'SGN-008',
    slug: 'signing-profile-hygiene',
    title: 'Signing profiles issue short-lived signatures and are shared only with trusted accounts',
    severity: 'low',
    rationale:
      'Long signature validity keeps a leaked or outdated package deployable for years; profile permissions for unexpected accounts let others sign code your functions trust.',
    remediation:
      'Use a signature validity within policy (a new profile if needed) and remove profile permissions (RemoveProfilePermission) for accounts you do not trust.',
    resourceType: 'signing-profile',
    requires: ['signingProfiles'],
    sources: ['aws', 'iac'],
  },
  targets: (ctx) => ctx.snapshot.signingProfiles,
  resourceOf: profileRef,
  check(ctx, profile): RuleOutcome {
    const resource = profileRef(profile);
    if (profile.status === 'Unknown') {
      return {
        status: 'UNKNOWN',
        resource,
        message: `Cannot check signing profile ${profile.name}: it is defined outside what was scanned (or its status is not known), so its validity and permissions are not visible.`,
      };
    }
    if (profile.status !== 'Active') {
      return {
        status: 'NOT_APPLICABLE',
        resource,
        message: `Signing profile ${profile.name} is ${profile.status === 'Canceled' ? 'cancelled' : 'revoked'} and can no longer sign.`,
        details: { status: profile.status },
      };
    }
    const problems: string[] = [];
    const validity = profile.signatureValidity;
    // AWS's default and maximum is 135 months when the profile does not say.
    const days = validity ? validity.value * DAYS[validity.type] : 135 * 30;
    if (days > ctx.policy.maxSignatureValidityDays) {
      problems.push(
        `signatures stay valid ${validity ? `${validity.value} ${validity.type.toLowerCase()}` : '135 months (the default)'}, more than the ${ctx.policy.maxSignatureValidityDays}-day policy`,
      );
    }
    const trusted = new Set([
      ...(profile.accountId ? [profile.accountId] : []),
      ...ctx.policy.trustedAccounts,
    ]);
    for (const permission of profile.permissions ?? []) {
      // `*` and service principals name no account, so they are never trusted.
      const account =
        /^\d{12}$/.exec(permission.principal)?.[0] ?? /:(\d{12}):/.exec(permission.principal)?.[1];
      if (!account || !trusted.has(account)) {
        problems.push(
          `permission ${permission.statementId} lets ${permission.principal} ${permission.action}`,
        );
      }
    }
    const details = { status: profile.status, validityDays: days, permissions: profile.permissions ?? [] };
    if (problems.length > 0) {
      return {
        status: 'FAIL',
        resource,
        message: `Signing profile ${profile.name}: ${problems.join('; ')}; tighten it.`,
        details,
      };
    } else {
      return {
        status: 'PASS',
        resource,
        message: `Signing profile ${profile.name} has a short validity and no untrusted permissions.`,
        details,
      };
    }
  },
});
