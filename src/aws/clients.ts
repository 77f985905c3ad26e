// The only place that builds AWS SDK clients: endpoint override, credentials per account, adaptive
// retry, client-side pacing at AWS's per-account/region quotas, call counting, and a guard that
// refuses any call the command did not declare (least privilege is enforced, not just documented).
import { AccountClient } from '@aws-sdk/client-account';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { S3Client } from '@aws-sdk/client-s3';
import { SignerClient } from '@aws-sdk/client-signer';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Pluggable } from '@smithy/types';
import { isSignetError, SignetError } from '../errors.js';
import { type ApiCall, declaredKey } from './calls.js';
import { assumedRole, isRefreshable, REJECTED_CREDENTIALS, type RefreshableProvider } from './credentials.js';

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/** AWS's request-rate quotas (per account and region) that Signet paces itself to. */
export const QUOTA_RATES: Record<string, number> = {
  'lambda:GetFunction': 100,
  'lambda:GetPolicy': 15,
  'lambda:control': 15,
  'cloudtrail:LookupEvents': 2,
};

export function quotaBucket(service: string, operation: string): string | undefined {
  if (service === 'lambda') {
    if (operation === 'GetFunction') return 'lambda:GetFunction';
    if (operation === 'GetPolicy') return 'lambda:GetPolicy';
    return 'lambda:control';
  }
  if (service === 'cloudtrail' && operation === 'LookupEvents') return 'cloudtrail:LookupEvents';
  return undefined;
}

/**
 * Share of a quota Signet uses: AWS's bucket and ours drift apart by network latency, so pacing at exactly
 * the quota still draws occasional throttles (and the SDK's back-off costs more than the margin).
 */
export const PACING_MARGIN = 0.95;

/**
 * Share of one second's calls Signet sends at once (its bucket's capacity). AWS's bucket holds a full
 * second, so the rest is slack: calls that reach AWS bunched together — our event loop or the network ran
 * late and then caught up — are absorbed instead of throttled. Costs at most half a second per scan.
 */
export const PACING_BURST = 0.5;

/** Time as the limiter sees it; tests pass a virtual clock whose timers fire late. */
export interface PacingClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const REAL_CLOCK: PacingClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * A token bucket per (account, region, quota) that makes callers wait instead of being throttled. Tokens
 * accrue for the time that actually elapsed (a timer that fires late does not lose or invent tokens), and
 * the bucket holds only PACING_BURST of a second's worth.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number; queue: Promise<void> }>();

  constructor(
    private readonly scale = 1,
    private readonly clock: PacingClock = REAL_CLOCK,
  ) {}

  async take(key: string, rate: number): Promise<void> {
    const perSecond = rate * this.scale * PACING_MARGIN;
    const capacity = Math.max(1, perSecond * PACING_BURST);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: capacity, updatedAt: this.clock.now(), queue: Promise.resolve() };
      this.buckets.set(key, bucket);
    }
    const state = bucket;
    // Serialise waiters so tokens are handed out in order.
    const turn = state.queue.then(async () => {
      for (;;) {
        const now = this.clock.now();
        state.tokens = Math.min(
          capacity,
          state.tokens + (Math.max(0, now - state.updatedAt) / 1000) * perSecond,
        );
        state.updatedAt = now;
        if (state.tokens >= 1) {
          state.tokens -= 1;
          return;
        }
        await this.clock.sleep(Math.ceil(((1 - state.tokens) / perSecond) * 1000));
      }
    });
    state.queue = turn;
    await turn;
  }
}

export interface CallRecord {
  service: string;
  operation: string;
  accountId: string;
  region: string;
}

export interface ClientFactoryOptions {
  /** Endpoint override (the sandbox); undefined = AWS's own endpoints. */
  endpoint?: string;
  /** Calls this command may make. */
  declared: readonly ApiCall[];
  limiter?: RateLimiter;
  /** Called once per API call attempt made (after pacing). */
  onCall?: (call: CallRecord) => void;
  /** Called when AWS answers with throttling (the SDK then retries). */
  onThrottle?: (call: CallRecord) => void;
  maxAttempts?: number;
  /** Time to establish a connection (default 5 s). */
  connectionTimeoutMs?: number;
  /** Longest a request may wait without the socket seeing any data (default 60 s). */
  requestTimeoutMs?: number;
}

