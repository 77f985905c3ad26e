// Lambda layers: publishing (never validated, but its signature is recorded), reading, listing, and
// resolving the layer versions a function references.
import { emptyResponse, jsonResponse } from '../../http.js';
import type { HandlerResult, OperationContext } from '../../service.js';
import { invalidParameter, resourceNotFound, validation } from './errors.js';
import { optObject, optString, optStringList, parseBody, RUNTIMES } from './input.js';
import { loadPackage } from './packages.js';
import {
  type LayerRecord,
  type LayerRef,
  type LayerVersionRecord,
  lambdaTime,
  layerArn,
  maxItems,
  paginate,
  readBlob,
  regionState,
} from './state.js';
import { trailObject } from './trail-fields.js';
import { type Artifact, signingFields } from './validation.js';

const LAYER_NAME =
  /^(?:arn:[a-zA-Z0-9-]+:lambda:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):layer:([a-zA-Z0-9_-]+)|([a-zA-Z0-9_-]+))$/;
const LAYER_NAME_TEXT =
  '(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+';
const LAYER_VERSION_ARN =
  /^arn:[a-zA-Z0-9-]+:lambda:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):layer:([a-zA-Z0-9_-]+):([0-9]+)$/;
const LAYER_VERSION_ARN_TEXT = 'arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+';
const ARCHITECTURES = ['x86_64', 'arm64'] as const;

interface LayerName {
  accountId: string;
  region: string;
  name: string;
}

function parseLayerName(ctx: OperationContext, raw: string | undefined): LayerName {
  if (raw === undefined || raw === '') throw validation(raw, 'layerName', 'Member must not be null');
  const match = raw.length <= 140 ? LAYER_NAME.exec(raw) : null;
  if (!match)
    throw validation(raw, 'layerName', `Member must satisfy regular expression pattern: ${LAYER_NAME_TEXT}`);
  if (match[4]) return { accountId: ctx.caller.accountId, region: ctx.region, name: match[4] };
  return { region: match[1]!, accountId: match[2]!, name: match[3]! };
}

function versionArn(layer: LayerRecord, version: number): string {
  return `${layer.arn}:${version}`;
}

function contentView(layer: LayerRecord, v: LayerVersionRecord, host: string | undefined) {
  return {
    // The sandbox does not serve package downloads; the location only names the stored package.
    Location: `http://${host ?? 'localhost'}/_sandbox/lambda/layers/${layer.name}/${v.Version}/${v.blob}`,
    CodeSha256: v.CodeSha256,
    CodeSize: v.CodeSize,
    ...(v.SigningProfileVersionArn ? { SigningProfileVersionArn: v.SigningProfileVersionArn } : {}),
    ...(v.SigningJobArn ? { SigningJobArn: v.SigningJobArn } : {}),
  };
}

function versionView(layer: LayerRecord, v: LayerVersionRecord, host: string | undefined) {
  return {
    Content: contentView(layer, v, host),
    LayerArn: layer.arn,
    LayerVersionArn: versionArn(layer, v.Version),
    Description: v.Description,
    CreatedDate: v.CreatedDate,
    Version: v.Version,
    ...(v.CompatibleRuntimes ? { CompatibleRuntimes: v.CompatibleRuntimes } : {}),
    ...(v.CompatibleArchitectures ? { CompatibleArchitectures: v.CompatibleArchitectures } : {}),
    ...(v.LicenseInfo !== undefined ? { LicenseInfo: v.LicenseInfo } : {}),
  };
}

function listItem(layer: LayerRecord, v: LayerVersionRecord) {
  // ListLayerVersions / ListLayers items carry no Content, hence no signing fields (spec §1.4).
  return {
    LayerVersionArn: versionArn(layer, v.Version),
    Version: v.Version,
    Description: v.Description,
    CreatedDate: v.CreatedDate,
    ...(v.CompatibleRuntimes ? { CompatibleRuntimes: v.CompatibleRuntimes } : {}),
    ...(v.CompatibleArchitectures ? { CompatibleArchitectures: v.CompatibleArchitectures } : {}),
    ...(v.LicenseInfo !== undefined ? { LicenseInfo: v.LicenseInfo } : {}),
  };
}

function layerResource(arn: string) {
  return [{ ResourceType: 'AWS::Lambda::LayerVersion', ResourceName: arn }];
}

