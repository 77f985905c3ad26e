// `signet alerts template`: CloudFormation or Terraform that makes AWS alert on code signing events
// without Signet running (EventBridge on CloudTrail + a SignatureValidationErrors alarm → SNS).
import type { Command } from 'commander';
import { UsageError } from '../errors.js';

export function registerAlertsCommand(program: Command): void {
  const alerts = program.command('alerts').description('native AWS alerting for code signing events');
  alerts
    .command('template')
    .description(
      'write an EventBridge + CloudWatch alarm + SNS template that alerts on blocked deployments, CSC downgrades and revocations',
    )
    .option('--format <format>', 'cloudformation | terraform', 'cloudformation')
    .option('--output <file>', 'write to a file instead of stdout')
    .action(async (opts: { format: string; output?: string }) => {
      const { alertTemplate, TEMPLATE_FORMATS } = await import('../monitor/alert-template.js');
      if (!(TEMPLATE_FORMATS as readonly string[]).includes(opts.format))
        throw new UsageError(`--format ${opts.format} must be one of ${TEMPLATE_FORMATS.join(', ')}`);
      const text = alertTemplate(opts.format as (typeof TEMPLATE_FORMATS)[number]);
      if (opts.output) {
        const { writeFileAtomic } = await import('../util/fs.js');
        writeFileAtomic(opts.output, text);
        process.stderr.write(`wrote ${opts.format} alerting template to ${opts.output}\n`);
      } else process.stdout.write(text);
    });
}
