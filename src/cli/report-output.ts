// Shared by scan, demo and iac: evaluate, render the chosen reports, and compute the exit code.
import { once } from 'node:events';
import { evaluateGate, type GatePolicy } from '../engine/gate.js';
import { UsageError } from '../errors.js';
import type { Severity } from '../model/finding.js';
import type { ReportInput } from '../model/report.js';
import { SEVERITY_ORDER } from '../model/values.js';
import { REPORT_FORMATS, type ReportFormat } from '../report/formats.js';
import { loadReportChunks } from '../report/load.js';
import { batched, writeOutput } from '../util/fs.js';

export {
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_UNVERIFIED as EXIT_ERROR,
  EXIT_USAGE,
} from '../engine/gate.js';

export function parseFormat(value: string): ReportFormat {
  if (!(REPORT_FORMATS as readonly string[]).includes(value)) {
    throw new UsageError(`unknown format '${value}'; use one of ${REPORT_FORMATS.join(', ')}`);
  }
  return value as ReportFormat;
}

export function parseSeverity(value: string): Severity {
  if (!(SEVERITY_ORDER as readonly string[]).includes(value)) {
    throw new UsageError(
      `unknown severity '${value}'; use one of ${[...SEVERITY_ORDER].reverse().join(', ')}`,
    );
  }
  return value as Severity;
}

/** `--report html=report.html` → [format, file]. */
export function parseReportTarget(value: string): { format: ReportFormat; file: string } {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) {
    throw new UsageError(`--report ${value} must look like FORMAT=FILE (e.g. html=signet-report.html)`);
  }
  return { format: parseFormat(value.slice(0, eq)), file: value.slice(eq + 1) };
}

export interface OutputOptions extends GatePolicy {
  format: ReportFormat;
  output?: string;
  reports: { format: ReportFormat; file: string }[];
  /** Where `docs/rules/<slug>.md` is served; reports link rule docs only when it is known. */
  docsUrl?: string;
}

/** The report options every reporting command takes (see `addReportOptions`). */
export interface ReportCommandOptions {
  config?: string;
  format: string;
  output?: string;
  report: string[];
  failOn?: string;
  failOnUnknown?: boolean;
  allowIncomplete?: boolean;
  docsUrl?: string;
}

export function parseOutputOptions(opts: ReportCommandOptions): OutputOptions {
  const docsUrl = opts.docsUrl ?? process.env.SIGNET_DOCS_URL;
  if (docsUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(docsUrl)) {
    throw new UsageError(
      `--docs-url ${docsUrl} must be an http(s) URL where Signet's docs/ folder is served`,
    );
  }
  return {
    format: parseFormat(opts.format),
    ...(opts.output ? { output: opts.output } : {}),
    reports: opts.report.map(parseReportTarget),
    ...(opts.failOn ? { failOn: parseSeverity(opts.failOn) } : {}),
    ...(opts.failOnUnknown ? { failOnUnknown: true } : {}),
    ...(opts.allowIncomplete ? { allowIncomplete: true } : {}),
    ...(docsUrl ? { docsUrl: docsUrl.endsWith('/') ? docsUrl : `${docsUrl}/` } : {}),
  };
}

/**
 * Renders the reports and returns the exit code from the library's gate (src/engine/gate.ts), logging
 * why the gate failed. `unparsedFiles` counts IaC files that could not be read. Reports are streamed:
 * each is produced in pieces and written in batches, never held whole.
 */
export async function emitReports(
  input: ReportInput,
  options: OutputOptions,
  log: (line: string) => void,
  extra: { unparsedFiles?: number } = {},
): Promise<number> {
  const color = !options.output && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const docs = options.docsUrl ? { docsBaseUrl: options.docsUrl } : {};
  const main = await loadReportChunks(options.format, input, { color, ...docs });
  if (options.output) {
    await writeOutput(options.output, batched(main));
    log(`wrote ${options.format} report to ${options.output}`);
  } else {
    await writeStdout(main);
  }
  for (const target of options.reports) {
    await writeOutput(
      target.file,
      batched(await loadReportChunks(target.format, input, { color: false, ...docs })),
    );
    log(`wrote ${target.format} report to ${target.file}`);
  }
  const gate = evaluateGate(input, options, extra);
  for (const reason of gate.reasons) log(`signet: gate failed: ${reason}`);
  return gate.exitCode;
}

/** Streams a report to stdout (waiting when a pipe is full) and ends it with a newline if it has none. */
async function writeStdout(chunks: Iterable<string>): Promise<void> {
  let last = '';
  for await (const text of batched(chunks)) {
    if (!text) continue;
    last = text;
    if (!process.stdout.write(text)) await once(process.stdout, 'drain');
  }
  if (!last.endsWith('\n')) process.stdout.write('\n');
}
