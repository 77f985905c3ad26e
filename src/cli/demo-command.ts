// `signet demo`: the main job on the embedded default — an in-process sandbox seeded with the demo
// organisation, scanned across all its accounts and regions, reported on the console and in HTML.
// Heavy modules (sandbox, AWS SDK, engine, reporters) load inside the action: `signet --help` stays fast.
import type { Command } from 'commander';
import { stderrProgress } from './progress.js';
import type { ReportCommandOptions } from './report-output.js';
import { addReportOptions } from './scan-command.js';

interface DemoOptions extends ReportCommandOptions {
  html: string;
  /** `--no-history` skips the remediation story and its KPI history. */
  history: boolean;
}

export function registerDemoCommand(program: Command): void {
  addReportOptions(
    program
      .command('demo')
      .description('seed a local sandbox organisation (3 accounts, ~40 functions) and scan it end to end')
      .option('--html <file>', 'where to write the HTML report', 'signet-demo-report.html')
      .option(
        '--no-history',
        'skip the KPI history (a remediation, blocked hot-fixes and a second scan) for signet kpi/dashboard',
      ),
  ).action(async (opts: DemoOptions) => {
    const [
      { emitReports, parseOutputOptions },
      { loadConfig },
      { RULE_IDS },
      { evaluate },
      { buildReportInput },
      { collectSnapshot },
      { BOOTSTRAP_CREDENTIALS, createSandbox, DEFAULT_REGION },
      { demoSeed },
    ] = await Promise.all([
      import('./report-output.js'),
      import('../config/load.js'),
      import('../rules/index.js'),
      import('../engine/evaluate.js'),
      import('../engine/report-input.js'),
      import('../aws/collect/scan.js'),
      import('../sandbox/index.js'),
      import('../sandbox/seeds/demo.js'),
    ]);
    const output = parseOutputOptions(opts);
    output.reports.push({ format: 'html', file: opts.html });
    const config = loadConfig(opts.config, RULE_IDS);
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const sandbox = createSandbox({ log });
    try {
      const endpoint = await sandbox.listen();
      log(`sandbox listening on ${endpoint}; seeding the demo organisation…`);
      const seeded = await demoSeed({
        endpoint,
        credentials: { ...BOOTSTRAP_CREDENTIALS },
        params: {},
        log: () => {},
      });
      log(seeded.summary);
      const progress = stderrProgress();
      const snapshot = await collectSnapshot({
        endpoint,
        credentials: { ...BOOTSTRAP_CREDENTIALS },
        homeRegion: DEFAULT_REGION,
        org: true,
        progress: {
          onAccountRegionDone: (done, total) => progress.update(`scanning: ${done}/${total} account-regions`),
        },
      });
      progress.done();
      const calls = sandbox.callStats().reduce((sum, s) => sum + s.count, 0);
      log(
        `scanned ${snapshot.accounts.length} accounts × ${snapshot.regions.length} regions: ${snapshot.functions.length} functions (${calls} sandbox API calls in total)`,
      );
      const input = buildReportInput(snapshot, evaluate(snapshot, config), config);
      process.exitCode = emitReports(input, output, log);
      if (opts.history !== false) {
        const { recordDemoHistory } = await import('./demo-history.js');
        await recordDemoHistory({
          endpoint,
          credentials: { ...BOOTSTRAP_CREDENTIALS },
          homeRegion: DEFAULT_REGION,
          snapshot,
          config,
          log,
        });
      }
      // End with the step that keeps this fixed: signing as a pipeline step (docs/signing.md).
      const checkout = snapshot.functions.find((f) => f.name === 'checkout' && f.accountId && f.region);
      if (checkout) {
        const { pipelineCommand } = await import('../signing/pipeline-hint.js');
        log(
          `\nPut signing into the pipeline (prod's checkout runs under an Enforce CSC; docs/signing.md, docs/ci/):\n  ${pipelineCommand(
            {
              functionName: 'checkout',
              profile: 'ci_release',
              bucket: `signet-demo-artifacts-${checkout.accountId}-${checkout.region}`,
              region: checkout.region!,
            },
          )}`,
        );
      }
    } finally {
      await sandbox.close();
    }
  });
}
