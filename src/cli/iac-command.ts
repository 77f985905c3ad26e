// `signet iac PATH...`: scan templates (CloudFormation, SAM, CDK output, Terraform, Serverless) with the
// same rules as the live audit.
// Heavy modules (IaC adapters, engine, rules, reporters) load inside the action: `signet --help` stays fast.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { requireExistingPaths } from './paths.js';
import type { ReportCommandOptions } from './report-output.js';
import { addReportOptions } from './scan-command.js';

interface IacCommandOptions extends ReportCommandOptions {
  maxFileSize: string;
  param: string[];
  paramFile: string[];
  configEnv: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Heap size from which a full collection between phases pays for itself (large templates). */
const LARGE_HEAP = 128 * 1024 * 1024;

export function registerIacCommand(program: Command): void {
  addReportOptions(
    program
      .command('iac')
      .description(
        'check IaC (CloudFormation, SAM, CDK cdk.out, Terraform .tf and plan JSON, serverless.yml) for Lambda code signing',
      )
      .argument(
        '<paths...>',
        'files or directories to scan (directories are searched; node_modules, .git and .terraform are skipped)',
      )
      .option('--max-file-size <MB>', 'skip (and report) files larger than this', '20')
      .option(
        '--param <NAME=VALUE>',
        'deploy-time value of a CloudFormation/SAM parameter or Terraform variable, repeatable (wins over --param-file)',
        collect,
        [],
      )
      .option(
        '--param-file <file>',
        'values from a CloudFormation parameters .json, a .tfvars/.tfvars.json or samconfig.toml/.yaml (parameter_overrides), repeatable',
        collect,
        [],
      )
      .option(
        '--config-env <env>',
        'samconfig environment whose parameter_overrides --param-file reads',
        'default',
      ),
  ).action(async (paths: string[], opts: IacCommandOptions) => {
    const [
      { emitReports, parseOutputOptions },
      { loadConfigIfPresent },
      { RULE_IDS },
      { scanIac },
      { evaluate },
      { buildReportInput },
      { safeText },
      { collectGarbage, preferSmallHeap },
    ] = await Promise.all([
      import('./report-output.js'),
      import('../config/defaults.js'),
      import('../rules/index.js'),
      import('../iac/index.js'),
      import('../engine/evaluate.js'),
      import('../engine/report-input.js'),
      import('../report/shared.js'),
      import('../util/gc.js'),
    ]);
    const output = parseOutputOptions(opts);
    const maxMb = Number(opts.maxFileSize);
    if (!Number.isFinite(maxMb) || maxMb <= 0)
      throw new UsageError(`--max-file-size ${opts.maxFileSize} must be a positive number of megabytes`);
    requireExistingPaths(paths);
    // The config schema (zod) and the parameter file parsers load only when there is something to read.
    const config = await loadConfigIfPresent(opts.config, RULE_IDS);
    const params =
      opts.paramFile.length || opts.param.length
        ? (await import('./iac-params.js')).loadIacParams(opts.paramFile, opts.param, opts.configEnv)
        : new Map();
    // A large YAML template (tens of MB) is worth V8's lean heap: the peak stays near ten times its size.
    const result = scanIac(paths, {
      maxFileBytes: maxMb * 1024 * 1024,
      params,
      onLargeYaml: preferSmallHeap,
    });
    // File names and messages come from the scanned tree (a file may be named `\e]0;pwned\a.yaml`):
    // every diagnostic goes through the reporters' sanitiser before it reaches the terminal.
    for (const p of result.problems) {
      const where = `${safeText(p.file)}${p.line !== undefined ? `:${p.line}${p.column !== undefined ? `:${p.column}` : ''}` : ''}`;
      process.stderr.write(`${where}: ${p.level}: ${safeText(p.message)}\n`);
    }
    if (result.scanned.length === 0 && result.problems.every((p) => p.level !== 'error')) {
      process.stderr.write(
        `signet: no CloudFormation, SAM, CDK, Terraform or Serverless files found under ${paths.map(safeText).join(', ')}\n`,
      );
    } else {
      process.stderr.write(
        `scanned ${result.scanned.length} file(s): ${result.snapshot.functions.length} function(s), ${result.snapshot.codeSigningConfigs.length} code signing config(s)\n`,
      );
    }
    // The parsed templates are garbage now; on a large scan, let V8 size the heap on the snapshot alone.
    collectGarbage(LARGE_HEAP);
    const evaluation = evaluate(result.snapshot, config);
    const input = buildReportInput(result.snapshot, evaluation, config);
    collectGarbage(LARGE_HEAP);
    // In CI (a gate), a file that could not be parsed must not pass silently.
    const unparsedFiles = new Set(result.problems.filter((p) => p.level === 'error').map((p) => p.file)).size;
    process.exitCode = await emitReports(input, output, (line) => process.stderr.write(`${line}\n`), {
      unparsedFiles,
    });
  });
}
