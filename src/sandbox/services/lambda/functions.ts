// Functions and their versions: create, read, list, update code and configuration, publish, delete.
// Every deployment of code or layers to a function with a CSC goes through validation.ts.
import { createHash, randomUUID } from 'node:crypto';
import { emptyResponse, jsonResponse } from '../../http.js';
import type { HandlerResult, OperationContext, TrailResource } from '../../service.js';
import { findCscForFunction } from './code-signing.js';
import { conflict, invalidParameter, notFound, preconditionFailed, validation } from './errors.js';
import {
  BLOCKED_RUNTIMES,
  type Body,
  checkTags,
  optBool,
  optInt,
  optObject,
  optString,
  optStringList,
  optStringMap,
  parseBody,
  RUNTIMES,
  reqString,
} from './input.js';
import { resolveLayers } from './layers.js';
import { loadPackage } from './packages.js';
import {
  type FunctionRecord,
  type FunctionRef,
  findFunction,
  functionArn,
  lambdaTime,
  maxItems,
  paginate,
  parseFunctionRef,
  refArn,
  regionState,
  requireSameAccount,
  resolveQualifier,
  type StoredCode,
  type StoredConfig,
  type VersionRecord,
  withQualifier,
} from './state.js';
import { trailObject } from './trail-fields.js';
import {
  type Artifact,
  signingFields,
  type ValidationReport,
  validateDeployment,
  validationEventData,
} from './validation.js';

const ROLE = /^arn:(aws[a-zA-Z-]*)?:iam::(\d{12}):role\/?([a-zA-Z_0-9+=,.@\-_/]+)$/;
const ROLE_TEXT = 'arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+';
const IMAGE_URI =
  /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/[a-z0-9._/-]+(?::[\w.-]+|@sha256:([a-f0-9]{64}))$/;
const HANDLER = /^[^\s]+$/;
const ARCHITECTURES = ['x86_64', 'arm64'] as const;

function fnResource(name: string): TrailResource[] {
  return [{ ResourceType: 'AWS::Lambda::Function', ResourceName: name }];
}

/** The configuration as AWS renders it; ListFunctions leaves out the state fields. */
export function configView(
  version: VersionRecord,
  arn: string,
  list = false,
  lastUpdateStatus: 'Successful' | 'InProgress' = 'Successful',
): Record<string, unknown> {
  const c = version.config;
  const view: Record<string, unknown> = { ...c, FunctionArn: arn };
  if (!c.Layers || c.Layers.length === 0) delete view.Layers;
  // Functions are Active at once (no Pending state); updates may stay InProgress (lambdaUpdateReads).
  if (!list) Object.assign(view, { State: 'Active', LastUpdateStatus: lastUpdateStatus });
  for (const [k, v] of Object.entries(view)) if (v === undefined) delete view[k];
  return view;
}

function codeView(code: StoredCode, config: StoredConfig, host: string | undefined): Record<string, unknown> {
  if (config.PackageType === 'Image') {
    return {
      RepositoryType: 'ECR',
      ImageUri: code.imageUri,
      ResolvedImageUri: code.imageUri?.includes('@')
        ? code.imageUri
        : `${code.imageUri?.replace(/:[\w.-]+$/, '')}@sha256:${config.CodeSha256}`,
    };
  }
  // The sandbox does not serve package downloads; the location only names the stored package.
  return {
    RepositoryType: 'S3',
    Location: `http://${host ?? 'localhost'}/_sandbox/lambda/functions/${config.FunctionName}/${code.blob}`,
  };
}

function checkRole(ctx: OperationContext, role: string): void {
  const match = ROLE.exec(role)!;
  const accountId = match[2]!;
  const roleName = match[3]!.split('/').filter(Boolean).pop() ?? '';
  const exists = ctx.world.accounts[accountId]?.iam.roles[roleName];
  // Lambda assumes the role at create/update time; a role that does not exist cannot be assumed.
  if (!exists || accountId !== ctx.caller.accountId) {
    throw invalidParameter('The role defined for the function cannot be assumed by Lambda.');
  }
}

