// Options shared by `signet sign`, `deploy` and `verify-artifact` (no AWS imports: commands load lazily).
import type { Command } from 'commander';
import { UsageError } from '../errors.js';

export interface AwsOptions {
  endpoint?: string;
  region?: string;
  format: string;
  timeout: string;
}

export function addAwsOptions(command: Command, timeoutDefault: string): Command {
  return command
    .option('--endpoint <url>', 'AWS endpoint override (e.g. the sandbox); default $AWS_ENDPOINT_URL')
    .option('--region <region>', 'region of the profile, bucket and functions (default $AWS_REGION)')
    .option('--format <format>', 'text or json (json: everything, for scripts)', 'text')
    .option('--timeout <seconds>', 'longest wait for a signing job or a function update', timeoutDefault);
}

export function resolveAws(opts: AwsOptions): {
  endpoint?: string;
  region: string;
  timeoutSeconds: number;
  json: boolean;
} {
  if (opts.format !== 'text' && opts.format !== 'json')
    throw new UsageError(`--format ${opts.format} is not supported here; use text or json`);
  const timeoutSeconds = Number(opts.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0 || timeoutSeconds > 3600)
    throw new UsageError(`--timeout ${opts.timeout} must be a number of seconds between 1 and 3600`);
  const region = opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region)
    throw new UsageError(
      'no region: pass --region or set AWS_REGION (the profile, bucket and functions live there)',
    );
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw new UsageError(`--region ${region} is not an AWS region name (e.g. eu-west-1)`);
  const endpoint = opts.endpoint ?? process.env.AWS_ENDPOINT_URL;
  if (endpoint !== undefined && !/^https?:\/\/\S+$/.test(endpoint))
    throw new UsageError(`--endpoint ${endpoint} must be an http(s) URL`);
  return { ...(endpoint ? { endpoint } : {}), region, timeoutSeconds, json: opts.format === 'json' };
}

export function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 20)
    throw new UsageError(`--concurrency ${value} must be a whole number from 1 to 20`);
  return n;
}
