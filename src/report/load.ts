// `renderReportChunks` for the CLI, loading only the reporter a format needs: the console report (what
// `signet iac` prints by default) loads no other reporter.
import type { ReportInput } from '../model/report.js';
import type { ReportFormat } from './formats.js';
import type { RenderOptions } from './index.js';

export async function loadReportChunks(
  format: ReportFormat,
  input: ReportInput,
  options: RenderOptions = {},
): Promise<Iterable<string>> {
  if (format === 'console') {
    const { renderConsole } = await import('./console.js');
    return [
      renderConsole(input, {
        color: options.color ?? false,
        ...(options.maxFindings !== undefined ? { maxFindings: options.maxFindings } : {}),
      }),
    ];
  }
  const { renderReportChunks } = await import('./index.js');
  return renderReportChunks(format, input, options);
}
