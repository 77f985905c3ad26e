// What a careless or malicious deployer does after remediation: push unsigned code to functions that
// now have an Enforce CSC. The demo uses it so `signet watch` and the KPIs see real blocked attempts.

import { UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createZip } from '../zip.js';
import { SeedClients, type SeedCredentials } from './clients.js';

/** Tries an unsigned UpdateFunctionCode on each function ARN; returns how many Lambda blocked. */
export async function attemptUnsignedDeploys(
  endpoint: string,
  credentials: SeedCredentials,
  functionArns: readonly string[],
): Promise<number> {
  const home = new SeedClients(endpoint, credentials, 'us-east-1');
  const caller = (await home.sts.send(new GetCallerIdentityCommand({}))).Account;
  let blocked = 0;
  const opened: SeedClients[] = [home];
  try {
    for (const arn of functionArns) {
      const match = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([^:]+)$/.exec(arn);
      if (!match) continue;
      const [, region, account, name] = match as unknown as [string, string, string, string];
      const clients =
        account === caller
          ? home.inRegion(region)
          : await home.assume(
              `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`,
              'hotfix-by-hand',
              region,
            );
      opened.push(clients);
      try {
        await clients.lambda.send(
          new UpdateFunctionCodeCommand({
            FunctionName: name,
            ZipFile: createZip([{ name: 'index.js', data: 'exports.handler = async () => "hotfix";\n' }]),
          }),
        );
      } catch (err) {
        if ((err as { name?: string }).name === 'CodeVerificationFailedException') blocked += 1;
        else throw err;
      }
    }
  } finally {
    for (const c of opened) c.destroy();
  }
  return blocked;
}
