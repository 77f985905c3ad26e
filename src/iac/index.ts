// IaC scanning: templates in, one IaC Snapshot out (the same model the live audit fills).
export type { IacFormat, IacProblem } from './builder.js';
export { DEFAULT_MAX_FILE_BYTES, type IacScanOptions, type IacScanResult, scanIac } from './scan.js';
