// ARN parsing for every partition (aws, aws-cn, aws-us-gov, …), so no code assumes `arn:aws:`. The
// same rules as the SDK's `@aws-sdk/util-arn-parser` (six colon-separated fields at least, the resource
// keeps its colons), written out: that package loads @smithy/core, ~40 ms of `signet iac`'s start-up.

export interface Arn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

/** Parses any ARN; undefined when the value is not one. */
export function parseArn(value: string): Arn | undefined {
  if (typeof value !== 'string') return undefined;
  const segments = value.split(':');
  if (segments.length < 6 || segments[0] !== 'arn') return undefined;
  const [, partition, service, region, accountId, ...resource] = segments as [string, ...string[]];
  return {
    partition: partition!,
    service: service!,
    region: region!,
    accountId: accountId!,
    resource: resource.join(':'),
  };
}

/** The partition a region belongs to (AWS regions are each in exactly one). */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`, …), undefined when it is not an ARN. */
export function partitionOf(arn: string): string | undefined {
  return parseArn(arn)?.partition;
}

export interface SignerArn {
  partition: string;
  accountId: string;
  region: string;
  profileName: string;
  /** Present for a profile *version* ARN. */
  profileVersion?: string;
}

/** Parses `arn:PARTITION:signer:REGION:ACCOUNT:/signing-profiles/NAME[/VERSION]`. */
export function parseSigningProfileArn(arn: string): SignerArn | undefined {
  const parsed = parseArn(arn);
  if (parsed?.service !== 'signer' || !/^\d{12}$/.test(parsed.accountId) || !parsed.region) return undefined;
  const match = /^\/signing-profiles\/([A-Za-z0-9_]+)(?:\/([A-Za-z0-9]+))?$/.exec(parsed.resource);
  if (!match) return undefined;
  return {
    partition: parsed.partition,
    accountId: parsed.accountId,
    region: parsed.region,
    profileName: match[1]!,
    ...(match[2] ? { profileVersion: match[2] } : {}),
  };
}

/** Parses `arn:PARTITION:signer:REGION:ACCOUNT:/signing-jobs/JOBID`. */
export function parseSigningJobArn(
  arn: string,
): { partition: string; accountId: string; region: string; jobId: string } | undefined {
  const parsed = parseArn(arn);
  if (parsed?.service !== 'signer' || !/^\d{12}$/.test(parsed.accountId) || !parsed.region) return undefined;
  const match = /^\/signing-jobs\/([A-Za-z0-9-]+)$/.exec(parsed.resource);
  if (!match) return undefined;
  return {
    partition: parsed.partition,
    accountId: parsed.accountId,
    region: parsed.region,
    jobId: match[1]!,
  };
}

/** Builds a signing job ARN in the given partition. */
export function signingJobArn(partition: string, region: string, accountId: string, jobId: string): string {
  return `arn:${partition}:signer:${region}:${accountId}:/signing-jobs/${jobId}`;
}

/** Parses a Lambda layer version ARN (`arn:P:lambda:R:A:layer:NAME:VERSION`). */
export function parseLayerVersionArn(
  arn: string,
): { partition: string; accountId: string; region: string; layerName: string; version: string } | undefined {
  const parsed = parseArn(arn);
  if (parsed?.service !== 'lambda') return undefined;
  const match = /^layer:([^:]+):(\d+)$/.exec(parsed.resource);
  if (!match) return undefined;
  return {
    partition: parsed.partition,
    accountId: parsed.accountId,
    region: parsed.region,
    layerName: match[1]!,
    version: match[2]!,
  };
}

/** Strips a `:qualifier` (version or alias) from a Lambda function ARN. */
export function unqualifiedFunctionArn(arn: string): string {
  const parsed = parseArn(arn);
  if (parsed?.service !== 'lambda') return arn;
  const match = /^function:([^:]+)(?::.+)?$/.exec(parsed.resource);
  if (!match) return arn;
  return `arn:${parsed.partition}:lambda:${parsed.region}:${parsed.accountId}:function:${match[1]}`;
}
