// What a run and an alert event look like when they enter the history: pure conversions from a
// snapshot and its findings, so recording needs no AWS and KPIs need no snapshot.
import type { SignetConfig } from '../config/schema.js';
import { classifyFunction } from '../engine/scope.js';
import type { Finding, Severity, Status } from '../model/finding.js';
import type { Snapshot } from '../model/snapshot.js';
import { SIGNET_VERSION } from '../version.js';

export interface AreaStats {
  accountId: string;
  region: string;
  /** In-scope Zip functions (container images are counted in notApplicable). */
  inScope: number;
  enforced: number;
  warn: number;
  noCsc: number;
  /** Attached CSC that could not be read or resolved: neither enforced nor missing. */
  unknownCsc: number;
  notApplicable: number;
  prodInScope: number;
  prodEnforced: number;
  profilesActive: number;
  profilesCanceled: number;
  profilesRevoked: number;
}

export interface RunFinding {
  id: string;
  ruleId: string;
  status: Status;
  severity: Severity;
  muted: boolean;
  production: boolean;
  inScope: boolean;
  resourceType: string;
  resourceId: string;
  resourceName: string;
  accountId: string;
  region: string;
  message: string;
}

export interface RunRecord {
  kind: 'scan';
  source: Snapshot['source'];
  collectedAt: string;
  recordedAt: string;
  signetVersion: string;
  accounts: string[];
  regions: string[];
  /** False when any part could not be collected (or, for IaC, a file could not be parsed). */
  complete: boolean;
  collectionErrors: number;
  areas: AreaStats[];
  /** `account|region` keys whose every snapshot part was read: only there does absence mean deletion. */
  completeAreas: string[];
  findings: RunFinding[];
}

export type HistoryEventKind =
  | 'deployment-blocked'
  | 'unverified-deployment-allowed'
  | 'csc-detached'
  | 'csc-downgraded'
  | 'csc-deleted'
  | 'profile-canceled'
  | 'profile-revoked'
  | 'signature-revoked';

export interface HistoryEvent {
  /** CloudTrail event id: the deduplication key. */
  eventId: string;
  kind: HistoryEventKind;
  eventTime: string;
  accountId: string;
  region: string;
  eventName: string;
  /** Function, layer, CSC or signing profile the event concerns. */
  resource: string;
  principal: string;
  errorCode?: string;
  detail?: Record<string, unknown>;
}

function emptyArea(accountId: string, region: string): AreaStats {
  return {
    accountId,
    region,
    inScope: 0,
    enforced: 0,
    warn: 0,
    noCsc: 0,
    unknownCsc: 0,
    notApplicable: 0,
    prodInScope: 0,
    prodEnforced: 0,
    profilesActive: 0,
    profilesCanceled: 0,
    profilesRevoked: 0,
  };
}

/** Builds the history record of one evaluated snapshot. */
export function runRecordFrom(
  snapshot: Snapshot,
  findings: readonly Finding[],
  config: SignetConfig,
  recordedAt = new Date(),
): RunRecord {
  const areas = new Map<string, AreaStats>();
  const areaFor = (accountId = '', region = '') => {
    const key = `${accountId}|${region}`;
    let area = areas.get(key);
    if (!area) {
      area = emptyArea(accountId, region);
      areas.set(key, area);
    }
    return area;
  };
  // Every scanned account-region has a row, even with no functions: 0 of 0 is a fact, absence is not.
  if (snapshot.source === 'aws') {
    for (const c of snapshot.coverage) areaFor(c.accountId, c.region);
  }
  const policies = new Map<string, string>();
  for (const csc of snapshot.codeSigningConfigs) {
    const policy = typeof csc.policy === 'string' ? csc.policy : 'unknown';
    policies.set(csc.id, policy);
    if (csc.arn) policies.set(csc.arn, policy);
  }
  for (const fn of snapshot.functions) {
    const cls = classifyFunction(config, fn);
    if (!cls.inScope) continue;
    const area = areaFor(fn.accountId, fn.region);
    if (fn.packageType === 'Image') {
      area.notApplicable += 1;
      continue;
    }
    area.inScope += 1;
    if (cls.production) area.prodInScope += 1;
    const attachment = fn.codeSigningConfig;
    const policy =
      attachment.state === 'attached' ? (policies.get(attachment.id) ?? 'unknown') : attachment.state;
    if (policy === 'Enforce') {
      area.enforced += 1;
      if (cls.production) area.prodEnforced += 1;
    } else if (policy === 'Warn') area.warn += 1;
    else if (policy === 'none') area.noCsc += 1;
    else area.unknownCsc += 1;
  }
  for (const profile of snapshot.signingProfiles) {
    const area = areaFor(profile.accountId, profile.region);
    if (profile.status === 'Active') area.profilesActive += 1;
    else if (profile.status === 'Canceled') area.profilesCanceled += 1;
    else if (profile.status === 'Revoked') area.profilesRevoked += 1;
  }
  const incomplete =
    snapshot.collectionErrors.length > 0 ||
    snapshot.coverage.some((c) => c.status !== 'ok') ||
    (snapshot.parseErrors?.length ?? 0) > 0;
  const failedAreas = new Set(
    snapshot.coverage.filter((c) => c.status !== 'ok').map((c) => `${c.accountId}|${c.region}`),
  );
  const completeAreas =
    snapshot.source === 'aws'
      ? [...new Set(snapshot.coverage.map((c) => `${c.accountId}|${c.region}`))].filter(
          (k) => !failedAreas.has(k),
        )
      : [];
  return {
    kind: 'scan',
    source: snapshot.source,
    collectedAt: snapshot.collectedAt,
    recordedAt: recordedAt.toISOString(),
    signetVersion: SIGNET_VERSION,
    accounts: snapshot.accounts.map((a) => a.accountId),
    regions: [...snapshot.regions],
    complete: !incomplete,
    collectionErrors: snapshot.collectionErrors.length + (snapshot.parseErrors?.length ?? 0),
    completeAreas,
    areas: [...areas.values()].sort((a, b) =>
      a.accountId === b.accountId ? a.region.localeCompare(b.region) : a.accountId.localeCompare(b.accountId),
    ),
    findings: findings.map((f) => ({
      id: f.id,
      ruleId: f.ruleId,
      status: f.status,
      severity: f.severity,
      muted: Boolean(f.muted),
      production: f.production,
      inScope: f.inScope,
      resourceType: f.resource.type,
      resourceId: f.resource.id,
      resourceName: f.resource.name,
      accountId: f.resource.accountId ?? '',
      region: f.resource.region ?? '',
      message: f.message,
    })),
  };
}
