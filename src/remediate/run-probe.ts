// `signet verify --probe`: for each Enforce CSC in scope (or `--max` of them) run the enforcement probe
// and report per CSC proven / not proven with times and request ids — evidence that the control works.

import { cleanupProbes, type ProbeEvidence, probeCsc } from '../aws/act/probe.js';
import { Actors } from '../aws/act/targets.js';
import { PROBE_CALLS } from '../aws/calls.js';
import { DEFAULT_ROLE_NAME } from '../aws/collect/scan.js';
import { classifyFunction } from '../engine/scope.js';
import { UsageError } from '../errors.js';
import { parseSigningProfileArn, partitionOfRegion } from '../model/arn.js';
import { writeFileAtomic } from '../util/fs.js';
import { endpointOf, homeRegion, type ScopeOptions, snapshotFor } from './run-plan.js';

export interface ProbeOptions extends ScopeOptions {
  max?: string;
  bucket?: string;
  probeRole?: string;
  evidence?: string;
}

const fill = (pattern: string, accountId: string, region: string) =>
  pattern
    .replaceAll('{account}', accountId)
    .replaceAll('{region}', region)
    .replaceAll('{partition}', partitionOfRegion(region));

export async function runProbe(opts: ProbeOptions): Promise<number> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (opts.fromSnapshot) throw new UsageError('--probe acts on live accounts; drop --from-snapshot');
  if (!opts.bucket)
    throw new UsageError(
      '--probe needs --bucket NAME: a versioned artifact bucket per account-region to sign the probe package in ({account} and {region} are filled in)',
    );
  const max = opts.max === undefined ? Number.POSITIVE_INFINITY : Number(opts.max);
  if (!(max >= 1) || (Number.isFinite(max) && !Number.isInteger(max)))
    throw new UsageError(`--max ${opts.max} must be a positive whole number`);
  const { snapshot, config } = await snapshotFor(opts, log);
  const inScope = new Map(snapshot.functions.map((fn) => [fn.id, classifyFunction(config, fn).inScope]));
  const users = new Map<string, string[]>();
  for (const fn of snapshot.functions)
    if (fn.codeSigningConfig.state === 'attached')
      users.set(fn.codeSigningConfig.id, [...(users.get(fn.codeSigningConfig.id) ?? []), fn.id]);
  const cscs = snapshot.codeSigningConfigs
    .filter((c) => c.arn && c.accountId && c.region && c.policy === 'Enforce')
    .filter((c) => {
      const u = users.get(c.id) ?? [];
      return u.length === 0 || u.some((id) => inScope.get(id));
    })
    .sort((a, b) => (a.arn! < b.arn! ? -1 : 1))
    .slice(0, max);
  if (cscs.length === 0) {
    process.stdout.write('No Enforce CSC in scope to probe.\n');
    return 0;
  }
  const endpoint = endpointOf(opts);
  const actors = new Actors({
    ...(endpoint ? { endpoint } : {}),
    homeRegion: homeRegion(opts),
    roleName: opts.roleName ?? DEFAULT_ROLE_NAME,
    declared: PROBE_CALLS,
    sessionName: 'signet-verify-probe',
  });
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
    log('interrupted: finishing the current probe and deleting it…');
  };
  process.once('SIGINT', onSigint);
  const evidence: ProbeEvidence[] = [];
  try {
    const cleaned = new Set<string>();
    for (const csc of cscs) {
      if (interrupted) break;
      const accountId = csc.accountId!;
      const region = csc.region!;
      const clients = await actors.probeClients(accountId, region);
      const key = `${accountId}|${region}`;
      if (!cleaned.has(key)) {
        cleaned.add(key);
        for (const arn of await cleanupProbes(clients)) log(`deleted leftover probe ${arn}`);
      }
      const profile = csc.allowedPublishers
        .flatMap((p) => (p.kind === 'arn' ? [parseSigningProfileArn(p.arn)] : []))
        .find(
          (p) =>
            p?.accountId === accountId &&
            p.region === region &&
            snapshot.signingProfiles.some(
              (s) =>
                s.name === p.profileName &&
                s.accountId === accountId &&
                s.region === region &&
                s.status === 'Active',
            ),
        );
      if (!profile) {
        const now = new Date().toISOString();
        evidence.push({
          cscArn: csc.arn!,
          proven: false,
          detail: `not proven: the CSC allows no active signing profile of ${accountId}/${region} to sign the probe with`,
          startedAt: now,
          finishedAt: now,
          requestIds: {},
          cleanedUp: true,
        });
        continue;
      }
      const result = await probeCsc(clients, {
        cscArn: csc.arn!,
        profileName: profile.profileName,
        bucket: fill(opts.bucket, accountId, region),
        roleArn: fill(
          opts.probeRole ?? 'arn:{partition}:iam::{account}:role/signet-probe',
          accountId,
          region,
        ),
      });
      evidence.push(result);
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
    actors.destroy();
  }
  for (const e of evidence) {
    const ids = Object.entries(e.requestIds)
      .filter(([, v]) => v)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    process.stdout.write(
      `${e.proven ? '✓ proven    ' : '✗ not proven'} ${e.cscArn}: ${e.detail} (${e.startedAt} → ${e.finishedAt}${ids ? `; ${ids}` : ''})\n`,
    );
  }
  const bad = evidence.filter((e) => !e.proven).length;
  process.stdout.write(
    `\nProbe: ${evidence.length - bad} of ${evidence.length} Enforce CSC(s) proven to block unsigned code${interrupted ? ' (interrupted)' : ''}.\n`,
  );
  if (opts.evidence) {
    writeFileAtomic(
      opts.evidence,
      `${JSON.stringify({ kind: 'signet-enforcement-evidence', evidence }, null, 2)}\n`,
    );
    log(`wrote evidence to ${opts.evidence}`);
  }
  return bad || interrupted ? 1 : 0;
}
