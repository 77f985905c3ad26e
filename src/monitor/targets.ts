// The account-regions `signet watch` reads: the caller's account, `--accounts` or the whole organization
// (AssumeRole, with credentials that refresh themselves: a watch runs for days), in `--regions` or every
// enabled region. Accounts it cannot enter are reported, never silently skipped.
import { identifyCaller, listTargetAccounts } from '../aws/accounts.js';
import type { ClientFactory, Credentials } from '../aws/clients.js';
import { listEnabledRegions } from '../aws/collect/scan.js';
import { describeError } from '../aws/errors.js';

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

export async function resolveTargets(
  factory: ClientFactory,
  options: TargetOptions,
): Promise<{ targets: ResolvedTarget[]; unreachable: Unreachable[]; partition: string }> {
  const base = {
    accountId: 'caller',
    region: options.homeRegion,
    credentials: options.credentials as Credentials,
  };
  const caller = await identifyCaller(factory, base);
  const callerAccount = caller.accountId;
  const partition = caller.partition;
  base.accountId = callerAccount;
  const accounts = (await listTargetAccounts(factory, base, options)).map((a) => a.accountId);
  const targets: ResolvedTarget[] = [];
  const unreachable: Unreachable[] = [];
  for (const accountId of accounts) {
    let credentials: Credentials | undefined = options.credentials;
    if (accountId !== callerAccount) {
      const provider = factory.memberSession(base, {
        accountId,
        partition,
        roleName: options.roleName,
        sessionName: 'signet-watch',
      });
      try {
        // Enter once now, so an account we cannot enter is reported up front.
        await provider();
        credentials = provider;
      } catch (err) {
        unreachable.push({
          accountId,
          region: '*',
          error: `AssumeRole ${options.roleName}: ${describeError(err)}`,
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
        unreachable.push({
          accountId,
          region: '*',
          error: `ListRegions: ${describeError(err)}; pass --regions`,
        });
        continue;
      }
    }
    for (const region of regions) targets.push({ accountId, region, credentials });
  }
  return { targets, unreachable, partition };
}
