// `signet sandbox`: run the local AWS endpoint in the foreground.
// The sandbox itself loads inside the action; the seeds registry is light (each seed loads when it runs).
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { SEEDS } from '../sandbox/seeds/index.js';

interface SandboxCommandOptions {
  port: string;
  host: string;
  seed?: string;
  seedParam: string[];
  state?: string;
  quotas: boolean;
  quotaScale: string;
  updateReads: string;
  partition: string;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port ${value} is not a port number; use 0..65535 (0 picks a free port)`);
  }
  return port;
}

function parseSeedParams(values: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0)
      throw new UsageError(`--seed-param ${value} must look like NAME=VALUE (e.g. functions=1000)`);
    params[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return params;
}

export function registerSandboxCommand(program: Command): void {
  program
    .command('sandbox')
    .description(
      'run a local AWS endpoint (Lambda, Signer, S3, STS, IAM, Organizations, Tagging, CloudTrail)',
    )
    .option('--port <n>', 'port to listen on (0 picks a free one)', '4566')
    .option('--host <addr>', 'address to bind (loopback by default)', '127.0.0.1')
    .option('--seed <name>', `build a fleet first: ${Object.keys(SEEDS).join(', ') || '(none yet)'}`)
    .option('--seed-param <name=value>', 'seed parameter, repeatable (e.g. functions=1000)', collect, [])
    .option('--state <file>', 'persist state in this file across restarts')
    .option('--no-quotas', 'turn off AWS request-rate quotas')
    .option('--quota-scale <x>', 'multiply every request-rate quota', '1')
    .option(
      '--update-reads <n>',
      'Lambda updates stay LastUpdateStatus InProgress for this many reads (0: Successful at once)',
      '0',
    )
    .option('--partition <name>', 'the AWS partition to play: aws, aws-cn or aws-us-gov', 'aws')
    .action(async (opts: SandboxCommandOptions) => {
      const scale = Number(opts.quotaScale);
      if (!Number.isFinite(scale) || scale <= 0) {
        throw new UsageError(`--quota-scale ${opts.quotaScale} must be a positive number (e.g. 10)`);
      }
      const updateReads = Number(opts.updateReads);
      if (!Number.isInteger(updateReads) || updateReads < 0 || updateReads > 100) {
        throw new UsageError(`--update-reads ${opts.updateReads} must be a whole number from 0 to 100`);
      }
      const seed = opts.seed ? SEEDS[opts.seed] : undefined;
      if (opts.seed && !seed) {
        throw new UsageError(`unknown seed '${opts.seed}'; choose one of: ${Object.keys(SEEDS).join(', ')}`);
      }
      const { BOOTSTRAP_CREDENTIALS, createSandbox, GLOBAL_SERVICE_REGION, PARTITIONS } = await import(
        '../sandbox/index.js'
      );
      const partition = PARTITIONS.find((p) => p === opts.partition);
      if (!partition)
        throw new UsageError(
          `--partition ${opts.partition} is not a partition; use ${PARTITIONS.join(', ')}`,
        );
      if (seed && partition !== 'aws')
        throw new UsageError(
          `the seeds build commercial (aws) fleets; drop --seed or --partition ${partition}`,
        );
      const sandbox = createSandbox({
        partition,
        port: parsePort(opts.port),
        host: opts.host,
        ...(opts.state ? { stateFile: opts.state } : {}),
        quotas: { enabled: opts.quotas, scale },
        lambdaUpdateReads: updateReads,
        log: (message) => process.stderr.write(`${message}\n`),
      });
      let endpoint: string;
      try {
        endpoint = await sandbox.listen();
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new UsageError(
            `port ${opts.port} is in use; pass --port 0 for a free port or another number`,
            {
              cause: err,
            },
          );
        }
        throw err;
      }
      // A restored --state world already holds the seeded fleet; seeding it twice would collide.
      if (seed && sandbox.world.sequence > 0) {
        process.stderr.write(
          `${opts.state} already holds a sandbox world; not seeding '${opts.seed}' again\n`,
        );
      } else if (seed) {
        process.stderr.write(`seeding '${opts.seed}'…\n`);
        const result = await seed({
          endpoint,
          credentials: { ...BOOTSTRAP_CREDENTIALS },
          params: parseSeedParams(opts.seedParam),
          log: (message) => process.stderr.write(`  ${message}\n`),
        });
        process.stderr.write(`${result.summary}\n`);
      }
      // Listen for the stop signal before announcing the endpoint: whoever reads it may stop us at once.
      const stopped = new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      process.stdout.write(
        [
          `Signet sandbox listening on ${endpoint}`,
          '',
          'Use it from a shell (sandbox-only credentials of the management account admin):',
          `  export AWS_ENDPOINT_URL=${endpoint}`,
          `  export AWS_ACCESS_KEY_ID=${BOOTSTRAP_CREDENTIALS.accessKeyId}`,
          `  export AWS_SECRET_ACCESS_KEY=${BOOTSTRAP_CREDENTIALS.secretAccessKey}`,
          `  export AWS_REGION=${GLOBAL_SERVICE_REGION[partition]}`,
          '',
          'SDK v3 clients: pass { endpoint, region, credentials }; S3 needs forcePathStyle: true and',
          'Signer needs disableHostPrefix: true. Press Ctrl+C to stop.',
          '',
        ].join('\n'),
      );
      await stopped;
      await sandbox.close();
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
