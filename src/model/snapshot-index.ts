// Lookup maps over a snapshot, built once per evaluation so rules stay simple and linear.
import type {
  CodeSigningConfig,
  Coverage,
  LambdaFunction,
  LayerVersion,
  SigningJob,
  SigningProfile,
  Snapshot,
  SnapshotPart,
} from './snapshot.js';

/** Parts an IaC snapshot always has (the template is the whole truth) and parts it never has. */
const IAC_STATIC_PARTS: ReadonlySet<SnapshotPart> = new Set([
  'functions',
  'codeSigningConfigs',
  'cscAttachments',
  'tags',
  'layers',
  'signingProfiles',
]);

export class SnapshotIndex {
  readonly cscById = new Map<string, CodeSigningConfig>();
  readonly profilesById = new Map<string, SigningProfile>();
  readonly profilesByVersionArn = new Map<string, SigningProfile>();
  readonly profilesByArn = new Map<string, SigningProfile>();
  readonly jobsByArn = new Map<string, SigningJob>();
  readonly layersById = new Map<string, LayerVersion>();
  readonly functionsByCsc = new Map<string, LambdaFunction[]>();
  readonly functionsById = new Map<string, LambdaFunction>();
  readonly scannedAccounts: ReadonlySet<string>;
  private readonly coverage = new Map<string, Coverage['status']>();

  constructor(readonly snapshot: Snapshot) {
    for (const csc of snapshot.codeSigningConfigs) {
      this.cscById.set(csc.id, csc);
      if (csc.arn) this.cscById.set(csc.arn, csc);
    }
    for (const profile of snapshot.signingProfiles) {
      this.profilesById.set(profile.id, profile);
      if (profile.arn) this.profilesByArn.set(profile.arn, profile);
      if (profile.profileVersionArn) this.profilesByVersionArn.set(profile.profileVersionArn, profile);
    }
    for (const job of snapshot.signingJobs) this.jobsByArn.set(job.jobArn, job);
    for (const layer of snapshot.layerVersions) {
      this.layersById.set(layer.id, layer);
      if (layer.arn) this.layersById.set(layer.arn, layer);
    }
    for (const fn of snapshot.functions) {
      this.functionsById.set(fn.id, fn);
      if (fn.codeSigningConfig.state !== 'attached') continue;
      const list = this.functionsByCsc.get(fn.codeSigningConfig.id) ?? [];
      list.push(fn);
      this.functionsByCsc.set(fn.codeSigningConfig.id, list);
    }
    for (const c of snapshot.coverage) {
      const key = `${c.accountId}|${c.region}|${c.part}`;
      // A part that failed anywhere in an account-region stays failed.
      if (this.coverage.get(key) !== 'failed') this.coverage.set(key, c.status);
    }
    this.scannedAccounts = new Set(snapshot.accounts.map((a) => a.accountId));
  }

  /** Was this part collected for this account and region? */
  partStatus(
    part: SnapshotPart,
    accountId: string | undefined,
    region: string | undefined,
  ): Coverage['status'] {
    if (this.snapshot.source === 'iac') return IAC_STATIC_PARTS.has(part) ? 'ok' : 'not-collected';
    if (!accountId || !region) return 'not-collected';
    return this.coverage.get(`${accountId}|${region}|${part}`) ?? 'not-collected';
  }

  /** The first required part that is not `ok` for a resource, if any. */
  missingPart(
    parts: readonly SnapshotPart[],
    accountId: string | undefined,
    region: string | undefined,
  ): { part: SnapshotPart; status: Coverage['status'] } | undefined {
    for (const part of parts) {
      const status = this.partStatus(part, accountId, region);
      if (status !== 'ok') return { part, status };
    }
    return undefined;
  }

  /** The collection error that explains a missing part, for UNKNOWN messages. */
  errorFor(
    part: SnapshotPart,
    accountId: string | undefined,
    region: string | undefined,
  ): string | undefined {
    const error = this.snapshot.collectionErrors.find(
      (e) =>
        e.parts.includes(part) && e.accountId === accountId && (e.region === region || e.region === 'global'),
    );
    return error ? `${error.service}:${error.operation} failed with ${error.errorCode}` : undefined;
  }
}
