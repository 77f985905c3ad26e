// The nine code signing config operations (spec §1.1).
import { emptyResponse, jsonResponse } from '../../http.js';
import { randomId } from '../../identity.js';
import type { HandlerResult, OperationContext } from '../../service.js';
import { conflict, cscNotFound, invalidParameter, resourceNotFound, validation } from './errors.js';
import { type Body, checkTags, optObject, optString, optStringMap, parseBody, reqString } from './input.js';
import {
  type CscRecord,
  cscArn,
  findFunction,
  lambdaTime,
  maxItems,
  paginate,
  parseFunctionRef,
  refArn,
  regionState,
  requireSameAccount,
} from './state.js';
import { trailObject } from './trail-fields.js';

const CSC_ARN =
  /^arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:(\d{12}):code-signing-config:(csc-[a-z0-9]{17})$/;
const CSC_ARN_TEXT =
  'arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:code-signing-config:csc-[a-z0-9]{17}';
const PROFILE_VERSION_ARN =
  /^arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)$/;
const CSC_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function cscResource(arn: string) {
  return [{ ResourceType: 'AWS::Lambda::CodeSigningConfig', ResourceName: arn }];
}

export function cscView(csc: CscRecord): Record<string, unknown> {
  const { tags: _tags, everTagged: _everTagged, ...wire } = csc;
  return wire;
}

/** Validates a CSC ARN label or member (ValidationException when it is not one). */
export function parseCscArn(
  raw: string | undefined,
  member = 'codeSigningConfigArn',
): { arn: string; accountId: string; region: string; id: string } {
  if (raw === undefined || raw === '') throw validation(raw, member, 'Member must not be null');
  if (raw.length > 200) throw validation(raw, member, 'Member must have length less than or equal to 200');
  const match = CSC_ARN.exec(raw);
  if (!match)
    throw validation(raw, member, `Member must satisfy regular expression pattern: ${CSC_ARN_TEXT}`);
  const region = raw.split(':')[3]!;
  return { arn: raw, accountId: match[7]!, region, id: match[8]! };
}

/** Looks up a CSC named by a function operation; AWS answers CodeSigningConfigNotFoundException. */
export function findCscForFunction(ctx: OperationContext, arn: string, accountId: string): CscRecord {
  const parsed = parseCscArn(arn);
  // A CSC is a regional, per-account resource; AWS documents no sharing, so another account's or
  // region's CSC is treated as absent (conservative reading).
  const csc =
    parsed.accountId === accountId && parsed.region === ctx.region
      ? regionState(ctx.world, accountId, ctx.region).cscs[parsed.id]
      : undefined;
  if (!csc) throw cscNotFound(arn);
  return csc;
}

function findCsc(ctx: OperationContext, label: string | undefined): CscRecord {
  const parsed = parseCscArn(label);
  const csc =
    parsed.region === ctx.region
      ? regionState(ctx.world, parsed.accountId, ctx.region).cscs[parsed.id]
      : undefined;
  if (!csc) throw resourceNotFound();
  return csc;
}

function readPublishers(body: Body, required: boolean): string[] | undefined {
  const publishers = optObject(body, 'AllowedPublishers');
  if (!publishers) {
    if (required) throw validation(undefined, 'allowedPublishers', 'Member must not be null');
    return undefined;
  }
  const arns = publishers.SigningProfileVersionArns;
  if (!Array.isArray(arns) || arns.some((a) => typeof a !== 'string')) {
    throw validation(undefined, 'allowedPublishers.signingProfileVersionArns', 'Member must not be null');
  }
  const list = arns as string[];
  if (list.length < 1) {
    throw validation(
      '[]',
      'allowedPublishers.signingProfileVersionArns',
      'Member must have length greater than or equal to 1',
    );
  }
  // 20 per the API model and the English docs; the German docs say 50 (spec §1.1, UNCONFIRMED): keep 20.
  if (list.length > 20) {
    throw validation(
      `[${list.join(', ')}]`,
      'allowedPublishers.signingProfileVersionArns',
      'Member must have length less than or equal to 20',
    );
  }
  for (const arn of list) {
    if (!PROFILE_VERSION_ARN.test(arn)) {
      throw invalidParameter(`Invalid signing profile version ARN: ${arn}`);
    }
  }
  return [...new Set(list)];
}

function readPolicy(body: Body): 'Warn' | 'Enforce' | undefined {
  const policies = optObject(body, 'CodeSigningPolicies');
  if (!policies) return undefined;
  return optString(policies, 'UntrustedArtifactOnDeployment', { oneOf: ['Warn', 'Enforce'] }) as
    | 'Warn'
    | 'Enforce'
    | undefined;
}