function readRuntime(body: Body): string | undefined {
  const runtime = optString(body, 'Runtime', { oneOf: RUNTIMES });
  if (runtime && BLOCKED_RUNTIMES.has(runtime)) {
    throw invalidParameter(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`,
    );
  }
  return runtime;
}

/** Configuration members shared by CreateFunction and UpdateFunctionConfiguration. */
interface ConfigInput {
  Role?: string;
  Runtime?: string;
  Handler?: string;
  Description?: string;
  Timeout?: number;
  MemorySize?: number;
  Environment?: { Variables: Record<string, string> };
  VpcConfig?: Record<string, unknown>;
  DeadLetterConfig?: Record<string, unknown>;
  KMSKeyArn?: string;
  TracingConfig?: { Mode: string };
  EphemeralStorage?: { Size: number };
  LoggingConfig?: Record<string, unknown>;
  ImageConfig?: Record<string, unknown>;
  Layers?: string[];
}

function readConfig(body: Body): ConfigInput {
  const input: ConfigInput = {};
  const role = optString(body, 'Role', { pattern: ROLE, patternText: ROLE_TEXT });
  if (role !== undefined) input.Role = role;
  const runtime = readRuntime(body);
  if (runtime !== undefined) input.Runtime = runtime;
  const handler = optString(body, 'Handler', { max: 128, pattern: HANDLER, patternText: '[^\\s]+' });
  if (handler !== undefined) input.Handler = handler;
  const description = optString(body, 'Description', { max: 256 });
  if (description !== undefined) input.Description = description;
  const timeout = optInt(body, 'Timeout', 1, 900);
  if (timeout !== undefined) input.Timeout = timeout;
  const memory = optInt(body, 'MemorySize', 128, 10240);
  if (memory !== undefined) input.MemorySize = memory;
  const env = optObject(body, 'Environment');
  if (env) input.Environment = { Variables: optStringMap(env, 'Variables') ?? {} };
  const vpc = optObject(body, 'VpcConfig');
  if (vpc) input.VpcConfig = vpc;
  const dlq = optObject(body, 'DeadLetterConfig');
  if (dlq) input.DeadLetterConfig = dlq;
  const kms = optString(body, 'KMSKeyArn');
  if (kms !== undefined) input.KMSKeyArn = kms;
  const tracing = optObject(body, 'TracingConfig');
  if (tracing) {
    input.TracingConfig = {
      Mode: optString(tracing, 'Mode', { oneOf: ['Active', 'PassThrough'] }) ?? 'PassThrough',
    };
  }
  const storage = optObject(body, 'EphemeralStorage');
  if (storage) input.EphemeralStorage = { Size: optInt(storage, 'Size', 512, 10240) ?? 512 };
  const logging = optObject(body, 'LoggingConfig');
  if (logging) input.LoggingConfig = logging;
  const image = optObject(body, 'ImageConfig');
  if (image) input.ImageConfig = image;
  const layers = optStringList(body, 'Layers');
  if (layers !== undefined) input.Layers = layers;
  return input;
}

function applyConfig(config: StoredConfig, input: ConfigInput): void {
  const { Layers: _layers, ImageConfig, ...rest } = input;
  Object.assign(config, rest);
  if (ImageConfig) config.ImageConfigResponse = { ImageConfig };
  if (input.Environment && Object.keys(input.Environment.Variables).length === 0) delete config.Environment;
}

/** Where the function's code comes from in CreateFunction / UpdateFunctionCode. */
interface NewCode {
  code: StoredCode;
  sha256: string;
  size: number;
  bytes?: Buffer;
}

function imageCode(uri: string): NewCode {
  const match = IMAGE_URI.exec(uri);
  if (!match) throw invalidParameter(`Source image ${uri} is not valid.`);
  const digest = match[3] ?? createHash('sha256').update(uri).digest('hex');
  return { code: { imageUri: uri }, sha256: digest, size: 0 };
}

function zipCode(ctx: OperationContext, code: Body): NewCode {
  const pkg = loadPackage(ctx, code, 'Code');
  return { code: { blob: pkg.blob }, sha256: pkg.sha256, size: pkg.bytes.length, bytes: pkg.bytes };
}

function deployedSigning(
  ctx: OperationContext,
  code: NewCode,
): Pick<StoredConfig, 'SigningProfileVersionArn' | 'SigningJobArn'> {
  return code.bytes ? signingFields(ctx, code.bytes) : {};
}

function publish(fn: FunctionRecord, description?: string): VersionRecord {
  const last = fn.versions[String(fn.lastVersion)];
  // "Lambda doesn't publish a version if the function's configuration and code haven't changed since
  // the last version" (PublishVersion API reference): the existing version is returned.
  if (last && fn.publishedRevision === fn.latest.config.RevisionId) return last;
  fn.lastVersion += 1;
  const version: VersionRecord = {
    config: {
      ...structuredClone(fn.latest.config),
      Version: String(fn.lastVersion),
      RevisionId: randomUUID(),
      ...(description !== undefined ? { Description: description } : {}),
    },
    code: { ...fn.latest.code },
  };
  fn.versions[String(fn.lastVersion)] = version;
  fn.publishedRevision = fn.latest.config.RevisionId;
  return version;
}

/** Longest an update stays InProgress when nobody reads the function (sandbox clock). */
const UPDATE_SETTLE_MS = 5_000;

/** Whether an update of $LATEST is still in progress; a settled one is forgotten. */
function updateInProgress(ctx: OperationContext, fn: FunctionRecord): boolean {
  const update = fn.update;
  if (!update) return false;
  if (update.readsLeft > 0 && ctx.now() < update.until) return true;
  delete fn.update;
  return false;
}

/** `LastUpdateStatus` as one read of $LATEST sees it: each read brings a pending update closer to settling. */
function observeUpdate(
  ctx: OperationContext,
  fn: FunctionRecord,
  version: VersionRecord,
): 'Successful' | 'InProgress' {
  if (version !== fn.latest || !updateInProgress(ctx, fn)) return 'Successful';
  fn.update!.readsLeft -= 1;
  return 'InProgress';
}

/** AWS refuses writes to a function while an update is in progress (spec §5, remediation ordering). */
function requireSettled(ctx: OperationContext, fn: FunctionRecord): void {
  if (updateInProgress(ctx, fn)) {
    throw conflict(
      `The operation cannot be performed at this time. An update is in progress for resource: ${fn.arn}`,
    );
  }
}

function startUpdate(ctx: OperationContext, fn: FunctionRecord, reads: number): void {
  if (reads > 0) fn.update = { readsLeft: reads, until: ctx.now() + UPDATE_SETTLE_MS };
}

function versionArnOf(fn: FunctionRecord, version: VersionRecord): string {
  return version.config.Version === '$LATEST' ? fn.arn : `${fn.arn}:${version.config.Version}`;
}

function writeResult(
  status: number,
  fn: FunctionRecord,
  version: VersionRecord,
  requestParameters: Record<string, unknown> | null,
  report?: ValidationReport,
  lastUpdateStatus: 'Successful' | 'InProgress' = 'Successful',
): HandlerResult {
  const view = configView(version, versionArnOf(fn, version), false, lastUpdateStatus);
  const eventData = validationEventData(report);
  return {
    response: jsonResponse(status, view),
    requestParameters,
    responseElements: trailObject(view),
    ...(eventData ? { additionalEventData: eventData } : {}),
    resources: fnResource(fn.name),
  };
}

function layerConditions(layers: string[] | undefined): string[] | undefined {
  // `lambda:Layer` carries the layer version ARNs of the request (SAR).
  return layers && layers.length > 0 ? layers : undefined;
}

export function createFunction(ctx: OperationContext): HandlerResult {
  const body = parseBody(ctx.req);
  const ref = parseFunctionRef(ctx, reqString(body, 'FunctionName'));
  if (ref.qualifier !== undefined)
    throw invalidParameter('Creating a function with a qualifier is not supported.');
  const input = readConfig(body);
  if (input.Role === undefined) throw validation(undefined, 'role', 'Member must not be null');
  const packageType = (optString(body, 'PackageType', { oneOf: ['Zip', 'Image'] }) ?? 'Zip') as
    | 'Zip'
    | 'Image';
  const code = optObject(body, 'Code');
  if (!code) throw validation(undefined, 'code', 'Member must not be null');
  const cscArnInput = optString(body, 'CodeSigningConfigArn', { max: 200 });
  const architectures = optStringList(body, 'Architectures', 1, { oneOf: ARCHITECTURES });
  const tags = optStringMap(body, 'Tags') ?? {};
  const publishNow = optBool(body, 'Publish') ?? false;
  const arn = refArn(ref);
  ctx.authorize(arn, {
    'lambda:CodeSigningConfigArn': cscArnInput,
    'lambda:Layer': layerConditions(input.Layers),
  });
  requireSameAccount(ctx, ref, 'lambda:CreateFunction', arn);
  checkTags(tags, invalidParameter);
  const state = regionState(ctx.world, ref.accountId, ref.region);
  if (state.functions[ref.name]) throw conflict(`Function already exist: ${ref.name}`);
  if (packageType === 'Zip' && (input.Runtime === undefined || input.Handler === undefined)) {
    throw invalidParameter(
      'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
    );
  }
  if (packageType === 'Image' && input.Layers && input.Layers.length > 0) {
    throw invalidParameter('Layers are not supported for functions with package type Image.');
  }
  checkRole(ctx, input.Role);
  const csc = cscArnInput !== undefined ? findCscForFunction(ctx, cscArnInput, ref.accountId) : undefined;
  if (csc && packageType === 'Image') {
    // Container images do not support code signing (spec §1.3); AWS's error is UNCONFIRMED:
    // InvalidParameterValueException is the conservative reading.
    throw invalidParameter('Code signing is not supported for functions with package type Image.');
  }
  let newCode: NewCode;
  if (packageType === 'Image') {
    const uri = optString(code, 'ImageUri');
    if (uri === undefined)
      throw invalidParameter('Please provide ImageUri when creating a function with package type Image.');
    newCode = imageCode(uri);
  } else {
    if (code.ImageUri !== undefined)
      throw invalidParameter("Please don't provide ImageUri when creating a function with package type Zip.");
    newCode = zipCode(ctx, code);
  }
  const layers = resolveLayers(ctx, input.Layers ?? []);
  let report: ValidationReport | undefined;
  if (csc) {
    const artifacts: Artifact[] = [{ arn, kind: 'function', bytes: newCode.bytes! }, ...layers.artifacts];
    report = validateDeployment(ctx, csc, ref.name, ref.accountId, artifacts);
  }
  const now = ctx.now();
  const config: StoredConfig = {
    FunctionName: ref.name,
    FunctionArn: arn,
    Role: input.Role,
    CodeSize: newCode.size,
    Description: '',
    Timeout: 3,
    MemorySize: 128,
    LastModified: lambdaTime(now),
    CodeSha256: newCode.sha256,
    Version: '$LATEST',
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: randomUUID(),
    PackageType: packageType,
    Architectures: architectures ?? ['x86_64'],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${ref.name}` },
    ...deployedSigning(ctx, newCode),
  };
  applyConfig(config, input);
  if (packageType === 'Image') {
    delete config.Runtime;
    delete config.Handler;
  }
  config.Layers = layers.refs;
  const fn: FunctionRecord = {
    name: ref.name,
    arn,
    latest: { config, code: newCode.code },
    versions: {},
    lastVersion: 0,
    aliases: {},
    ...(csc ? { codeSigningConfigArn: csc.CodeSigningConfigArn } : {}),
    tags,
    everTagged: Object.keys(tags).length > 0,
  };
  state.functions[ref.name] = fn;
  const shown = publishNow ? publish(fn) : fn.latest;
  const { Code, ...rest } = body;
  const params = trailObject({ ...rest, Code: { ...(Code as Body) } });
  return writeResult(201, fn, shown, params, report);
}

