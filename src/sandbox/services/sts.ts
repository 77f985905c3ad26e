// STS (query protocol): GetCallerIdentity and AssumeRole, including cross-account role assumption
// checked against the role's trust policy.
import { AwsError } from '../errors.js';
import { trustAllows } from '../iam-policy.js';
import { newSecret, randomId } from '../identity.js';
import { ARN_PARTITION, partitionOfRegion } from '../partition.js';
import { formParams, QUERY_PROTOCOL_ERRORS, queryResponse, requireParam } from '../query-protocol.js';
import type { ResolvedOperation, ServiceDefinition } from '../service.js';

const ROLE_ARN = new RegExp(`^${ARN_PARTITION}iam::(\\d{12}):role/(?:.*/)?([\\w+=,.@-]+)$`);

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

function invalidAction(action: string): AwsError {
  return new AwsError('InvalidAction', 400, `Could not find operation ${action} for version 2011-06-15`);
}

export function stsService(): ServiceDefinition {
  return {
    signingName: 'sts',
    eventSource: 'sts.amazonaws.com',
    protocol: 'query',
    defaultBucket: 'sts:all',
    ...QUERY_PROTOCOL_ERRORS,
    resolve(req): ResolvedOperation {
      const params = formParams(req);
      const action = params.get('Action') ?? '';
      switch (action) {
        case 'GetCallerIdentity':
          return {
            name: action,
            action: null,
            readOnly: true,
            handler: (ctx) => ({
              response: queryResponse(
                action,
                XMLNS,
                { UserId: ctx.caller.principalId, Account: ctx.caller.accountId, Arn: ctx.caller.arn },
                req.requestId,
              ),
              requestParameters: null,
            }),
          };
        case 'AssumeRole':
          return {
            name: action,
            action: 'sts:AssumeRole',
            readOnly: false,
            handler: (ctx) => {
              const roleArn = requireParam(params, 'RoleArn');
              const sessionName = requireParam(params, 'RoleSessionName');
              if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
                throw new AwsError(
                  'ValidationError',
                  400,
                  `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
                );
              }
              const match = ROLE_ARN.exec(roleArn);
              if (!match) {
                throw new AwsError('ValidationError', 400, `${roleArn} is invalid`);
              }
              ctx.authorize(roleArn);
              const [, accountId, roleName] = match as unknown as [string, string, string];
              const role = ctx.world.accounts[accountId]?.iam.roles[roleName];
              const denied = new AwsError(
                'AccessDenied',
                403,
                `User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
              );
              if (!role) throw denied;
              const callerIdentityArn = ctx.caller.roleArn ?? ctx.caller.arn;
              const externalId = params.get('ExternalId') ?? undefined;
              if (
                !trustAllows(role.assumeRolePolicyDocument, callerIdentityArn, ctx.caller.accountId, {
                  'sts:ExternalId': externalId,
                })
              ) {
                throw denied;
              }
              const duration = Number(params.get('DurationSeconds') ?? 3600);
              if (!Number.isInteger(duration) || duration < 900 || duration > role.maxSessionDuration) {
                throw new AwsError(
                  'ValidationError',
                  400,
                  `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
                );
              }
              const expiresAt = ctx.now() + duration * 1000;
              const accessKeyId = randomId('ASIA', 16);
              const secretAccessKey = newSecret();
              const sessionToken = Buffer.from(`${accessKeyId}:${newSecret()}${newSecret()}`).toString(
                'base64',
              );
              const sessionArn = `arn:${partitionOfRegion(ctx.region)}:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
              ctx.world.accessKeys[accessKeyId] = {
                accessKeyId,
                secretAccessKey,
                sessionToken,
                principalArn: sessionArn,
                accountId,
                expiresAt,
                roleArn: role.arn,
                sessionName,
                status: 'Active',
              };
              const expiration = new Date(expiresAt).toISOString();
              const assumedRoleId = `${role.roleId}:${sessionName}`;
              return {
                response: queryResponse(
                  action,
                  XMLNS,
                  {
                    Credentials: {
                      AccessKeyId: accessKeyId,
                      SecretAccessKey: secretAccessKey,
                      SessionToken: sessionToken,
                      Expiration: expiration,
                    },
                    AssumedRoleUser: { AssumedRoleId: assumedRoleId, Arn: sessionArn },
                  },
                  req.requestId,
                ),
                requestParameters: { roleArn, roleSessionName: sessionName, durationSeconds: duration },
                // CloudTrail never records the secret: only the key id and expiry.
                responseElements: {
                  credentials: { accessKeyId, expiration },
                  assumedRoleUser: { assumedRoleId, arn: sessionArn },
                },
                resources: [{ ResourceType: 'AWS::IAM::Role', ResourceName: roleArn }],
              };
            },
          };
        default:
          throw invalidAction(action);
      }
    },
  };
}
