// Tags on functions and code signing configs (TagResource, UntagResource, ListTags) and the Tagging
// API's view of them.
import { emptyResponse, jsonResponse } from '../../http.js';
import type { TaggedResource } from '../../internals.js';
import type { HandlerResult, OperationContext } from '../../service.js';
import type { World } from '../../world.js';
import { parseCscArn } from './code-signing.js';
import { functionNotFound, invalidParameter, resourceNotFound, validation } from './errors.js';
import { checkTags, optStringMap, parseBody } from './input.js';
import { accessDenied, lambdaSlice, regionState } from './state.js';

const FUNCTION_ARN =
  /^arn:aws[a-zA-Z-]*:lambda:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):function:([a-zA-Z0-9_-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;
const TAGGABLE_TEXT =
  'arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})';

interface Taggable {
  /** The stored function or CSC record: both keep `tags` and `everTagged`. */
  holder: { tags: Record<string, string>; everTagged: boolean };
  resourceType: string;
  name: string;
}

function findTaggable(ctx: OperationContext, arn: string | undefined): Taggable {
  if (arn === undefined || arn === '') throw validation(arn, 'resource', 'Member must not be null');
  // Resource-based policies are not modelled: another account's resources are out of reach.
  const owner = /^arn:[^:]+:lambda:[^:]*:(\d{12}):/.exec(arn)?.[1];
  if (owner && owner !== ctx.caller.accountId) {
    throw accessDenied(`User: ${ctx.caller.arn} is not authorized to access the resource ${arn}`);
  }
  const fnMatch = FUNCTION_ARN.exec(arn);
  if (fnMatch) {
    const [, region, accountId, name, qualifier] = fnMatch as unknown as [
      string,
      string,
      string,
      string,
      string?,
    ];
    if (qualifier !== undefined) {
      // Tags belong to the function, not to a version or alias.
      throw invalidParameter(
        'Tags are not supported on function versions or aliases; use the unqualified function ARN.',
      );
    }
    const fn = region === ctx.region ? regionState(ctx.world, accountId, region).functions[name] : undefined;
    if (!fn) throw functionNotFound(arn);
    return { holder: fn, resourceType: 'AWS::Lambda::Function', name };
  }
  if (arn.includes(':code-signing-config:')) {
    const parsed = parseCscArn(arn, 'resource');
    const csc =
      parsed.region === ctx.region
        ? regionState(ctx.world, parsed.accountId, parsed.region).cscs[parsed.id]
        : undefined;
    if (!csc) throw resourceNotFound();
    return { holder: csc, resourceType: 'AWS::Lambda::CodeSigningConfig', name: arn };
  }
  throw validation(arn, 'resource', `Member must satisfy regular expression pattern: ${TAGGABLE_TEXT}`);
}

export function tagResource(ctx: OperationContext, arn: string | undefined): HandlerResult {
  const body = parseBody(ctx.req);
  const tags = optStringMap(body, 'Tags');
  if (!tags) throw validation(undefined, 'tags', 'Member must not be null');
  ctx.authorize(arn ?? '*');
  const target = findTaggable(ctx, arn);
  const merged = { ...target.holder.tags, ...tags };
  checkTags(merged, invalidParameter);
  target.holder.tags = merged;
  if (Object.keys(tags).length > 0) target.holder.everTagged = true;
  return {
    response: emptyResponse(204),
    requestParameters: { resource: arn, tags },
    resources: [{ ResourceType: target.resourceType, ResourceName: target.name }],
  };
}

export function untagResource(ctx: OperationContext, arn: string | undefined): HandlerResult {
  const keys = ctx.req.query.getAll('tagKeys');
  if (keys.length === 0) throw validation(undefined, 'tagKeys', 'Member must not be null');
  ctx.authorize(arn ?? '*');
  const target = findTaggable(ctx, arn);
  for (const key of keys) delete target.holder.tags[key];
  return {
    response: emptyResponse(204),
    requestParameters: { resource: arn, tagKeys: keys },
    resources: [{ ResourceType: target.resourceType, ResourceName: target.name }],
  };
}

export function listTags(ctx: OperationContext, arn: string | undefined): HandlerResult {
  ctx.authorize(arn ?? '*');
  const target = findTaggable(ctx, arn);
  return {
    response: jsonResponse(200, { Tags: { ...target.holder.tags } }),
    requestParameters: { resource: arn },
    resources: [{ ResourceType: target.resourceType, ResourceName: target.name }],
  };
}

/** The Tagging API lists only resources that have or had tags (spec §5). */
export function taggedResources(world: World, accountId: string, region: string): TaggedResource[] {
  const state = lambdaSlice(world).regions[accountId]?.[region];
  if (!state) return [];
  const out: TaggedResource[] = [];
  for (const fn of Object.values(state.functions)) {
    if (fn.everTagged) out.push({ arn: fn.arn, resourceType: 'lambda:function', tags: { ...fn.tags } });
  }
  for (const csc of Object.values(state.cscs)) {
    if (csc.everTagged) {
      out.push({
        arn: csc.CodeSigningConfigArn,
        resourceType: 'lambda:code-signing-config',
        tags: { ...csc.tags },
      });
    }
  }
  return out;
}
