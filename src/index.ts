// Signet as a library: collect a snapshot (live accounts or IaC), evaluate the rules, apply the gate and
// render reports — what the CLI does, for programs that embed it. `import { … } from 'signet'`.
export { collectSnapshot, type ScanOptions, type ScanProgress } from './aws/collect/scan.js';
export { loadConfig, parseConfig } from './config/load.js';
export { ConfigSchema, defaultConfig, type SignetConfig } from './config/schema.js';
export { type EvaluateOptions, type Evaluation, evaluate, findingId } from './engine/evaluate.js';
export {
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_UNVERIFIED,
  EXIT_USAGE,
  evaluateGate,
  type GatePolicy,
  type GateResult,
} from './engine/gate.js';
export { buildReportInput } from './engine/report-input.js';
export { isSignetError, SignetError, UsageError } from './errors.js';
export { scanIac } from './iac/index.js';
export type { Finding, ResourceRef, Severity, Status } from './model/finding.js';
export type { ReportInput } from './model/report.js';
export { emptySnapshot, SNAPSHOT_SCHEMA_VERSION, Snapshot } from './model/snapshot.js';
export { loadSnapshot, saveSnapshot } from './model/snapshot-file.js';
export { REPORT_FORMATS, type ReportFormat, renderReport } from './report/index.js';
export { RULE_IDS, RULES } from './rules/index.js';
export type { Rule, RuleContext, RuleMeta, RuleOutcome } from './rules/rule.js';
export { SIGNET_VERSION } from './version.js';
