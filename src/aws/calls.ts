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
