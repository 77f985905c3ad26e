// The reporters' entry point: pure functions from a ReportInput to the bytes the CLI writes.
import { UsageError } from '../errors.js';
import type { ReportInput } from '../model/report.js';
import { renderAsff } from './asff.js';
import { renderConsole } from './console.js';
import { renderCsv, renderCsvChunks } from './csv.js';
import { REPORT_FORMATS, type ReportFormat } from './formats.js';
import { renderHtml, renderHtmlChunks } from './html.js';
import { renderJson, renderJsonChunks } from './json.js';
import { renderJunit, renderJunitChunks } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif, renderSarifChunks } from './sarif.js';

export { REPORT_FORMATS, type ReportFormat } from './formats.js';

export interface RenderOptions {
  /** Console only: ANSI colour. The CLI sets it when stdout is a TTY. */
  color?: boolean;
  /** Console only: how many of the worst findings to list (default 20). */
  maxFindings?: number;
  /** SARIF only: `problems` drops PASS and N/A results (GitHub code scanning alerts on every result). */
  sarifResults?: 'all' | 'problems';
  /** SARIF, HTML, ASFF: absolute base URL for the rules' docs links (relative in the rule table). */
  docsBaseUrl?: string;
}

/** The usual file extension per format, for `--output` defaults and guessing a format from a name. */
export const REPORT_EXTENSIONS: Record<ReportFormat, string> = {
  console: '.txt',
  json: '.json',
  sarif: '.sarif',
  csv: '.csv',
  junit: '.xml',
  markdown: '.md',
  html: '.html',
  asff: '.asff.json',
};

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

/** The format an output file name implies (`report.sarif` → sarif), or undefined when it implies none. */
export function formatForFile(path: string): ReportFormat | undefined {
  const name = path.toLowerCase();
  if (name.endsWith('.asff.json')) return 'asff';
  if (name.endsWith('.sarif') || name.endsWith('.sarif.json')) return 'sarif';
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.xml')) return 'junit';
  if (name.endsWith('.md') || name.endsWith('.markdown')) return 'markdown';
  if (name.endsWith('.html') || name.endsWith('.htm')) return 'html';
  if (name.endsWith('.txt')) return 'console';
  return undefined;
}

export function renderReport(format: ReportFormat, input: ReportInput, options: RenderOptions = {}): string {
  const docs = options.docsBaseUrl ? { docsBaseUrl: options.docsBaseUrl } : {};
  switch (format) {
    case 'console':
      return renderConsole(input, {
        color: options.color ?? false,
        ...(options.maxFindings !== undefined ? { maxFindings: options.maxFindings } : {}),
      });
    case 'json':
      return renderJson(input);
    case 'sarif':
      return renderSarif(input, {
        ...docs,
        ...(options.sarifResults ? { results: options.sarifResults } : {}),
      });
    case 'csv':
      return renderCsv(input);
    case 'junit':
      return renderJunit(input);
    case 'markdown':
      return renderMarkdown(input);
    case 'html':
      return renderHtml(input, docs);
    case 'asff':
      return renderAsff(input, docs);
    default:
      throw new UsageError(
        `Unknown report format "${String(format)}"; use one of: ${REPORT_FORMATS.join(', ')}.`,
      );
  }
}

/**
 * The report as pieces to write in order; joined, they are exactly `renderReport`'s text. JSON, SARIF, CSV,
 * JUnit and the HTML findings table are produced a finding at a time, so a large report is never held as
 * one string.
 */
export function renderReportChunks(
  format: ReportFormat,
  input: ReportInput,
  options: RenderOptions = {},
): Iterable<string> {
  switch (format) {
    case 'json':
      return renderJsonChunks(input);
    case 'sarif':
      return renderSarifChunks(input, {
        ...(options.docsBaseUrl ? { docsBaseUrl: options.docsBaseUrl } : {}),
        ...(options.sarifResults ? { results: options.sarifResults } : {}),
      });
    case 'csv':
      return renderCsvChunks(input);
    case 'junit':
      return renderJunitChunks(input);
    case 'html':
      return renderHtmlChunks(input, options.docsBaseUrl ? { docsBaseUrl: options.docsBaseUrl } : {});
    default:
      return [renderReport(format, input, options)];
  }
}

export { asffSkippedCount } from './asff.js';
export { DEFAULT_MAX_FINDINGS } from './console.js';
export { REPORT_JSON_SCHEMA_VERSION } from './json.js';
export { safeText } from './shared.js';
