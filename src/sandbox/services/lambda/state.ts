// The Lambda slice of the world (functions, versions, aliases, layers, code signing configs) and the
// ARN, name and time conventions every Lambda operation shares.
import { createHash } from 'node:crypto';
import { AwsError } from '../../errors.js';
import { partitionOfRegion } from '../../partition.js';
import type { OperationContext } from '../../service.js';
import { regional, slice, type World } from '../../world.js';
import { functionNotFound, notFound, validation } from './errors.js';

/** An entry of `FunctionConfiguration.Layers`. */
export interface LayerRef {
  Arn: string;
  CodeSize: number;
  SigningProfileVersionArn?: string;
  SigningJobArn?: string;
}

/** `FunctionConfiguration` as stored: wire-shaped, so rendering is a copy. */
export interface StoredConfig {
  FunctionName: string;
  /** Unqualified; views qualify it where AWS does. */
  FunctionArn: string;
  Runtime?: string;
  Role: string;
  Handler?: string;
  CodeSize: number;
  Description: string;
  Timeout: number;
  MemorySize: number;
  LastModified: string;
  CodeSha256: string;
  Version: string;
  VpcConfig?: Record<string, unknown>;
  DeadLetterConfig?: Record<string, unknown>;
  Environment?: { Variables: Record<string, string> };
  KMSKeyArn?: string;
  TracingConfig: { Mode: string };
  RevisionId: string;
  Layers?: LayerRef[];
  PackageType: 'Zip' | 'Image';
  ImageConfigResponse?: { ImageConfig: Record<string, unknown> };
  Architectures: string[];
  EphemeralStorage: { Size: number };
  SnapStart: { ApplyOn: string; OptimizationStatus: string };
  LoggingConfig: Record<string, unknown>;
  SigningProfileVersionArn?: string;
  SigningJobArn?: string;
}

export interface StoredCode {
  /** Key into `LambdaSlice.blobs` (hex SHA-256 of the package) for Zip functions. */
  blob?: string;
  imageUri?: string;
}

export interface VersionRecord {
  config: StoredConfig;
  code: StoredCode;
}

export interface AliasRecord {
  Name: string;
  AliasArn: string;
  FunctionVersion: string;
  Description: string;
  RoutingConfig?: { AdditionalVersionWeights: Record<string, number> };
  RevisionId: string;
}

export interface FunctionRecord {
  name: string;
  arn: string;
  latest: VersionRecord;
  versions: Record<string, VersionRecord>;
  lastVersion: number;
  /** $LATEST's RevisionId when the last version was published: unchanged code publishes nothing new. */
  publishedRevision?: string;
  aliases: Record<string, AliasRecord>;
  codeSigningConfigArn?: string;
  tags: Record<string, string>;
  /** The Tagging API lists resources that have or had tags. */
  everTagged: boolean;
  /** An update of $LATEST still `InProgress`: settles after `readsLeft` reads or at `until` (sandbox clock). */
  update?: { readsLeft: number; until: number };
}

export interface LayerVersionRecord {
  Version: number;
  Description: string;
  CreatedDate: string;
  CompatibleRuntimes?: string[];
  CompatibleArchitectures?: string[];
  LicenseInfo?: string;
  CodeSha256: string;
  CodeSize: number;
  blob: string;
  SigningProfileVersionArn?: string;
  SigningJobArn?: string;
}

export interface LayerRecord {
  name: string;
  arn: string;
  lastVersion: number;
  versions: Record<string, LayerVersionRecord>;
}

export interface CscRecord {
  CodeSigningConfigId: string;
  CodeSigningConfigArn: string;
  Description: string;
  AllowedPublishers: { SigningProfileVersionArns: string[] };
  CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Warn' | 'Enforce' };
  LastModified: string;
  tags: Record<string, string>;
  everTagged: boolean;
}

export interface RegionState {
  functions: Record<string, FunctionRecord>;
  layers: Record<string, LayerRecord>;
  cscs: Record<string, CscRecord>;
  /** The `SignatureValidationErrors` CloudWatch metric, summed per function name. */
  signatureValidationErrors: Record<string, number>;
}

export interface LambdaSlice {
  regions: Record<string, Record<string, RegionState>>;
  /** Package bytes (base64) by hex SHA-256, shared by functions and layers so copies cost nothing. */
  blobs: Record<string, string>;
}

export function lambdaSlice(world: World): LambdaSlice {
  return slice<LambdaSlice>(world, 'lambda', () => ({ regions: {}, blobs: {} }));
}

export function regionState(world: World, accountId: string, region: string): RegionState {
  return regional(lambdaSlice(world).regions, accountId, region, () => ({
    functions: {},
    layers: {},
    cscs: {},
    signatureValidationErrors: {},
  }));
}

export function storeBlob(world: World, bytes: Buffer): string {
  const key = createHash('sha256').update(bytes).digest('hex');
  const blobs = lambdaSlice(world).blobs;
  if (!(key in blobs)) blobs[key] = bytes.toString('base64');
  return key;
}

export function readBlob(world: World, key: string): Buffer {
  const data = lambdaSlice(world).blobs[key];
  if (data === undefined) throw new Error(`sandbox: lambda blob ${key} is missing`);
  return Buffer.from(data, 'base64');
}

