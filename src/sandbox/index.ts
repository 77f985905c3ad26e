// Public entry of the sandbox: build one with every emulated service registered.
import { Sandbox, type SandboxOptions, type ServiceFactory } from './server.js';
import { accountService } from './services/account.js';
import { cloudtrailService } from './services/cloudtrail.js';
import { iamService } from './services/iam.js';
import { lambdaService } from './services/lambda/index.js';
import { organizationsService } from './services/organizations.js';
import { s3Service } from './services/s3.js';
import { signerService } from './services/signer.js';
import { snsService } from './services/sns.js';
import { stsService } from './services/sts.js';
import { taggingService } from './services/tagging.js';

export const SERVICE_FACTORIES: ServiceFactory[] = [
  accountService,
  stsService,
  iamService,
  organizationsService,
  taggingService,
  cloudtrailService,
  s3Service,
  signerService,
  lambdaService,
  snsService,
];

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  return new Sandbox(SERVICE_FACTORIES, options);
}

export { GLOBAL_SERVICE_REGION, PARTITIONS, type Partition } from './partition.js';
export type { CallStat, SandboxOptions } from './server.js';
export { BOOTSTRAP_CREDENTIALS, DEFAULT_REGION, MANAGEMENT_ACCOUNT_ID, Sandbox } from './server.js';
