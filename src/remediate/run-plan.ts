// `signet plan` behind the CLI: collect (or read a snapshot), evaluate, plan, write, summarise.
// Only read APIs are called (the scan's declared calls).
import { collectSnapshot, DEFAULT_CONCURRENCY, DEFAULT_ROLE_NAME } from '../aws/collect/scan.js';
import { loadConfig } from '../config/load.js';
import type { SignetConfig } from '../config/schema.js';
import { evaluate } from '../engine/evaluate.js';
import { UsageError } from '../errors.js';
import type { Snapshot } from '../model/snapshot.js';
import { loadSnapshot } from '../model/snapshot-file.js';
import { RULE_IDS } from '../rules/index.js';
import type { Plan } from './plan.js';
import { savePlan, serializePlan } from './plan.js';
import { buildPlan } from './planner.js';
import { renderPlanSummary } from './render.js';
import { parseOnly, parseWave } from './select.js';

export interface ScopeOptions {
  endpoint?: string;
  region?: string;
  regions?: string;
  accounts?: string;
  org?: boolean;
  roleName?: string;
  config?: string;
  fromSnapshot?: string;
  concurrency?: string;
}

export interface PlanCommandOptions extends ScopeOptions {
  output?: string;
  stage: string;
  only?: string[];
  wave?: string;
  requireReady?: boolean;
  splitShared?: boolean;
  json?: boolean;
}

export function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

export function homeRegion(opts: ScopeOptions): string {
  return opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
}

export function endpointOf(opts: ScopeOptions): string | undefined {
  return opts.endpoint ?? process.env.AWS_ENDPOINT_URL;
}

/** Reads a snapshot or collects one with the scan's scope flags (read-only calls). */
export async function snapshotFor(
  opts: ScopeOptions,
  log: (line: string) => void,
): Promise<{ snapshot: Snapshot; config: SignetConfig }> {
  const concurrency = Number(opts.concurrency ?? DEFAULT_CONCURRENCY);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new UsageError(`--concurrency ${opts.concurrency} must be a positive whole number`);
  const accounts = list(opts.accounts);
  if (accounts?.some((a) => !/^\d{12}$/.test(a)))
    throw new UsageError(`--accounts must list 12-digit account ids, got '${opts.accounts}'`);
  if (opts.org && accounts) throw new UsageError('use either --org or --accounts, not both');
  if (opts.fromSnapshot && (opts.org || accounts || opts.regions))
    throw new UsageError('--from-snapshot reads a saved snapshot; drop --org/--accounts/--regions');
  const config = loadConfig(opts.config, RULE_IDS);
  if (opts.fromSnapshot) {
    const snapshot = loadSnapshot(opts.fromSnapshot);
    if (snapshot.source !== 'aws')
      throw new UsageError(
        `${opts.fromSnapshot} is an IaC snapshot; plans change live accounts, pass a scan snapshot`,
      );
    return { snapshot, config };
  }
  const endpoint = endpointOf(opts);
  const regions = list(opts.regions);
  const snapshot = await collectSnapshot({
    ...(endpoint ? { endpoint } : {}),
    homeRegion: homeRegion(opts),
    ...(accounts ? { accounts } : {}),
    ...(opts.org ? { org: true } : {}),
    roleName: opts.roleName ?? DEFAULT_ROLE_NAME,
    ...(regions ? { regions } : {}),
    concurrency,
  });
  log(`collected ${snapshot.functions.length} functions in ${snapshot.accounts.length} account(s)`);
  return { snapshot, config };
}

export function planFromSnapshot(
  snapshot: Snapshot,
  config: SignetConfig,
  opts: PlanCommandOptions,
  now = new Date(),
): Plan {
  if (opts.stage !== 'warn' && opts.stage !== 'enforce')
    throw new UsageError(`--stage ${opts.stage}: use warn or enforce`);
  const only = (opts.only ?? []).map(parseOnly);
  const wave = opts.wave !== undefined ? parseWave(opts.wave) : undefined;
  const evaluation = evaluate(snapshot, config, { now });
  return buildPlan(snapshot, evaluation, config, {
    stage: opts.stage,
    only,
    ...(wave ? { wave } : {}),
    requireReady: Boolean(opts.requireReady),
    splitShared: Boolean(opts.splitShared),
    now,
  });
}

export async function runPlan(opts: PlanCommandOptions): Promise<number> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (opts.stage !== 'warn' && opts.stage !== 'enforce')
    throw new UsageError(`--stage ${opts.stage}: use warn or enforce`);
  for (const o of opts.only ?? []) parseOnly(o);
  if (opts.wave !== undefined) parseWave(opts.wave);
  const { snapshot, config } = await snapshotFor(opts, log);
  const incomplete = snapshot.collectionErrors.length;
  const plan = planFromSnapshot(snapshot, config, opts);
  if (opts.json) process.stdout.write(serializePlan(plan));
  else process.stdout.write(renderPlanSummary(plan));
  if (incomplete)
    log(
      `warning: ${incomplete} collection error(s): resources Signet could not read are not in this plan (their findings are UNKNOWN); fix access and plan again`,
    );
  if (opts.output) {
    savePlan(opts.output, plan);
    log(
      `saved plan ${plan.planId} (${plan.steps.length} steps) to ${opts.output}; apply it with: signet apply ${opts.output}`,
    );
  } else if (plan.steps.length) log('to apply it, save it first: signet plan … --output plan.json');
  return 0;
}
