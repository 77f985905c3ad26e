// The AWS side of the signing commands: one client factory (paced, retrying, declared calls only) and
// the caller's account and region, shared by sign, deploy and verify-artifact.
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { ApiCall } from '../aws/calls.js';
import { ClientFactory, type Credentials, RateLimiter } from '../aws/clients.js';
import { SignetError } from '../errors.js';

export interface AwsTarget {
  accountId: string;
  region: string;
  credentials: Credentials;
}

export interface SigningContext {
  factory: ClientFactory;
  target: AwsTarget;
  /** The caller's ARN (who signs and deploys), for the provenance and messages. */
  callerArn: string;
}

export interface OpenContextOptions {
  /** Endpoint override (the sandbox); undefined = AWS's own endpoints. */
  endpoint?: string;
  region: string;
  /** Undefined = the SDK's default provider chain (environment, profile, web identity, …). */
  credentials?: Credentials;
  declared: readonly ApiCall[];
  onThrottle?: () => void;
}

export async function openSigningContext(options: OpenContextOptions): Promise<SigningContext> {
  const factory = new ClientFactory({
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    declared: options.declared,
    limiter: new RateLimiter(),
    ...(options.onThrottle ? { onThrottle: options.onThrottle } : {}),
  });
  const base = {
    accountId: 'caller',
    region: options.region,
    credentials: options.credentials as Credentials,
  };
  try {
    const identity = await factory.sts(base).send(new GetCallerIdentityCommand({}));
    return {
      factory,
      target: { ...base, accountId: identity.Account ?? 'caller' },
      callerArn: identity.Arn ?? '',
    };
  } catch (err) {
    factory.destroy();
    const e = err as { name?: string; message?: string };
    throw new SignetError(
      'NO_CREDENTIALS',
      `cannot identify the caller (${e.name ?? 'Error'}: ${e.message ?? String(err)}); check AWS credentials, --region and --endpoint`,
      { cause: err },
    );
  }
}
