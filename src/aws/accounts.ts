// Entering accounts, shared by `signet scan` and `signet watch`: who the caller is (and so the partition
// every ARN Signet builds uses), and which accounts to read — the caller's, `--accounts`, or every ACTIVE
// account of the organization. Member sessions come from `ClientFactory.memberSession`.
import { paginateListAccounts } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { UsageError } from '../errors.js';
import { partitionOf, partitionOfRegion } from '../model/arn.js';
import type { ClientFactory, Credentials } from './clients.js';
import { describeError } from './errors.js';

export interface CallerTarget {
  accountId: string;
  region: string;
  credentials: Credentials;
}

export interface Caller {
  accountId: string;
  arn?: string;
  /** `aws`, `aws-cn`, `aws-us-gov`: the caller identity's, or the home region's when STS did not say. */
  partition: string;
}

/**
 * The partition every ARN Signet builds must use: the caller identity's (`arn:aws-cn:…`), or, if STS did
 * not say, the one the home region belongs to.
 */
export function partitionFor(callerArn: string | undefined, homeRegion: string): string {
  return (callerArn ? partitionOf(callerArn) : undefined) ?? partitionOfRegion(homeRegion);
}

/** GetCallerIdentity; a failure is a usage error (credentials or endpoint), not a data gap. */
export async function identifyCaller(factory: ClientFactory, base: CallerTarget): Promise<Caller> {
  let identity: { Account?: string; Arn?: string };
  try {
    identity = await factory.sts(base).send(new GetCallerIdentityCommand({}));
  } catch (err) {
    throw new UsageError(
      `cannot identify the caller (${describeError(err)}); check AWS credentials and --endpoint`,
      {
        cause: err,
      },
    );
  }
  return {
    accountId: identity.Account ?? '',
    ...(identity.Arn ? { arn: identity.Arn } : {}),
    partition: partitionFor(identity.Arn, base.region),
  };
}

/** The accounts to read: every ACTIVE account of the organization, the given ones, or the caller's. */
export async function listTargetAccounts(
  factory: ClientFactory,
  caller: CallerTarget,
  options: { org?: boolean; accounts?: readonly string[] },
): Promise<{ accountId: string; name?: string }[]> {
  if (options.org) {
    const accounts: { accountId: string; name?: string }[] = [];
    try {
      for await (const page of paginateListAccounts({ client: factory.organizations(caller) }, {})) {
        for (const a of page.Accounts ?? [])
          if (a.Id && (a.Status === undefined || a.Status === 'ACTIVE'))
            accounts.push({ accountId: a.Id, ...(a.Name ? { name: a.Name } : {}) });
      }
    } catch (err) {
      throw new UsageError(
        `--org needs Organizations ListAccounts from the management account (${describeError(err)})`,
        { cause: err },
      );
    }
    return accounts;
  }
  if (options.accounts?.length) return options.accounts.map((accountId) => ({ accountId }));
  return [{ accountId: caller.accountId }];
}
