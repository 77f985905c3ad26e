// The account-regions `signet watch` reads: the caller's account, `--accounts` or the whole organization
// (AssumeRole, with credentials that refresh themselves: a watch runs for days), in `--regions` or every
// enabled region. Accounts it cannot enter are reported, never silently skipped.
import { paginateListAccounts } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { ClientFactory, Credentials } from '../aws/clients.js';
import { listEnabledRegions } from '../aws/collect/scan.js';
import { UsageError } from '../errors.js';

export interface TargetOptions {
  homeRegion: string;
  credentials?: Credentials;
  accounts?: string[];
  org?: boolean;
  roleName: string;
  regions?: string[];
}

export interface ResolvedTarget {
  accountId: string;
  region: string;
  credentials: Credentials | undefined;
}

export interface Unreachable {
  accountId: string;
  region: string;
  error: string;
}

function describe(err: unknown): string {
  const e = err as { name?: string; message?: string };
  return `${e.name ?? 'Error'}: ${(e.message ?? String(err)).split('\n')[0]}`;
}

/** A credential provider that assumes the role again whenever the SDK finds the session expiring. */
function assumeRoleProvider(sts: STSClient, roleArn: string, sessionName: string) {
  return async (): Promise<AwsCredentialIdentity> => {
    const out = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: 3600 }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey)
      throw new Error(`AssumeRole ${roleArn} returned no credentials`);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
      ...(c.Expiration ? { expiration: c.Expiration } : {}),
    };
  };
}

export async function resolveTargets(
  factory: ClientFactory,
  options: TargetOptions,
): Promise<{ targets: ResolvedTarget[]; unreachable: Unreachable[]; partition: string }> {
  const base = {
    accountId: 'caller',
    region: options.homeRegion,
    credentials: options.credentials as Credentials,
  };
  const sts = factory.sts(base);
  let caller: { Account?: string; Arn?: string };
  try {
    caller = await sts.send(new GetCallerIdentityCommand({}));
  } catch (err) {
    throw new UsageError(
      `cannot identify the caller (${describe(err)}); check AWS credentials and --endpoint`,
      {
        cause: err,
      },
    );
  }
  const callerAccount = caller.Account ?? '';
  const partition = /^arn:([^:]+):/.exec(caller.Arn ?? '')?.[1] ?? 'aws';
  let accounts = [callerAccount];
  if (options.org) {
    accounts = [];
    try {
      for await (const page of paginateListAccounts(
        { client: factory.organizations({ ...base, accountId: callerAccount }) },
        {},
      )) {
        for (const a of page.Accounts ?? [])
          if (a.Id && (a.Status ?? 'ACTIVE') === 'ACTIVE') accounts.push(a.Id);
      }
    } catch (err) {
      throw new UsageError(
        `--org needs Organizations ListAccounts from the management account (${describe(err)})`,
        {
          cause: err,
        },
      );
    }
  } else if (options.accounts?.length) {
    accounts = options.accounts;
  }
  const targets: ResolvedTarget[] = [];
  const unreachable: Unreachable[] = [];
  for (const accountId of accounts) {
    let credentials: Credentials | undefined = options.credentials;
    if (accountId !== callerAccount) {
      const provider = assumeRoleProvider(
        sts,
        `arn:${partition}:iam::${accountId}:role/${options.roleName}`,
        'signet-watch',
      );
      try {
        // Enter once now, so an account we cannot enter is reported up front.
        await provider();
        credentials = provider;
      } catch (err) {
        unreachable.push({
          accountId,
          region: '*',
          error: `AssumeRole ${options.roleName}: ${describe(err)}`,
        });
        continue;
      }
    }
    let regions = options.regions;
    if (!regions) {
      try {
        const account = factory.account({
          accountId,
          region: options.homeRegion,
          credentials: credentials as Credentials,
        });
        regions = await listEnabledRegions(account);
      } catch (err) {
        // Watching only the home region would miss events elsewhere: say so instead.
        unreachable.push({ accountId, region: '*', error: `ListRegions: ${describe(err)}; pass --regions` });
        continue;
      }
    }
    for (const region of regions) targets.push({ accountId, region, credentials });
  }
  return { targets, unreachable, partition };
}