/** `2026-11-28T18:21:28.447+0000`, the form of Lambda's `LastModified`. */
export function lambdaTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function functionArn(region: string, accountId: string, name: string, qualifier?: string): string {
  return `arn:${partitionOfRegion(region)}:lambda:${region}:${accountId}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
}

export function layerArn(region: string, accountId: string, name: string): string {
  return `arn:${partitionOfRegion(region)}:lambda:${region}:${accountId}:layer:${name}`;
}

export function cscArn(region: string, accountId: string, id: string): string {
  return `arn:${partitionOfRegion(region)}:lambda:${region}:${accountId}:code-signing-config:${id}`;
}

export function accessDenied(message: string): AwsError {
  return new AwsError('AccessDeniedException', 403, message, { messageKey: 'Message' });
}

// FunctionName's pattern from the API model: name, partial ARN or full ARN, with an optional qualifier.
const FUNCTION_REF =
  /^(?:arn:aws[a-zA-Z-]*:lambda:)?(?:([a-z]{2}(?:-gov)?-[a-z]+-\d):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9_-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;

export interface FunctionRef {
  accountId: string;
  region: string;
  name: string;
  qualifier?: string;
}

/** Parses a FunctionName label (name, partial or full ARN, optional qualifier). */
export function parseFunctionRef(
  ctx: OperationContext,
  raw: string | undefined,
  member = 'functionName',
): FunctionRef {
  if (raw === undefined || raw === '') throw validation(raw, member, 'Member must not be null');
  if (raw.length > 140) throw validation(raw, member, 'Member must have length less than or equal to 140');
  const match = FUNCTION_REF.exec(raw);
  const name = match?.[3];
  if (!match || !name || name.length > 64) {
    throw validation(
      raw,
      member,
      'Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?',
    );
  }
  const region = match[1] ?? ctx.region;
  const accountId = match[2] ?? ctx.caller.accountId;
  if (region !== ctx.region) {
    throw notFound(`Functions from '${region}' are not reachable in this region ('${ctx.region}')`);
  }
  return { accountId, region, name, ...(match[4] ? { qualifier: match[4] } : {}) };
}

/**
 * Merges a qualifier from the name with the `Qualifier` query parameter; AWS rejects a mismatch.
 */
export function withQualifier(ref: FunctionRef, queryQualifier: string | null): FunctionRef {
  if (queryQualifier === null || queryQualifier === '') return ref;
  if (!/^(\$LATEST|[a-zA-Z0-9_-]+)$/.test(queryQualifier) || queryQualifier.length > 128) {
    throw validation(
      queryQualifier,
      'qualifier',
      'Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)',
    );
  }
  if (ref.qualifier !== undefined && ref.qualifier !== queryQualifier) {
    throw new AwsError(
      'InvalidParameterValueException',
      400,
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  return { ...ref, qualifier: queryQualifier };
}

export function refArn(ref: FunctionRef, qualifier = ref.qualifier): string {
  return functionArn(ref.region, ref.accountId, ref.name, qualifier);
}

/**
 * The sandbox models no resource-based policies, so a function in another account is never
 * reachable (AWS would need a resource policy granting the caller).
 */
export function requireSameAccount(
  ctx: OperationContext,
  ref: { accountId: string },
  action: string,
  resource: string,
): void {
  if (ref.accountId !== ctx.caller.accountId) {
    throw accessDenied(
      `User: ${ctx.caller.arn} is not authorized to perform: ${action} on resource: ${resource} because no resource-based policy allows the ${action} action`,
    );
  }
}

export function findFunction(ctx: OperationContext, ref: FunctionRef): FunctionRecord {
  const fn = regionState(ctx.world, ref.accountId, ref.region).functions[ref.name];
  if (!fn) throw functionNotFound(refArn(ref, undefined));
  return fn;
}

/** Resolves `$LATEST`, a version number or an alias to the version it designates. */
export function resolveQualifier(
  fn: FunctionRecord,
  ref: FunctionRef,
): { version: VersionRecord; alias?: AliasRecord } {
  const q = ref.qualifier;
  if (q === undefined || q === '$LATEST') return { version: fn.latest };
  if (/^\d+$/.test(q)) {
    const version = fn.versions[q];
    if (!version) throw functionNotFound(functionArn(ref.region, ref.accountId, fn.name, q));
    return { version };
  }
  const alias = fn.aliases[q];
  if (!alias) throw functionNotFound(functionArn(ref.region, ref.accountId, fn.name, q));
  const version = alias.FunctionVersion === '$LATEST' ? fn.latest : fn.versions[alias.FunctionVersion];
  if (!version) throw functionNotFound(functionArn(ref.region, ref.accountId, fn.name, q));
  return { version, alias };
}

export interface Page<T> {
  items: T[];
  nextMarker?: string;
}

/** Marker pagination over items sorted by `key`; the marker is the opaque key of the next item. */
export function paginate<T>(
  items: T[],
  key: (item: T) => string,
  marker: string | null,
  max: number,
): Page<T> {
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  let start = 0;
  if (marker) {
    let from: string;
    try {
      from = Buffer.from(marker, 'base64url').toString('utf8');
    } catch {
      from = '';
    }
    start = sorted.findIndex((item) => key(item) >= from);
    if (start < 0) start = sorted.length;
  }
  const page = sorted.slice(start, start + max);
  const next = sorted[start + max];
  return next === undefined
    ? { items: page }
    : { items: page, nextMarker: Buffer.from(key(next)).toString('base64url') };
}

/** Reads `MaxItems` (AWS bounds 1..limit) and caps it at what one page may hold. */
export function maxItems(query: URLSearchParams, limit: number, cap: number, fallback = cap): number {
  const raw = query.get('MaxItems');
  if (raw === null || raw === '') return Math.min(fallback, cap);
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw validation(raw, 'maxItems', 'Member must have value greater than or equal to 1');
  }
  if (value > limit)
    throw validation(raw, 'maxItems', `Member must have value less than or equal to ${limit}`);
  return Math.min(value, cap);
}
