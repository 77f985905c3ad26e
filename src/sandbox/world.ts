// The sandbox's whole state: plain JSON data so that `--state FILE` can persist it across restarts.
// Each service owns its slice; other services read it only through the helpers in this file.

import type { Partition } from './partition.js';

export const WORLD_SCHEMA_VERSION = 1;

/** A statement of an IAM policy document, as AWS accepts it (single values or lists). */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: '*' | Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

export interface AccessKeyRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** ARN of the user, or of the assumed-role session (`arn:aws:sts::A:assumed-role/R/S`). */
  principalArn: string;
  accountId: string;
  /** Epoch ms; temporary credentials only. */
  expiresAt?: number;
  /** For role sessions: the role's ARN. */
  roleArn?: string;
  sessionName?: string;
  status: 'Active' | 'Inactive';
}

export interface IamUser {
  userName: string;
  userId: string;
  arn: string;
  path: string;
  createDate: number;
  attachedPolicies: string[];
  inlinePolicies: Record<string, PolicyDocument>;
  tags: Record<string, string>;
  /** Group names (optional: worlds saved before groups existed have none). */
  groups?: string[];
  /** Managed policy ARN set as permissions boundary. */
  permissionsBoundary?: string;
}

export interface IamGroup {
  groupName: string;
  groupId: string;
  arn: string;
  path: string;
  createDate: number;
  attachedPolicies: string[];
  inlinePolicies: Record<string, PolicyDocument>;
}

export interface IamRole {
  roleName: string;
  roleId: string;
  arn: string;
  path: string;
  createDate: number;
  assumeRolePolicyDocument: PolicyDocument;
  description?: string;
  maxSessionDuration: number;
  attachedPolicies: string[];
  inlinePolicies: Record<string, PolicyDocument>;
  tags: Record<string, string>;
  permissionsBoundary?: string;
}

export interface IamManagedPolicy {
  policyName: string;
  policyId: string;
  arn: string;
  path: string;
  description?: string;
  createDate: number;
  updateDate: number;
  defaultVersionId: string;
  document: PolicyDocument;
}

export interface IamAccountState {
  users: Record<string, IamUser>;
  roles: Record<string, IamRole>;
  /** Customer managed policies of this account, by ARN. AWS managed policies live in iam-managed.ts. */
  policies: Record<string, IamManagedPolicy>;
  /** Groups by name (optional: worlds saved before groups existed have none). */
  groups?: Record<string, IamGroup>;
}

export interface AccountRecord {
  id: string;
  name: string;
  email: string;
  status: 'ACTIVE' | 'SUSPENDED';
  joinedMethod: 'INVITED' | 'CREATED';
  joinedAt: number;
  iam: IamAccountState;
}

export interface World {
  schemaVersion: number;
  /** The AWS partition this sandbox plays (ARNs of global resources); absent in older state files: `aws`. */
  partition?: Partition;
  /** Milliseconds added to the real clock (`POST /_sandbox/clock`), so tests can let signatures expire. */
  clockOffsetMs: number;
  /** Monotonic counter for ids that must be unique and ordered (CloudTrail event order, versions). */
  sequence: number;
  accounts: Record<string, AccountRecord>;
  accessKeys: Record<string, AccessKeyRecord>;
  /** Service-owned slices, keyed by service name; see `slice()`. */
  services: Record<string, unknown>;
}

export function createEmptyWorld(partition: Partition = 'aws'): World {
  return {
    schemaVersion: WORLD_SCHEMA_VERSION,
    partition,
    clockOffsetMs: 0,
    sequence: 0,
    accounts: {},
    accessKeys: {},
    services: {},
  };
}

/** Returns a service's slice of the world, creating it on first use. */
/** The world's partition (`aws` for state files written before partitions). */
export function partitionOf(world: World): Partition {
  return world.partition ?? 'aws';
}

export function slice<T>(world: World, service: string, init: () => T): T {
  let value = world.services[service] as T | undefined;
  if (value === undefined) {
    value = init();
    world.services[service] = value;
  }
  return value;
}

/** Per account, per region sub-slice helper: `regional(slice, accountId, region, init)`. */
export function regional<T>(
  byAccount: Record<string, Record<string, T>>,
  accountId: string,
  region: string,
  init: () => T,
): T {
  let regions = byAccount[accountId];
  if (!regions) {
    regions = {};
    byAccount[accountId] = regions;
  }
  let value = regions[region];
  if (value === undefined) {
    value = init();
    regions[region] = value;
  }
  return value;
}

export function nextSequence(world: World): number {
  world.sequence += 1;
  return world.sequence;
}
