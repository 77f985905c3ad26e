// CloudTrail LookupEvents (awsJson1_1, regional) over the management events the core records for every
// sandbox call (src/sandbox/trail.ts): one lookup attribute, time range, 90 days, 50 per page.
import { createHash } from 'node:crypto';
import { AwsError } from '../errors.js';
import type { ResolvedOperation, ServiceDefinition } from '../service.js';
import { type StoredEvent, trailSlice } from '../trail.js';
import {
  awsJsonResponse,
  decodeToken,
  encodeToken,
  JsonInput,
  renderJsonError,
  targetOperation,
  unrecognizedJsonClient,
} from './aws-json.js';

const TARGET_PREFIXES = ['CloudTrail_20131101', 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101'];
const RETENTION_MS = 90 * 24 * 3600 * 1000;
const MAX_RESULTS = 50;

const ATTRIBUTES: Record<string, (e: StoredEvent, value: string) => boolean> = {
  EventId: (e, v) => e.record.eventID === v,
  EventName: (e, v) => e.record.eventName === v,
  ReadOnly: (e, v) => String(e.record.readOnly) === v,
  Username: (e, v) => e.username === v,
  ResourceType: (e, v) => e.resources.some((r) => r.ResourceType === v),
  ResourceName: (e, v) => e.resources.some((r) => r.ResourceName === v),
  EventSource: (e, v) => e.record.eventSource === v,
  AccessKeyId: (e, v) => e.accessKeyId === v,
};

function eventJson(e: StoredEvent) {
  return {
    EventId: e.record.eventID,
    EventName: e.record.eventName,
    ReadOnly: String(e.record.readOnly),
    AccessKeyId: e.accessKeyId,
    // CloudTrail's eventTime has second precision; LookupEvents reports the same instant.
    EventTime: Math.floor(e.time / 1000),
    EventSource: e.record.eventSource,
    Username: e.username,
    Resources: e.resources.map((r) => ({ ResourceType: r.ResourceType, ResourceName: r.ResourceName })),
    CloudTrailEvent: JSON.stringify(e.record),
  };
}

export function cloudtrailService(): ServiceDefinition {
  return {
    signingName: 'cloudtrail',
    eventSource: 'cloudtrail.amazonaws.com',
    protocol: 'awsJson1_1',
    defaultBucket: 'cloudtrail:control',
    renderError: (error, req) => renderJsonError(error, req.requestId),
    throttleError: () => new AwsError('ThrottlingException', 429, 'Rate exceeded'),
    accessDenied: (message) => new AwsError('AccessDeniedException', 400, message),
    unrecognizedClient: unrecognizedJsonClient,
    resolve(req): ResolvedOperation {
      const op = targetOperation(req, ...TARGET_PREFIXES);
      if (op !== 'LookupEvents')
        throw new AwsError('UnknownOperationException', 400, `Unknown operation ${op}`);
      const input = JsonInput.parse(req);
      return {
        name: op,
        action: 'cloudtrail:LookupEvents',
        readOnly: true,
        quotaBucket: 'cloudtrail:LookupEvents',
        handler: (ctx) => {
          const attributes = input.objectList('LookupAttributes') ?? [];
          if (attributes.length > 1)
            throw new AwsError(
              'InvalidLookupAttributesException',
              400,
              'You cannot specify more than one lookup attribute.',
            );
          let filter: ((e: StoredEvent) => boolean) | undefined;
          const attribute = attributes[0];
          if (attribute) {
            const key = attribute.string('AttributeKey') ?? '';
            const value = attribute.string('AttributeValue');
            const test = Object.hasOwn(ATTRIBUTES, key) ? ATTRIBUTES[key] : undefined;
            if (!test)
              throw new AwsError(
                'InvalidLookupAttributesException',
                400,
                `Invalid lookup attribute key: ${key}`,
              );
            if (value === undefined || value === '' || value.length > 2000)
              throw new AwsError(
                'InvalidLookupAttributesException',
                400,
                'The lookup attribute value must be between 1 and 2000 characters.',
              );
            filter = (e) => test(e, value);
          }
          const category = input.string('EventCategory');
          if (category !== undefined && category !== 'insight')
            throw new AwsError('InvalidEventCategoryException', 400, `Invalid event category: ${category}`);
          const maxResults = input.integer('MaxResults') ?? MAX_RESULTS;
          if (maxResults < 1 || maxResults > MAX_RESULTS)
            throw new AwsError('InvalidMaxResultsException', 400, 'MaxResults must be between 1 and 50.');
          const start = input.epochSeconds('StartTime');
          const end = input.epochSeconds('EndTime');
          if (start !== undefined && end !== undefined && start > end)
            throw new AwsError(
              'InvalidTimeRangeException',
              400,
              'Start time must be less than or equal to end time.',
            );
          ctx.authorize('*');

          const accountId = ctx.caller.accountId;
          const region = ctx.region;
          // The token binds the query (everything but MaxResults) so reuse with other parameters fails.
          const fingerprint = createHash('sha256')
            .update(
              JSON.stringify([
                accountId,
                region,
                attribute?.raw ?? null,
                start ?? null,
                end ?? null,
                category ?? null,
              ]),
            )
            .digest('base64url')
            .slice(0, 16);
          const all = trailSlice(ctx.world).events[accountId]?.[region] ?? [];
          const newest = all.length ? all[all.length - 1]!.seq : 0;
          // Cutoff = the newest event when the first page was served; `before` = last sequence returned.
          let cutoff = newest;
          let before = Number.POSITIVE_INFINITY;
          const token = input.string('NextToken');
          if (token !== undefined) {
            const decoded = decodeToken(token);
            if (
              !decoded ||
              decoded.f !== fingerprint ||
              typeof decoded.c !== 'number' ||
              typeof decoded.b !== 'number'
            )
              throw new AwsError('InvalidNextTokenException', 400, 'Invalid NextToken.');
            cutoff = decoded.c;
            before = decoded.b;
          }
          const oldest = ctx.now() - RETENTION_MS;
          const out: StoredEvent[] = [];
          let more = false;
          // Insights events are not recorded by the sandbox: the insight category is always empty.
          if (category === undefined) {
            for (let i = all.length - 1; i >= 0; i--) {
              const e = all[i]!;
              if (e.seq > cutoff || e.seq >= before) continue;
              if (e.time < oldest) break;
              const seconds = Math.floor(e.time / 1000);
              if (start !== undefined && seconds < start) break;
              if (end !== undefined && seconds > end) continue;
              if (filter && !filter(e)) continue;
              if (out.length === maxResults) {
                more = true;
                break;
              }
              out.push(e);
            }
          }
          const last = out[out.length - 1];
          return {
            response: awsJsonResponse({
              Events: out.map(eventJson),
              ...(more && last ? { NextToken: encodeToken({ f: fingerprint, c: cutoff, b: last.seq }) } : {}),
            }),
            requestParameters: {
              ...(attribute
                ? {
                    lookupAttributes: [
                      {
                        attributeKey: attribute.raw.AttributeKey,
                        attributeValue: attribute.raw.AttributeValue,
                      },
                    ],
                  }
                : {}),
              ...(start !== undefined ? { startTime: new Date(start * 1000).toISOString() } : {}),
              ...(end !== undefined ? { endTime: new Date(end * 1000).toISOString() } : {}),
              maxResults,
            },
          };
        },
      };
    },
  };
}