/** Node HTTP handler settings every Signet client uses. */
export interface RequestHandlerSettings {
  connectionTimeout: number;
  requestTimeout: number;
  throwOnRequestTimeout: boolean;
}

export const DEFAULT_CONNECTION_TIMEOUT_MS = 5_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export class UndeclaredCallError extends SignetError {
  constructor(service: string, operation: string) {
    super(
      'UNDECLARED_CALL',
      `internal error: ${service}:${operation} is not declared for this command (src/aws/calls.ts)`,
    );
    this.name = 'UndeclaredCallError';
  }
}

/** Brand check (not `name`, which subclasses and bundling change). */
export function isUndeclaredCallError(err: unknown): err is UndeclaredCallError {
  return isSignetError(err) && err.code === 'UNDECLARED_CALL';
}

interface Target {
  accountId: string;
  region: string;
  credentials: Credentials;
}

type AnyClient = { middlewareStack: { use: (pluggable: never) => void }; destroy(): void };

const THROTTLING = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'ThrottledException',
  'Throttling',
  'SlowDown',
]);

export class ClientFactory {
  private readonly declared: ReadonlySet<string>;
  private readonly clients: AnyClient[] = [];

  constructor(private readonly options: ClientFactoryOptions) {
    this.declared = new Set(options.declared.map((c) => declaredKey(c.service, c.operation)));
  }

  /** Paced services use standard retries; adaptive mode would also slow our own pacing after a throttle. */
  private common(target: Target, retryMode: 'standard' | 'adaptive' = 'adaptive') {
    return {
      region: target.region,
      credentials: target.credentials,
      retryMode,
      maxAttempts: this.options.maxAttempts ?? 8,
      // A hung endpoint (a stopped process, a black-holed network) must become a retried failure and
      // then a collection error, never a scan that waits forever.
      requestHandler: this.requestHandler(),
      ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
    };
  }

  /**
   * A member account's session: AssumeRole into `roleName` with the caller's credentials, refreshing itself
   * for as long as the command runs (a scan or a watch outlives the one-hour session). Its STS client has
   * the factory's endpoint, timeouts, attempts and middleware (declared calls, call records).
   */
  memberSession(
    caller: Target,
    member: { accountId: string; partition: string; roleName: string; sessionName: string },
  ): RefreshableProvider {
    return assumedRole({
      roleArn: `arn:${member.partition}:iam::${member.accountId}:role/${member.roleName}`,
      sessionName: member.sessionName,
      durationSeconds: 3600,
      ...(caller.credentials ? { base: caller.credentials } : {}),
      region: caller.region,
      ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
      requestHandler: this.requestHandler(),
      ...(this.options.maxAttempts ? { maxAttempts: this.options.maxAttempts } : {}),
      clientPlugins: [this.plugin('sts', { ...caller, accountId: member.accountId, region: 'global' })],
    });
  }

  /** Timeouts every client uses (also the AssumeRole client behind refreshing member sessions). */
  requestHandler(): RequestHandlerSettings {
    return {
      connectionTimeout: this.options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
      requestTimeout: this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      // Without this the SDK only logs a warning when the timeout passes and keeps waiting.
      throwOnRequestTimeout: true,
    };
  }

  /**
   * Signet's middleware — the declared-call guard, pacing, call and throttle records, renewal of rejected
   * sessions — as an SDK plugin, for every client the factory builds and for the STS client the SDK builds
   * inside a refreshing AssumeRole session (`assumedRole`'s `clientPlugins`).
   */
  plugin(service: string, target: Target): Pluggable<object, object> {
    // The SDK applies a credential provider's client plugins again at every refresh, to the same client.
    const applied = new WeakSet<object>();
    return {
      applyToStack: (stack) => {
        if (applied.has(stack)) return;
        applied.add(stack);
        this.applyMiddleware(stack, service, target);
      },
    };
  }

