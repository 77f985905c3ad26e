// AWS Account Management (restJson1): ListRegions and GetRegionOptStatus, which scanners use to find
// the regions enabled for an account. Opt-in regions start disabled, as in a new AWS account.
import { AwsError } from '../errors.js';
import { jsonResponse, renderRestJsonError } from '../http.js';
import { PARTITION_REGIONS, partitionOfRegion } from '../partition.js';
import type { ResolvedOperation, ServiceDefinition } from '../service.js';

/** Regions enabled by default in every commercial AWS account. */
export const DEFAULT_ENABLED_REGIONS = [
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-north-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
];

export const OPT_IN_REGIONS = [
  'af-south-1',
  'ap-east-1',
  'ap-south-2',
  'ap-southeast-3',
  'eu-south-1',
  'me-south-1',
];

function validation(message: string): AwsError {
  return new AwsError('ValidationException', 400, message);
}

export function accountService(): ServiceDefinition {
  return {
    signingName: 'account',
    eventSource: 'account.amazonaws.com',
    protocol: 'restJson1',
    defaultBucket: 'account:all',
    renderError: (error, req) => renderRestJsonError(error, req.requestId),
    throttleError: (retryAfter) =>
      new AwsError('TooManyRequestsException', 429, 'Rate exceeded', {
        headers: { 'Retry-After': String(retryAfter) },
      }),
    accessDenied: (message) => new AwsError('AccessDeniedException', 403, message),
    unrecognizedClient: () =>
      new AwsError(
        'UnrecognizedClientException',
        403,
        'The security token included in the request is invalid.',
      ),
    resolve(req): ResolvedOperation {
      const route = `${req.method} ${req.rawPath}`;
      if (route === 'POST /listRegions') {
        return {
          name: 'ListRegions',
          action: 'account:ListRegions',
          readOnly: true,
          handler: (ctx) => {
            let body: {
              MaxResults?: number;
              NextToken?: string;
              RegionOptStatusContains?: string[];
              AccountId?: string;
            };
            try {
              body = JSON.parse(req.body.toString('utf8') || '{}') as typeof body;
            } catch {
              throw validation('The request body is not valid JSON.');
            }
            const accountId = body.AccountId ?? ctx.caller.accountId;
            ctx.authorize(`arn:${partitionOfRegion(ctx.region)}:account::${ctx.caller.accountId}:account`);
            if (!ctx.world.accounts[accountId])
              throw new AwsError(
                'AccessDeniedException',
                403,
                `You are not authorized to access account ${accountId}.`,
              );
            const max = body.MaxResults ?? 20;
            if (!Number.isInteger(max) || max < 1 || max > 50)
              throw validation('MaxResults must be between 1 and 50.');
            const partition = partitionOfRegion(ctx.region);
            const all = [
              ...(partition === 'aws' ? DEFAULT_ENABLED_REGIONS : PARTITION_REGIONS[partition]).map(
                (RegionName) => ({
                  RegionName,
                  RegionOptStatus: 'ENABLED_BY_DEFAULT',
                }),
              ),
              ...(partition === 'aws' ? OPT_IN_REGIONS : []).map((RegionName) => ({
                RegionName,
                RegionOptStatus: 'DISABLED',
              })),
            ].sort((a, b) => a.RegionName.localeCompare(b.RegionName));
            const wanted = body.RegionOptStatusContains;
            const filtered = wanted?.length ? all.filter((r) => wanted.includes(r.RegionOptStatus)) : all;
            const start = body.NextToken ? Number(Buffer.from(body.NextToken, 'base64').toString('utf8')) : 0;
            if (!Number.isInteger(start) || start < 0 || start > filtered.length)
              throw validation('The NextToken is not valid.');
            const page = filtered.slice(start, start + max);
            const next =
              start + max < filtered.length ? Buffer.from(String(start + max)).toString('base64') : undefined;
            return { response: jsonResponse(200, { Regions: page, ...(next ? { NextToken: next } : {}) }) };
          },
        };
      }
      throw new AwsError(
        'UnknownOperationException',
        404,
        `The sandbox does not implement ${route} for account.`,
      );
    },
  };
}
