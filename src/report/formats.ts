// The report formats, without their reporters: the CLI validates --format before loading any.
export const REPORT_FORMATS = [
  'console',
  'json',
  'sarif',
  'csv',
  'junit',
  'markdown',
  'html',
  'asff',
] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
