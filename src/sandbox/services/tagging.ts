// Resource Groups Tagging API (awsJson1_1, regional): GetResources over the tagged resources that
// other services (Lambda, Signer) expose through their registered tagging providers.
import { createHash } from 'node:crypto';
import { AwsError } from '../errors.js';
import type { TaggedResource, TaggedResourceProvider } from '../internals.js';
import type { ResolvedOperation, ServiceDefinition } from '../service.js';
import {
  awsJsonResponse,
  decodeToken,
  encodeToken,
  JsonInput,
  renderJsonError,
  targetOperation,
  unrecognizedJsonClient,
} from './aws-json.js';

const TARGET_PREFIX = 'ResourceGroupsTaggingAPI_20170126';
// The model gives 1..100 and no default; the sandbox uses the maximum, as the issue specifies.
const DEFAULT_PER_PAGE = 100;

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterException', 400, message);
}

interface TagFilter {
  key: string;
  values: string[] | undefined;
}

function matchesType(resource: TaggedResource, filters: string[]): boolean {
  if (filters.length === 0) return true;
  return filters.some((f) =>
    f.includes(':') ? resource.resourceType === f : resource.resourceType.startsWith(`${f}:`),
  );
}

function matchesTags(resource: TaggedResource, filters: TagFilter[]): boolean {
  // Filters are AND'ed; the values of one key are OR'ed; a key without values means "key present".
  return filters.every((f) => {
    const value = resource.tags[f.key];
    if (value === undefined) return false;
    return !f.values || f.values.length === 0 || f.values.includes(value);
  });
}

function readFilters(input: JsonInput): { types: string[]; tags: TagFilter[]; arns: string[] | undefined } {
  const types = input.stringList('ResourceTypeFilters') ?? [];
  for (const t of types)
    if (!/^[a-z0-9-]+(:[A-Za-z0-9-]+)?$/.test(t))
      throw invalid(`Unsupported resource type filter: ${t}. Use the format service[:resourceType].`);
  const tags: TagFilter[] = [];
  const rawTags = input.objectList('TagFilters') ?? [];
  if (rawTags.length > 50) throw invalid('TagFilters can include up to 50 keys.');
  for (const f of rawTags) {
    const key = f.string('Key');
    if (key === undefined || key === '') throw invalid('A TagFilter must specify a Key.');
    const values = f.stringList('Values');
    if (values && values.length > 20) throw invalid(`TagFilter for key ${key} can include up to 20 values.`);
    tags.push({ key, values });
  }
  const arns = input.stringList('ResourceARNList');
  if (arns !== undefined) {
    if (arns.length < 1 || arns.length > 100)
      throw invalid('ResourceARNList must contain between 1 and 100 ARNs.');
    if (
      types.length ||
      tags.length ||
      input.has('PaginationToken') ||
      input.has('ResourcesPerPage') ||
      input.has('TagsPerPage')
    )
      throw invalid(
        'ResourceARNList cannot be combined with TagFilters, ResourceTypeFilters, ResourcesPerPage, TagsPerPage or PaginationToken.',
      );
  }
  return { types, tags, arns };
}

export function taggingService(): ServiceDefinition {
  return {
    signingName: 'tagging',
    eventSource: 'tagging.amazonaws.com',
    protocol: 'awsJson1_1',
    defaultBucket: 'tagging:all',
    renderError: (error, req) => renderJsonError(error, req.requestId),
    throttleError: () => new AwsError('ThrottledException', 400, 'Rate exceeded'),
    accessDenied: (message) => new AwsError('AccessDeniedException', 400, message),
    unrecognizedClient: unrecognizedJsonClient,
    resolve(req): ResolvedOperation {
      const op = targetOperation(req, TARGET_PREFIX);
      if (op !== 'GetResources')
        throw new AwsError('UnknownOperationException', 400, `Unknown operation ${op}`);
      const input = JsonInput.parse(req);
      return {
        name: op,
        action: 'tag:GetResources',
        readOnly: true,
        handler: (ctx) => {
          const { types, tags, arns } = readFilters(input);
          const perPage = input.integer('ResourcesPerPage') ?? DEFAULT_PER_PAGE;
          if (perPage < 1 || perPage > 100) throw invalid('ResourcesPerPage must be between 1 and 100.');
          const tagsPerPage = input.integer('TagsPerPage');
          if (tagsPerPage !== undefined && (tagsPerPage < 100 || tagsPerPage > 500))
            throw invalid('TagsPerPage must be between 100 and 500.');
          ctx.authorize('*');
          const providers = (ctx.internals.taggingProviders as TaggedResourceProvider[] | undefined) ?? [];
          const accountId = ctx.caller.accountId;
          // Only tagged resources are returned; "previously tagged" resources are not tracked.
          let resources = providers
            .flatMap((p) => p(accountId, ctx.region))
            .filter((r) => Object.keys(r.tags).length > 0)
            .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
          if (arns) {
            const wanted = new Set(arns);
            resources = resources.filter((r) => wanted.has(r.arn));
          } else {
            resources = resources.filter((r) => matchesType(r, types) && matchesTags(r, tags));
          }
          // Tokens carry the last ARN returned (stable while resources come and go) and a fingerprint
          // of the filters, so a token reused with other filters is rejected.
          const fingerprint = createHash('sha256')
            .update(JSON.stringify([accountId, ctx.region, types, tags]))
            .digest('base64url')
            .slice(0, 16);
          const token = input.string('PaginationToken');
          if (token !== undefined && token !== '') {
            const decoded = decodeToken(token);
            if (!decoded || decoded.f !== fingerprint || typeof decoded.a !== 'string')
              throw invalid('The specified PaginationToken is not valid.');
            const after = decoded.a;
            resources = resources.filter((r) => r.arn > after);
          }
          const page = resources.slice(0, perPage);
          const more = resources.length > page.length;
          return {
            response: awsJsonResponse({
              PaginationToken: more ? encodeToken({ f: fingerprint, a: page[page.length - 1]!.arn }) : '',
              ResourceTagMappingList: page.map((r) => ({
                ResourceARN: r.arn,
                Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })),
              })),
            }),
            requestParameters: Object.keys(input.raw).length
              ? Object.fromEntries(
                  Object.entries(input.raw).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), v]),
                )
              : null,
          };
        },
      };
    },
  };
}
