// AWS Signer (restJson1, camelCase, epoch-second timestamps): signing platforms, profiles with their
// own ECDSA P-384 key pairs, cross-account profile permissions, signing jobs that really sign Lambda
// packages in S3, revocation, and tags. Spec §3.
import { createHash, randomUUID } from 'node:crypto';
import { AwsError } from '../errors.js';
import { jsonResponse, renderRestJsonError, type SandboxRequest } from '../http.js';
import { addTaggingProvider, internal, registerInternal } from '../internals.js';
import { ARN_PARTITION, partitionOfRegion } from '../partition.js';
import type { SandboxOptions } from '../server.js';
import type {
  HandlerResult,
  Internals,
  OperationContext,
  ResolvedOperation,
  ServiceDefinition,
  TrailResource,
} from '../service.js';
import { nextSequence, regional, type World } from '../world.js';
import {
  addPeriod,
  createSignerInternals,
  findPlatform,
  getProfile,
  jobArn,
  jobByArn,
  LAMBDA_PLATFORM,
  newKeyPair,
  PLATFORMS,
  type ProfilePermission,
  profileArn,
  profileByVersionArn,
  type SignerProfile,
  type SigningJob,
  type SigningPlatform,
  settleJob,
  signerSlice,
  type ValidityPeriod,
} from './signer-state.js';

const PROFILE_NAME = /^[a-zA-Z0-9_]{2,64}$/;
const PROFILE_VERSION = /^[a-zA-Z0-9]{10}$/;
const ACCOUNT_ID = /^\d{12}$/;
const MAX_PAGE = 25;
/** Default and maximum signature validity (spec §3.2). */
const MAX_VALIDITY: ValidityPeriod = { value: 135, type: 'MONTHS' };
const PERMISSION_ACTIONS = [
  'signer:StartSigningJob',
  'signer:GetSigningProfile',
  'signer:RevokeSignature',
  'signer:SignPayload',
];

// ---------------------------------------------------------------------------------------------
// Errors

function validation(message: string): AwsError {
  return new AwsError('ValidationException', 400, message);
}

function constraint(field: string, value: unknown, rule: string): AwsError {
  const shown = value === undefined || value === null ? 'null' : `'${String(value)}'`;
  return validation(
    `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ${rule}`,
  );
}

function notFound(message: string): AwsError {
  return new AwsError('ResourceNotFoundException', 404, message);
}

function accessDenied(message: string): AwsError {
  return new AwsError('AccessDeniedException', 403, message);
}

// ---------------------------------------------------------------------------------------------
// Input reading

type Json = Record<string, unknown>;