function readRef(ctx: OperationContext, label: string | undefined): FunctionRef {
  return withQualifier(parseFunctionRef(ctx, label), ctx.req.query.get('Qualifier'));
}

export function getFunction(ctx: OperationContext, label: string | undefined): HandlerResult {
  const ref = readRef(ctx, label);
  const arn = refArn(ref);
  ctx.authorize(arn);
  requireSameAccount(ctx, ref, 'lambda:GetFunction', arn);
  const fn = findFunction(ctx, ref);
  const { version } = resolveQualifier(fn, ref);
  const out: Record<string, unknown> = {
    Configuration: configView(version, arn, false, observeUpdate(ctx, fn, version)),
    Code: codeView(version.code, version.config, ctx.req.headers.host),
  };
  if (Object.keys(fn.tags).length > 0) out.Tags = { ...fn.tags };
  return {
    response: jsonResponse(200, out),
    requestParameters: { functionName: label, ...(ref.qualifier ? { qualifier: ref.qualifier } : {}) },
    resources: fnResource(fn.name),
  };
}

export function getFunctionConfiguration(ctx: OperationContext, label: string | undefined): HandlerResult {
  const ref = readRef(ctx, label);
  const arn = refArn(ref);
  ctx.authorize(arn);
  requireSameAccount(ctx, ref, 'lambda:GetFunctionConfiguration', arn);
  const fn = findFunction(ctx, ref);
  const { version } = resolveQualifier(fn, ref);
  return {
    response: jsonResponse(200, configView(version, arn, false, observeUpdate(ctx, fn, version))),
    requestParameters: { functionName: label, ...(ref.qualifier ? { qualifier: ref.qualifier } : {}) },
    resources: fnResource(fn.name),
  };
}

