// Collects a Snapshot across accounts (caller, a list via AssumeRole, or the whole organization) and
// regions (given, or every enabled one), running account-regions concurrently, each at its quota.
import { type AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { type CollectionError, emptySnapshot, type Snapshot } from '../../model/snapshot.js';
import { identifyCaller, listTargetAccounts } from '../accounts.js';
import { SCAN_CALLS } from '../calls.js';
import { type CallRecord, ClientFactory, type Credentials, RateLimiter } from '../clients.js';
import { collectionErrorOf } from '../errors.js';
import { DEFAULT_CONCURRENCY, DEFAULT_ROLE_NAME } from './defaults.js';
import { GovernanceCollector, type GovernanceOptions } from './governance-scan.js';
import { collectRegion } from './region.js';

export { DEFAULT_CONCURRENCY, DEFAULT_ROLE_NAME } from './defaults.js';

export interface ScanProgress {
  onAccountRegionDone?(done: number, total: number): void;
  onFunctions?(total: number): void;
  onThrottle?(count: number): void;
  onCall?(call: CallRecord): void;
}

export interface ScanOptions {
  /** Endpoint override (the sandbox). */
  endpoint?: string;
  /** Base credentials; undefined = the SDK's default provider chain. */
  credentials?: Credentials;
  /** Region for global calls (STS, Organizations, Account). */
  homeRegion: string;
  /** Explicit accounts (AssumeRole with `roleName` into those that are not the caller's). */
  accounts?: string[];
  /** Scan every ACTIVE account of the organization. */
  org?: boolean;
  roleName?: string;
  /** Explicit regions; undefined = every enabled region of each account. */
  regions?: string[];
  /** Account-regions collected at once. */
  concurrency?: number;
  /** Pace multiplier for quotas (tests against a sandbox with scaled quotas). */
  rateScale?: number;
  /** Attempts per call, retries included (default 8). */
  maxAttempts?: number;
  /** Connection and idle-request timeouts for every client (defaults in clients.ts). */
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  now?: Date;
  progress?: ScanProgress;
  /** CloudTrail, IAM and Organizations collection for SGN-009..014 (default: all on, 30-day window). */
  governance?: GovernanceOptions;
}

const ACCOUNT_CONCURRENCY = 8;

interface Target {
  accountId: string;
  region: string;
  credentials: Credentials;
  partition: string;
}

async function pool<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await run(item);
    }
  });
  await Promise.all(workers);
}

