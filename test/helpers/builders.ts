// Inline builders for small snapshots in rule and engine tests.
import type {
  CodeSigningConfig,
  Coverage,
  LambdaFunction,
  SigningJob,
  SigningProfile,
  Snapshot,
  SnapshotPart,
} from '../../src/model/snapshot.js';
import { emptySnapshot, publisherArn, SnapshotPart as SnapshotPartEnum } from '../../src/model/snapshot.js';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const NOW = new Date('2026-11-28T12:00:00Z');

const ALL_PARTS: SnapshotPart[] = [...SnapshotPartEnum.options];

export function profileVersionArn(
  name: string,
  version = 'Abcdef1234',
  account = ACCOUNT,
  region = REGION,
): string {
  return `arn:aws:signer:${region}:${account}:/signing-profiles/${name}/${version}`;
}

export function jobArn(id: string, account = ACCOUNT, region = REGION): string {
  return `arn:aws:signer:${region}:${account}:/signing-jobs/${id}`;
}

export function aFunction(over: Partial<LambdaFunction> & { name?: string } = {}): LambdaFunction {
  const name = over.name ?? 'fn';
  const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
  return {
    id: arn,
    name,
    accountId: ACCOUNT,
    region: REGION,
    packageType: 'Zip',
    runtime: 'nodejs22.x',
    codeSigningConfig: { state: 'none' },
    tags: {},
    versions: [],
    aliases: {},
    layers: [],
    provenance: { source: 'aws', arn, accountId: ACCOUNT, region: REGION },
    ...over,
  };
}

export function aCsc(over: Partial<CodeSigningConfig> & { suffix?: string } = {}): CodeSigningConfig {
  const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:code-signing-config:csc-${(over.suffix ?? 'a').padEnd(17, '0')}`;
  const { suffix: _suffix, ...rest } = over;
  return {
    id: arn,
    arn,
    accountId: ACCOUNT,
    region: REGION,
    policy: 'Enforce',
    policySource: 'explicit',
    allowedPublishers: [publisherArn(profileVersionArn('ci_release'))],
    provenance: { source: 'aws', arn, accountId: ACCOUNT, region: REGION },
    ...rest,
  };
}

export function aProfile(over: Partial<SigningProfile> = {}): SigningProfile {
  const name = over.name ?? 'ci_release';
  const arn = `arn:aws:signer:${REGION}:${ACCOUNT}:/signing-profiles/${name}`;
  const versionArn = profileVersionArn(name);
  return {
    id: versionArn,
    name,
    arn,
    accountId: ACCOUNT,
    region: REGION,
    profileVersion: 'Abcdef1234',
    profileVersionArn: versionArn,
    platformId: 'AWSLambda-SHA384-ECDSA',
    status: 'Active',
    signatureValidity: { value: 12, type: 'MONTHS' },
    permissions: [],
    provenance: { source: 'aws', arn, accountId: ACCOUNT, region: REGION },
    ...over,
  };
}

export function aJob(over: Partial<SigningJob> & { jobId?: string } = {}): SigningJob {
  const jobId = over.jobId ?? 'job-1';
  return { jobId, jobArn: jobArn(jobId), accountId: ACCOUNT, region: REGION, isRevoked: false, ...over };
}

export function coverage(status: Coverage['status'] = 'ok', parts = ALL_PARTS): Coverage[] {
  return parts.map((part) => ({ accountId: ACCOUNT, region: REGION, part, status }));
}

export function aSnapshot(over: Partial<Snapshot> = {}): Snapshot {
  return {
    ...emptySnapshot('aws', NOW.toISOString()),
    accounts: [{ accountId: ACCOUNT }],
    regions: [REGION],
    coverage: coverage(),
    ...over,
  };
}

/** A function signed by the active `ci_release` profile and attached to an Enforce CSC. */
export function aProtectedSetup(
  fnOver: Partial<LambdaFunction> = {},
  cscOver: Partial<CodeSigningConfig> = {},
) {
  const csc = aCsc(cscOver);
  const fn = aFunction({
    codeSigningConfig: { state: 'attached', id: csc.id },
    signingProfileVersionArn: profileVersionArn('ci_release'),
    signingJobArn: jobArn('job-1'),
    ...fnOver,
  });
  return { csc, fn, profile: aProfile() };
}

import { type RuleResult, runRule as runRuleInEngine } from '../../src/engine/run-rule.js';
import { SnapshotIndex } from '../../src/model/snapshot-index.js';
import type { Rule, RulePolicy } from '../../src/rules/rule.js';

export const DEFAULT_POLICY: RulePolicy = {
  trustedSigningProfiles: [],
  trustedAccounts: [],
  versions: 'aliased',
  maxSignatureValidityDays: 1095,
};

/** Runs one rule as the engine does (per-resource checks, `requires` enforced). */
export function runRule(rule: Rule, snapshot: Snapshot, policy: Partial<RulePolicy> = {}): RuleResult[] {
  return runRuleInEngine(rule, {
    snapshot,
    index: new SnapshotIndex(snapshot),
    policy: { ...DEFAULT_POLICY, ...policy },
    now: NOW,
  });
}

export function statusOf(outcomes: RuleResult[], id: string): string | undefined {
  return outcomes.find((o) => o.resource.id === id)?.status;
}