/** Sort key: by name, then `$LATEST`, then versions in numeric order. */
function versionKey(fn: FunctionRecord, version: string): string {
  return `${fn.name}\u0000${version === '$LATEST' ? '0' : `1${version.padStart(10, '0')}`}`;
}

export function listFunctions(ctx: OperationContext): HandlerResult {
  const q = ctx.req.query;
  const all = q.get('FunctionVersion');
  if (all !== null && all !== 'ALL') {
    throw validation(all, 'functionVersion', 'Member must satisfy enum value set: [ALL]');
  }
  // 50 per page whatever MaxItems says (spec §5).
  const max = maxItems(q, 10000, 50);
  ctx.authorize('*');
  const entries: { fn: FunctionRecord; version: VersionRecord; key: string; arn: string }[] = [];
  for (const fn of Object.values(regionState(ctx.world, ctx.caller.accountId, ctx.region).functions)) {
    // With FunctionVersion=ALL every entry is qualified, `$LATEST` included.
    entries.push({
      fn,
      version: fn.latest,
      key: versionKey(fn, '$LATEST'),
      arn: all ? `${fn.arn}:$LATEST` : fn.arn,
    });
    if (all) {
      for (const [n, version] of Object.entries(fn.versions)) {
        entries.push({ fn, version, key: versionKey(fn, n), arn: `${fn.arn}:${n}` });
      }
    }
  }
  const page = paginate(entries, (e) => e.key, q.get('Marker'), max);
  return {
    response: jsonResponse(200, {
      Functions: page.items.map((e) => configView(e.version, e.arn, true)),
      ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
    }),
  };
}

