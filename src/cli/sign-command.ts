// `signet sign PACKAGE.zip…`: sign deployment packages through AWS Signer; print the signed objects.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { type AwsOptions, addAwsOptions, parseConcurrency, resolveAws } from './signing-options.js';

interface SignCommandOptions extends AwsOptions {
  profile?: string;
  profileOwner?: string;
  bucket?: string;
  prefix?: string;
  provenance?: string;
  concurrency: string;
}

export function registerSignCommand(program: Command): void {
  addAwsOptions(
    program
      .command('sign')
      .description('sign Lambda ZIP packages with AWS Signer and print the signed S3 objects')
      .argument('<packages...>', 'ZIP deployment packages (functions or layers)')
      .option('--profile <name>', 'AWS Signer signing profile (platform AWSLambda-SHA384-ECDSA)')
      .option('--profile-owner <account>', 'account that owns a shared signing profile')
      .option('--bucket <bucket>', 'versioned S3 bucket for the package and the signed object')
      .option('--prefix <prefix>', 'key prefix in the bucket (e.g. my-app/)', '')
      .option('--provenance <file>', 'write an in-toto/SLSA provenance statement to this file')
      .option('--concurrency <n>', 'packages signed at once', '4'),
    '600',
  ).action(async (packages: string[], opts: SignCommandOptions) => {
    if (!opts.profile) throw new UsageError('--profile is required: the AWS Signer profile that signs');
    if (!opts.bucket)
      throw new UsageError("--bucket is required: a versioned S3 bucket in the profile's region");
    const aws = resolveAws(opts);
    const concurrency = parseConcurrency(opts.concurrency);
    const { runSign } = await import('./signing-run.js');
    process.exitCode = await runSign({
      packages,
      profile: opts.profile,
      ...(opts.profileOwner ? { profileOwner: opts.profileOwner } : {}),
      bucket: opts.bucket,
      prefix: opts.prefix ?? '',
      ...(opts.provenance ? { provenance: opts.provenance } : {}),
      concurrency,
      ...aws,
    });
  });
}
