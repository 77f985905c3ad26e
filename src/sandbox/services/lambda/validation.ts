// Deploy-time code signing validation (spec §1.3): what Lambda checks when code or layers are deployed
// to a function that has a code signing config, and what it records about a package's signature.
import type { SignatureCheck, SignerInternals } from '../../internals.js';
import type { OperationContext } from '../../service.js';
import { codeVerificationFailed, invalidCodeSignature } from './errors.js';
import { type CscRecord, regionState } from './state.js';

export interface Artifact {
  /** Function (unqualified) or layer version ARN: named in errors and warnings. */
  arn: string;
  kind: 'function' | 'layer';
  bytes: Buffer;
}

export interface SigningFields {
  SigningProfileVersionArn?: string;
  SigningJobArn?: string;
}

export type FailureReason = 'Unsigned' | 'UntrustedPublisher' | 'Expired' | 'Revoked';

export interface ValidationFailure {
  artifact: string;
  kind: 'function' | 'layer';
  reason: FailureReason;
  signingProfileVersionArn?: string;
  signingJobArn?: string;
}

export interface ValidationReport {
  codeSigningConfigArn: string;
  policy: 'Warn' | 'Enforce';
  outcome: 'Passed' | 'Failed';
  failures: ValidationFailure[];
}

function check(ctx: OperationContext, bytes: Buffer, cache?: Map<Buffer, SignatureCheck>): SignatureCheck {
  const cached = cache?.get(bytes);
  if (cached) return cached;
  const signer = ctx.internals.signer as SignerInternals | undefined;
  // A sandbox built without Signer knows no signing keys: every package reads as unsigned.
  const result: SignatureCheck = signer ? signer.checkPackage(bytes) : { kind: 'unsigned' };
  cache?.set(bytes, result);
  return result;
}

/**
 * The signing ARNs Lambda reports for a package: only a signature that verifies identifies its signer.
 * Recorded whether or not the function has a CSC — conservative reading of spec §1.4 (Lambda reports them
 * for layers, which never have a CSC, so a verifiable signature is evidently identifiable).
 */
export function signingFields(ctx: OperationContext, bytes: Buffer): SigningFields {
  const result = check(ctx, bytes);
  if (result.kind !== 'signed') return {};
  return { SigningProfileVersionArn: result.profileVersionArn, SigningJobArn: result.jobArn };
}

function failureOf(ctx: OperationContext, csc: CscRecord, result: SignatureCheck): FailureReason | undefined {
  if (result.kind !== 'signed') return 'Unsigned';
  if (!csc.AllowedPublishers.SigningProfileVersionArns.includes(result.profileVersionArn)) {
    return 'UntrustedPublisher';
  }
  if (result.expiresAt <= ctx.now()) return 'Expired';
  const profileRevoked =
    result.profileStatus === 'Revoked' &&
    (result.profileRevokedFrom === undefined || result.profileRevokedFrom <= result.signedAt);
  if (result.jobRevoked || profileRevoked) return 'Revoked';
  return undefined;
}

/**
 * Validates a deployment against the function's CSC, in AWS's order: integrity first (always blocks,
 * even under Warn), then publisher/expiry/revocation, which Enforce blocks and Warn lets through with
 * a warning. Every failed deployment (warned or blocked) counts in `SignatureValidationErrors`.
 */
export function validateDeployment(
  ctx: OperationContext,
  csc: CscRecord,
  functionName: string,
  accountId: string,
  artifacts: Artifact[],
): ValidationReport {
  const cache = new Map<Buffer, SignatureCheck>();
  const policy = csc.CodeSigningPolicies.UntrustedArtifactOnDeployment;
  const metrics = regionState(ctx.world, accountId, ctx.region).signatureValidationErrors;
  const countFailure = () => {
    metrics[functionName] = (metrics[functionName] ?? 0) + 1;
  };
  for (const artifact of artifacts) {
    const result = check(ctx, artifact.bytes, cache);
    if (result.kind === 'integrity-failed') {
      countFailure();
      throw invalidCodeSignature(artifact.arn);
    }
  }
  const failures: ValidationFailure[] = [];
  for (const artifact of artifacts) {
    const result = check(ctx, artifact.bytes, cache);
    const reason = failureOf(ctx, csc, result);
    if (!reason) continue;
    failures.push({
      artifact: artifact.arn,
      kind: artifact.kind,
      reason,
      ...(result.kind === 'signed'
        ? { signingProfileVersionArn: result.profileVersionArn, signingJobArn: result.jobArn }
        : {}),
    });
  }
  if (failures.length > 0) {
    countFailure();
    if (policy === 'Enforce') throw codeVerificationFailed(failures[0]!.artifact);
  }
  return {
    codeSigningConfigArn: csc.CodeSigningConfigArn,
    policy,
    outcome: failures.length > 0 ? 'Failed' : 'Passed',
    failures,
  };
}

/**
 * The CloudTrail record of a validation. AWS says deployments are logged "with information about the
 * signature and validation checks" but does not document the field (spec §1.5, UNCONFIRMED): the
 * sandbox uses `additionalEventData.codeSigningValidation`.
 */
export function validationEventData(
  report: ValidationReport | undefined,
): Record<string, unknown> | undefined {
  if (!report) return undefined;
  return {
    codeSigningValidation: {
      codeSigningConfigArn: report.codeSigningConfigArn,
      policy: report.policy,
      outcome: report.outcome,
      reasons: report.failures,
    },
  };
}