export function publishLayerVersion(ctx: OperationContext, label: string | undefined): HandlerResult {
  const ln = parseLayerName(ctx, label);
  const body = parseBody(ctx.req);
  const content = optObject(body, 'Content');
  if (!content) throw validation(undefined, 'content', 'Member must not be null');
  const description = optString(body, 'Description', { max: 256 }) ?? '';
  const runtimes = optStringList(body, 'CompatibleRuntimes', 15, { oneOf: RUNTIMES });
  const architectures = optStringList(body, 'CompatibleArchitectures', 2, { oneOf: ARCHITECTURES });
  const license = optString(body, 'LicenseInfo', { max: 512 });
  const arn = layerArn(ln.region, ln.accountId, ln.name);
  ctx.authorize(arn);
  if (ln.accountId !== ctx.caller.accountId || ln.region !== ctx.region) {
    throw invalidParameter(`Layers can only be published in the caller's own account and region: ${arn}`);
  }
  const pkg = loadPackage(ctx, content, 'Content');
  const state = regionState(ctx.world, ln.accountId, ln.region);
  let layer = state.layers[ln.name];
  if (!layer) {
    layer = { name: ln.name, arn, lastVersion: 0, versions: {} };
    state.layers[ln.name] = layer;
  }
  layer.lastVersion += 1;
  // Layers have no CSC: publishing never validates, but a verifiable signature is recorded (spec §1.3).
  const record: LayerVersionRecord = {
    Version: layer.lastVersion,
    Description: description,
    CreatedDate: lambdaTime(ctx.now()),
    ...(runtimes ? { CompatibleRuntimes: runtimes } : {}),
    ...(architectures ? { CompatibleArchitectures: architectures } : {}),
    ...(license !== undefined ? { LicenseInfo: license } : {}),
    CodeSha256: pkg.sha256,
    CodeSize: pkg.bytes.length,
    blob: pkg.blob,
    ...signingFields(ctx, pkg.bytes),
  };
  layer.versions[String(record.Version)] = record;
  const view = versionView(layer, record, ctx.req.headers.host);
  return {
    response: jsonResponse(201, view),
    requestParameters: trailObject({ LayerName: label, ...body }),
    responseElements: trailObject(view),
    resources: layerResource(view.LayerVersionArn),
  };
}

function findVersion(
  ctx: OperationContext,
  ln: LayerName,
  version: string,
): { layer: LayerRecord; v: LayerVersionRecord } {
  const layer =
    ln.region === ctx.region ? regionState(ctx.world, ln.accountId, ln.region).layers[ln.name] : undefined;
  const v = layer?.versions[version];
  if (!layer || !v) throw resourceNotFound();
  return { layer, v };
}

function parseVersionNumber(raw: string | undefined): string {
  if (raw === undefined || !/^\d+$/.test(raw)) {
    throw validation(raw, 'versionNumber', 'Member must satisfy regular expression pattern: [0-9]+');
  }
  return String(Number(raw));
}

export function getLayerVersion(
  ctx: OperationContext,
  label: string | undefined,
  versionLabel: string | undefined,
): HandlerResult {
  const ln = parseLayerName(ctx, label);
  const version = parseVersionNumber(versionLabel);
  const arn = `${layerArn(ln.region, ln.accountId, ln.name)}:${version}`;
  ctx.authorize(arn);
  const { layer, v } = findVersion(ctx, ln, version);
  return {
    response: jsonResponse(200, versionView(layer, v, ctx.req.headers.host)),
    requestParameters: { layerName: label, versionNumber: Number(version) },
    resources: layerResource(arn),
  };
}

export function getLayerVersionByArn(ctx: OperationContext): HandlerResult {
  const raw = ctx.req.query.get('Arn') ?? undefined;
  if (raw === undefined || raw === '') throw validation(raw, 'arn', 'Member must not be null');
  const match = LAYER_VERSION_ARN.exec(raw);
  if (!match) {
    throw validation(raw, 'arn', `Member must satisfy regular expression pattern: ${LAYER_VERSION_ARN_TEXT}`);
  }
  ctx.authorize(raw);
  const ln = { region: match[1]!, accountId: match[2]!, name: match[3]! };
  const { layer, v } = findVersion(ctx, ln, String(Number(match[4])));
  return {
    response: jsonResponse(200, versionView(layer, v, ctx.req.headers.host)),
    requestParameters: { arn: raw },
    resources: layerResource(raw),
  };
}

function matches(v: LayerVersionRecord, runtime: string | null, arch: string | null): boolean {
  if (runtime && !(v.CompatibleRuntimes ?? []).includes(runtime)) return false;
  if (arch && !(v.CompatibleArchitectures ?? []).includes(arch)) return false;
  return true;
}

function filters(ctx: OperationContext): { runtime: string | null; arch: string | null } {
  const runtime = ctx.req.query.get('CompatibleRuntime');
  const arch = ctx.req.query.get('CompatibleArchitecture');
  if (runtime && !(RUNTIMES as readonly string[]).includes(runtime)) {
    throw validation(
      runtime,
      'compatibleRuntime',
      `Member must satisfy enum value set: [${RUNTIMES.join(', ')}]`,
    );
  }
  if (arch && !(ARCHITECTURES as readonly string[]).includes(arch)) {
    throw validation(
      arch,
      'compatibleArchitecture',
      `Member must satisfy enum value set: [${ARCHITECTURES.join(', ')}]`,
    );
  }
  return { runtime, arch };
}

