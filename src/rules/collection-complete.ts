// SGN-000: what a live scan could not read is a finding of its own, so a partial scan never looks clean.
import type { ResourceRef } from '../model/finding.js';
import type { CollectionError, SnapshotPart } from '../model/snapshot.js';
import { SNAPSHOT_PARTS } from '../model/values.js';
import { defineRule, type RuleContext, type RuleOutcome } from './rule.js';

/** An account and region (or `global`: account-wide calls) and what failed there. */
export interface AccountRegion {
  accountId: string;
  accountName?: string;
  region: string;
  failedParts: SnapshotPart[];
  errors: CollectionError[];
  /** Listed for the scan, yet nothing at all was collected or recorded for it. */
  nothingCollected?: boolean;
}

/** The parts every live account-region has; governance parts may be switched off (`not-collected`). */
const REGION_PARTS: SnapshotPart[] = [
  'functions',
  'versions',
  'codeSigningConfigs',
  'cscAttachments',
  'tags',
  'layers',
  'signingProfiles',
  'signingJobs',
];

const THROTTLING = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'ThrottledException',
  'Throttling',
  'SlowDown',
  'RequestLimitExceeded',
]);

function describeError(e: CollectionError): string {
  const throttled = THROTTLING.has(e.errorCode) ? ' (still throttled after every retry)' : '';
  return `${e.service}:${e.operation} failed with ${e.errorCode}${throttled}: ${e.message}`;
}

function consequence(e: CollectionError): string | undefined {
  if (e.operation === 'AssumeRole') return 'none of its regions were scanned';
  if (e.operation === 'ListRegions')
    return 'its enabled regions could not be listed, so only the home region (or --regions) was scanned';
  return undefined;
}

export function accountRegions(ctx: RuleContext): AccountRegion[] {
  const { snapshot } = ctx;
  const names = new Map(snapshot.accounts.map((a) => [a.accountId, a.name]));
  const byKey = new Map<string, AccountRegion>();
  const entry = (accountId: string, region: string): AccountRegion => {
    const key = `${accountId}|${region}`;
    let found = byKey.get(key);
    if (!found) {
      const name = names.get(accountId);
      found = { accountId, ...(name ? { accountName: name } : {}), region, failedParts: [], errors: [] };
      byKey.set(key, found);
    }
    return found;
  };
  for (const c of snapshot.coverage) {
    const e = entry(c.accountId, c.region);
    if (c.status === 'failed' && !e.failedParts.includes(c.part)) e.failedParts.push(c.part);
  }
  for (const error of snapshot.collectionErrors) entry(error.accountId, error.region).errors.push(error);
  // An account listed for the scan with nothing collected and no error still must not look clean.
  for (const account of snapshot.accounts) {
    if (![...byKey.values()].some((e) => e.accountId === account.accountId))
      entry(account.accountId, 'global').nothingCollected = true;
  }
  const order: readonly SnapshotPart[] = SNAPSHOT_PARTS;
  return [...byKey.values()]
    .map((e) => ({
      ...e,
      failedParts: [...e.failedParts].sort((a, b) => order.indexOf(a) - order.indexOf(b)),
    }))
    .sort((a, b) =>
      a.accountId === b.accountId
        ? a.region === 'global'
          ? -1
          : b.region === 'global'
            ? 1
            : a.region.localeCompare(b.region)
        : a.accountId.localeCompare(b.accountId),
    );
}

function resourceOf(target: AccountRegion, partition = 'aws'): ResourceRef {
  const who = target.accountName ? `${target.accountName} (${target.accountId})` : target.accountId;
  return {
    type: 'account-region',
    id: `${target.accountId}/${target.region}`,
    name: target.region === 'global' ? `${who} account-wide` : `${who} ${target.region}`,
    accountId: target.accountId,
    region: target.region,
    provenance: {
      source: 'aws',
      arn: `arn:${partition}:iam::${target.accountId}:root`,
      accountId: target.accountId,
      region: target.region,
    },
  };
}

export const collectionComplete = defineRule<AccountRegion>({
  meta: {
    id: 'SGN-000',
    slug: 'collection-complete',
    title: 'Every scanned account and region was read completely',
    severity: 'high',
    rationale:
      'A finding can only be as good as the data behind it. An account-region that could not be read — access denied, throttling that never cleared, a member-account role that does not exist, `ListRegions` refused — would otherwise look exactly like one with nothing to report: "Findings: 0", exit 0.',
    remediation:
      'Give the scanning principal every action `signet iam-policy scan` prints (and, for `--org`/`--accounts`, make sure the role given by `--role-name` exists in every member account and trusts the caller), then scan again. Throttling that never clears: lower `--concurrency`, or scan fewer regions at once.',
    resourceType: 'account-region',
    // An account-region passes only when all of these were collected (the engine checks them too).
    requires: REGION_PARTS,
    sources: ['aws'],
  },
  targets: accountRegions,
  resourceOf: (target, ctx) => resourceOf(target, ctx.snapshot.partition),
  check(ctx, target): RuleOutcome {
    const resource = resourceOf(target, ctx.snapshot.partition);
    const details = {
      failedParts: target.failedParts,
      errors: target.errors.map((e) => ({
        call: `${e.service}:${e.operation}`,
        errorCode: e.errorCode,
        message: e.message,
      })),
    };
    if (target.nothingCollected) {
      return {
        status: 'UNKNOWN',
        resource,
        message: `Account ${resource.name.replace(/ account-wide$/, '')} was listed for the scan but nothing of it was collected; scan it again.`,
        details,
      };
    }
    if (target.errors.length === 0 && target.failedParts.length === 0) {
      return {
        status: 'PASS',
        resource,
        message: `${resource.name} was read completely.`,
        details,
        // Account-wide results have no regional parts of their own.
        ...(target.region === 'global' ? { requires: [] } : {}),
      };
    }
    const consequences = target.errors.map(consequence).filter((c): c is string => Boolean(c));
    const parts = target.failedParts.length
      ? [`${target.failedParts.join(', ')} could not be collected`]
      : consequences.length
        ? []
        : ['the scan is incomplete'];
    return {
      status: 'UNKNOWN',
      resource,
      message: `Cannot verify ${resource.name}: ${[...parts, ...consequences].join('; ')}${target.errors.length ? ` (${target.errors.map(describeError).join('; ')})` : ''}; every finding that needs this data is UNKNOWN — fix access and scan again.`,
      details,
    };
  },
});
