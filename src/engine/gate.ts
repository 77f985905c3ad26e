// The CI gate: one exit-code policy for every command that reports (scan, iac, demo). A green gate must
// mean the fleet was verified, so what Signet could not see fails it too (fail closed).
import type { Finding, Severity } from '../model/finding.js';
import type { ReportInput } from '../model/report.js';
import { severityRank } from '../model/values.js';

export const EXIT_OK = 0;
/** The gate cannot vouch for the fleet: errors, an incomplete collection, unknowns (with --fail-on-unknown). */
export const EXIT_UNVERIFIED = 1;
export const EXIT_USAGE = 2;
/** Unmuted FAIL findings at or above `--fail-on`. */
export const EXIT_FINDINGS = 3;

export interface GatePolicy {
  /** `--fail-on`: unmuted FAILs at least this severe fail the gate (exit 3). */
  failOn?: Severity;
  /** `--fail-on-unknown`: unmuted UNKNOWNs (at least `failOn` severe, when given) fail the gate (exit 1). */
  failOnUnknown?: boolean;
  /** `--allow-incomplete`: collection errors and unparsed files alone do not fail the gate. */
  allowIncomplete?: boolean;
}

export interface GateResult {
  exitCode: number;
  /** One line per reason the gate failed, for stderr. Empty when it passed or no gate was asked for. */
  reasons: string[];
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Is a gate asked for at all? Without one, Signet reports and exits 0. */
export function gateRequested(policy: GatePolicy): boolean {
  return policy.failOn !== undefined || policy.failOnUnknown === true;
}

/**
 * Decides the exit code. Definite failures (exit 3) win over "cannot verify" (exit 1), so a CI log
 * says what to fix first; both are listed in `reasons`.
 */
export function evaluateGate(
  input: Pick<ReportInput, 'findings' | 'collectionErrors' | 'parseErrors'>,
  policy: GatePolicy,
  extra: { unparsedFiles?: number } = {},
): GateResult {
  if (!gateRequested(policy)) return { exitCode: EXIT_OK, reasons: [] };
  const threshold = policy.failOn !== undefined ? severityRank(policy.failOn) : -1;
  const atLeast = (f: Finding) => severityRank(f.severity) >= threshold;
  const failing = input.findings.filter((f) => f.status === 'FAIL' && !f.muted && atLeast(f));
  const errors = input.findings.filter((f) => f.status === 'ERROR');
  const unknowns = policy.failOnUnknown
    ? input.findings.filter((f) => f.status === 'UNKNOWN' && !f.muted && atLeast(f))
    : [];
  const reasons: string[] = [];
  if (failing.length > 0 && policy.failOn !== undefined) {
    reasons.push(`${plural(failing.length, 'unmuted FAIL finding')} at or above ${policy.failOn}`);
  }
  if (errors.length > 0) {
    reasons.push(
      `${plural(errors.length, 'rule error')} (a rule could not judge a resource; see the ERROR findings)`,
    );
  }
  if (unknowns.length > 0) {
    reasons.push(`${plural(unknowns.length, 'UNKNOWN finding')} (--fail-on-unknown)`);
  }
  if (!policy.allowIncomplete) {
    const collection = input.collectionErrors.length;
    const unparsed = extra.unparsedFiles ?? 0;
    if (collection > 0) {
      reasons.push(
        `incomplete collection: ${plural(collection, 'AWS call')} failed (fix access and scan again, or accept with --allow-incomplete)`,
      );
    }
    if (unparsed > 0) {
      reasons.push(
        `${plural(unparsed, 'file')} could not be parsed (fix them, or accept with --allow-incomplete)`,
      );
    }
  }
  if (reasons.length === 0) return { exitCode: EXIT_OK, reasons };
  return {
    exitCode: failing.length > 0 && policy.failOn !== undefined ? EXIT_FINDINGS : EXIT_UNVERIFIED,
    reasons,
  };
}