/** Newest first, as AWS lists layer versions. */
function newestFirst(v: LayerVersionRecord): string {
  return String(1e10 - v.Version).padStart(11, '0');
}

export function listLayers(ctx: OperationContext): HandlerResult {
  const { runtime, arch } = filters(ctx);
  const max = maxItems(ctx.req.query, 50, 50);
  ctx.authorize('*');
  const items = Object.values(regionState(ctx.world, ctx.caller.accountId, ctx.region).layers)
    .map((layer) => {
      const latest = Object.values(layer.versions)
        .filter((v) => matches(v, runtime, arch))
        .sort((a, b) => b.Version - a.Version)[0];
      return latest ? { layer, latest } : undefined;
    })
    .filter((x) => x !== undefined);
  const page = paginate(items, (x) => x.layer.name, ctx.req.query.get('Marker'), max);
  return {
    response: jsonResponse(200, {
      Layers: page.items.map(({ layer, latest }) => ({
        LayerName: layer.name,
        LayerArn: layer.arn,
        LatestMatchingVersion: listItem(layer, latest),
      })),
      ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
    }),
  };
}

export function listLayerVersions(ctx: OperationContext, label: string | undefined): HandlerResult {
  const ln = parseLayerName(ctx, label);
  const { runtime, arch } = filters(ctx);
  const max = maxItems(ctx.req.query, 50, 50);
  ctx.authorize('*');
  const layer =
    ln.region === ctx.region ? regionState(ctx.world, ln.accountId, ln.region).layers[ln.name] : undefined;
  // AWS answers an empty list for a layer with no versions.
  const versions = Object.values(layer?.versions ?? {}).filter((v) => matches(v, runtime, arch));
  const page = paginate(versions, newestFirst, ctx.req.query.get('Marker'), max);
  return {
    response: jsonResponse(200, {
      LayerVersions: layer ? page.items.map((v) => listItem(layer, v)) : [],
      ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
    }),
    requestParameters: { layerName: label },
  };
}

export function deleteLayerVersion(
  ctx: OperationContext,
  label: string | undefined,
  versionLabel: string | undefined,
): HandlerResult {
  const ln = parseLayerName(ctx, label);
  const version = parseVersionNumber(versionLabel);
  const arn = `${layerArn(ln.region, ln.accountId, ln.name)}:${version}`;
  ctx.authorize(arn);
  const layer =
    ln.region === ctx.region ? regionState(ctx.world, ln.accountId, ln.region).layers[ln.name] : undefined;
  // Deleting is idempotent; functions that use the version keep their copy (AWS behaviour).
  if (layer) delete layer.versions[version];
  return {
    response: emptyResponse(204),
    requestParameters: { layerName: label, versionNumber: Number(version) },
  };
}

export interface ResolvedLayers {
  refs: LayerRef[];
  artifacts: Artifact[];
}

/**
 * Resolves the layer version ARNs a function references. Layer permissions are not modelled: a layer
 * version of any account in the same region is usable (see docs/sandbox.md).
 */
export function resolveLayers(ctx: OperationContext, arns: string[]): ResolvedLayers {
  if (arns.length > 5) throw invalidParameter('Cannot reference more than 5 layers.');
  const refs: LayerRef[] = [];
  const artifacts: Artifact[] = [];
  const seen = new Set<string>();
  for (const arn of arns) {
    const match = LAYER_VERSION_ARN.exec(arn);
    if (!match) {
      throw validation(
        arn,
        'layers',
        `Member must satisfy regular expression pattern: ${LAYER_VERSION_ARN_TEXT}`,
      );
    }
    const [, region, accountId, name, version] = match as unknown as [string, string, string, string, string];
    const layerKey = `${accountId}:${name}`;
    if (seen.has(layerKey)) {
      throw invalidParameter(
        'Two different versions of the same layer are not allowed to be referenced in the same function.',
      );
    }
    seen.add(layerKey);
    const layer = region === ctx.region ? regionState(ctx.world, accountId, region).layers[name] : undefined;
    const v = layer?.versions[String(Number(version))];
    if (!v) throw invalidParameter(`Layer version ${arn} does not exist.`);
    refs.push({
      Arn: arn,
      CodeSize: v.CodeSize,
      ...(v.SigningProfileVersionArn ? { SigningProfileVersionArn: v.SigningProfileVersionArn } : {}),
      ...(v.SigningJobArn ? { SigningJobArn: v.SigningJobArn } : {}),
    });
    artifacts.push({ arn, kind: 'layer', bytes: readBlob(ctx.world, v.blob) });
  }
  return { refs, artifacts };
}
