// The sandbox endpoint: one HTTP port, requests routed by the SigV4 credential scope's service name,
// then authenticated, rate-limited, authorized, handled and recorded in CloudTrail.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsError, isAwsError } from './errors.js';
import {
  emptyResponse,
  jsonResponse,
  newRequestId,
  parseCredential,
  type SandboxRequest,
  type SandboxResponse,
  splitPath,
} from './http.js';
import { evaluatePolicies } from './iam-policy.js';
import type { Principal } from './identity.js';
import {
  createUserWithKey,
  emptyAccount,
  identityPolicies,
  permissionsBoundary,
  principalFromKey,
} from './identity.js';
import { GLOBAL_SERVICE_REGION, type Partition, partitionOfRegion } from './partition.js';
import { writeFileAtomic } from './persist.js';
import { DEFAULT_QUOTAS, QuotaKeeper, type QuotaOptions } from './quotas.js';
import { globalConditionKeys, scpDecision } from './scp.js';
import type { HandlerResult, Internals, OperationContext, ServiceDefinition } from './service.js';
import {
  authMode,
  presentedSessionToken,
  type SignatureVerdict,
  verifyRequest,
  withoutAuthParams,
} from './sigv4.js';
import { recordEvent } from './trail.js';
import { createEmptyWorld, partitionOf, WORLD_SCHEMA_VERSION, type World } from './world.js';

export const MANAGEMENT_ACCOUNT_ID = '111111111111';
/** Well-known bootstrap credentials of the management account's `admin` user (sandbox only). */
export const BOOTSTRAP_CREDENTIALS = {
  accessKeyId: 'AKIASANDBOXADMIN0001',
  secretAccessKey: 'sandbox/secret/admin/0000000000000000000',
} as const;
export const DEFAULT_REGION = 'us-east-1';

const GLOBAL_SERVICES = new Set(['iam', 'organizations']);

export interface SandboxOptions {
  port?: number;
  host?: string;
  quotas?: Partial<QuotaOptions>;
  /** Persist state to this file (loaded at start when it exists, written after every change). */
  stateFile?: string;
  /**
   * The AWS partition the sandbox plays (default `aws`): ARNs are `arn:<partition>:…`, ListRegions lists
   * the partition's regions, and a request signed for a region of another partition is refused.
   */
  partition?: Partition;
  /** Called for every operation the sandbox does not implement, and for other notable events. */
  log?: (message: string) => void;
  /** Verify SigV4 header signatures against the access key's secret (default true). */
  verifySignatures?: boolean;
  /** Signer: keep new signing jobs `InProgress` this long before they complete (default 0: at once). */
  signerJobLatencyMs?: number;
  /**
   * Lambda: an UpdateFunctionCode/UpdateFunctionConfiguration stays `LastUpdateStatus: InProgress` for this
   * many reads of the function (GetFunction, GetFunctionConfiguration) and answers further writes with
   * ResourceConflictException meanwhile (default 0: Successful at once).
   */
  lambdaUpdateReads?: number;
  /**
   * The sandbox's time source, epoch ms (default `Date.now`). Tests pass a virtual clock so quota
   * refills and signing-job latency follow events, not wall time. `/_sandbox/clock` offsets it.
   */
  clock?: () => number;
  /** Largest AWS API request body accepted, bytes (default {@link MAX_API_BODY_BYTES}). */
  maxBodyBytes?: number;
}

/** Lambda's documented request payload limit (RequestEntityTooLargeException above it), for every API. */
export const MAX_API_BODY_BYTES = 69_905_067;
/** `/_sandbox/*` control endpoints take small JSON bodies only. */
export const MAX_CONTROL_BODY_BYTES = 64 * 1024;

export interface CallStat {
  service: string;
  operation: string;
  accountId: string;
  region: string;
  count: number;
  throttled: number;
  errors: number;
}

/**
 * Builds a service. `world` is the sandbox's one world object (it is never replaced), so internals
 * registered for other services (S3 objects, Signer's package check) can read state outside a request.
 */
export type ServiceFactory = (
  internals: Internals,
  options: SandboxOptions,
  world: World,
) => ServiceDefinition;

