// `signet verify-artifact --signed s3://…`: check a signed object before deploying it.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { type AwsOptions, addAwsOptions, resolveAws } from './signing-options.js';

interface VerifyCommandOptions extends AwsOptions {
  signed?: string;
  provenance?: string;
}

export function registerVerifyArtifactCommand(program: Command): void {
  addAwsOptions(
    program
      .command('verify-artifact')
      .description(
        'check a signed object: its signing job, profile status, revocation and provenance (exit 3 on a failed check)',
      )
      .option('--signed <s3-uri>', 'the signed object (s3://bucket/key) signet sign printed')
      .option('--provenance <file>', 'provenance statement the object must match'),
    '60',
  ).action(async (opts: VerifyCommandOptions) => {
    if (!opts.signed) throw new UsageError('--signed s3://BUCKET/KEY is required');
    const aws = resolveAws(opts);
    const { runVerifyArtifact } = await import('./signing-run.js');
    process.exitCode = await runVerifyArtifact({
      signed: opts.signed,
      ...(opts.provenance ? { provenance: opts.provenance } : {}),
      ...aws,
    });
  });
}
