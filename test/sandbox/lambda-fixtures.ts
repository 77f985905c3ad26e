// Shared fixtures for the Lambda sandbox tests: an execution role and small deployment packages.
import { CreateRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import { createZip } from '../../src/sandbox/zip.js';

let counter = 0;

/** A fresh ZIP package; `seed` makes its bytes (and CodeSha256) distinct. */
export function aZip(seed = `pkg-${++counter}`): Uint8Array {
  return new Uint8Array(
    createZip([{ name: 'index.js', data: `exports.handler = async () => '${seed}';\n` }]),
  );
}

/** Creates a Lambda execution role in the caller's account and returns its ARN. */
export async function aRole(iam: IAMClient, name = `lambda-exec-${++counter}`): Promise<string> {
  const out = await iam.send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    }),
  );
  return out.Role!.Arn!;
}