export class Sandbox {
  readonly world: World;
  readonly internals: Internals = {};
  private readonly services = new Map<string, ServiceDefinition>();
  private quotas: QuotaKeeper;
  private quotaOptions: QuotaOptions;
  private readonly stats = new Map<string, CallStat>();
  private server: Server | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private readonly log: (message: string) => void;

  constructor(
    factories: ServiceFactory[],
    private readonly options: SandboxOptions = {},
  ) {
    this.log = options.log ?? (() => {});
    this.quotaOptions = { ...DEFAULT_QUOTAS, ...options.quotas };
    this.quotas = new QuotaKeeper(this.quotaOptions);
    this.world = options.stateFile
      ? loadWorld(options.stateFile, options.partition)
      : bootstrapWorld(options.partition);
    for (const factory of factories) {
      const service = factory(this.internals, options, this.world);
      this.services.set(service.signingName, service);
    }
  }

  now(): number {
    return (this.options.clock ?? Date.now)() + this.world.clockOffsetMs;
  }

  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      this.onRequest(req, res).catch((err: unknown) => {
        this.log(
          `sandbox: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        );
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'sandbox internal error' }));
      });
    });
    server.keepAliveTimeout = 5000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    return this.endpoint;
  }

  get endpoint(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('sandbox is not listening');
    return `http://${this.options.host ?? '127.0.0.1'}:${address.port}`;
  }

  async close(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    }
    const server = this.server;
    this.server = undefined;
    try {
      this.save();
    } finally {
      // Stop listening even when the state cannot be written; the error still reaches the caller.
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    }
  }

  /** Writes the state file now (no-op without `stateFile`). */
  save(): void {
    if (this.options.stateFile) writeFileAtomic(this.options.stateFile, JSON.stringify(this.world));
  }

  /** Changes the request-rate quotas at run time (benchmarks seed fast, then scan at AWS's rates). */
  setQuotas(options: Partial<QuotaOptions>): void {
    this.quotaOptions = { ...this.quotaOptions, ...options };
    this.quotas = new QuotaKeeper(this.quotaOptions);
  }

  /** API-call counters by service/operation/account/region, for benchmarks and tests. */
  callStats(): CallStat[] {
    return [...this.stats.values()].map((s) => ({ ...s }));
  }

  resetCallStats(): void {
    this.stats.clear();
  }

  /** How long the last state write took (ms): later writes wait in proportion. */
  private lastSaveMs = 0;

  private scheduleSave(): void {
    if (!this.options.stateFile || this.saveTimer) return;
    // Writes batch changes: 100 ms after the first, or longer when the world has grown so big that a write
    // takes a while (a write never takes more than a fifth of the time, e.g. while seeding 10,000 functions).
    this.saveTimer = setTimeout(
      () => {
        this.saveTimer = undefined;
        const started = performance.now();
        this.save();
        this.lastSaveMs = performance.now() - started;
      },
      Math.max(100, this.lastSaveMs * 4),
    );
    this.saveTimer.unref();
  }

  private count(
    service: string,
    operation: string,
    accountId: string,
    region: string,
    kind: 'ok' | 'throttled' | 'error',
  ): void {
    const key = `${service}|${operation}|${accountId}|${region}`;
    let stat = this.stats.get(key);
    if (!stat) {
      stat = { service, operation, accountId, region, count: 0, throttled: 0, errors: 0 };
      this.stats.set(key, stat);
    }
    stat.count += 1;
    if (kind === 'throttled') stat.throttled += 1;
    if (kind === 'error') stat.errors += 1;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.local');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const control = url.pathname.startsWith('/_sandbox/');
    const limit = control ? MAX_CONTROL_BODY_BYTES : (this.options.maxBodyBytes ?? MAX_API_BODY_BYTES);
    const declared = Number(headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    if (declared > limit) {
      // Refuse before reading: the connection closes rather than take a body we will not keep.
      this.writeResponse(req, res, this.tooLarge(headers, url, control, limit), true);
      return;
    }
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      // Beyond the limit the rest is read and dropped (memory stays bounded), then refused.
      if (size <= limit) chunks.push(chunk as Buffer);
    }
    if (size > limit) {
      this.writeResponse(req, res, this.tooLarge(headers, url, control, limit), true);
      return;
    }
    const request: SandboxRequest = {
      method: req.method ?? 'GET',
      rawPath: url.pathname,
      segments: splitPath(url.pathname),
      query: url.searchParams,
      headers,
      body: Buffer.concat(chunks),
      credential: parseCredential(headers, url.searchParams),
      requestId: newRequestId(),
      userAgent: headers['user-agent'] ?? 'unknown',
    };
    const response = await this.dispatch(request);
    this.writeResponse(req, res, response, false, request.requestId);
  }

  private writeResponse(
    req: IncomingMessage,
    res: ServerResponse,
    response: SandboxResponse,
    close: boolean,
    requestId = newRequestId(),
  ): void {
    const head = req.method === 'HEAD';
    const body = typeof response.body === 'string' ? Buffer.from(response.body) : response.body;
    res.writeHead(response.status, {
      'x-amzn-requestid': requestId,
      ...response.headers,
      ...(head && response.headers['content-length'] ? {} : { 'content-length': String(body.length) }),
      ...(close ? { connection: 'close' } : {}),
    });
    res.end(head ? undefined : body);
  }

  /** 413 in the shape of the addressed service (Lambda's RequestEntityTooLargeException, S3's EntityTooLarge). */
  private tooLarge(
    headers: Record<string, string>,
    url: URL,
    control: boolean,
    limit: number,
  ): SandboxResponse {
    const message = `Request must be smaller than ${limit} bytes${control ? ' for sandbox control endpoints' : ''}.`;
    const service = control
      ? undefined
      : this.services.get(parseCredential(headers, url.searchParams)?.service ?? '');
    const error =
      service?.protocol === 'restXml'
        ? new AwsError('EntityTooLarge', 413, message, { fields: { MaxSizeAllowed: limit } })
        : new AwsError('RequestEntityTooLargeException', 413, message, { messageKey: 'message' });
    if (!service)
      return jsonResponse(413, { message }, { 'x-amzn-errortype': 'RequestEntityTooLargeException' });
    const requestId = newRequestId();
    return service.renderError(error, {
      method: 'POST',
      rawPath: url.pathname,
      segments: [],
      query: url.searchParams,
      headers,
      body: Buffer.alloc(0),
      credential: undefined,
      requestId,
      userAgent: headers['user-agent'] ?? 'unknown',
    });
  }

  /** Handles one request; exposed for in-process use and tests. */
  async dispatch(req: SandboxRequest): Promise<SandboxResponse> {
    if (req.rawPath.startsWith('/_sandbox/')) return this.admin(req);
    const credential = req.credential;
    if (!credential) {
      return jsonResponse(
        403,
        { message: 'Missing Authentication Token' },
        { 'x-amzn-errortype': 'MissingAuthenticationTokenException' },
      );
    }
    const service = this.services.get(credential.service);
    if (!service) {
      this.log(`sandbox: unsupported service '${credential.service}' (${req.method} ${req.rawPath})`);
      return jsonResponse(
        400,
        { message: `The sandbox does not implement the service '${credential.service}'.` },
        { 'x-amzn-errortype': 'UnknownOperationException' },
      );
    }
    const partition = partitionOf(this.world);
    const region = GLOBAL_SERVICES.has(service.signingName)
      ? GLOBAL_SERVICE_REGION[partition]
      : credential.region;
    // Partitions are separate clouds: a key signed for another partition's region is unknown there.
    const key =
      partitionOfRegion(credential.region) === partition
        ? this.world.accessKeys[credential.accessKeyId]
        : undefined;
    // A temporary key presented with its own token after it expired: AWS says so (ExpiredToken…), and
    // SDK credential providers that refresh on that error (Signet's sessions do) can recover.
    if (
      key?.status === 'Active' &&
      key.expiresAt !== undefined &&
      key.expiresAt <= this.now() &&
      presentedSessionToken(req) === key.sessionToken
    )
      return service.renderError(expiredToken(service.unrecognizedClient()), req);
    const caller =
      key && key.status === 'Active' && (key.expiresAt === undefined || key.expiresAt > this.now())
        ? principalFromKey(this.world, key)
        : undefined;
    if (!caller || !key) return service.renderError(service.unrecognizedClient(), req);
    // The session token is checked whatever the signature setting: a temporary key without its token,
    // or a long-term key with any token, is refused as AWS does ("The security token included in the
    // request is invalid").
    if (presentedSessionToken(req) !== key.sessionToken)
      return service.renderError(service.unrecognizedClient(), req);
    const mode = authMode(req);
    if (mode === 'both' || (mode === 'query' && this.options.verifySignatures === false)) {
      // In-process tools that turn verification off sign in headers; an unchecked presigned URL would
      // be a forgery that is never checked, so it is refused instead.
      return service.renderError(signatureError(service, 'incomplete', authConflictMessage(mode)), req);
    }
    if (this.options.verifySignatures !== false) {
      const verdict = verifyRequest(req, key.secretAccessKey, this.now());
      if (!verdict.ok)
        return service.renderError(signatureError(service, verdict.reason, verdict.message), req);
    }
    // Handlers (and so CloudTrail's requestParameters) never see a presigned URL's auth parameters.
    if (mode === 'query') req = { ...req, query: withoutAuthParams(req.query) };

    let operation: ReturnType<ServiceDefinition['resolve']>;
    try {
      operation = service.resolve(req);
    } catch (err) {
      if (isAwsError(err)) {
        if (
          err.code === 'UnknownOperationException' ||
          err.code === 'InvalidAction' ||
          err.code === 'NotImplemented'
        ) {
          this.log(
            `sandbox: unsupported operation ${service.signingName} ${req.method} ${req.rawPath}${req.headers['x-amz-target'] ? ` (${req.headers['x-amz-target']})` : ''}`,
          );
        }
        this.count(service.signingName, 'Unknown', caller.accountId, region, 'error');
        return service.renderError(err, req);
      }
      throw err;
    }

    const bucket = operation.quotaBucket ?? service.defaultBucket;
    // Buckets refill on the sandbox clock, so a virtual clock (tests) or /_sandbox/clock drives them.
    const wait = this.quotas.take(caller.accountId, region, bucket, this.now());
    if (wait > 0) {
      this.count(service.signingName, operation.name, caller.accountId, region, 'throttled');
      return service.renderError(service.throttleError(Math.max(1, Math.ceil(wait))), req);
    }

    let authorized = operation.action === null;
    const recipients = [caller.accountId];
    const ctx: OperationContext = {
      req,
      caller,
      region,
      world: this.world,
      now: () => this.now(),
      internals: this.internals,
      log: this.log,
      authorize: (resource = '*', conditions = {}, action = operation.action ?? undefined) => {
        if (!action) throw new Error(`${operation.name} declares no IAM action to authorize`);
        authorized = true;
        const resourceAccount = /^arn:aws(?:-cn|-us-gov)?:[^:]+:[^:]*:(\d{12}):/.exec(resource)?.[1];
        if (resourceAccount && resourceAccount !== caller.accountId) recipients.push(resourceAccount);
        const context = { ...globalConditionKeys(caller), ...conditions };
        // Member accounts are bounded by their organization's SCPs before identity policies count.
        const scp = scpDecision(this.world, caller, action, resource, context);
        if (scp !== undefined && scp !== 'allow') {
          throw service.accessDenied(
            `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} with an ${scp === 'explicit-deny' ? 'explicit deny' : 'implicit deny'} in a service control policy`,
          );
        }
        let decision = evaluatePolicies(identityPolicies(this.world, caller), action, resource, context);
        // A permissions boundary caps identity-based grants (AWS "Permissions boundaries for IAM entities").
        const boundary = permissionsBoundary(this.world, caller);
        if (boundary && decision === 'allow') {
          const capped = evaluatePolicies([boundary], action, resource, context);
          if (capped !== 'allow') decision = capped;
        }
        if (decision !== 'allow') {
          const why =
            decision === 'explicit-deny'
              ? `with an explicit deny in an identity-based policy`
              : `because no identity-based policy allows the ${action} action`;
          throw service.accessDenied(
            `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}`,
          );
        }
      },
    };

    let result: HandlerResult | undefined;
    let error: AwsError | undefined;
    try {
      result = await operation.handler(ctx);
      if (!authorized)
        throw new Error(`sandbox bug: ${service.signingName}:${operation.name} never called authorize()`);
    } catch (err) {
      if (!isAwsError(err)) throw err;
      error = err;
    }
    this.count(service.signingName, operation.name, caller.accountId, region, error ? 'error' : 'ok');
    if (!operation.dataEvent)
      recordEvent(this.world, {
        caller,
        accountIds: recipients,
        region,
        eventSource: service.eventSource,
        eventName: operation.eventName ?? operation.name,
        readOnly: operation.readOnly,
        time: this.now(),
        requestId: req.requestId,
        userAgent: req.userAgent,
        requestParameters:
          result?.requestParameters ??
          (operation.failedRequestParameters
            ? operation.failedRequestParameters()
            : defaultRequestParameters(req)),
        responseElements: error ? null : (result?.responseElements ?? null),
        ...(result?.additionalEventData ? { additionalEventData: result.additionalEventData } : {}),
        resources: result?.resources ?? [],
        ...(error ? { errorCode: error.code, errorMessage: error.message } : {}),
      });
    if (!operation.readOnly || error) this.scheduleSave();
    if (error) return service.renderError(error, req);
    return result!.response;
  }

  private admin(req: SandboxRequest): SandboxResponse {
    // Sandbox-only control plane (no AWS equivalent); bound to loopback with the rest of the endpoint.
    const route = `${req.method} ${req.rawPath}`;
    if (route === 'GET /_sandbox/health')
      return jsonResponse(200, { ok: true, now: new Date(this.now()).toISOString() });
    if (route === 'GET /_sandbox/stats') return jsonResponse(200, { calls: this.callStats() });
    if (route === 'GET /_sandbox/sns/messages') {
      // What SNS Publish received, so alert sinks can be checked end to end (optionally ?topicArn=).
      const messages = (this.internals.snsMessages as ((topicArn?: string) => unknown[]) | undefined)?.(
        req.query.get('topicArn') ?? undefined,
      );
      return jsonResponse(200, { messages: messages ?? [] });
    }
    if (route === 'POST /_sandbox/stats/reset') {
      this.resetCallStats();
      return jsonResponse(200, { ok: true });
    }
    if (route === 'POST /_sandbox/quotas') {
      let body: { enabled?: unknown; scale?: unknown };
      try {
        body = JSON.parse(req.body.toString('utf8') || '{}') as typeof body;
      } catch {
        return jsonResponse(400, { message: 'body must be JSON like {"enabled": true, "scale": 1}' });
      }
      if (body.enabled !== undefined && typeof body.enabled !== 'boolean')
        return jsonResponse(400, { message: 'enabled must be true or false' });
      if (body.scale !== undefined && (typeof body.scale !== 'number' || !(body.scale > 0)))
        return jsonResponse(400, { message: 'scale must be a positive number' });
      this.setQuotas({
        ...(body.enabled !== undefined ? { enabled: body.enabled as boolean } : {}),
        ...(body.scale !== undefined ? { scale: body.scale as number } : {}),
      });
      return jsonResponse(200, { ok: true });
    }
    if (route === 'POST /_sandbox/clock') {
      let body: { advanceMs?: unknown; offsetMs?: unknown };
      try {
        body = JSON.parse(req.body.toString('utf8') || '{}') as { advanceMs?: unknown; offsetMs?: unknown };
      } catch {
        return jsonResponse(400, {
          message: 'body must be JSON like {"advanceMs": 86400000} or {"offsetMs": -86400000}',
        });
      }
      if (typeof body.offsetMs === 'number' && Number.isFinite(body.offsetMs)) {
        // Seeds set the clock in the past to build history (old deployments, expiring signatures).
        this.world.clockOffsetMs = body.offsetMs;
      } else if (
        typeof body.advanceMs === 'number' &&
        Number.isFinite(body.advanceMs) &&
        body.advanceMs >= 0
      ) {
        this.world.clockOffsetMs += body.advanceMs;
      } else {
        return jsonResponse(400, {
          message: 'pass advanceMs (a non-negative number) or offsetMs (a number) in milliseconds',
        });
      }
      this.scheduleSave();
      return jsonResponse(200, { now: new Date(this.now()).toISOString() });
    }
    return emptyResponse(404);
  }
}

function authConflictMessage(mode: string): string {
  return mode === 'both'
    ? 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.'
    : 'This sandbox verifies no signatures (verifySignatures: false), so it accepts only header-signed requests, not presigned URLs.';
}

/** The service's own error for a signature that fails, in the shape its protocol uses. */
function signatureError(
  service: ServiceDefinition,
  reason: Exclude<SignatureVerdict, { ok: true }>['reason'],
  message: string,
): AwsError {
  const query = service.protocol === 'query';
  if (service.protocol === 'restXml') {
    // S3: AuthorizationQueryParametersError (400), AccessDenied "Request has expired" (403), SignatureDoesNotMatch (403).
    if (reason === 'incomplete') return new AwsError('AuthorizationQueryParametersError', 400, message);
    if (reason === 'mismatch') return new AwsError('SignatureDoesNotMatch', 403, message);
    return new AwsError('AccessDenied', 403, message);
  }
  if (reason === 'incomplete')
    return new AwsError(query ? 'IncompleteSignature' : 'IncompleteSignatureException', 400, message);
  // Expired and not-yet-valid signatures are signature failures for every non-S3 service.
  return new AwsError(query ? 'SignatureDoesNotMatch' : 'InvalidSignatureException', 403, message);
}

function defaultRequestParameters(req: SandboxRequest): Record<string, unknown> | null {
  const params: Record<string, unknown> = {};
  for (const [k, v] of req.query) params[k] = v;
  const type = req.headers['content-type'] ?? '';
  if (req.body.length > 0 && req.body.length < 64 * 1024 && type.includes('json')) {
    try {
      const parsed = JSON.parse(req.body.toString('utf8')) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) Object.assign(params, parsed);
    } catch {
      // Not JSON: nothing more to record.
    }
  } else if (req.body.length > 0 && req.body.length < 64 * 1024 && type.includes('x-www-form-urlencoded')) {
    // Query protocol (STS, IAM), e.g. a failed call whose handler never returned its parameters:
    // CloudTrail records the members with camelCase names, without Action/Version.
    for (const [k, v] of new URLSearchParams(req.body.toString('utf8')))
      if (k !== 'Action' && k !== 'Version') params[k.charAt(0).toLowerCase() + k.slice(1)] = v;
  }
  return Object.keys(params).length ? params : null;
}

