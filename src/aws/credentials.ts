// Credentials for long scans: member-account sessions that refresh themselves (AssumeRole via the SDK's
// fromTemporaryCredentials), shared by every client of an account, and renewed when AWS rejects them as
// expired even if the local clock disagrees. Named profiles for --profile.
import { fromIni, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Pluggable } from '@smithy/types';

/** Renew this long before the session's own expiry. */
export const REFRESH_BEFORE_MS = 5 * 60_000;

/** Errors that mean "these credentials are no longer accepted": refresh once and try again. */
export const REJECTED_CREDENTIALS = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
]);

/** A provider that can be told its credentials were rejected. */
export interface RefreshableProvider extends AwsCredentialIdentityProvider {
  /** Forget the current session so the next call fetches a new one; false when it cannot refresh. */
  invalidate(): boolean;
}

export function isRefreshable(value: unknown): value is RefreshableProvider {
  return (
    typeof value === 'function' && typeof (value as Partial<RefreshableProvider>).invalidate === 'function'
  );
}

/**
 * Caches a session provider's result and renews it before it expires or when invalidated. Every SDK
 * client memoizes credentials by itself (by the local clock): the identity handed out is marked as due
 * for renewal so clients ask again on every request — a cheap cached answer here — and a session that
 * AWS already considers expired (clock skew, a suspended laptop) is replaced as soon as it is rejected.
 */
export function refreshing(
  fetch: AwsCredentialIdentityProvider,
  now = () => Date.now(),
): RefreshableProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  let expiresAt = 0;
  const get = async (): Promise<AwsCredentialIdentity> => {
    if (!current || (expiresAt && expiresAt - now() < REFRESH_BEFORE_MS)) {
      const pending = fetch();
      current = pending;
      pending.then(
        (identity) => {
          expiresAt = identity.expiration?.getTime() ?? 0;
        },
        () => {
          // A failed fetch is not cached: the next request tries again.
          if (current === pending) current = undefined;
        },
      );
    }
    const identity = await current;
    return { ...identity, expiration: new Date(now()) };
  };
  return Object.assign(get, {
    invalidate(): boolean {
      current = undefined;
      expiresAt = 0;
      return true;
    },
  });
}

export interface AssumedRoleOptions {
  roleArn: string;
  sessionName: string;
  durationSeconds: number;
  /** Credentials that call AssumeRole (undefined = the SDK's default chain). */
  base?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  region: string;
  endpoint?: string;
  /** Client settings shared with Signet's own clients (timeouts, attempts). */
  requestHandler?: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: boolean };
  maxAttempts?: number;
  /** Plugins for the SDK's STS client (Signet's declared-call guard and call records: `ClientFactory.plugin`). */
  clientPlugins?: Pluggable<object, object>[];
}

/** A member-account session that renews itself for as long as the scan runs. */
export function assumedRole(options: AssumedRoleOptions): RefreshableProvider {
  return refreshing(
    fromTemporaryCredentials({
      params: {
        RoleArn: options.roleArn,
        RoleSessionName: options.sessionName,
        DurationSeconds: options.durationSeconds,
      },
      ...(options.base ? { masterCredentials: options.base } : {}),
      clientConfig: {
        region: options.region,
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        ...(options.requestHandler ? { requestHandler: options.requestHandler } : {}),
        ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
      },
      ...(options.clientPlugins ? { clientPlugins: options.clientPlugins } : {}),
    }),
  );
}

/** Credentials of a named profile in ~/.aws/credentials and ~/.aws/config (`signet scan --profile`). */
export function profileCredentials(profile: string): AwsCredentialIdentityProvider {
  return fromIni({ profile });
}
