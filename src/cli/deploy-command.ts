// `signet deploy`: sign (or take a signed object), pre-flight against the function's CSC, deploy, wait,
// publish and move an alias; or publish a signed layer version and move its users to it.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { type AwsOptions, addAwsOptions, parseConcurrency, resolveAws } from './signing-options.js';

interface DeployCommandOptions extends AwsOptions {
  function?: string;
  layer?: string;
  package?: string;
  signed?: string;
  profile?: string;
  profileOwner?: string;
  bucket?: string;
  prefix?: string;
  publish?: boolean;
  alias?: string;
  provenance?: string;
  requireEnforce?: boolean;
  updateFunctions?: boolean;
  compatibleRuntimes?: string;
  concurrency: string;
}

export function registerDeployCommand(program: Command): void {
  addAwsOptions(
    program
      .command('deploy')
      .description('deploy a signed package to a function or as a layer version, checked before any write')
      .option('--function <name|arn>', 'function to update')
      .option('--layer <name>', 'layer to publish a signed version of')
      .option('--package <file>', 'ZIP to sign first (with --profile and --bucket)')
      .option('--signed <s3-uri>', 'an object signet sign produced (s3://bucket/key)')
      .option('--profile <name>', 'AWS Signer signing profile, with --package')
      .option('--profile-owner <account>', 'account that owns a shared signing profile')
      .option('--bucket <bucket>', 'versioned S3 bucket, with --package')
      .option('--prefix <prefix>', 'key prefix in the bucket, with --package', '')
      .option('--publish', 'publish a function version after the update')
      .option('--alias <name>', 'point this alias at the published version (needs --publish)')
      .option(
        '--provenance <file>',
        'provenance statement: checked when it exists, then written with the deployment',
      )
      .option('--require-enforce', 'refuse functions without a CSC or with a Warn CSC')
      .option(
        '--update-functions',
        'with --layer: move functions using an older version of the layer to the new one',
      )
      .option('--compatible-runtimes <list>', 'with --layer: comma-separated runtimes')
      .option('--concurrency <n>', 'with --update-functions: functions moved at once', '4'),
    '300',
  ).action(async (opts: DeployCommandOptions) => {
    if (Boolean(opts.function) === Boolean(opts.layer))
      throw new UsageError('give exactly one of --function NAME and --layer NAME');
    if (Boolean(opts.package) === Boolean(opts.signed))
      throw new UsageError('give exactly one of --package FILE (signed first) and --signed s3://BUCKET/KEY');
    if (opts.package && (!opts.profile || !opts.bucket))
      throw new UsageError('--package needs --profile and --bucket to sign it first');
    if (opts.signed && (opts.profile || opts.bucket || opts.profileOwner))
      throw new UsageError(
        '--signed deploys an object that is already signed: drop --profile/--bucket/--profile-owner',
      );
    if (opts.layer && (opts.publish || opts.alias))
      throw new UsageError(
        '--publish and --alias apply to --function; a layer deploy always publishes a version',
      );
    if (opts.function && (opts.updateFunctions || opts.compatibleRuntimes))
      throw new UsageError('--update-functions and --compatible-runtimes apply to --layer');
    if (opts.alias && !opts.publish)
      throw new UsageError('--alias points at a published version: add --publish');
    if (opts.alias && !/^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/.test(opts.alias))
      throw new UsageError(
        `--alias ${opts.alias} is not an alias name (letters, digits, - and _, not only digits)`,
      );
    const aws = resolveAws(opts);
    const concurrency = parseConcurrency(opts.concurrency);
    const { runDeploy } = await import('./signing-run.js');
    process.exitCode = await runDeploy({
      ...(opts.function ? { functionName: opts.function } : {}),
      ...(opts.layer ? { layerName: opts.layer } : {}),
      ...(opts.package ? { packageFile: opts.package } : {}),
      ...(opts.signed ? { signed: opts.signed } : {}),
      ...(opts.profile ? { profile: opts.profile } : {}),
      ...(opts.profileOwner ? { profileOwner: opts.profileOwner } : {}),
      ...(opts.bucket ? { bucket: opts.bucket } : {}),
      prefix: opts.prefix ?? '',
      publish: Boolean(opts.publish),
      ...(opts.alias ? { alias: opts.alias } : {}),
      ...(opts.provenance ? { provenance: opts.provenance } : {}),
      requireEnforce: Boolean(opts.requireEnforce),
      updateFunctions: Boolean(opts.updateFunctions),
      ...(opts.compatibleRuntimes
        ? {
            compatibleRuntimes: opts.compatibleRuntimes
              .split(',')
              .map((r) => r.trim())
              .filter(Boolean),
          }
        : {}),
      concurrency,
      ...aws,
    });
  });
}