/**
 * The "token expired" error in the shape of a service's "token invalid" one: `ExpiredToken` for the Query
 * protocol (STS, IAM) and S3, `ExpiredTokenException` for the JSON protocols (Lambda, Signer, …).
 */
function expiredToken(invalid: AwsError): AwsError {
  if (invalid.code === 'InvalidAccessKeyId')
    return new AwsError('ExpiredToken', 400, 'The provided token has expired.');
  const code = invalid.code === 'InvalidClientTokenId' ? 'ExpiredToken' : 'ExpiredTokenException';
  return new AwsError(code, invalid.status, 'The security token included in the request is expired', {
    messageKey: invalid.messageKey,
  });
}

/** A fresh world: the management account with its bootstrap `admin` user (AdministratorAccess). */
export function bootstrapWorld(partition: Partition = 'aws'): World {
  const world = createEmptyWorld(partition);
  const now = Date.now();
  world.accounts[MANAGEMENT_ACCOUNT_ID] = emptyAccount(MANAGEMENT_ACCOUNT_ID, 'management', 'CREATED', now);
  createUserWithKey(
    world,
    MANAGEMENT_ACCOUNT_ID,
    'admin',
    [`arn:${partition}:iam::aws:policy/AdministratorAccess`],
    now,
    {
      ...BOOTSTRAP_CREDENTIALS,
    },
  );
  return world;
}

function loadWorld(file: string, partition: Partition | undefined): World {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return bootstrapWorld(partition);
    throw err;
  }
  let world: World;
  try {
    world = JSON.parse(text) as World;
  } catch {
    throw new Error(`sandbox state file ${file} is not valid JSON; delete it or pass another --state file`);
  }
  if (world.schemaVersion !== WORLD_SCHEMA_VERSION) {
    throw new Error(
      `sandbox state file ${file} has schema version ${String(world.schemaVersion)}, expected ${WORLD_SCHEMA_VERSION}; delete it to start fresh`,
    );
  }
  if (partition && partitionOf(world) !== partition)
    throw new Error(
      `sandbox state file ${file} holds the ${partitionOf(world)} partition, not ${partition}; pass another --state file or drop --partition`,
    );
  return world;
}

export type { Principal };
export { AwsError };
