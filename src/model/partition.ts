/** The partition follows from the region: cn-* is aws-cn, us-gov-* is aws-us-gov, anything else aws. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

// ISO partitions (us-iso-*) are left out on purpose: their partitions do not follow the rule above.
export const REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
