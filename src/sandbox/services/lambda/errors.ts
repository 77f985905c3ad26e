// Lambda's exceptions with their wire names, HTTP statuses and message-member casing (spec §1.2).
import { AwsError } from '../../errors.js';

export function notFound(message: string): AwsError {
  return new AwsError('ResourceNotFoundException', 404, message, { messageKey: 'Message' });
}

export function functionNotFound(arn: string): AwsError {
  return notFound(`Function not found: ${arn}`);
}

/** The generic text AWS uses for missing layers, policies and code signing configs. */
export function resourceNotFound(): AwsError {
  return notFound('The resource you requested does not exist.');
}

export function conflict(message: string): AwsError {
  return new AwsError('ResourceConflictException', 409, message, { messageKey: 'message' });
}

export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterValueException', 400, message, { messageKey: 'message' });
}

export function invalidContent(message: string): AwsError {
  return new AwsError('InvalidRequestContentException', 400, message, { messageKey: 'message' });
}

export function preconditionFailed(): AwsError {
  return new AwsError(
    'PreconditionFailedException',
    412,
    'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    { messageKey: 'message' },
  );
}

/** Constraint violations on the input shape: Lambda answers with the generic ValidationException. */
export function validation(value: unknown, member: string, constraint: string): AwsError {
  const shown = value === undefined || value === null ? 'null' : `'${String(value)}'`;
  return new AwsError(
    'ValidationException',
    400,
    `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`,
    { messageKey: 'message' },
  );
}

export function cscNotFound(arn: string): AwsError {
  return new AwsError(
    'CodeSigningConfigNotFoundException',
    404,
    `The code signing configuration ${arn} does not exist.`,
    { messageKey: 'Message' },
  );
}

export function codeVerificationFailed(artifactArn: string): AwsError {
  // Observed Enforce-mode text (spec §1.2, aws-cdk#29474, opentelemetry-lambda#1548).
  return new AwsError(
    'CodeVerificationFailedException',
    400,
    `Lambda cannot deploy the function. The function or layer might be signed using a signature that the client is not configured to accept. Check the provided signature for ${artifactArn}.`,
    { messageKey: 'Message' },
  );
}

export function invalidCodeSignature(artifactArn: string): AwsError {
  // AWS's exact text is not published; this follows the API reference's description of the exception.
  return new AwsError(
    'InvalidCodeSignatureException',
    400,
    `Lambda cannot deploy the function. The code signature failed the integrity check, and Lambda blocks deployment even if the code signing policy is set to WARN. Check the provided signature for ${artifactArn}.`,
    { messageKey: 'Message' },
  );
}

export function unknownOperation(method: string, path: string): AwsError {
  return new AwsError('UnknownOperationException', 404, `Unknown operation ${method} ${path}`, {
    messageKey: 'message',
  });
}