export function createCodeSigningConfig(ctx: OperationContext): HandlerResult {
  const body = parseBody(ctx.req);
  const description = optString(body, 'Description', { max: 256 }) ?? '';
  const publishers = readPublishers(body, true)!;
  // The API's documented default is Warn (CloudFormation requires the field; the API does not).
  const policy = readPolicy(body) ?? 'Warn';
  const tags = optStringMap(body, 'Tags') ?? {};
  checkTags(tags, invalidParameter);
  ctx.authorize('*');
  const id = randomId('csc-', 17, CSC_ID_ALPHABET);
  const csc: CscRecord = {
    CodeSigningConfigId: id,
    CodeSigningConfigArn: cscArn(ctx.region, ctx.caller.accountId, id),
    Description: description,
    AllowedPublishers: { SigningProfileVersionArns: publishers },
    CodeSigningPolicies: { UntrustedArtifactOnDeployment: policy },
    LastModified: lambdaTime(ctx.now()),
    tags,
    everTagged: Object.keys(tags).length > 0,
  };
  regionState(ctx.world, ctx.caller.accountId, ctx.region).cscs[id] = csc;
  const view = cscView(csc);
  return {
    response: jsonResponse(201, { CodeSigningConfig: view }),
    requestParameters: trailObject(body),
    responseElements: trailObject({ CodeSigningConfig: view }),
    resources: cscResource(csc.CodeSigningConfigArn),
  };
}

export function getCodeSigningConfig(ctx: OperationContext, label: string | undefined): HandlerResult {
  const parsed = parseCscArn(label);
  ctx.authorize(parsed.arn);
  const csc = findCsc(ctx, label);
  return {
    response: jsonResponse(200, { CodeSigningConfig: cscView(csc) }),
    requestParameters: { codeSigningConfigArn: parsed.arn },
    resources: cscResource(parsed.arn),
  };
}

export function updateCodeSigningConfig(ctx: OperationContext, label: string | undefined): HandlerResult {
  const parsed = parseCscArn(label);
  const body = parseBody(ctx.req);
  const description = optString(body, 'Description', { max: 256 });
  const publishers = readPublishers(body, false);
  const policy = readPolicy(body);
  ctx.authorize(parsed.arn);
  const csc = findCsc(ctx, label);
  // Changes apply to the next deployment only: nothing already deployed is re-checked (spec §1.3).
  if (description !== undefined) csc.Description = description;
  if (publishers) csc.AllowedPublishers = { SigningProfileVersionArns: publishers };
  if (policy) csc.CodeSigningPolicies = { UntrustedArtifactOnDeployment: policy };
  csc.LastModified = lambdaTime(ctx.now());
  const view = cscView(csc);
  return {
    response: jsonResponse(200, { CodeSigningConfig: view }),
    requestParameters: { codeSigningConfigArn: parsed.arn, ...trailObject(body) },
    responseElements: trailObject({ CodeSigningConfig: view }),
    resources: cscResource(parsed.arn),
  };
}

export function usersOf(ctx: OperationContext, csc: CscRecord, accountId: string): string[] {
  return Object.values(regionState(ctx.world, accountId, ctx.region).functions)
    .filter((fn) => fn.codeSigningConfigArn === csc.CodeSigningConfigArn)
    .map((fn) => fn.arn)
    .sort();
}

export function deleteCodeSigningConfig(ctx: OperationContext, label: string | undefined): HandlerResult {
  const parsed = parseCscArn(label);
  ctx.authorize(parsed.arn);
  const csc = findCsc(ctx, label);
  const users = usersOf(ctx, csc, parsed.accountId);
  if (users.length > 0) {
    throw conflict(
      `The code signing configuration cannot be deleted because it is used by the following functions: ${users.join(', ')}`,
    );
  }
  delete regionState(ctx.world, parsed.accountId, ctx.region).cscs[parsed.id];
  return {
    response: emptyResponse(204),
    requestParameters: { codeSigningConfigArn: parsed.arn },
    resources: cscResource(parsed.arn),
  };
}

export function listCodeSigningConfigs(ctx: OperationContext): HandlerResult {
  const max = maxItems(ctx.req.query, 10000, 10000, 50);
  ctx.authorize('*');
  const all = Object.values(regionState(ctx.world, ctx.caller.accountId, ctx.region).cscs);
  const page = paginate(all, (c) => c.CodeSigningConfigId, ctx.req.query.get('Marker'), max);
  return {
    response: jsonResponse(200, {
      CodeSigningConfigs: page.items.map(cscView),
      ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
    }),
  };
}