/** Every region enabled in an account (Account ListRegions, all pages). */
export async function listEnabledRegions(account: AccountClient): Promise<string[]> {
  const regions: string[] = [];
  let token: string | undefined;
  do {
    const page = await account.send(
      new ListRegionsCommand({
        RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'],
        MaxResults: 50,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    for (const r of page.Regions ?? []) if (r.RegionName) regions.push(r.RegionName);
    token = page.NextToken;
  } while (token);
  return regions;
}

export async function collectSnapshot(options: ScanOptions): Promise<Snapshot> {
  const now = options.now ?? new Date();
  let throttles = 0;
  const factory = new ClientFactory({
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    declared: SCAN_CALLS,
    limiter: new RateLimiter(options.rateScale ?? 1),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.connectionTimeoutMs ? { connectionTimeoutMs: options.connectionTimeoutMs } : {}),
    ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    ...(options.progress?.onCall ? { onCall: options.progress.onCall } : {}),
    onThrottle: () => {
      throttles += 1;
      options.progress?.onThrottle?.(throttles);
    },
  });
  const snapshot = emptySnapshot('aws', now.toISOString());
  const errors: CollectionError[] = snapshot.collectionErrors;
  const base = {
    accountId: 'caller',
    region: options.homeRegion,
    ...(options.credentials ? { credentials: options.credentials } : {}),
  } as {
    accountId: string;
    region: string;
    credentials: Credentials;
  };
  try {
    const caller = await identifyCaller(factory, base);
    const callerAccount = caller.accountId;
    base.accountId = callerAccount;
    const partition = caller.partition;
    snapshot.partition = partition;
    const accounts = await listTargetAccounts(factory, base, options);
    snapshot.accounts = accounts;

    const roleName = options.roleName ?? DEFAULT_ROLE_NAME;
    const credentialsFor = async (accountId: string): Promise<Credentials | undefined> => {
      if (accountId === callerAccount) return base.credentials;
      // A refreshing session: a scan that outlives one AssumeRole session (an hour) renews it instead
      // of losing the account's remaining regions.
      const session = factory.memberSession(base, {
        accountId,
        partition,
        roleName,
        sessionName: 'signet-scan',
      });
      try {
        // Assume once now, so a role that does not exist is one clear collection error for the account.
        await session();
        return session;
      } catch (err) {
        errors.push({
          service: 'sts',
          operation: 'AssumeRole',
          accountId,
          region: 'global',
          ...collectionErrorOf(err),
          parts: [
            'functions',
            'codeSigningConfigs',
            'cscAttachments',
            'signingProfiles',
            'signingJobs',
            'tags',
            'versions',
            'layers',
            'cloudtrail',
            'iam',
            // Not organizationPolicies: SCPs are read from the management account, not through this role.
          ],
        });
        return undefined;
      }
    };

    const targets: Target[] = [];
    const regionSet = new Set<string>();
    // Accounts are entered concurrently (AssumeRole, ListRegions); targets keep the account order.
    const perAccount: Target[][] = accounts.map(() => []);
    await pool(
      accounts.map((a, i) => ({ ...a, i })),
      ACCOUNT_CONCURRENCY,
      async ({ accountId, i }) => {
        const credentials = await credentialsFor(accountId);
        if (credentials === undefined && accountId !== callerAccount) return;
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
            errors.push({
              service: 'account',
              operation: 'ListRegions',
              accountId,
              region: 'global',
              ...collectionErrorOf(err),
              parts: [],
            });
            regions = [options.homeRegion];
          }
        }
        for (const region of regions) {
          regionSet.add(region);
          perAccount[i]!.push({ accountId, region, credentials: credentials as Credentials, partition });
        }
      },
    );
    targets.push(...perAccount.flat());
    snapshot.regions = [...regionSet].sort();

    let done = 0;
    let functionsSeen = 0;
    // Governance data runs beside the Lambda/Signer collection: its quotas (CloudTrail 2 rps) are separate.
    const governance = new GovernanceCollector(factory, {
      ...options.governance,
      now,
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
      homeRegion: options.homeRegion,
    });
    governance.organization(
      base,
      snapshot.accounts.map((a) => a.accountId),
    );
    await pool(targets, options.concurrency ?? DEFAULT_CONCURRENCY, async (target) => {
      // CloudTrail (2 requests/s) is usually the slowest part of a busy account-region: start it as soon
      // as the region shows a function, beside its Lambda/Signer collection, not after it.
      let governed = false;
      const govern = (busy: boolean) => {
        if (governed) return;
        governed = true;
        governance.accountRegion(target, busy);
      };
      const result = await collectRegion(factory, target, now, {
        functionsSeen: (count) => {
          functionsSeen += count;
          options.progress?.onFunctions?.(functionsSeen);
          if (count > 0) govern(true);
        },
      });
      // A region whose Lambda/Signer reads failed may hold resources: query its CloudTrail too.
      govern(
        result.collectionErrors.length > 0 ||
          result.functions.length + result.codeSigningConfigs.length + result.signingProfiles.length > 0,
      );
      snapshot.functions.push(...result.functions);
      snapshot.codeSigningConfigs.push(...result.codeSigningConfigs);
      snapshot.signingProfiles.push(...result.signingProfiles);
      snapshot.signingJobs.push(...result.signingJobs);
      snapshot.layerVersions.push(...result.layerVersions);
      snapshot.coverage.push(...result.coverage);
      errors.push(...result.collectionErrors);
      done += 1;
      options.progress?.onAccountRegionDone?.(done, targets.length);
    });
    const gathered = await governance.finish();
    snapshot.governance = gathered.governance;
    snapshot.coverage.push(...gathered.coverage);
    errors.push(...gathered.collectionErrors);
    const order = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    snapshot.functions.sort(order);
    snapshot.codeSigningConfigs.sort(order);
    snapshot.signingProfiles.sort(order);
    return snapshot;
  } finally {
    factory.destroy();
  }
}