function unqualifiedRef(ctx: OperationContext, label: string | undefined, op: string): FunctionRef {
  const ref = parseFunctionRef(ctx, label);
  if (ref.qualifier !== undefined && ref.qualifier !== '$LATEST') {
    // Only $LATEST can be changed; versions are immutable (conservative reading of the model).
    throw invalidParameter(
      `${op} applies to the unpublished version ($LATEST); remove the qualifier ${ref.qualifier}.`,
    );
  }
  return { ...ref, qualifier: undefined } as FunctionRef;
}

function checkRevision(fn: FunctionRecord, body: Body): void {
  const revision = optString(body, 'RevisionId');
  if (revision !== undefined && revision !== fn.latest.config.RevisionId) throw preconditionFailed();
}

export function updateFunctionCode(
  ctx: OperationContext,
  label: string | undefined,
  updateReads = 0,
): HandlerResult {
  const ref = unqualifiedRef(ctx, label, 'UpdateFunctionCode');
  const body = parseBody(ctx.req);
  const publishNow = optBool(body, 'Publish') ?? false;
  const dryRun = optBool(body, 'DryRun') ?? false;
  const architectures = optStringList(body, 'Architectures', 1, { oneOf: ARCHITECTURES });
  const arn = refArn(ref);
  ctx.authorize(arn);
  requireSameAccount(ctx, ref, 'lambda:UpdateFunctionCode', arn);
  const fn = findFunction(ctx, ref);
  requireSettled(ctx, fn);
  checkRevision(fn, body);
  let newCode: NewCode;
  if (fn.latest.config.PackageType === 'Image') {
    const uri = optString(body, 'ImageUri');
    if (uri === undefined)
      throw invalidParameter('Please provide ImageUri when updating a function with packageType Image.');
    newCode = imageCode(uri);
  } else {
    if (body.ImageUri !== undefined)
      throw invalidParameter("Please don't provide ImageUri when updating a function with packageType Zip.");
    newCode = zipCode(ctx, body);
  }
  let report: ValidationReport | undefined;
  if (fn.codeSigningConfigArn && newCode.bytes) {
    const csc = findCscForFunction(ctx, fn.codeSigningConfigArn, ref.accountId);
    // Only the new code is deployed here; the layers were validated when they were attached.
    report = validateDeployment(ctx, csc, fn.name, ref.accountId, [
      { arn, kind: 'function', bytes: newCode.bytes },
    ]);
  }
  const config: StoredConfig = {
    ...structuredClone(fn.latest.config),
    CodeSha256: newCode.sha256,
    CodeSize: newCode.size,
    LastModified: lambdaTime(ctx.now()),
    RevisionId: randomUUID(),
    ...(architectures ? { Architectures: architectures } : {}),
  };
  delete config.SigningProfileVersionArn;
  delete config.SigningJobArn;
  Object.assign(config, deployedSigning(ctx, newCode));
  const { ZipFile: _zip, ...params } = body;
  const requestParameters = trailObject({ FunctionName: label, ...params });
  if (dryRun) return writeResult(200, fn, { config, code: newCode.code }, requestParameters, report);
  fn.latest = { config, code: newCode.code };
  const shown = publishNow ? publish(fn) : fn.latest;
  // With Publish the version is created from the new code at once; only $LATEST reports the update.
  if (!publishNow) startUpdate(ctx, fn, updateReads);
  return writeResult(200, fn, shown, requestParameters, report, fn.update ? 'InProgress' : 'Successful');
}

