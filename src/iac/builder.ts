// Collects what adapters find into one IaC Snapshot, plus notes and parse problems with positions.
import type {
  CodeSigningConfig,
  LambdaFunction,
  LayerVersion,
  SigningProfile,
  Snapshot,
} from '../model/snapshot.js';
import { emptySnapshot } from '../model/values.js';
import { commentsForLine, type Pos, type SuppressionComment } from './source.js';

export type IacFormat = 'cloudformation' | 'sam' | 'cdk' | 'terraform' | 'terraform-plan' | 'serverless';

export type IacProvenance = Extract<LambdaFunction['provenance'], { source: 'iac' }>;

/** A problem or remark about a file; `level` error = the file (or part of it) could not be scanned. */
export interface IacProblem {
  file: string;
  line?: number;
  column?: number;
  message: string;
  level: 'error' | 'warning' | 'note';
}

/** Canonical property names (CloudFormation's), recorded beside each format's own names for SARIF. */
export const CANONICAL_PROPERTY: Record<string, string> = {
  code_signing_config_arn: 'CodeSigningConfigArn',
  codeSigningConfigArn: 'CodeSigningConfigArn',
  policies: 'CodeSigningPolicies',
  allowed_publishers: 'AllowedPublishers',
  package_type: 'PackageType',
  image_uri: 'PackageType',
  ImageUri: 'PackageType',
  image: 'PackageType',
  layers: 'Layers',
  signingPolicy: 'CodeSigningPolicies',
  signature_validity_period: 'SignatureValidityPeriod',
};

export class SnapshotBuilder {
  readonly functions: LambdaFunction[] = [];
  readonly codeSigningConfigs: CodeSigningConfig[] = [];
  readonly signingProfiles: SigningProfile[] = [];
  readonly layerVersions: LayerVersion[] = [];
  readonly problems: IacProblem[] = [];

  problem(file: string, message: string, pos?: Partial<Pos>, level: IacProblem['level'] = 'error'): void {
    this.problems.push({
      file,
      message,
      level,
      ...(pos?.line !== undefined ? { line: pos.line } : {}),
      ...(pos?.column !== undefined ? { column: pos.column } : {}),
    });
  }

  /**
   * Provenance for a resource: position, property positions (native and canonical names) and the
   * suppressions from comments next to it or from `extra` (e.g. CloudFormation Metadata). A
   * suppression without a reason is reported as a warning and not honoured.
   */
  provenance(args: {
    format: IacFormat;
    file: string;
    logicalId: string;
    pos: Pos | undefined;
    properties?: Record<string, Pos | undefined>;
    comments?: { comments: SuppressionComment[]; commentLines: Set<number> };
    extra?: { ruleId: string; reason: string; pos?: Pos | undefined }[];
  }): IacProvenance {
    const pos = args.pos ?? { line: 1, column: 1 };
    const properties: Record<string, Pos> = {};
    for (const [name, where] of Object.entries(args.properties ?? {})) {
      if (!where) continue;
      properties[name] = where;
      const canonical = CANONICAL_PROPERTY[name];
      if (canonical && !properties[canonical]) properties[canonical] = where;
    }
    const suppressions: { ruleId: string; reason: string }[] = [];
    const candidates: { ruleId: string; reason: string; pos?: Pos | undefined }[] = [...(args.extra ?? [])];
    if (args.comments && args.pos) {
      for (const c of commentsForLine(args.comments, args.pos.line)) {
        for (const ruleId of c.ruleIds)
          candidates.push({ ruleId, reason: c.reason, pos: { line: c.line, column: 1 } });
      }
    }
    for (const c of candidates) {
      if (!c.reason.trim()) {
        this.problem(
          args.file,
          `suppression of ${c.ruleId} on ${args.logicalId} has no reason and is ignored; write the reason after the rule id`,
          c.pos ?? pos,
          'warning',
        );
        continue;
      }
      suppressions.push({ ruleId: c.ruleId, reason: c.reason.trim() });
    }
    return {
      source: 'iac',
      format: args.format,
      file: args.file,
      line: pos.line,
      column: pos.column,
      logicalId: args.logicalId,
      ...(Object.keys(properties).length > 0 ? { properties } : {}),
      ...(suppressions.length > 0 ? { suppressions } : {}),
    };
  }

  snapshot(collectedAt?: string): Snapshot {
    const snapshot = emptySnapshot('iac', collectedAt);
    snapshot.functions = this.functions;
    snapshot.codeSigningConfigs = this.codeSigningConfigs;
    snapshot.signingProfiles = this.signingProfiles;
    snapshot.layerVersions = this.layerVersions;
    snapshot.parseErrors = this.problems
      .filter((p) => p.level !== 'note')
      .map((p) => ({
        file: p.file,
        ...(p.line !== undefined ? { line: p.line } : {}),
        ...(p.column !== undefined ? { column: p.column } : {}),
        message: p.level === 'warning' ? `warning: ${p.message}` : p.message,
      }));
    return snapshot;
  }
}

/** The id of a resource in an IaC snapshot: `file#logicalId` (the identity findings use). */
export function iacId(file: string, logicalId: string): string {
  return `${file}#${logicalId}`;
}

/** Normalises a policy literal (`enforce`, `ENFORCE`) to the model's spelling. */
export function policyLiteral(value: unknown): 'Warn' | 'Enforce' | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  if (lower === 'enforce') return 'Enforce';
  if (lower === 'warn') return 'Warn';
  return undefined;
}
