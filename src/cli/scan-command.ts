// `signet scan`: collect live accounts (or replay a snapshot), evaluate, report.
// Heavy modules (AWS SDK, engine, rules, reporters) load inside the action: `signet --help` stays fast.
import type { Command } from 'commander';
import { DEFAULT_CONCURRENCY, DEFAULT_ROLE_NAME } from '../aws/collect/defaults.js';
import { UsageError } from '../errors.js';
import type { Snapshot } from '../model/snapshot.js';
import { stderrProgress } from './progress.js';
import type { ReportCommandOptions } from './report-output.js';

interface ScanCommandOptions extends ReportCommandOptions {
  endpoint?: string;
  region?: string;
  regions?: string;
  accounts?: string;
  org?: boolean;
  roleName?: string;
  saveSnapshot?: string;
  fromSnapshot?: string;
  concurrency: string;
  history?: string;
  cloudtrail: boolean;
  lookback?: string;
}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

export function addReportOptions(command: Command): Command {
  return command
    .option('--config <file>', 'signet config file (default: ./signet.config.yaml if present)')
    .option('--format <format>', 'report format on stdout or --output', 'console')
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option(
      '--report <format=file>',
      'also write another report, repeatable (e.g. html=report.html)',
      collect,
      [],
    )
    .option(
      '--fail-on <severity>',
      'gate: exit 3 when an unmuted FAIL is at least this severe (critical|high|medium|low|info); rule errors and an incomplete scan exit 1',
    )
    .option(
      '--fail-on-unknown',
      'gate: exit 1 when an unmuted finding is UNKNOWN (Signet could not verify it)',
    )
    .option(
      '--allow-incomplete',
      'gate: do not fail only because AWS calls failed or files could not be parsed (they still show as UNKNOWN)',
    )
    .option(
      '--docs-url <url>',
      "base URL of the Signet repository's files, so reports link each rule page (URL/docs/rules/<slug>.md; default $SIGNET_DOCS_URL)",
    );
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerScanCommand(program: Command): void {
  addReportOptions(
    program
      .command('scan')
      .description('find unverified Lambda code across accounts and regions')
      .option('--endpoint <url>', 'AWS endpoint override (e.g. the sandbox); default $AWS_ENDPOINT_URL')
      .option('--region <region>', 'region for global calls (default $AWS_REGION or us-east-1)')
      .option('--regions <list>', 'comma-separated regions (default: every enabled region)')
      .option('--accounts <list>', 'comma-separated account ids (AssumeRole with --role-name)')
      .option('--org', 'scan every active account of the organization')
      .option('--role-name <name>', 'role to assume in other accounts', DEFAULT_ROLE_NAME)
      .option('--concurrency <n>', 'account-regions collected at once', String(DEFAULT_CONCURRENCY))
      .option(
        '--no-cloudtrail',
        'skip CloudTrail (2 requests/s per account-region): SGN-009/010 and the event half of SGN-013 become UNKNOWN',
      )
      .option('--lookback <duration>', 'CloudTrail window, e.g. 30d, 2w, 72h (default: config lookback, 30d)')
      .option('--save-snapshot <file>', 'save the collected snapshot (JSON) for offline evaluation')
      .option('--from-snapshot <file>', 'evaluate a saved snapshot instead of calling AWS')
      .option(
        '--history <file>',
        'append this run (coverage and every finding) to a SQLite history for `signet kpi` (default $SIGNET_HISTORY)',
      ),
  ).action(async (opts: ScanCommandOptions) => {
    const { emitReports, parseOutputOptions } = await import('./report-output.js');
    const output = parseOutputOptions(opts);
    const concurrency = Number(opts.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new UsageError(`--concurrency ${opts.concurrency} must be a positive whole number`);
    const accounts = list(opts.accounts);
    if (accounts?.some((a) => !/^\d{12}$/.test(a)))
      throw new UsageError(`--accounts must list 12-digit account ids, got '${opts.accounts}'`);
    if (opts.org && accounts) throw new UsageError('use either --org or --accounts, not both');
    if (opts.fromSnapshot && (opts.org || accounts || opts.regions)) {
      throw new UsageError('--from-snapshot evaluates a saved snapshot; drop --org/--accounts/--regions');
    }
    const [{ loadConfig }, { RULE_IDS }, { evaluate }, { buildReportInput }, snapshotFile] =
      await Promise.all([
        import('../config/load.js'),
        import('../rules/index.js'),
        import('../engine/evaluate.js'),
        import('../engine/report-input.js'),
        import('../model/snapshot-file.js'),
      ]);
    const config = loadConfig(opts.config, RULE_IDS);
    const { Lookback, lookbackDays } = await import('../config/schema.js');
    if (opts.lookback !== undefined) {
      const parsed = Lookback.safeParse(opts.lookback);
      if (!parsed.success)
        throw new UsageError(
          `--lookback ${opts.lookback} ${parsed.error.issues[0]?.message ?? 'is invalid'}`,
        );
      config.lookback = parsed.data;
    }
    let snapshot: Snapshot;
    if (opts.fromSnapshot) {
      snapshot = snapshotFile.loadSnapshot(opts.fromSnapshot);
    } else {
      const { collectSnapshot } = await import('../aws/collect/scan.js');
      const progress = stderrProgress();
      let status = { done: 0, total: 0, functions: 0, throttled: 0 };
      const show = () =>
        progress.update(
          `scanning: ${status.done}/${status.total} account-regions, ${status.functions} functions seen${status.throttled ? `, ${status.throttled} throttled (retrying)` : ''}`,
        );
      const endpoint = opts.endpoint ?? process.env.AWS_ENDPOINT_URL;
      const regions = list(opts.regions);
      snapshot = await collectSnapshot({
        ...(endpoint ? { endpoint } : {}),
        homeRegion: opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
        ...(accounts ? { accounts } : {}),
        ...(opts.org ? { org: true } : {}),
        roleName: opts.roleName ?? DEFAULT_ROLE_NAME,
        ...(regions ? { regions } : {}),
        concurrency,
        governance: { cloudtrail: opts.cloudtrail, lookbackDays: lookbackDays(config.lookback) },
        progress: {
          onAccountRegionDone: (done, total) => {
            status = { ...status, done, total };
            show();
          },
          onFunctions: (functions) => {
            status = { ...status, functions };
            show();
          },
          onThrottle: (throttled) => {
            status = { ...status, throttled };
            show();
          },
        },
      });
      progress.done();
      if (opts.saveSnapshot) {
        snapshotFile.saveSnapshot(opts.saveSnapshot, snapshot);
        process.stderr.write(`saved snapshot to ${opts.saveSnapshot}\n`);
      }
    }
    const evaluation = evaluate(snapshot, config);
    const input = buildReportInput(snapshot, evaluation, config);
    const code = emitReports(input, output, (line) => process.stderr.write(`${line}\n`));
    // Reports first: a history that cannot be written must not cost the user the scan's results.
    const historyFile = opts.history ?? process.env.SIGNET_HISTORY;
    if (historyFile) {
      const { recordScan } = await import('../history/index.js');
      const recorded = await recordScan(historyFile, snapshot, evaluation.findings, config);
      process.stderr.write(
        `recorded run ${recorded.runId} (${recorded.findings} findings) in ${historyFile}\n`,
      );
    }
    process.exitCode = code;
  });
}