export function updateFunctionConfiguration(
  ctx: OperationContext,
  label: string | undefined,
  updateReads = 0,
): HandlerResult {
  const ref = unqualifiedRef(ctx, label, 'UpdateFunctionConfiguration');
  const body = parseBody(ctx.req);
  const input = readConfig(body);
  const arn = refArn(ref);
  ctx.authorize(arn, { 'lambda:Layer': layerConditions(input.Layers) });
  requireSameAccount(ctx, ref, 'lambda:UpdateFunctionConfiguration', arn);
  const fn = findFunction(ctx, ref);
  requireSettled(ctx, fn);
  checkRevision(fn, body);
  const current = fn.latest.config;
  if (current.PackageType === 'Image') {
    if (input.Runtime !== undefined || input.Handler !== undefined) {
      throw invalidParameter('Runtime and Handler are not supported for functions with package type Image.');
    }
    if (input.Layers && input.Layers.length > 0) {
      throw invalidParameter('Layers are not supported for functions with package type Image.');
    }
  }
  if (input.Role !== undefined) checkRole(ctx, input.Role);
  let report: ValidationReport | undefined;
  let layerRefs = current.Layers;
  if (input.Layers !== undefined) {
    const layers = resolveLayers(ctx, input.Layers);
    if (fn.codeSigningConfigArn && layers.artifacts.length > 0) {
      const csc = findCscForFunction(ctx, fn.codeSigningConfigArn, ref.accountId);
      // AWS: "any layers that you add to the function must also be signed" (spec §1.3). Whether layers
      // already attached are re-checked is undocumented: the sandbox checks every listed layer (stricter).
      report = validateDeployment(ctx, csc, fn.name, ref.accountId, layers.artifacts);
    }
    layerRefs = layers.refs;
  }
  const config: StoredConfig = {
    ...structuredClone(current),
    LastModified: lambdaTime(ctx.now()),
    RevisionId: randomUUID(),
  };
  applyConfig(config, input);
  config.Layers = layerRefs ?? [];
  fn.latest = { config, code: fn.latest.code };
  startUpdate(ctx, fn, updateReads);
  return writeResult(
    200,
    fn,
    fn.latest,
    trailObject({ FunctionName: label, ...body }),
    report,
    fn.update ? 'InProgress' : 'Successful',
  );
}