function parseBody(req: SandboxRequest): Json {
  const text = req.body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AwsError('SerializationException', 400, 'The request body could not be parsed as JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new AwsError('SerializationException', 400, 'The request body must be a JSON object.');
  return parsed as Json;
}

function optString(obj: Json | undefined, key: string, field = key): string | undefined {
  const value = obj?.[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw constraint(field, value, 'Member must be a string');
  return value;
}

function reqString(obj: Json | undefined, key: string, field = key): string {
  const value = optString(obj, key, field);
  if (value === undefined) throw constraint(field, undefined, 'Member must not be null');
  return value;
}

function optObject(obj: Json | undefined, key: string, field = key): Json | undefined {
  const value = obj?.[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw constraint(field, value, 'Member must be a structure');
  return value as Json;
}

function stringMap(obj: Json | undefined, key: string): Record<string, string> | undefined {
  const value = optObject(obj, key);
  if (!value) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw constraint(`${key}.${k}`, v, 'Member must be a string');
    out[k] = v;
  }
  return out;
}

function checkProfileName(name: string, field = 'profileName'): void {
  if (!PROFILE_NAME.test(name))
    throw constraint(field, name, 'Member must satisfy regular expression pattern: ^[a-zA-Z0-9_]{2,}');
}

function checkReason(reason: string | undefined): string {
  if (reason === undefined) throw constraint('reason', undefined, 'Member must not be null');
  if (reason.length < 1 || reason.length > 500)
    throw constraint('reason', reason, 'Member must have length between 1 and 500');
  return reason;
}

function maxResults(req: SandboxRequest): number {
  const text = req.query.get('maxResults');
  if (text === null) return MAX_PAGE;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_PAGE)
    throw constraint('maxResults', text, `Member must have value between 1 and ${MAX_PAGE}`);
  return n;
}

/** Opaque page tokens carry the offset into the (stable) result order. */
function pageStart(req: SandboxRequest): number {
  const token = req.query.get('nextToken');
  if (token === null || token === '') return 0;
  const match = /^p:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw validation('The nextToken provided is invalid.');
  return Number(match[1]);
}

function page<T>(req: SandboxRequest, items: T[]): { items: T[]; nextToken?: string } {
  const start = pageStart(req);
  const size = maxResults(req);
  const end = start + size;
  return {
    items: items.slice(start, end),
    ...(end < items.length ? { nextToken: Buffer.from(`p:${end}`).toString('base64url') } : {}),
  };
}

function bool(req: SandboxRequest, name: string): boolean | undefined {
  const value = req.query.get(name);
  if (value === null) return undefined;
  if (value !== 'true' && value !== 'false') throw constraint(name, value, 'Member must be a boolean');
  return value === 'true';
}

function queryTime(req: SandboxRequest, name: string): number | undefined {
  const value = req.query.get(name);
  if (value === null) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw constraint(name, value, 'Member must be a timestamp');
  return ms;
}

const seconds = (ms: number) => ms / 1000;

// ---------------------------------------------------------------------------------------------
// Rendering

function platformJson(p: SigningPlatform): Json {
  const { requiresSigningMaterial: _, ...rest } = p;
  return rest;
}

function definedOnly(obj: Json): Json {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

function profileSummary(p: SignerProfile): Json {
  return definedOnly({
    profileName: p.profileName,
    profileVersion: p.profileVersion,
    profileVersionArn: p.profileVersionArn,
    signingMaterial: p.signingMaterial,
    signatureValidityPeriod: p.signatureValidityPeriod,
    platformId: p.platformId,
    platformDisplayName: findPlatform(p.platformId)?.displayName,
    signingParameters: p.signingParameters,
    status: p.status,
    arn: p.arn,
    tags: Object.keys(p.tags).length ? p.tags : undefined,
  });
}

function profileDetail(p: SignerProfile): Json {
  return definedOnly({
    ...profileSummary(p),
    revocationRecord: p.revocation
      ? {
          revocationEffectiveFrom: seconds(p.revocation.effectiveFrom),
          revokedAt: seconds(p.revocation.revokedAt),
          revokedBy: p.revocation.revokedBy,
        }
      : undefined,
    overrides: p.overrides,
    statusReason: p.statusReason,
  });
}

function jobDetail(j: SigningJob): Json {
  return definedOnly({
    jobId: j.jobId,
    source: { s3: j.source },
    signingMaterial: j.signingMaterial,
    platformId: j.platformId,
    platformDisplayName: j.platformDisplayName,
    profileName: j.profileName,
    profileVersion: j.profileVersion,
    overrides: j.overrides,
    signingParameters: j.signingParameters,
    createdAt: seconds(j.createdAt),
    completedAt: j.completedAt === undefined ? undefined : seconds(j.completedAt),
    signatureExpiresAt: j.signatureExpiresAt === undefined ? undefined : seconds(j.signatureExpiresAt),
    requestedBy: j.requestedBy,
    status: j.status,
    statusReason: j.statusReason,
    revocationRecord: j.revocation
      ? {
          reason: j.revocation.reason,
          revokedAt: seconds(j.revocation.revokedAt),
          revokedBy: j.revocation.revokedBy,
        }
      : undefined,
    signedObject: j.signedObject ? { s3: j.signedObject } : undefined,
    jobOwner: j.ownerAccountId,
    jobInvoker: j.invokerAccountId,
  });
}

function jobSummary(j: SigningJob): Json {
  return definedOnly({
    jobId: j.jobId,
    source: { s3: j.source },
    signedObject: j.signedObject ? { s3: j.signedObject } : undefined,
    signingMaterial: j.signingMaterial,
    createdAt: seconds(j.createdAt),
    status: j.status,
    isRevoked: j.revocation !== undefined,
    profileName: j.profileName,
    profileVersion: j.profileVersion,
    platformId: j.platformId,
    platformDisplayName: j.platformDisplayName,
    signatureExpiresAt: j.signatureExpiresAt === undefined ? undefined : seconds(j.signatureExpiresAt),
    jobOwner: j.ownerAccountId,
    jobInvoker: j.invokerAccountId,
  });
}

function ok(body: Json, extra: Omit<HandlerResult, 'response'> = {}): HandlerResult {
  return { response: jsonResponse(200, body), ...extra };
}

function profileResource(arn: string): TrailResource[] {
  return [{ ResourceType: 'AWS::Signer::SigningProfile', ResourceName: arn }];
}

function jobResource(arn: string): TrailResource[] {
  return [{ ResourceType: 'AWS::Signer::SigningJob', ResourceName: arn }];
}

// ---------------------------------------------------------------------------------------------
// Profiles and permissions

function ownProfile(ctx: OperationContext, name: string): SignerProfile {
  const profile = getProfile(ctx.world, ctx.caller.accountId, ctx.region, name);
  if (!profile) throw notFound(`Signing profile ${name} does not exist.`);
  return profile;
}

function principalMatches(permission: ProfilePermission, ctx: OperationContext): boolean {
  const p = permission.principal;
  return (
    p === ctx.caller.accountId ||
    p === `arn:${partitionOfRegion(ctx.region)}:iam::${ctx.caller.accountId}:root` ||
    p === ctx.caller.arn ||
    (ctx.caller.roleArn !== undefined && p === ctx.caller.roleArn)
  );
}

/** Whether the caller may use `action` on a profile: its own, or granted by a profile permission. */
function permitted(profile: SignerProfile, ctx: OperationContext, action: string): boolean {
  if (profile.accountId === ctx.caller.accountId) return true;
  return profile.permissions.statements.some(
    (s) =>
      s.action === action &&
      principalMatches(s, ctx) &&
      (s.profileVersion === undefined || s.profileVersion === profile.profileVersion),
  );
}

/** A profile addressed by name and optional `profileOwner` (cross-account through a permission). */
function usableProfile(
  ctx: OperationContext,
  name: string,
  owner: string | undefined,
  action: string,
): SignerProfile {
  const accountId = owner ?? ctx.caller.accountId;
  const profile = getProfile(ctx.world, accountId, ctx.region, name);
  if (!profile) throw notFound(`Signing profile ${name} does not exist.`);
  if (!permitted(profile, ctx, action)) {
    throw accessDenied(
      `User: ${ctx.caller.arn} is not authorized to perform: ${action} on resource: ${profile.arn} because no resource-based policy allows the ${action} action`,
    );
  }
  return profile;
}

function validityPeriod(body: Json, now: number): ValidityPeriod {
  const raw = optObject(body, 'signatureValidityPeriod');
  if (!raw) return { ...MAX_VALIDITY };
  const type = raw.type ?? 'MONTHS';
  if (type !== 'DAYS' && type !== 'MONTHS' && type !== 'YEARS')
    throw constraint(
      'signatureValidityPeriod.type',
      type,
      'Member must satisfy enum value set: [DAYS, MONTHS, YEARS]',
    );
  const value = raw.value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw constraint('signatureValidityPeriod.value', value, 'Member must be a positive integer');
  const period: ValidityPeriod = { value, type };
  if (addPeriod(now, period) > addPeriod(now, MAX_VALIDITY))
    throw validation('The signature validity period cannot be longer than 135 months.');
  return period;
}

function checkTags(tags: Record<string, string>, error: (m: string) => AwsError): void {
  const keys = Object.keys(tags);
  if (keys.length > 200) throw error('A resource can have at most 200 tags.');
  for (const [k, v] of Object.entries(tags)) {
    if (k.length < 1 || k.length > 128 || k.toLowerCase().startsWith('aws:'))
      throw error(`Tag key '${k}' is invalid: 1 to 128 characters, not starting with 'aws:'.`);
    if (v.length > 256) throw error(`Tag value for key '${k}' is longer than 256 characters.`);
  }
}

function putSigningProfile(ctx: OperationContext, name: string): HandlerResult {
  checkProfileName(name);
  const arn = profileArn(ctx.region, ctx.caller.accountId, name);
  ctx.authorize(arn);
  const body = parseBody(ctx.req);
  const platformId = reqString(body, 'platformId');
  const platform = findPlatform(platformId);
  // ResourceNotFoundException is the only not-found error PutSigningProfile models: the platform.
  if (!platform) throw notFound(`Signing platform ${platformId} does not exist.`);
  const signingMaterialRaw = optObject(body, 'signingMaterial');
  const signingMaterial = signingMaterialRaw
    ? { certificateArn: reqString(signingMaterialRaw, 'certificateArn', 'signingMaterial.certificateArn') }
    : undefined;
  if (platform.requiresSigningMaterial && !signingMaterial)
    throw validation(`Signing material (an ACM certificate) is required for platform ${platformId}.`);
  const period = validityPeriod(body, ctx.now());
  const tags = stringMap(body, 'tags') ?? {};
  checkTags(tags, validation);
  const overrides = optObject(body, 'overrides');
  const signingParameters = stringMap(body, 'signingParameters');
  const profiles = regional(
    signerSlice(ctx.world).profiles,
    ctx.caller.accountId,
    ctx.region,
    () => ({}) as Record<string, SignerProfile>,
  );
  // Names stay reserved after cancellation. The model lists no conflict error for this operation, so
  // the conservative reading is ValidationException (spec §3.2: "Profile with name X already exists").
  if (profiles[name]) throw validation(`Profile with name ${name} already exists.`);
  const profileVersion = newProfileVersion();
  const keys = newKeyPair();
  const profile: SignerProfile = {
    profileName: name,
    accountId: ctx.caller.accountId,
    region: ctx.region,
    arn,
    profileVersion,
    profileVersionArn: `${arn}/${profileVersion}`,
    platformId,
    status: 'Active',
    signatureValidityPeriod: period,
    ...(signingMaterial ? { signingMaterial } : {}),
    ...(overrides ? { overrides } : {}),
    ...(signingParameters ? { signingParameters } : {}),
    tags,
    createdAt: ctx.now(),
    ...keys,
    permissions: { statements: [] },
  };
  profiles[name] = profile;
  const response = { arn, profileVersion, profileVersionArn: profile.profileVersionArn };
  return ok(response, {
    requestParameters: { profileName: name, ...body },
    responseElements: response,
    resources: profileResource(arn),
  });
}

function newProfileVersion(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = createHash('sha256').update(randomUUID()).digest();
  let out = '';
  for (let i = 0; i < 10; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Jobs

function s3(ctx: OperationContext) {
  return internal(ctx.internals, 's3');
}

function settle(ctx: OperationContext, job: SigningJob): SigningJob {
  settleJob(ctx.world, s3(ctx), job, ctx.now());
  return job;
}

/** A job the caller may see: owned by its account or started by it, in this Region. */
function visibleJob(ctx: OperationContext, jobId: string): SigningJob {
  const job = signerSlice(ctx.world).jobs[jobId];
  if (
    !job ||
    job.region !== ctx.region ||
    (job.ownerAccountId !== ctx.caller.accountId && job.invokerAccountId !== ctx.caller.accountId)
  ) {
    throw notFound(`Signing job ${jobId} does not exist.`);
  }
  return settle(ctx, job);
}

function startSigningJob(ctx: OperationContext, latencyMs: number): HandlerResult {
  const body = parseBody(ctx.req);
  const profileName = reqString(body, 'profileName');
  checkProfileName(profileName);
  const profileOwner = optString(body, 'profileOwner');
  if (profileOwner !== undefined && !ACCOUNT_ID.test(profileOwner))
    throw constraint(
      'profileOwner',
      profileOwner,
      'Member must satisfy regular expression pattern: ^[0-9]{12}$',
    );
  const ownerAccountId = profileOwner ?? ctx.caller.accountId;
  const arn = profileArn(ctx.region, ownerAccountId, profileName);
  ctx.authorize(arn);
  const sourceS3 = optObject(optObject(body, 'source'), 's3', 'source.s3');
  if (!sourceS3) throw constraint('source', undefined, 'Member must not be null');
  const source = {
    bucketName: reqString(sourceS3, 'bucketName', 'source.s3.bucketName'),
    key: reqString(sourceS3, 'key', 'source.s3.key'),
    version: reqString(sourceS3, 'version', 'source.s3.version'),
  };
  const destS3 = optObject(optObject(body, 'destination'), 's3', 'destination.s3');
  const destBucket = optString(destS3, 'bucketName', 'destination.s3.bucketName');
  if (!destBucket) throw constraint('destination.s3.bucketName', undefined, 'Member must not be null');
  const prefix = optString(destS3, 'prefix', 'destination.s3.prefix');
  const destination = { bucketName: destBucket, ...(prefix ? { prefix } : {}) };
  const clientRequestToken = optString(body, 'clientRequestToken') ?? randomUUID();
  const requestKey = JSON.stringify([ownerAccountId, profileName, source, destination]);

  const slice = signerSlice(ctx.world);
  const previous = Object.values(slice.jobs).find(
    (j) =>
      j.invokerAccountId === ctx.caller.accountId &&
      j.region === ctx.region &&
      j.clientRequestToken === clientRequestToken,
  );
  if (previous) {
    if (previous.requestKey !== requestKey)
      throw validation('The clientRequestToken was already used for a different signing job request.');
    return ok(
      { jobId: previous.jobId, jobOwner: previous.ownerAccountId },
      { resources: jobResource(previous.arn) },
    );
  }

  const profile = usableProfile(ctx, profileName, profileOwner, 'signer:StartSigningJob');
  if (profile.status !== 'Active')
    throw validation(
      `Signing profile ${profileName} is ${profile.status.toLowerCase()} and cannot be used to sign.`,
    );
  if (profile.platformId !== LAMBDA_PLATFORM)
    throw validation(`The sandbox runs signing jobs for the ${LAMBDA_PLATFORM} platform only.`);

  const s3i = s3(ctx);
  for (const [role, bucketName] of [
    ['source', source.bucketName],
    ['destination', destination.bucketName],
  ] as const) {
    const bucket = s3i.bucket(bucketName);
    if (!bucket) throw validation(`The ${role} S3 bucket ${bucketName} does not exist.`);
    // Bucket policies are not emulated: Signer reads and writes with the caller's access, so only the
    // caller's own buckets are reachable.
    if (bucket.accountId !== ctx.caller.accountId)
      throw accessDenied(`Access denied to the ${role} S3 bucket ${bucketName}.`);
    if (bucket.region !== ctx.region)
      throw validation(
        `The ${role} S3 bucket ${bucketName} is in ${bucket.region}; cross-Region signing isn't supported (profile Region ${ctx.region}).`,
      );
  }
  if (s3i.bucket(source.bucketName)?.versioning !== 'Enabled')
    throw validation(`The source S3 bucket ${source.bucketName} must have versioning enabled.`);
  ctx.authorize(
    `arn:${partitionOfRegion(ctx.region)}:s3:::${source.bucketName}/${source.key}`,
    {},
    's3:GetObjectVersion',
  );
  ctx.authorize(
    `arn:${partitionOfRegion(ctx.region)}:s3:::${destination.bucketName}/${prefix ?? ''}*`,
    {},
    's3:PutObject',
  );

  const jobId = randomUUID();
  const now = ctx.now();
  const platform = findPlatform(profile.platformId)!;
  const job: SigningJob = {
    jobId,
    arn: jobArn(ctx.region, profile.accountId, jobId),
    seq: nextSequence(ctx.world),
    ownerAccountId: profile.accountId,
    invokerAccountId: ctx.caller.accountId,
    region: ctx.region,
    requestedBy: ctx.caller.arn,
    clientRequestToken,
    requestKey,
    profileName,
    profileVersion: profile.profileVersion,
    profileVersionArn: profile.profileVersionArn,
    platformId: profile.platformId,
    platformDisplayName: platform.displayName,
    source,
    destination,
    ...(profile.signingMaterial ? { signingMaterial: profile.signingMaterial } : {}),
    ...(profile.overrides ? { overrides: profile.overrides } : {}),
    ...(profile.signingParameters ? { signingParameters: profile.signingParameters } : {}),
    createdAt: now,
    readyAt: now + latencyMs,
    status: 'InProgress',
  };
  slice.jobs[jobId] = job;
  if (latencyMs > 0) {
    // Complete on time even if nobody polls (lazy completion on reads covers restarts).
    const world = ctx.world;
    const s3Internals = s3i;
    const clock = ctx.now;
    setTimeout(() => settleJob(world, s3Internals, job, clock()), latencyMs + 5).unref();
  } else {
    settle(ctx, job);
  }
  const response = { jobId, jobOwner: job.ownerAccountId };
  return ok(response, {
    requestParameters: body,
    responseElements: response,
    resources: [...jobResource(job.arn), ...profileResource(profile.arn)],
  });
}

function listSigningJobs(ctx: OperationContext): HandlerResult {
  ctx.authorize('*');
  const q = ctx.req.query;
  const status = q.get('status');
  if (status !== null && !['InProgress', 'Failed', 'Succeeded'].includes(status))
    throw constraint('status', status, 'Member must satisfy enum value set: [InProgress, Failed, Succeeded]');
  const platformId = q.get('platformId');
  const requestedBy = q.get('requestedBy');
  const isRevoked = bool(ctx.req, 'isRevoked');
  const expiresBefore = queryTime(ctx.req, 'signatureExpiresBefore');
  const expiresAfter = queryTime(ctx.req, 'signatureExpiresAfter');
  const jobInvoker = q.get('jobInvoker');
  if (jobInvoker !== null && !ACCOUNT_ID.test(jobInvoker))
    throw constraint('jobInvoker', jobInvoker, 'Member must satisfy regular expression pattern: ^[0-9]{12}$');
  const jobs = Object.values(signerSlice(ctx.world).jobs)
    .filter(
      (j) =>
        j.region === ctx.region &&
        (j.ownerAccountId === ctx.caller.accountId || j.invokerAccountId === ctx.caller.accountId),
    )
    .map((j) => settle(ctx, j))
    .filter(
      (j) =>
        (status === null || j.status === status) &&
        (platformId === null || j.platformId === platformId) &&
        (requestedBy === null || j.requestedBy === requestedBy) &&
        (isRevoked === undefined || (j.revocation !== undefined) === isRevoked) &&
        (expiresBefore === undefined ||
          (j.signatureExpiresAt !== undefined && j.signatureExpiresAt < expiresBefore)) &&
        (expiresAfter === undefined ||
          (j.signatureExpiresAt !== undefined && j.signatureExpiresAt > expiresAfter)) &&
        (jobInvoker === null || j.invokerAccountId === jobInvoker),
    )
    .sort((a, b) => a.seq - b.seq);
  const { items, nextToken } = page(ctx.req, jobs);
  return ok({ jobs: items.map(jobSummary), ...(nextToken ? { nextToken } : {}) });
}

function revokeSignature(ctx: OperationContext, jobId: string): HandlerResult {
  const body = parseBody(ctx.req);
  const reason = checkReason(optString(body, 'reason'));
  const jobOwner = optString(body, 'jobOwner');
  if (jobOwner !== undefined && !ACCOUNT_ID.test(jobOwner))
    throw constraint('jobOwner', jobOwner, 'Member must satisfy regular expression pattern: ^[0-9]{12}$');
  const ownerAccountId = jobOwner ?? ctx.caller.accountId;
  const arn = jobArn(ctx.region, ownerAccountId, jobId);
  ctx.authorize(arn);
  const job = signerSlice(ctx.world).jobs[jobId];
  if (!job || job.region !== ctx.region || job.ownerAccountId !== ownerAccountId)
    throw notFound(`Signing job ${jobId} does not exist.`);
  if (job.ownerAccountId !== ctx.caller.accountId) {
    const profile = getProfile(ctx.world, job.ownerAccountId, job.region, job.profileName);
    if (job.invokerAccountId !== ctx.caller.accountId) throw notFound(`Signing job ${jobId} does not exist.`);
    if (!profile || !permitted(profile, ctx, 'signer:RevokeSignature')) {
      throw accessDenied(
        `User: ${ctx.caller.arn} is not authorized to perform: signer:RevokeSignature on resource: ${arn} because no resource-based policy allows the signer:RevokeSignature action`,
      );
    }
  }
  settle(ctx, job);
  if (job.status === 'Failed')
    throw validation(`Signing job ${jobId} failed and has no signature to revoke.`);
  // Revocation is irreversible: a second revocation keeps the first record.
  job.revocation ??= { reason, revokedAt: ctx.now(), revokedBy: ctx.caller.arn };
  return ok({}, { requestParameters: { jobId, ...body }, resources: jobResource(arn) });
}

function getRevocationStatus(ctx: OperationContext): HandlerResult {
  ctx.authorize('*');
  const q = ctx.req.query;
  const timestampText = q.get('signatureTimestamp');
  if (timestampText === null) throw constraint('signatureTimestamp', undefined, 'Member must not be null');
  const signatureTimestamp = Date.parse(timestampText);
  if (Number.isNaN(signatureTimestamp))
    throw constraint('signatureTimestamp', timestampText, 'Member must be a timestamp');
  const platformId = q.get('platformId');
  if (platformId === null) throw constraint('platformId', undefined, 'Member must not be null');
  const profileVersionArn = q.get('profileVersionArn');
  if (profileVersionArn === null) throw constraint('profileVersionArn', undefined, 'Member must not be null');
  if (profileVersionArn.length < 20 || profileVersionArn.length > 2048)
    throw constraint('profileVersionArn', profileVersionArn, 'Member must have length between 20 and 2048');
  const arn = q.get('jobArn');
  if (arn === null) throw constraint('jobArn', undefined, 'Member must not be null');
  if (arn.length < 20 || arn.length > 2048)
    throw constraint('jobArn', arn, 'Member must have length between 20 and 2048');
  if (q.getAll('certificateHashes').length === 0)
    throw constraint('certificateHashes', undefined, 'Member must not be null');
  const revokedEntities: string[] = [];
  const job = jobByArn(ctx.world, arn);
  if (job?.revocation) revokedEntities.push(arn);
  const profile = profileByVersionArn(ctx.world, profileVersionArn);
  if (profile?.revocation && profile.revocation.effectiveFrom <= signatureTimestamp)
    revokedEntities.push(profileVersionArn);
  return ok({ revokedEntities });
}

// ---------------------------------------------------------------------------------------------
// Tags

const PROFILE_ARN = new RegExp(
  `^${ARN_PARTITION}signer:([a-z0-9-]+):(\\d{12}):/signing-profiles/([a-zA-Z0-9_]{2,64})$`,
);

function taggedProfile(ctx: OperationContext, resourceArn: string): SignerProfile {
  const match = PROFILE_ARN.exec(resourceArn);
  if (!match)
    throw new AwsError('BadRequestException', 400, `${resourceArn} is not a valid signing profile ARN.`);
  ctx.authorize(resourceArn);
  const [, region, accountId, name] = match as unknown as [string, string, string, string];
  if (accountId !== ctx.caller.accountId)
    throw accessDenied(`User: ${ctx.caller.arn} is not authorized to access the resource ${resourceArn}.`);
  const profile = region === ctx.region ? getProfile(ctx.world, accountId, region, name) : undefined;
  if (!profile) throw new AwsError('NotFoundException', 404, `Resource ${resourceArn} not found.`);
  return profile;
}

// ---------------------------------------------------------------------------------------------
// Routing

interface OpSpec {
  name: string;
  action: string;
  readOnly: boolean;
  handler(ctx: OperationContext): HandlerResult;
}

function unknownOperation(req: SandboxRequest, detail = ''): AwsError {
  return new AwsError(
    'UnknownOperationException',
    404,
    `The sandbox does not implement the Signer operation ${req.method} ${req.rawPath}${detail}.`,
  );
}

function resolveSpec(req: SandboxRequest, latencyMs: number): OpSpec {
  const segs = req.segments.filter((s, i) => s !== '' || i < req.segments.length - 1);
  const [root, id, sub, subId] = segs;
  const m = req.method;
  if (m === 'POST' && root === 'signing-jobs' && id === 'with-payload' && sub === undefined)
    throw unknownOperation(req, ' (SignPayload: Notation container signing is not emulated)');
  const route = `${m} /${root ?? ''}${id !== undefined ? '/{id}' : ''}${sub !== undefined ? `/${sub}` : ''}${subId !== undefined ? '/{subId}' : ''}`;
  switch (route) {
    case 'GET /signing-platforms':
      return {
        name: 'ListSigningPlatforms',
        action: 'signer:ListSigningPlatforms',
        readOnly: true,
        handler: (ctx) => {
          ctx.authorize('*');
          const q = ctx.req.query;
          const filtered = PLATFORMS.filter(
            (p) =>
              (q.get('category') === null || p.category === q.get('category')) &&
              (q.get('partner') === null || p.partner === q.get('partner')) &&
              (q.get('target') === null || p.target === q.get('target')),
          );
          const { items, nextToken } = page(ctx.req, filtered);
          return ok({ platforms: items.map(platformJson), ...(nextToken ? { nextToken } : {}) });
        },
      };
    case 'GET /signing-platforms/{id}':
      return {
        name: 'GetSigningPlatform',
        action: 'signer:GetSigningPlatform',
        readOnly: true,
        handler: (ctx) => {
          ctx.authorize('*');
          const platform = findPlatform(id!);
          if (!platform) throw notFound(`Signing platform ${id} does not exist.`);
          return ok(platformJson(platform));
        },
      };
    case 'GET /signing-profiles':
      return {
        name: 'ListSigningProfiles',
        action: 'signer:ListSigningProfiles',
        readOnly: true,
        handler: (ctx) => {
          ctx.authorize('*');
          const includeCanceled = bool(ctx.req, 'includeCanceled') ?? false;
          const statuses = ctx.req.query.getAll('statuses');
          for (const s of statuses) {
            if (!['Active', 'Canceled', 'Revoked'].includes(s))
              throw constraint(
                'statuses',
                s,
                'Member must satisfy enum value set: [Active, Canceled, Revoked]',
              );
          }
          const platformId = ctx.req.query.get('platformId');
          // The literal reading of the model: includeCanceled=false hides Canceled profiles even when
          // `statuses` names Canceled; Revoked profiles are listed unless `statuses` excludes them.
          const profiles = Object.values(
            signerSlice(ctx.world).profiles[ctx.caller.accountId]?.[ctx.region] ?? {},
          )
            .filter(
              (p) =>
                (includeCanceled || p.status !== 'Canceled') &&
                (statuses.length === 0 || statuses.includes(p.status)) &&
                (platformId === null || p.platformId === platformId),
            )
            .sort((a, b) => a.createdAt - b.createdAt || (a.profileName < b.profileName ? -1 : 1));
          const { items, nextToken } = page(ctx.req, profiles);
          return ok({ profiles: items.map(profileSummary), ...(nextToken ? { nextToken } : {}) });
        },
      };
    case 'PUT /signing-profiles/{id}':
      return {
        name: 'PutSigningProfile',
        action: 'signer:PutSigningProfile',
        readOnly: false,
        handler: (ctx) => putSigningProfile(ctx, id!),
      };
    case 'GET /signing-profiles/{id}':
      return {
        name: 'GetSigningProfile',
        action: 'signer:GetSigningProfile',
        readOnly: true,
        handler: (ctx) => {
          checkProfileName(id!);
          const owner = ctx.req.query.get('profileOwner') ?? undefined;
          if (owner !== undefined && !ACCOUNT_ID.test(owner))
            throw constraint(
              'profileOwner',
              owner,
              'Member must satisfy regular expression pattern: ^[0-9]{12}$',
            );
          const arn = profileArn(ctx.region, owner ?? ctx.caller.accountId, id!);
          ctx.authorize(arn);
          const profile = usableProfile(ctx, id!, owner, 'signer:GetSigningProfile');
          return ok(profileDetail(profile), { resources: profileResource(arn) });
        },
      };
    case 'DELETE /signing-profiles/{id}':
      return {
        name: 'CancelSigningProfile',
        action: 'signer:CancelSigningProfile',
        readOnly: false,
        handler: (ctx) => {
          checkProfileName(id!);
          const arn = profileArn(ctx.region, ctx.caller.accountId, id!);
          ctx.authorize(arn);
          const profile = ownProfile(ctx, id!);
          // Cancelling is idempotent; a revoked profile stays Revoked (the stronger state).
          if (profile.status === 'Active') profile.status = 'Canceled';
          return ok({}, { requestParameters: { profileName: id }, resources: profileResource(arn) });
        },
      };
    case 'PUT /signing-profiles/{id}/revoke':
      return {
        name: 'RevokeSigningProfile',
        action: 'signer:RevokeSigningProfile',
        readOnly: false,
        handler: (ctx) => {
          checkProfileName(id!);
          const arn = profileArn(ctx.region, ctx.caller.accountId, id!);
          ctx.authorize(arn);
          const body = parseBody(ctx.req);
          const version = reqString(body, 'profileVersion');
          if (!PROFILE_VERSION.test(version))
            throw constraint(
              'profileVersion',
              version,
              'Member must satisfy regular expression pattern: ^[a-zA-Z0-9]{10}$',
            );
          const reason = checkReason(optString(body, 'reason'));
          const effective = body.effectiveTime;
          if (typeof effective !== 'number' || !Number.isFinite(effective))
            throw constraint('effectiveTime', effective, 'Member must not be null');
          const effectiveFrom = Math.round(effective * 1000);
          const profile = ownProfile(ctx, id!);
          if (profile.profileVersion !== version)
            throw notFound(`Signing profile ${id} has no version ${version}.`);
          if (effectiveFrom > ctx.now()) throw validation('Revocation effective time must be in the past.');
          if (profile.revocation && effectiveFrom > profile.revocation.effectiveFrom)
            throw validation('Revocation effective time can only be moved earlier.');
          profile.status = 'Revoked';
          profile.revocation = {
            effectiveFrom,
            revokedAt: profile.revocation?.revokedAt ?? ctx.now(),
            revokedBy: profile.revocation?.revokedBy ?? ctx.caller.arn,
            reason,
          };
          return ok({}, { requestParameters: { profileName: id, ...body }, resources: profileResource(arn) });
        },
      };
    case 'POST /signing-profiles/{id}/permissions':
      return {
        name: 'AddProfilePermission',
        action: 'signer:AddProfilePermission',
        readOnly: false,
        handler: (ctx) => {
          checkProfileName(id!);
          const arn = profileArn(ctx.region, ctx.caller.accountId, id!);
          ctx.authorize(arn);
          const body = parseBody(ctx.req);
          const action = reqString(body, 'action');
          if (!PERMISSION_ACTIONS.includes(action))
            throw constraint('action', action, `Member must be one of ${PERMISSION_ACTIONS.join(', ')}`);
          const principal = reqString(body, 'principal');
          const statementId = reqString(body, 'statementId');
          const profileVersion = optString(body, 'profileVersion');
          if (profileVersion !== undefined && !PROFILE_VERSION.test(profileVersion))
            throw constraint(
              'profileVersion',
              profileVersion,
              'Member must satisfy regular expression pattern: ^[a-zA-Z0-9]{10}$',
            );
          const revisionId = optString(body, 'revisionId');
          const profile = ownProfile(ctx, id!);
          const perms = profile.permissions;
          if (revisionId !== undefined && revisionId !== perms.revisionId)
            throw new AwsError(
              'ConflictException',
              409,
              'The revisionId does not match the current policy revision.',
            );
          if (perms.statements.some((s) => s.statementId === statementId))
            throw new AwsError(
              'ConflictException',
              409,
              `A statement with id ${statementId} already exists.`,
            );
          perms.statements.push({
            statementId,
            action,
            principal,
            ...(profileVersion ? { profileVersion } : {}),
          });
          perms.revisionId = randomUUID();
          return ok(
            { revisionId: perms.revisionId },
            { requestParameters: { profileName: id, ...body }, resources: profileResource(arn) },
          );
        },
      };
    case 'GET /signing-profiles/{id}/permissions':
      return {
        name: 'ListProfilePermissions',
        action: 'signer:ListProfilePermissions',
        readOnly: true,
        handler: (ctx) => {
          checkProfileName(id!);
          const arn = profileArn(ctx.region, ctx.caller.accountId, id!);
          ctx.authorize(arn);
          const profile = ownProfile(ctx, id!);
          const perms = profile.permissions;
          const policy = JSON.stringify({
            Version: '2012-10-17',
            Statement: perms.statements.map((s) => ({
              Sid: s.statementId,
              Effect: 'Allow',
              Principal: { AWS: s.principal },
              Action: s.action,
              Resource: s.profileVersion ? `${arn}/${s.profileVersion}` : arn,
            })),
          });
          const { items, nextToken } = page(ctx.req, perms.statements);
          return ok(
            definedOnly({
              revisionId: perms.revisionId,
              policySizeBytes: perms.statements.length ? Buffer.byteLength(policy) : 0,
              permissions: items.map((s) => definedOnly({ ...s })),
              nextToken,
            }),
            { resources: profileResource(arn) },
          );
        },
      };
    case 'DELETE /signing-profiles/{id}/permissions/{subId}':
      return {
        name: 'RemoveProfilePermission',
        action: 'signer:RemoveProfilePermission',
        readOnly: false,
        handler: (ctx) => {
          checkProfileName(id!);
          const arn = profileArn(ctx.region, ctx.caller.accountId, id!);
          ctx.authorize(arn);
          const revisionId = ctx.req.query.get('revisionId');
          if (revisionId === null) throw constraint('revisionId', undefined, 'Member must not be null');
          const profile = ownProfile(ctx, id!);
          const perms = profile.permissions;
          if (revisionId !== perms.revisionId)
            throw new AwsError(
              'ConflictException',
              409,
              'The revisionId does not match the current policy revision.',
            );
          const before = perms.statements.length;
          perms.statements = perms.statements.filter((s) => s.statementId !== subId);
          if (perms.statements.length === before) throw notFound(`Statement ${subId} does not exist.`);
          perms.revisionId = randomUUID();
          return ok(
            { revisionId: perms.revisionId },
            {
              requestParameters: { profileName: id, statementId: subId, revisionId },
              resources: profileResource(arn),
            },
          );
        },
      };
    case 'POST /signing-jobs':
      return {
        name: 'StartSigningJob',
        action: 'signer:StartSigningJob',
        readOnly: false,
        handler: (ctx) => startSigningJob(ctx, latencyMs),
      };
    case 'GET /signing-jobs':
      return {
        name: 'ListSigningJobs',
        action: 'signer:ListSigningJobs',
        readOnly: true,
        handler: listSigningJobs,
      };
    case 'GET /signing-jobs/{id}':
      return {
        name: 'DescribeSigningJob',
        action: 'signer:DescribeSigningJob',
        readOnly: true,
        handler: (ctx) => {
          const job = signerSlice(ctx.world).jobs[id!];
          const mine =
            job &&
            (job.ownerAccountId === ctx.caller.accountId || job.invokerAccountId === ctx.caller.accountId);
          ctx.authorize(mine ? job.arn : jobArn(ctx.region, ctx.caller.accountId, id!));
          const visible = visibleJob(ctx, id!);
          return ok(jobDetail(visible), { resources: jobResource(visible.arn) });
        },
      };
    case 'PUT /signing-jobs/{id}/revoke':
      return {
        name: 'RevokeSignature',
        action: 'signer:RevokeSignature',
        readOnly: false,
        handler: (ctx) => revokeSignature(ctx, id!),
      };
    case 'GET /revocations':
      return {
        name: 'GetRevocationStatus',
        action: 'signer:GetRevocationStatus',
        readOnly: true,
        handler: getRevocationStatus,
      };
    case 'POST /tags/{id}':
      return {
        name: 'TagResource',
        action: 'signer:TagResource',
        readOnly: false,
        handler: (ctx) => {
          const profile = taggedProfile(ctx, id!);
          const body = parseBody(ctx.req);
          const tags = stringMap(body, 'tags');
          if (!tags || Object.keys(tags).length === 0)
            throw new AwsError('BadRequestException', 400, 'tags must contain at least one tag.');
          const merged = { ...profile.tags, ...tags };
          checkTags(merged, (m) => new AwsError('BadRequestException', 400, m));
          profile.tags = merged;
          return ok(
            {},
            { requestParameters: { resourceArn: id, tags }, resources: profileResource(profile.arn) },
          );
        },
      };
    case 'DELETE /tags/{id}':
      return {
        name: 'UntagResource',
        action: 'signer:UntagResource',
        readOnly: false,
        handler: (ctx) => {
          const profile = taggedProfile(ctx, id!);
          const keys = ctx.req.query.getAll('tagKeys');
          if (keys.length === 0)
            throw new AwsError('BadRequestException', 400, 'tagKeys must name at least one key.');
          for (const key of keys) delete profile.tags[key];
          return ok(
            {},
            {
              requestParameters: { resourceArn: id, tagKeys: keys },
              resources: profileResource(profile.arn),
            },
          );
        },
      };
    case 'GET /tags/{id}':
      return {
        name: 'ListTagsForResource',
        action: 'signer:ListTagsForResource',
        readOnly: true,
        handler: (ctx) => {
          const profile = taggedProfile(ctx, id!);
          return ok({ tags: { ...profile.tags } });
        },
      };
    default:
      throw unknownOperation(req);
  }
}

export function signerService(
  internals: Internals,
  options: SandboxOptions,
  world: World,
): ServiceDefinition {
  registerInternal(internals, 'signer', createSignerInternals(world));
  addTaggingProvider(internals, (accountId, region) =>
    Object.values(signerSlice(world).profiles[accountId]?.[region] ?? {}).map((p) => ({
      arn: p.arn,
      resourceType: 'signer:signing-profile',
      tags: { ...p.tags },
    })),
  );
  const latencyMs = Math.max(0, options.signerJobLatencyMs ?? 0);
  return {
    signingName: 'signer',
    eventSource: 'signer.amazonaws.com',
    protocol: 'restJson1',
    defaultBucket: 'signer:all',
    renderError: (error, req) => renderRestJsonError(error, req.requestId),
    throttleError: (retryAfterSeconds) =>
      new AwsError('TooManyRequestsException', 429, 'Rate exceeded', {
        headers: { 'retry-after': String(retryAfterSeconds) },
      }),
    accessDenied,
    unrecognizedClient: () =>
      new AwsError(
        'UnrecognizedClientException',
        403,
        'The security token included in the request is invalid.',
      ),
    resolve(req): ResolvedOperation {
      const spec = resolveSpec(req, latencyMs);
      // Signer's quotas are per API (values unpublished, spec §5): one bucket per operation.
      return { ...spec, quotaBucket: `signer:${spec.name}` };
    },
  };
}
