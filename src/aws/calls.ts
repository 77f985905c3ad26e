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
  call('signer', 'DescribeSigningJob'),
  // Governance rules SGN-009..014 (src/aws/collect/governance.ts).
  call('cloudtrail', 'LookupEvents'),
  call('iam', 'GetAccountAuthorizationDetails'),
  call('organizations', 'DescribeOrganization'),
  call('organizations', 'ListRoots'),
  call('organizations', 'ListAccountsForParent'),
  call('organizations', 'ListOrganizationalUnitsForParent'),
  call('organizations', 'ListPolicies'),
  call('organizations', 'DescribePolicy'),
  call('organizations', 'ListTargetsForPolicy'),
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

/** What `signet watch` calls: finding its accounts and regions, reading CloudTrail, publishing alerts. */
export const WATCH_CALLS: readonly ApiCall[] = [
  call('sts', 'GetCallerIdentity'),
  call('sts', 'AssumeRole'),
  call('organizations', 'ListAccounts'),
  call('account', 'ListRegions'),
  call('cloudtrail', 'LookupEvents'),
  call('sns', 'Publish'),
];

/**
 * What `signet sign` calls: upload the package to a versioned bucket, start a Signer job, wait for it and
 * read the signed object back (its version and digest go into the provenance). StartSigningJob also needs
 * s3:GetObjectVersion on the source and s3:PutObject on the destination (Signer acts as the caller).
 */
export const SIGN_CALLS: readonly ApiCall[] = [
  call('sts', 'GetCallerIdentity'),
  call('s3', 'GetBucketVersioning'),
  call('s3', 'PutObject'),
  call('s3', 'HeadObject', 's3:GetObject'),
  call('s3', 'GetObject'),
  call('s3', 'GetObject', 's3:GetObjectVersion'),
  call('signer', 'GetSigningProfile'),
  call('signer', 'StartSigningJob'),
  call('signer', 'DescribeSigningJob'),
];

/** What `signet verify-artifact` calls: reads only. */
export const VERIFY_ARTIFACT_CALLS: readonly ApiCall[] = [
  call('sts', 'GetCallerIdentity'),
  call('s3', 'HeadObject', 's3:GetObject'),
  call('s3', 'GetObject'),
  call('s3', 'GetObject', 's3:GetObjectVersion'),
  call('signer', 'DescribeSigningJob'),
  call('signer', 'GetSigningProfile'),
  call('signer', 'GetRevocationStatus'),
];

/**
 * What `signet deploy` calls: signing (when given a package), the pre-flight reads, the code or layer
 * update, the waiter, publishing and the alias. Never a CSC write: a pipeline role must not be able to
 * change what it is checked against (separation of duties).
 */
export const DEPLOY_CALLS: readonly ApiCall[] = [
  ...SIGN_CALLS,
  ...VERIFY_ARTIFACT_CALLS,
  call('lambda', 'GetFunctionCodeSigningConfig'),
  call('lambda', 'GetCodeSigningConfig'),
  call('lambda', 'GetFunction'),
  call('lambda', 'GetFunctionConfiguration'),
  call('lambda', 'UpdateFunctionCode'),
  call('lambda', 'PublishVersion'),
  call('lambda', 'GetAlias'),
  call('lambda', 'CreateAlias'),
  call('lambda', 'UpdateAlias'),
  call('lambda', 'PublishLayerVersion'),
  call('lambda', 'ListFunctions'),
  call('lambda', 'UpdateFunctionConfiguration'),
];

export const COMMAND_CALLS: Record<string, readonly ApiCall[]> = {
  scan: SCAN_CALLS,
  plan: PLAN_CALLS,
  apply: APPLY_CALLS,
  rollback: ROLLBACK_CALLS,
  verify: VERIFY_CALLS,
  watch: WATCH_CALLS,
  sign: SIGN_CALLS,
  deploy: DEPLOY_CALLS,
  'verify-artifact': VERIFY_ARTIFACT_CALLS,
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