  private instrument<C extends AnyClient>(client: C, service: string, target: Target): C {
    client.middlewareStack.use(this.plugin(service, target) as never);
    this.clients.push(client);
    return client;
  }

  private applyMiddleware(middlewareStack: unknown, service: string, target: Target): void {
    const { limiter, onCall, onThrottle } = this.options;
    const record = (operation: string): CallRecord => ({
      service,
      operation,
      accountId: target.accountId,
      region: target.region,
    });
    const stack = middlewareStack as {
      add: (mw: unknown, options: { step: string; name: string; priority?: string }) => void;
    };
    stack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
        async (args: unknown) => {
          const operation = (context.commandName ?? '').replace(/Command$/, '');
          if (!this.declared.has(declaredKey(service, operation)))
            throw new UndeclaredCallError(service, operation);
          try {
            return await next(args);
          } catch (err) {
            // A session AWS rejects as expired is renewed once and the call made again (outside the
            // SDK's retries, so the new credentials are resolved and signed afresh).
            const name = (err as { name?: string }).name ?? '';
            if (
              REJECTED_CREDENTIALS.has(name) &&
              isRefreshable(target.credentials) &&
              target.credentials.invalidate()
            )
              return next(args);
            throw err;
          }
        },
      { step: 'initialize', name: 'signetDeclaredCalls' },
    );
    stack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
        async (args: unknown) => {
          const operation = (context.commandName ?? '').replace(/Command$/, '');
          const bucket = quotaBucket(service, operation);
          if (limiter && bucket)
            await limiter.take(`${target.accountId}|${target.region}|${bucket}`, QUOTA_RATES[bucket]!);
          onCall?.(record(operation));
          try {
            return await next(args);
          } catch (err) {
            const name = (err as { name?: string }).name ?? '';
            if (THROTTLING.has(name)) onThrottle?.(record(operation));
            throw err;
          }
        },
      // Inside the retry middleware, so every attempt is paced and counted.
      { step: 'finalizeRequest', name: 'signetPacing', priority: 'low' },
    );
  }

  lambda(target: Target): LambdaClient {
    return this.instrument(new LambdaClient(this.common(target, 'standard')), 'lambda', target);
  }

  signer(target: Target): SignerClient {
    return this.instrument(
      new SignerClient({ ...this.common(target), disableHostPrefix: Boolean(this.options.endpoint) }),
      'signer',
      target,
    );
  }

  tagging(target: Target): ResourceGroupsTaggingAPIClient {
    return this.instrument(new ResourceGroupsTaggingAPIClient(this.common(target)), 'tagging', target);
  }

  sts(target: Target): STSClient {
    return this.instrument(new STSClient(this.common(target)), 'sts', target);
  }

  organizations(target: Target): OrganizationsClient {
    return this.instrument(new OrganizationsClient(this.common(target)), 'organizations', target);
  }

  /** LookupEvents is paced at CloudTrail's 2 requests/s per account-region (QUOTA_RATES). */
  cloudtrail(target: Target): CloudTrailClient {
    return this.instrument(new CloudTrailClient(this.common(target, 'standard')), 'cloudtrail', target);
  }

  sns(target: Target): SNSClient {
    return this.instrument(new SNSClient(this.common(target)), 'sns', target);
  }

  /** Path-style against an endpoint override (the sandbox serves no virtual-hosted buckets). */
  s3(target: Target): S3Client {
    return this.instrument(
      new S3Client({ ...this.common(target), forcePathStyle: Boolean(this.options.endpoint) }),
      's3',
      target,
    );
  }

  account(target: Target): AccountClient {
    return this.instrument(new AccountClient(this.common(target)), 'account', target);
  }

  iam(target: Target): IAMClient {
    return this.instrument(new IAMClient(this.common(target)), 'iam', target);
  }

  destroy(): void {
    for (const client of this.clients.splice(0)) client.destroy();
  }
}
