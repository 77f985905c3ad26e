// The contract between the dispatcher and each emulated AWS service.
import type { AwsError } from './errors.js';
import type { Protocol, SandboxRequest, SandboxResponse } from './http.js';
import type { ConditionContext } from './iam-policy.js';
import type { Principal } from './identity.js';
import type { World } from './world.js';

export interface TrailResource {
  ResourceType: string;
  ResourceName: string;
}

export interface HandlerResult {
  response: SandboxResponse;
  /** Recorded as CloudTrail `requestParameters` (defaults to the parsed request). */
  requestParameters?: Record<string, unknown> | null;
  /** Recorded as CloudTrail `responseElements` (omit for read-only calls, as AWS does). */
  responseElements?: Record<string, unknown> | null;
  /** Recorded as CloudTrail `additionalEventData`. */
  additionalEventData?: Record<string, unknown>;
  /** CloudTrail `resources` / LookupEvents `Resources`. */
  resources?: TrailResource[];
}

/** What a handler may do besides computing its answer. */
export interface OperationContext {
  req: SandboxRequest;
  caller: Principal;
  region: string;
  world: World;
  /** The sandbox clock (real time + offset), epoch ms. */
  now(): number;
  /**
   * Checks the caller's identity policies for the operation's IAM action on `resource` (default `*`),
   * throwing the service's AccessDenied error. Every operation that declares an action must call it.
   */
  authorize(resource?: string, conditions?: ConditionContext, action?: string): void;
  /** Other services' internal helpers (e.g. S3 objects for Lambda and Signer). */
  internals: Internals;
  /** The sandbox's log (stderr under `signet sandbox`), for notable events such as unsupported input. */
  log(message: string): void;
}

export interface ResolvedOperation {
  /** API operation name, e.g. `UpdateFunctionCode`. */
  name: string;
  /** CloudTrail event name when it differs (Lambda's `UpdateFunctionCode20150331v2`). */
  eventName?: string;
  /** IAM action checked by `ctx.authorize`; null when AWS does not authorize the call (GetCallerIdentity). */
  action: string | null;
  readOnly: boolean;
  /** S3 object-level calls are CloudTrail data events, not management events: not recorded. */
  dataEvent?: boolean;
  /** Quota bucket name for this operation; defaults to the service's `defaultBucket`. */
  quotaBucket?: string;
  /**
   * CloudTrail `requestParameters` when the handler fails (it returns them itself on success);
   * defaults to the parsed request. Lets a service keep path labels and drop blobs (Lambda's ZipFile).
   */
  failedRequestParameters?(): Record<string, unknown> | null;
  handler(ctx: OperationContext): Promise<HandlerResult> | HandlerResult;
}

export interface ServiceDefinition {
  /** SigV4 signing name from the credential scope (`lambda`, `signer`, `s3`, …). */
  signingName: string;
  /** CloudTrail `eventSource`. */
  eventSource: string;
  protocol: Protocol;
  /** Quota bucket used when an operation does not name one. */
  defaultBucket: string;
  /** Maps a request to an operation; throws an AwsError for unknown operations or malformed requests. */
  resolve(req: SandboxRequest): ResolvedOperation;
  renderError(error: AwsError, req: SandboxRequest): SandboxResponse;
  throttleError(retryAfterSeconds: number): AwsError;
  accessDenied(message: string): AwsError;
  /** Error for an unknown or inactive access key. */
  unrecognizedClient(): AwsError;
}

/**
 * Cross-service internals. Services register their helpers here at sandbox construction; nothing
 * outside `src/sandbox/` sees them.
 */
export interface Internals {
  [name: string]: unknown;
}
