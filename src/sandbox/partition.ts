// AWS partitions: separate clouds (commercial, China, GovCloud) whose ARNs begin `arn:<partition>:`.
// A sandbox serves one partition (like one AWS endpoint set); a region belongs to exactly one partition,
// so regional ARNs take theirs from the region and global ones (IAM, STS, Organizations, S3) from the world.

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

export const PARTITIONS: readonly Partition[] = ['aws', 'aws-cn', 'aws-us-gov'];

/** Regions enabled by default per partition (the commercial list is AWS's default-enabled set). */
export const PARTITION_REGIONS: Record<Exclude<Partition, 'aws'>, readonly string[]> = {
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
};

/** Where a partition's global services (IAM, Organizations) live. */
export const GLOBAL_SERVICE_REGION: Record<Partition, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};

/** The partition a region belongs to. */
export function partitionOfRegion(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** A regex source matching any partition's `arn:<partition>:` prefix (for validating ARNs given to us). */
export const ARN_PARTITION = 'arn:aws(?:-cn|-us-gov)?:';
