// `signet watch`: poll CloudTrail for blocked and unverified deployments, CSC downgrades and signing
// profile revocations, and send each alert once to stdout, webhooks and SNS topics.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';

interface WatchOptions {
  endpoint?: string;
  region?: string;
  regions?: string;
  accounts?: string;
  org?: boolean;
  roleName: string;
  once?: boolean;
  since: string;
  interval: string;
  state?: string;
  webhook: string[];
  snsTopic: string[];
  format: string;
  history?: string;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `15m`, `24h`, `7d` → milliseconds. */
export function parseDuration(value: string, flag: string, max = 90 * 86_400_000): number {
  const match = /^(\d{1,6})([smhd])$/.exec(value.trim());
  const ms = match ? Number(match[1]) * UNITS[match[2]!]! : Number.NaN;
  if (!Number.isFinite(ms) || ms <= 0 || ms > max) {
    throw new UsageError(
      `${flag} ${value} must be a duration like 90s, 15m, 24h or 7d (at most ${Math.round(max / 86_400_000)}d)`,
    );
  }
  return ms;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function list(value: string | undefined): string[] | undefined {
  const items = value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items?.length ? items : undefined;
}

export function registerWatchCommand(program: Command): void {
  program
    .command('watch')
    .description(
      'alert on blocked or unverified Lambda deployments, CSC downgrades and signing profile revocations (CloudTrail)',
    )
    .option('--endpoint <url>', 'AWS endpoint override (e.g. the sandbox); default $AWS_ENDPOINT_URL')
    .option('--region <region>', 'region for global calls (default $AWS_REGION or us-east-1)')
    .option('--regions <list>', 'comma-separated regions (default: every enabled region)')
    .option('--accounts <list>', 'comma-separated account ids (AssumeRole with --role-name)')
    .option('--org', 'watch every active account of the organization')
    .option('--role-name <name>', 'role to assume in other accounts', 'OrganizationAccountAccessRole')
    .option('--once', 'poll once and exit (for cron and CI)')
    .option('--since <duration>', 'on the first poll (no --state cursor), read events this far back', '1h')
    .option('--interval <duration>', 'time between polls', '60s')
    .option('--state <file>', 'cursor file: restarts neither miss nor repeat alerts')
    .option(
      '--webhook <url>',
      'POST each alert (Slack-compatible); repeatable; SIGNET_WEBHOOK_SECRET signs',
      collect,
      [],
    )
    .option('--sns-topic <arn>', 'publish each alert to this SNS topic; repeatable', collect, [])
    .option('--format <format>', 'stdout: text | json (JSON lines)', 'text')
    .option('--history <file>', 'also record alert events in this scan history (for signet kpi)')
    .action(async (opts: WatchOptions) => {
      if (opts.format !== 'text' && opts.format !== 'json')
        throw new UsageError(`--format ${opts.format} must be text or json`);
      const sinceMs = parseDuration(opts.since, '--since');
      const intervalMs = parseDuration(opts.interval, '--interval', 86_400_000);
      if (intervalMs < 1000) throw new UsageError('--interval must be at least 1s');
      const accounts = list(opts.accounts);
      if (accounts?.some((a) => !/^\d{12}$/.test(a)))
        throw new UsageError(`--accounts must list 12-digit account ids, got '${opts.accounts}'`);
      if (opts.org && accounts) throw new UsageError('use either --org or --accounts, not both');
      for (const url of opts.webhook) {
        let parsed: URL;
        try {
          parsed = new URL(url);
        } catch {
          throw new UsageError('--webhook needs an http(s) URL');
        }
        if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
          throw new UsageError('--webhook needs an http(s) URL');
      }
      const topics = opts.snsTopic.map((arn) => {
        const m = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):[A-Za-z0-9_-]{1,256}$/.exec(arn);
        if (!m)
          throw new UsageError(
            `--sns-topic ${arn} is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)`,
          );
        return { arn, region: m[1]!, accountId: m[2]! };
      });
      const { runWatch } = await import('../monitor/run.js');
      const endpoint = opts.endpoint ?? process.env.AWS_ENDPOINT_URL;
      const regions = list(opts.regions);
      process.exitCode = await runWatch({
        ...(endpoint ? { endpoint } : {}),
        homeRegion: opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
        ...(accounts ? { accounts } : {}),
        ...(opts.org ? { org: true } : {}),
        roleName: opts.roleName,
        ...(regions ? { regions } : {}),
        once: Boolean(opts.once),
        sinceMs,
        intervalMs,
        ...(opts.state ? { stateFile: opts.state } : {}),
        webhooks: opts.webhook,
        ...(process.env.SIGNET_WEBHOOK_SECRET ? { webhookSecret: process.env.SIGNET_WEBHOOK_SECRET } : {}),
        topics,
        format: opts.format,
        ...(opts.history ? { historyFile: opts.history } : {}),
      });
    });
}
