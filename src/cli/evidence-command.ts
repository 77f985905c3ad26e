// `signet evidence`: write an auditor's evidence pack (findings, KPI history, alerts, proofs, a summary
// mapped to PCI DSS / HIPAA / SOC 2 / NIST 800-53 / ISO 27001 controls, MANIFEST.sha256).
import type { Command } from 'commander';
import { UsageError } from '../errors.js';

interface EvidenceCommandOptions {
  history?: string;
  fromSnapshot?: string;
  config?: string;
  proof: string[];
  output?: string;
}

export function registerEvidenceCommand(program: Command): void {
  program
    .command('evidence')
    .description(
      'write an evidence pack for auditors: findings, KPIs, alerts, proofs, controls, MANIFEST.sha256',
    )
    .option('--history <file>', 'history database (default $SIGNET_HISTORY)')
    .option(
      '--from-snapshot <file>',
      'judge controls by this saved snapshot (evaluated now) instead of the latest run',
    )
    .option(
      '--config <file>',
      'signet config file for --from-snapshot (default: ./signet.config.yaml if present)',
    )
    .option(
      '--proof <file>',
      'a signet verify --probe JSON result to include; repeatable',
      (v: string, p: string[]) => [...p, v],
      [],
    )
    .option('--output <dir>', 'new (or empty) directory to write the pack into')
    .action(async (opts: EvidenceCommandOptions) => {
      const file = opts.history ?? process.env.SIGNET_HISTORY;
      if (!file) throw new UsageError('signet evidence needs --history FILE (or SIGNET_HISTORY)');
      if (!opts.output) throw new UsageError('signet evidence needs --output DIR (a new or empty directory)');
      const { writeEvidencePack } = await import('../history/evidence.js');
      let extra = {};
      if (opts.fromSnapshot) {
        const [
          { loadConfig },
          { RULE_IDS },
          { evaluate },
          { buildReportInput },
          { loadSnapshot },
          { renderReport },
        ] = await Promise.all([
          import('../config/load.js'),
          import('../rules/index.js'),
          import('../engine/evaluate.js'),
          import('../engine/report-input.js'),
          import('../model/snapshot-file.js'),
          import('../report/index.js'),
        ]);
        const config = loadConfig(opts.config, RULE_IDS);
        const snapshot = loadSnapshot(opts.fromSnapshot);
        const evaluation = evaluate(snapshot, config);
        const report = renderReport('json', buildReportInput(snapshot, evaluation, config));
        extra = {
          findings: evaluation.findings.map((f) => ({
            id: f.id,
            ruleId: f.ruleId,
            status: f.status,
            severity: f.severity,
            muted: Boolean(f.muted),
            resource: f.resource.name,
            accountId: f.resource.accountId ?? '',
            region: f.resource.region ?? '',
            message: f.message,
          })),
          attachments: [
            { name: 'snapshot.json', content: `${JSON.stringify(snapshot)}\n` },
            { name: 'report.json', content: typeof report === 'string' ? report : String(report) },
          ],
        };
      }
      const pack = await writeEvidencePack({
        historyFile: file,
        outputDir: opts.output,
        proofs: opts.proof,
        ...extra,
      });
      const summary = pack.controls.map((c) => `${c.framework} ${c.control.id}: ${c.status}`).join('; ');
      process.stderr.write(`wrote evidence pack (${pack.files.length} files) to ${pack.dir}\n${summary}\n`);
    });
}
