// Function aliases: named pointers to a version (with optional weighted routing to a second one).
import { randomUUID } from 'node:crypto';
import { emptyResponse, jsonResponse } from '../../http.js';
import type { HandlerResult, OperationContext } from '../../service.js';
import {
  conflict,
  functionNotFound,
  invalidParameter,
  notFound,
  preconditionFailed,
  validation,
} from './errors.js';
import { type Body, optObject, optString, parseBody, reqString } from './input.js';
import {
  type AliasRecord,
  type FunctionRecord,
  type FunctionRef,
  findFunction,
  functionArn,
  maxItems,
  paginate,
  parseFunctionRef,
  refArn,
  requireSameAccount,
} from './state.js';
import { trailObject } from './trail-fields.js';

const ALIAS = /^(?!^[0-9]+$)([a-zA-Z0-9_-]+)$/;
const VERSION = /^(\$LATEST|[0-9]+)$/;

function render(alias: AliasRecord): Record<string, unknown> {
  return structuredClone(alias) as unknown as Record<string, unknown>;
}

function aliasName(raw: string | undefined): string {
  if (raw === undefined || raw === '') throw validation(raw, 'name', 'Member must not be null');
  if (raw.length > 128 || !ALIAS.test(raw)) {
    throw validation(
      raw,
      'name',
      'Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)',
    );
  }
  return raw;
}

function functionOf(ctx: OperationContext, label: string | undefined): FunctionRef & { arn: string } {
  const ref = parseFunctionRef(ctx, label);
  if (ref.qualifier !== undefined)
    throw invalidParameter('Alias operations take an unqualified function name.');
  return { ...ref, arn: refArn(ref) };
}

function requireVersion(fn: FunctionRecord, version: string, region: string, accountId: string): void {
  if (version !== '$LATEST' && !fn.versions[version]) {
    throw functionNotFound(functionArn(region, accountId, fn.name, version));
  }
}

function readRouting(body: Body, fn: FunctionRecord, primary: string, region: string, accountId: string) {
  const routing = optObject(body, 'RoutingConfig');
  if (!routing) return undefined;
  const weights = optObject(routing, 'AdditionalVersionWeights') ?? {};
  const entries = Object.entries(weights);
  if (entries.length > 1)
    throw invalidParameter('Only one additional version can be specified in the routing configuration.');
  for (const [version, weight] of entries) {
    if (typeof weight !== 'number' || weight < 0 || weight > 1) {
      throw validation(
        String(weight),
        'routingConfig.additionalVersionWeights',
        'Member must have value between 0.0 and 1.0',
      );
    }
    if (!/^[0-9]+$/.test(version)) throw invalidParameter('Alias routing only supports published versions.');
    if (version === primary) throw invalidParameter('Cannot route to the primary version of the alias.');
    requireVersion(fn, version, region, accountId);
  }
  return { AdditionalVersionWeights: weights as Record<string, number> };
}

function aliasResource(fn: FunctionRecord) {
  return [{ ResourceType: 'AWS::Lambda::Function', ResourceName: fn.name }];
}

export function createAlias(ctx: OperationContext, label: string | undefined): HandlerResult {
  const target = functionOf(ctx, label);
  const body = parseBody(ctx.req);
  const name = aliasName(reqString(body, 'Name'));
  const version = reqString(body, 'FunctionVersion', {
    max: 1024,
    pattern: VERSION,
    patternText: '(\\$LATEST|[0-9]+)',
  });
  const description = optString(body, 'Description', { max: 256 }) ?? '';
  ctx.authorize(target.arn);
  requireSameAccount(ctx, target, 'lambda:CreateAlias', target.arn);
  const fn = findFunction(ctx, target);
  const aliasArn = `${fn.arn}:${name}`;
  if (fn.aliases[name]) throw conflict(`Alias already exists: ${aliasArn}`);
  requireVersion(fn, version, target.region, target.accountId);
  const routing = readRouting(body, fn, version, target.region, target.accountId);
  const alias: AliasRecord = {
    Name: name,
    AliasArn: aliasArn,
    FunctionVersion: version,
    Description: description,
    ...(routing ? { RoutingConfig: routing } : {}),
    RevisionId: randomUUID(),
  };
  fn.aliases[name] = alias;
  const view = render(alias);
  return {
    response: jsonResponse(201, view),
    requestParameters: trailObject({ FunctionName: label, ...body }),
    responseElements: trailObject(view),
    resources: aliasResource(fn),
  };
}

