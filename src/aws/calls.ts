// Every AWS API call Signet makes is declared here, per command, so `signet iam-policy` can print the
// exact policy and the client factory can refuse an undeclared call.

export interface ApiCall {
  /** SDK service as in the command's client (`lambda`, `signer`, …). */
  service: string;
  /** API operation (SDK command name without `Command`). */
  operation: string;
  /** IAM action it needs. */
  action: string;
}

const call = (service: string, operation: string, action = `${service}:${operation}`): ApiCall => ({
  service,
  operation,
  action,
});

/** What `signet scan` calls. Only reads. */
export const SCAN_CALLS: readonly ApiCall[] = [
  call('sts', 'GetCallerIdentity'),
  call('sts', 'AssumeRole'),
  call('organizations', 'ListAccounts'),
  call('account', 'ListRegions'),
  call('lambda', 'ListCodeSigningConfigs'),
  call('lambda', 'ListFunctionsByCodeSigningConfig'),
  call('lambda', 'ListFunctions'),
  call('lambda', 'ListAliases'),
  call('tagging', 'GetResources', 'tag:GetResources'),
  call('signer', 'ListSigningProfiles'),
  call('signer', 'GetSigningProfile'),
  call('signer', 'ListProfilePermissions'),
  call('signer', 'ListSigningJobs'),
];

/** `signet plan` collects like the scan and writes nothing. */
export const PLAN_CALLS: readonly ApiCall[] = SCAN_CALLS;

const ENTER_ACCOUNTS: readonly ApiCall[] = [call('sts', 'GetCallerIdentity'), call('sts', 'AssumeRole')];

/** `signet apply`: re-read each target (stale-plan check), then the narrow writes of src/aws/act. */
export const APPLY_CALLS: readonly ApiCall[] = [
  ...ENTER_ACCOUNTS,
  call('lambda', 'GetFunctionCodeSigningConfig'),
  call('lambda', 'PutFunctionCodeSigningConfig'),
  call('lambda', 'GetCodeSigningConfig'),
  call('lambda', 'UpdateCodeSigningConfig'),
  call('lambda', 'ListCodeSigningConfigs'),
  call('lambda', 'CreateCodeSigningConfig'),
  call('signer', 'GetSigningProfile'),
  call('signer', 'PutSigningProfile'),
];

/** `signet rollback`: restore each function's and CSC's previous state, delete what the plan created. */
export const ROLLBACK_CALLS: readonly ApiCall[] = [
  ...ENTER_ACCOUNTS,
  call('lambda', 'GetFunctionCodeSigningConfig'),
  call('lambda', 'PutFunctionCodeSigningConfig'),
  call('lambda', 'DeleteFunctionCodeSigningConfig'),
  call('lambda', 'GetCodeSigningConfig'),
  call('lambda', 'UpdateCodeSigningConfig'),
  call('lambda', 'ListCodeSigningConfigs'),
  call('lambda', 'ListFunctionsByCodeSigningConfig'),
  call('lambda', 'DeleteCodeSigningConfig'),
  call('signer', 'GetSigningProfile'),
  call('signer', 'CancelSigningProfile'),
];

/** `signet verify --plan`: read the plan's targets back. Only reads. */
export const VERIFY_CALLS: readonly ApiCall[] = [
  ...ENTER_ACCOUNTS,
  call('lambda', 'GetFunctionCodeSigningConfig'),
  call('lambda', 'GetCodeSigningConfig'),
  call('lambda', 'ListCodeSigningConfigs'),
  call('signer', 'GetSigningProfile'),
];

/**
 * `signet verify --probe`: find the Enforce CSCs (the scan's reads), then per CSC a short-lived probe:
 * upload and sign a package, create a function bound to the CSC, try an unsigned UpdateFunctionCode,
 * delete the function; leftovers are found by tag.
 */
export const PROBE_CALLS: readonly ApiCall[] = [
  ...SCAN_CALLS,
  call('s3', 'PutObject'),
  call('signer', 'StartSigningJob'),
  call('signer', 'DescribeSigningJob'),
  call('lambda', 'CreateFunction'),
  // CreateFunction passes the probe's execution role.
  call('iam', 'PassRole'),
  call('lambda', 'GetFunction'),
  call('lambda', 'UpdateFunctionCode'),
  call('lambda', 'DeleteFunction'),
];

/** What `signet watch` calls: finding its accounts and regions, reading CloudTrail, publishing alerts. */
export const WATCH_CALLS: readonly ApiCall[] = [
  call('sts', 'GetCallerIdentity'),
  call('sts', 'AssumeRole'),
  call('organizations', 'ListAccounts'),
  call('account', 'ListRegions'),
  call('cloudtrail', 'LookupEvents'),
  call('sns', 'Publish'),
];

export const COMMAND_CALLS: Record<string, readonly ApiCall[]> = {
  scan: SCAN_CALLS,
  plan: PLAN_CALLS,
  apply: APPLY_CALLS,
  rollback: ROLLBACK_CALLS,
  verify: VERIFY_CALLS,
  'verify-probe': PROBE_CALLS,
  watch: WATCH_CALLS,
};

export interface IamPolicyDocument {
  Version: '2012-10-17';
  Statement: { Sid: string; Effect: 'Allow'; Action: string[]; Resource: '*' }[];
}

/** The least-privilege identity policy for a set of calls (read-only listing APIs take `*`). */
export function iamPolicyFor(calls: readonly ApiCall[], sid = 'Signet'): IamPolicyDocument {
  const actions = [...new Set(calls.map((c) => c.action))].sort();
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: sid, Effect: 'Allow', Action: actions, Resource: '*' }],
  };
}

export function declaredKey(service: string, operation: string): string {
  return `${service}:${operation}`;
}
