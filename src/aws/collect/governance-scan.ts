// Runs the governance collectors for a scan beside the Lambda/Signer collection (their quotas are
// separate): IAM per account and SCPs once per organisation from the start, CloudTrail per
// account-region as soon as that account-region's resources are known. An account-region with no
// function, code signing config or signing profile has nothing for SGN-009/010/013 to judge, so its
// CloudTrail is not queried (at 2 requests/s it would cost ~5 s each for nothing).
import type { Governance } from '../../model/governance.js';
import type { CollectionError, Coverage } from '../../model/snapshot.js';
import type { ClientFactory, Credentials } from '../clients.js';
import { collectIam, collectOrganization, collectTrail, type PartResult } from './governance.js';

export interface GovernanceOptions {
  /** Query CloudTrail (SGN-009/010/013); false = `--no-cloudtrail`, those results are UNKNOWN. */
  cloudtrail?: boolean;
  /** CloudTrail window in days (LookupEvents keeps 90). */
  lookbackDays?: number;
}

interface Target {
  accountId: string;
  region: string;
  credentials: Credentials;
}

export interface GovernanceResult {
  governance: Governance;
  coverage: Coverage[];
  collectionErrors: CollectionError[];
}

/** At most `limit` tasks at once, started as they are queued. */
class Lane {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly all: Promise<void>[] = [];
  constructor(private readonly limit: number) {}
  push(task: () => Promise<void>): void {
    this.all.push(
      (async () => {
        if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
        this.running += 1;
        try {
          await task();
        } finally {
          this.running -= 1;
          this.waiting.shift()?.();
        }
      })(),
    );
  }
  async done(): Promise<void> {
    await Promise.all(this.all);
  }
}

export class GovernanceCollector {
  private readonly governance: Governance = { trailEvents: [], iam: [] };
  private readonly coverage: Coverage[] = [];
  private readonly errors: CollectionError[] = [];
  private readonly lane: Lane;
  private readonly window: { start: Date; end: Date };
  private readonly iamDone = new Set<string>();

  constructor(
    private readonly factory: ClientFactory,
    private readonly options: GovernanceOptions & { now: Date; concurrency: number; homeRegion: string },
  ) {
    this.lane = new Lane(options.concurrency);
    const days = options.lookbackDays ?? 30;
    this.window = { start: new Date(options.now.getTime() - days * 86_400_000), end: options.now };
    if (options.cloudtrail !== false)
      this.governance.window = { start: this.window.start.toISOString(), end: this.window.end.toISOString() };
  }

  private take<T>(result: PartResult<T>, keep: (value: T) => void): void {
    if (result.value !== undefined) keep(result.value);
    this.coverage.push(...result.coverage);
    this.errors.push(...result.collectionErrors);
  }

  /** SCPs, once per organisation, with the caller's credentials. */
  organization(caller: Target, accountIds: readonly string[]): void {
    this.lane.push(async () => {
      this.take(await collectOrganization(this.factory, caller, accountIds), (org) => {
        this.governance.organization = org;
      });
    });
  }

  /** An account-region whose Lambda/Signer collection finished; `busy` = it has something to judge. */
  accountRegion(target: Target, busy: boolean): void {
    if (!this.iamDone.has(target.accountId)) {
      this.iamDone.add(target.accountId);
      this.lane.push(async () => {
        this.take(await collectIam(this.factory, { ...target, region: this.options.homeRegion }), (iam) =>
          this.governance.iam.push(iam),
        );
      });
    }
    if (this.options.cloudtrail === false) {
      this.coverage.push({ ...key(target), part: 'cloudtrail', status: 'not-collected' });
      return;
    }
    if (!busy) {
      this.coverage.push({ ...key(target), part: 'cloudtrail', status: 'ok' });
      return;
    }
    this.lane.push(async () => {
      this.take(await collectTrail(this.factory, target, this.window), (events) =>
        this.governance.trailEvents.push(...events),
      );
    });
  }

  async finish(): Promise<GovernanceResult> {
    await this.lane.done();
    const g = this.governance;
    g.trailEvents.sort((a, b) =>
      a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : a.eventId < b.eventId ? -1 : 1,
    );
    g.iam.sort((a, b) => (a.accountId < b.accountId ? -1 : 1));
    return { governance: g, coverage: this.coverage, collectionErrors: this.errors };
  }
}

function key(target: Target): { accountId: string; region: string } {
  return { accountId: target.accountId, region: target.region };
}
