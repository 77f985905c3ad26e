// `renderReportChunks` for the CLI, loading only the reporter a format needs: the console report (what
// `signet iac` prints by default) or a JSON report loads no other reporter.
import type { ReportInput } from '../model/report.js';
import type { ReportFormat } from './formats.js';
import type { RenderOptions } from './index.js';

export async function loadReportChunks(
  format: ReportFormat,
  input: ReportInput,
  options: RenderOptions = {},
): Promise<Iterable<string>> {
  const docs = options.docsBaseUrl ? { docsBaseUrl: options.docsBaseUrl } : {};
  // The same calls as renderReportChunks (report/index.ts), one reporter module each; a test checks
  // every format and option against renderReport.
  switch (format) {
    case 'console': {
      const { renderConsole } = await import('./console.js');
      return [
        renderConsole(input, {
          color: options.color ?? false,
          ...(options.maxFindings !== undefined ? { maxFindings: options.maxFindings } : {}),
        }),
      ];
    }
    case 'json':
      return (await import('./json.js')).renderJsonChunks(input);
    case 'sarif':
      return (await import('./sarif.js')).renderSarifChunks(input, {
        ...docs,
        ...(options.sarifResults ? { results: options.sarifResults } : {}),
      });
    case 'csv':
      return (await import('./csv.js')).renderCsvChunks(input);
    case 'junit':
      return (await import('./junit.js')).renderJunitChunks(input);
    case 'html':
      return (await import('./html.js')).renderHtmlChunks(input, docs);
    default: {
      const { renderReportChunks } = await import('./index.js');
      return renderReportChunks(format, input, options);
    }
  }
}
