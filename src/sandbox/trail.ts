// CloudTrail recording: every call to the sandbox becomes a management event in the caller's account
// and region (and in the resource owner's account for cross-account calls), as CloudTrail does.
import { randomUUID } from 'node:crypto';
import type { Principal } from './identity.js';
import type { TrailResource } from './service.js';
import { nextSequence, regional, slice, type World } from './world.js';

/** The CloudTrail record (the JSON inside LookupEvents' `CloudTrailEvent`). */
export interface TrailRecord {
  eventVersion: string;
  userIdentity: Record<string, unknown>;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  resources?: { ARN?: string; accountId?: string; type?: string }[];
  eventType: 'AwsApiCall';
  managementEvent: true;
  recipientAccountId: string;
  eventCategory: 'Management';
}

export interface StoredEvent {
  seq: number;
  /** epoch ms */
  time: number;
  accessKeyId: string;
  username: string;
  resources: TrailResource[];
  record: TrailRecord;
}

export interface TrailSlice {
  /** accountId → region → events, oldest first. */
  events: Record<string, Record<string, StoredEvent[]>>;
}

export function trailSlice(world: World): TrailSlice {
  return slice<TrailSlice>(world, 'cloudtrail', () => ({ events: {} }));
}

export function userIdentity(caller: Principal): Record<string, unknown> {
  if (caller.type === 'IAMUser') {
    return {
      type: 'IAMUser',
      principalId: caller.principalId,
      arn: caller.arn,
      accountId: caller.accountId,
      accessKeyId: caller.accessKeyId,
      userName: caller.userName,
    };
  }
  return {
    type: 'AssumedRole',
    principalId: caller.principalId,
    arn: caller.arn,
    accountId: caller.accountId,
    accessKeyId: caller.accessKeyId,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: caller.roleId,
        arn: caller.roleArn,
        accountId: caller.accountId,
        userName: caller.roleName,
      },
      attributes: { mfaAuthenticated: 'false' },
    },
  };
}

/** CloudTrail's `Username` lookup value: the user name, or the role session name. */
export function trailUsername(caller: Principal): string {
  return caller.type === 'IAMUser' ? (caller.userName ?? '') : (caller.sessionName ?? '');
}

export interface RecordInput {
  caller: Principal;
  accountIds: string[];
  region: string;
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  time: number;
  requestId: string;
  userAgent: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  resources: TrailResource[];
  errorCode?: string;
  errorMessage?: string;
}

export function recordEvent(world: World, input: RecordInput): void {
  const trail = trailSlice(world);
  const eventTime = `${new Date(input.time).toISOString().slice(0, 19)}Z`;
  // Global services (IAM, STS, Organizations) record in us-east-1 as CloudTrail does.
  const region = input.region;
  for (const recipient of new Set(input.accountIds)) {
    const record: TrailRecord = {
      eventVersion: '1.09',
      userIdentity: userIdentity(input.caller),
      eventTime,
      eventSource: input.eventSource,
      eventName: input.eventName,
      awsRegion: region,
      sourceIPAddress: '127.0.0.1',
      userAgent: input.userAgent,
      ...(input.errorCode ? { errorCode: input.errorCode, errorMessage: input.errorMessage ?? '' } : {}),
      requestParameters: input.requestParameters,
      responseElements: input.responseElements,
      ...(input.additionalEventData ? { additionalEventData: input.additionalEventData } : {}),
      requestID: input.requestId,
      eventID: randomUUID(),
      readOnly: input.readOnly,
      ...(input.resources.length
        ? {
            resources: input.resources.map((r) => ({
              ARN: r.ResourceName,
              accountId: recipient,
              type: r.ResourceType,
            })),
          }
        : {}),
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: recipient,
      eventCategory: 'Management',
    };
    regional(trail.events, recipient, region, () => [] as StoredEvent[]).push({
      seq: nextSequence(world),
      time: input.time,
      accessKeyId: input.caller.accessKeyId,
      username: trailUsername(input.caller),
      resources: input.resources,
      record,
    });
  }
}
