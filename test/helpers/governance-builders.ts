// Inline builders for the governance rules (SGN-009..014): CloudTrail events, IAM authorization
// details and SCPs, on top of the snapshot builders.
import type { Governance, IamAccountDetails, TrailEvent } from '../../src/model/governance.js';
import type { Coverage, Snapshot, SnapshotPart } from '../../src/model/snapshot.js';
import type { RulePolicy } from '../../src/rules/rule.js';
import { ACCOUNT, aSnapshot, coverage, NOW, REGION } from './builders.js';

export const PIPELINE: NonNullable<RulePolicy['pipeline']> = {
  deployers: ['arn:aws:iam::*:role/ci-deploy-*'],
  signers: ['arn:aws:iam::*:role/ci-sign-*'],
  admins: ['arn:aws:iam::*:role/platform-admin'],
};
export const WITH_PIPELINE: Partial<RulePolicy> = { pipeline: PIPELINE, lookbackDays: 30 };

export const role = (name: string, account = ACCOUNT) => `arn:aws:iam::${account}:role/${name}`;
export const user = (name: string, account = ACCOUNT) => `arn:aws:iam::${account}:user/${name}`;

let counter = 0;

/** A CloudTrail event as the collector stores it; `by` is a role (assumed) or user ARN. */
export function anEvent(
  eventName: string,
  by: string,
  requestParameters: Record<string, unknown> | null = null,
  over: Partial<TrailEvent> = {},
): TrailEvent {
  counter += 1;
  const isRole = by.includes(':role/');
  return {
    eventId: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    eventName,
    eventSource: eventName === 'StartSigningJob' ? 'signer.amazonaws.com' : 'lambda.amazonaws.com',
    eventTime: new Date(NOW.getTime() - 86_400_000).toISOString(),
    accountId: ACCOUNT,
    region: REGION,
    actor: isRole
      ? {
          type: 'AssumedRole',
          arn: by.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/') + '/session-1',
          roleArn: by,
          accountId: ACCOUNT,
        }
      : { type: 'IAMUser', arn: by, accountId: ACCOUNT, userName: by.split('/').pop()! },
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters,
    responseElements: null,
    ...over,
  };
}

export const doc = (...statements: Record<string, unknown>[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

export function iamDetails(over: Partial<IamAccountDetails> = {}): IamAccountDetails {
  return { accountId: ACCOUNT, users: [], groups: [], roles: [], policies: [], ...over };
}

/** A role with one inline policy. */
export function aRole(name: string, ...statements: Record<string, unknown>[]) {
  return {
    arn: role(name),
    name,
    attachedPolicies: [],
    inlinePolicies: statements.length ? [{ name: `${name}-inline`, document: doc(...statements) }] : [],
  };
}

const GLOBAL_PARTS: SnapshotPart[] = ['iam', 'organizationPolicies'];

export function globalCoverage(status: Coverage['status'] = 'ok', parts = GLOBAL_PARTS): Coverage[] {
  return parts.map((part) => ({ accountId: ACCOUNT, region: 'global', part, status }));
}

/** A snapshot with governance data; every part collected unless `coverage` says otherwise. */
export function aGovernedSnapshot(governance: Partial<Governance>, over: Partial<Snapshot> = {}): Snapshot {
  return aSnapshot({
    coverage: [...coverage(), ...globalCoverage()],
    governance: { trailEvents: [], iam: [], ...governance },
    ...over,
  });
}
