// `signet kpi`: the code signing programme's four KPIs per period from a scan history.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';

interface KpiOptions {
  history?: string;
  period: string;
  periods: string;
  format: string;
  output?: string;
}

export function registerKpiCommand(program: Command): void {
  program
    .command('kpi')
    .description(
      'KPIs from a scan history: % of production functions in Enforce, blocked unsigned deployments, MTTR, active vs revoked profiles',
    )
    .option(
      '--history <file>',
      'history database written by `signet scan --history` (default $SIGNET_HISTORY)',
    )
    .option('--period <period>', "period length: 'month' (calendar months) or days like '30d'", '30d')
    .option('--periods <n>', 'how many periods to show, newest last', '6')
    .option('--format <format>', 'console | json | csv | markdown', 'console')
    .option('--output <file>', 'write to a file instead of stdout')
    .action(async (opts: KpiOptions) => {
      const file = opts.history ?? process.env.SIGNET_HISTORY;
      if (!file) throw new UsageError('signet kpi needs --history FILE (or SIGNET_HISTORY)');
      const count = Number(opts.periods);
      if (!Number.isInteger(count) || count < 1 || count > 120)
        throw new UsageError(`--periods ${opts.periods} must be a whole number from 1 to 120`);
      const { KPI_FORMATS, renderKpis } = await import('../history/kpi-report.js');
      if (!(KPI_FORMATS as readonly string[]).includes(opts.format))
        throw new UsageError(`unknown format '${opts.format}'; use one of ${KPI_FORMATS.join(', ')}`);
      const { parsePeriod } = await import('../history/kpi.js');
      parsePeriod(opts.period);
      const { kpisFromFile } = await import('../history/index.js');
      const report = await kpisFromFile(file, { period: opts.period, count });
      const text = renderKpis(opts.format as (typeof KPI_FORMATS)[number], report);
      if (opts.output) {
        const { writeFileAtomic } = await import('../util/fs.js');
        writeFileAtomic(opts.output, text);
        process.stderr.write(`wrote ${opts.format} KPIs to ${opts.output}\n`);
      } else process.stdout.write(text);
    });
}
