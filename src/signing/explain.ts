// AWS errors of the signing and deployment calls as one line a pipeline log reader can act on.
import { SignetError } from '../errors.js';

export interface AwsErrorLike {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** One line naming what AWS refused, why, and what to do. `subject` names the function or layer. */
export function explainAwsError(err: unknown, subject: string): string {
  const e = err as AwsErrorLike;
  const name = e.name ?? 'Error';
  const message = (e.message ?? String(err)).replace(/\s+/g, ' ').trim();
  switch (name) {
    case 'CodeVerificationFailedException':
      return `Lambda refused the code for ${subject} (CodeVerificationFailedException): its code signing config is in Enforce mode and the signature is unsigned, not from an allowed publisher, expired or revoked; sign with a profile version listed in the CSC's AllowedPublishers`;
    case 'InvalidCodeSignatureException':
      return `Lambda refused the code for ${subject} (InvalidCodeSignatureException): the package failed the signature integrity check, so it was changed after signing (Lambda blocks this even in Warn mode); sign the original package again and deploy the new signed object`;
    case 'CodeSigningConfigNotFoundException':
      return `the code signing config of ${subject} no longer exists (CodeSigningConfigNotFoundException); ask its owner to restore it or attach another`;
    case 'ResourceConflictException':
      return `${subject} is busy (ResourceConflictException: ${message}); wait for the update in progress to finish and run again`;
    case 'PreconditionFailedException':
      return `${subject} changed while Signet was deploying (RevisionId mismatch); run again`;
    case 'ResourceNotFoundException':
      return `${subject} was not found (${message}); check the name and --region`;
    case 'AccessDeniedException':
    case 'AccessDenied':
      return `not authorized for ${subject} (${message}); the pipeline role needs the policy printed by 'signet iam-policy deploy'`;
    case 'InvalidParameterValueException':
      return `AWS rejected the request for ${subject} (InvalidParameterValueException: ${message})`;
    default:
      return `${name} for ${subject}: ${message}`;
  }
}

/** A deployment AWS refused, with the one-line explanation as the message. */
export class DeployRefusedError extends SignetError {
  constructor(
    readonly awsError: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('DEPLOY_REFUSED', message, options);
    this.name = 'DeployRefusedError';
  }
}

export function refused(err: unknown, subject: string): DeployRefusedError {
  return new DeployRefusedError((err as AwsErrorLike).name ?? 'Error', explainAwsError(err, subject), {
    cause: err,
  });
}
