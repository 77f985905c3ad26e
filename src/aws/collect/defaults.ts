// Scan defaults the CLI shows in --help; kept apart from the collector so help does not load the AWS SDK.

/** The role AWS Organizations creates in member accounts; `--role-name` overrides it. */
export const DEFAULT_ROLE_NAME = 'OrganizationAccountAccessRole';

/** Account-regions collected at once by default: each has its own quotas, so this is bounded by sockets. */
export const DEFAULT_CONCURRENCY = 16;