function findAlias(
  ctx: OperationContext,
  label: string | undefined,
  nameLabel: string | undefined,
  action: string,
) {
  const target = functionOf(ctx, label);
  const name = aliasName(nameLabel);
  const arn = `${target.arn}:${name}`;
  ctx.authorize(arn);
  requireSameAccount(ctx, target, action, arn);
  const fn = findFunction(ctx, target);
  return { fn, name, arn, target };
}

export function getAlias(
  ctx: OperationContext,
  label: string | undefined,
  nameLabel: string | undefined,
): HandlerResult {
  const { fn, name, arn } = findAlias(ctx, label, nameLabel, 'lambda:GetAlias');
  const alias = fn.aliases[name];
  if (!alias) throw notFound(`Cannot find alias arn: ${arn}`);
  return {
    response: jsonResponse(200, render(alias)),
    requestParameters: { functionName: label, name },
    resources: aliasResource(fn),
  };
}

export function updateAlias(
  ctx: OperationContext,
  label: string | undefined,
  nameLabel: string | undefined,
): HandlerResult {
  const body = parseBody(ctx.req);
  const version = optString(body, 'FunctionVersion', {
    max: 1024,
    pattern: VERSION,
    patternText: '(\\$LATEST|[0-9]+)',
  });
  const description = optString(body, 'Description', { max: 256 });
  const revision = optString(body, 'RevisionId');
  const { fn, name, arn, target } = findAlias(ctx, label, nameLabel, 'lambda:UpdateAlias');
  const alias = fn.aliases[name];
  if (!alias) throw notFound(`Cannot find alias arn: ${arn}`);
  if (revision !== undefined && revision !== alias.RevisionId) {
    throw preconditionFailed();
  }
  if (version !== undefined) requireVersion(fn, version, target.region, target.accountId);
  const routing = readRouting(body, fn, version ?? alias.FunctionVersion, target.region, target.accountId);
  if (version !== undefined) alias.FunctionVersion = version;
  if (description !== undefined) alias.Description = description;
  if (routing) {
    if (Object.keys(routing.AdditionalVersionWeights).length > 0) alias.RoutingConfig = routing;
    else delete alias.RoutingConfig;
  }
  alias.RevisionId = randomUUID();
  const view = render(alias);
  return {
    response: jsonResponse(200, view),
    requestParameters: trailObject({ FunctionName: label, Name: name, ...body }),
    responseElements: trailObject(view),
    resources: aliasResource(fn),
  };
}

export function deleteAlias(
  ctx: OperationContext,
  label: string | undefined,
  nameLabel: string | undefined,
): HandlerResult {
  const { fn, name } = findAlias(ctx, label, nameLabel, 'lambda:DeleteAlias');
  // Deleting an absent alias succeeds (AWS DeleteAlias is idempotent).
  delete fn.aliases[name];
  return {
    response: emptyResponse(204),
    requestParameters: { functionName: label, name },
    resources: aliasResource(fn),
  };
}

export function listAliases(ctx: OperationContext, label: string | undefined): HandlerResult {
  const target = functionOf(ctx, label);
  const max = maxItems(ctx.req.query, 10000, 10000, 50);
  const versionFilter = ctx.req.query.get('FunctionVersion');
  ctx.authorize(target.arn);
  requireSameAccount(ctx, target, 'lambda:ListAliases', target.arn);
  const fn = findFunction(ctx, target);
  const aliases = Object.values(fn.aliases).filter(
    (a) => !versionFilter || a.FunctionVersion === versionFilter,
  );
  const page = paginate(aliases, (a) => a.Name, ctx.req.query.get('Marker'), max);
  return {
    response: jsonResponse(200, {
      Aliases: page.items.map(render),
      ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
    }),
    requestParameters: { functionName: label },
    resources: aliasResource(fn),
  };
}