export function listFunctionsByCodeSigningConfig(
  ctx: OperationContext,
  label: string | undefined,
): HandlerResult {
  const parsed = parseCscArn(label);
  const max = maxItems(ctx.req.query, 10000, 10000, 50);
  ctx.authorize(parsed.arn);
  const csc = findCsc(ctx, label);
  // Whether AWS returns qualified ARNs is UNCONFIRMED (spec §1.1); the association is per function,
  // so the sandbox returns unqualified function ARNs.
  const page = paginate(usersOf(ctx, csc, parsed.accountId), (arn) => arn, ctx.req.query.get('Marker'), max);
  return {
    response: jsonResponse(200, {
      FunctionArns: page.items,
      ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
    }),
    requestParameters: { codeSigningConfigArn: parsed.arn },
    resources: cscResource(parsed.arn),
  };
}

function unqualified(ctx: OperationContext, label: string | undefined) {
  const ref = parseFunctionRef(ctx, label);
  if (ref.qualifier !== undefined) {
    // The association is per function, not per version (spec §1.1, INFERRED): qualifiers are refused.
    throw invalidParameter(
      'Code signing configurations apply to unqualified functions only; remove the qualifier.',
    );
  }
  return ref;
}

export function putFunctionCodeSigningConfig(
  ctx: OperationContext,
  label: string | undefined,
): HandlerResult {
  const ref = unqualified(ctx, label);
  const body = parseBody(ctx.req);
  const arn = reqString(body, 'CodeSigningConfigArn', { max: 200 });
  const parsedCsc = parseCscArn(arn);
  const fnArn = refArn(ref);
  ctx.authorize(fnArn, { 'lambda:CodeSigningConfigArn': arn });
  // SAR lists both resources for this action: the CSC must be usable by the caller too.
  ctx.authorize(parsedCsc.arn, { 'lambda:CodeSigningConfigArn': arn });
  requireSameAccount(ctx, ref, 'lambda:PutFunctionCodeSigningConfig', fnArn);
  const fn = findFunction(ctx, ref);
  const csc = findCscForFunction(ctx, arn, ref.accountId);
  if (fn.latest.config.PackageType === 'Image') {
    // "Functions defined as container images do not support code signing" (spec §1.3); the error
    // AWS returns is UNCONFIRMED: InvalidParameterValueException is the conservative reading.
    throw invalidParameter('Code signing is not supported for functions with package type Image.');
  }
  // Attaching never re-checks deployed code (spec §1.3): the next deployment is validated.
  fn.codeSigningConfigArn = csc.CodeSigningConfigArn;
  return {
    response: jsonResponse(200, { CodeSigningConfigArn: csc.CodeSigningConfigArn, FunctionName: fn.name }),
    requestParameters: { functionName: label, codeSigningConfigArn: arn },
    responseElements: { codeSigningConfigArn: csc.CodeSigningConfigArn, functionName: fn.name },
    resources: [{ ResourceType: 'AWS::Lambda::Function', ResourceName: fn.name }],
  };
}

export function getFunctionCodeSigningConfig(
  ctx: OperationContext,
  label: string | undefined,
): HandlerResult {
  const ref = unqualified(ctx, label);
  const fnArn = refArn(ref);
  ctx.authorize(fnArn);
  requireSameAccount(ctx, ref, 'lambda:GetFunctionCodeSigningConfig', fnArn);
  const fn = findFunction(ctx, ref);
  // The model marks both members required, but recorded AWS responses for a function without a CSC
  // omit `CodeSigningConfigArn` (issue 7 item 9); scanners must still treat absent, null and "" alike.
  return {
    response: jsonResponse(200, {
      ...(fn.codeSigningConfigArn ? { CodeSigningConfigArn: fn.codeSigningConfigArn } : {}),
      FunctionName: fn.name,
    }),
    requestParameters: { functionName: label },
    resources: [{ ResourceType: 'AWS::Lambda::Function', ResourceName: fn.name }],
  };
}

export function deleteFunctionCodeSigningConfig(
  ctx: OperationContext,
  label: string | undefined,
): HandlerResult {
  const ref = unqualified(ctx, label);
  const fnArn = refArn(ref);
  ctx.authorize(fnArn);
  requireSameAccount(ctx, ref, 'lambda:DeleteFunctionCodeSigningConfig', fnArn);
  const fn = findFunction(ctx, ref);
  // Removing an absent association is a no-op: AWS documents no error for it.
  delete fn.codeSigningConfigArn;
  return {
    response: emptyResponse(204),
    requestParameters: { functionName: label },
    resources: [{ ResourceType: 'AWS::Lambda::Function', ResourceName: fn.name }],
  };
}