export function publishVersion(ctx: OperationContext, label: string | undefined): HandlerResult {
  const ref = unqualifiedRef(ctx, label, 'PublishVersion');
  const body = parseBody(ctx.req);
  const sha = optString(body, 'CodeSha256');
  const description = optString(body, 'Description', { max: 256 });
  const arn = refArn(ref);
  ctx.authorize(arn);
  requireSameAccount(ctx, ref, 'lambda:PublishVersion', arn);
  const fn = findFunction(ctx, ref);
  requireSettled(ctx, fn);
  checkRevision(fn, body);
  if (sha !== undefined && sha !== fn.latest.config.CodeSha256) {
    throw invalidParameter(
      `CodeSHA256 (${sha}) is different from current CodeSHA256 in $LATEST (${fn.latest.config.CodeSha256}). Please try again.`,
    );
  }
  // A version snapshots the code, its signing fields and layers; nothing is re-validated.
  const version = publish(fn, description);
  return writeResult(201, fn, version, trailObject({ FunctionName: label, ...body }));
}

export function listVersionsByFunction(ctx: OperationContext, label: string | undefined): HandlerResult {
  const ref = unqualifiedRef(ctx, label, 'ListVersionsByFunction');
  const max = maxItems(ctx.req.query, 10000, 50);
  const arn = refArn(ref);
  ctx.authorize(arn);
  requireSameAccount(ctx, ref, 'lambda:ListVersionsByFunction', arn);
  const fn = findFunction(ctx, ref);
  const entries = [
    { key: versionKey(fn, '$LATEST'), version: fn.latest, arn: `${fn.arn}:$LATEST` },
    ...Object.entries(fn.versions).map(([n, version]) => ({
      key: versionKey(fn, n),
      version,
      arn: `${fn.arn}:${n}`,
    })),
  ];
  const page = paginate(entries, (e) => e.key, ctx.req.query.get('Marker'), max);
  return {
    response: jsonResponse(200, {
      Versions: page.items.map((e) => configView(e.version, e.arn)),
      ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
    }),
    requestParameters: { functionName: label },
    resources: fnResource(fn.name),
  };
}

export function deleteFunction(ctx: OperationContext, label: string | undefined): HandlerResult {
  const ref = readRef(ctx, label);
  const arn = refArn(ref);
  ctx.authorize(arn);
  requireSameAccount(ctx, ref, 'lambda:DeleteFunction', arn);
  const fn = findFunction(ctx, ref);
  const state = regionState(ctx.world, ref.accountId, ref.region);
  const q = ref.qualifier;
  if (q === undefined) {
    delete state.functions[fn.name];
  } else if (q === '$LATEST') {
    throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
  } else if (!/^\d+$/.test(q)) {
    throw invalidParameter('Deletion of aliases is not supported.');
  } else {
    if (!fn.versions[q])
      throw notFound(`Function not found: ${functionArn(ref.region, ref.accountId, fn.name, q)}`);
    const users = Object.values(fn.aliases).filter(
      (a) =>
        a.FunctionVersion === q || Object.keys(a.RoutingConfig?.AdditionalVersionWeights ?? {}).includes(q),
    );
    if (users.length > 0) {
      throw conflict(
        `Unable to delete version because the following aliases reference it: [${users.map((a) => a.Name).join(', ')}]`,
      );
    }
    delete fn.versions[q];
  }
  return {
    response: emptyResponse(204),
    requestParameters: { functionName: label, ...(q ? { qualifier: q } : {}) },
    resources: fnResource(fn.name),
  };
}

export function getPolicy(ctx: OperationContext, label: string | undefined): HandlerResult {
  const ref = readRef(ctx, label);
  const arn = refArn(ref);
  ctx.authorize(arn);
  requireSameAccount(ctx, ref, 'lambda:GetPolicy', arn);
  const fn = findFunction(ctx, ref);
  resolveQualifier(fn, ref);
  // Resource-based policies (AddPermission) are not modelled: no function has one.
  throw notFound('The resource you requested does not exist.');
}
