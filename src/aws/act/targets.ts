// Narrow readers and writers for remediation (apply, rollback, verify): one small function per AWS
// call, clients from the ClientFactory (paced, retrying, declared calls only), credentials per account.
import {
  CreateCodeSigningConfigCommand,
  DeleteCodeSigningConfigCommand,
  DeleteFunctionCodeSigningConfigCommand,
  GetCodeSigningConfigCommand,
  GetFunctionCodeSigningConfigCommand,
  type LambdaClient,
  PutFunctionCodeSigningConfigCommand,
  paginateListCodeSigningConfigs,
  paginateListFunctionsByCodeSigningConfig,
  UpdateCodeSigningConfigCommand,
} from '@aws-sdk/client-lambda';
import {
  CancelSigningProfileCommand,
  GetSigningProfileCommand,
  PutSigningProfileCommand,
  type SignerClient,
} from '@aws-sdk/client-signer';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { SignetError, UsageError } from '../../errors.js';
import { partitionOfRegion } from '../../model/arn.js';
import type { ApiCall } from '../calls.js';
import { type CallRecord, ClientFactory, type Credentials, RateLimiter } from '../clients.js';
import { describeError } from '../errors.js';

export interface CscLive {
  arn: string;
  policy: 'Warn' | 'Enforce';
  publishers: string[];
  description: string;
}

export interface ProfileLive {
  status: string;
  platformId?: string;
  profileVersionArn?: string;
  tags: Record<string, string>;
}

export function isNotFound(err: unknown): boolean {
  const name = (err as { name?: string }).name ?? '';
  return name === 'ResourceNotFoundException' || name === 'CodeSigningConfigNotFoundException';
}

function requestId(out: { $metadata?: { requestId?: string } }): string | undefined {
  return out.$metadata?.requestId;
}

/** The calls one account-region's remediation makes. */
export class RegionActor {
  constructor(
    readonly accountId: string,
    readonly region: string,
    private readonly lambda: LambdaClient,
    private readonly signer: SignerClient,
  ) {}

  /** The function's CSC ARN, or null when it has none (absent, null and "" alike, spec §1.1). */
  async functionCsc(functionArn: string): Promise<string | null> {
    try {
      const out = await this.lambda.send(
        new GetFunctionCodeSigningConfigCommand({ FunctionName: functionArn }),
      );
      return out.CodeSigningConfigArn ? out.CodeSigningConfigArn : null;
    } catch (err) {
      // AWS's 2026 model adds CodeSigningConfigNotFoundException for "no CSC".
      if ((err as { name?: string }).name === 'CodeSigningConfigNotFoundException') return null;
      throw err;
    }
  }

  async putFunctionCsc(functionArn: string, cscArn: string): Promise<string | undefined> {
    const out = await this.lambda.send(
      new PutFunctionCodeSigningConfigCommand({ FunctionName: functionArn, CodeSigningConfigArn: cscArn }),
    );
    return requestId(out);
  }

  async deleteFunctionCsc(functionArn: string): Promise<string | undefined> {
    const out = await this.lambda.send(
      new DeleteFunctionCodeSigningConfigCommand({ FunctionName: functionArn }),
    );
    return requestId(out);
  }

  async csc(arn: string): Promise<CscLive | undefined> {
    try {
      const out = await this.lambda.send(new GetCodeSigningConfigCommand({ CodeSigningConfigArn: arn }));
      const c = out.CodeSigningConfig!;
      return {
        arn: c.CodeSigningConfigArn!,
        policy: c.CodeSigningPolicies?.UntrustedArtifactOnDeployment === 'Enforce' ? 'Enforce' : 'Warn',
        publishers: [...(c.AllowedPublishers?.SigningProfileVersionArns ?? [])].sort(),
        description: c.Description ?? '',
      };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async updateCsc(
    arn: string,
    policy: 'Warn' | 'Enforce',
    publishers: string[],
  ): Promise<string | undefined> {
    const out = await this.lambda.send(
      new UpdateCodeSigningConfigCommand({
        CodeSigningConfigArn: arn,
        AllowedPublishers: { SigningProfileVersionArns: publishers },
        CodeSigningPolicies: { UntrustedArtifactOnDeployment: policy },
      }),
    );
    return requestId(out);
  }

  /** The CSC whose description is exactly `description` (how apply recognises one it created). */
  async findCscByDescription(description: string): Promise<string | undefined> {
    for await (const page of paginateListCodeSigningConfigs({ client: this.lambda }, { MaxItems: 1000 })) {
      const found = page.CodeSigningConfigs?.find((c) => c.Description === description);
      if (found) return found.CodeSigningConfigArn;
    }
    return undefined;
  }

  async createCsc(
    description: string,
    policy: 'Warn' | 'Enforce',
    publishers: string[],
  ): Promise<{ arn: string; requestId?: string }> {
    const out = await this.lambda.send(
      new CreateCodeSigningConfigCommand({
        Description: description,
        AllowedPublishers: { SigningProfileVersionArns: publishers },
        CodeSigningPolicies: { UntrustedArtifactOnDeployment: policy },
      }),
    );
    const id = requestId(out);
    return { arn: out.CodeSigningConfig!.CodeSigningConfigArn!, ...(id ? { requestId: id } : {}) };
  }

  async cscUsers(arn: string): Promise<string[]> {
    const users: string[] = [];
    for await (const page of paginateListFunctionsByCodeSigningConfig(
      { client: this.lambda },
      { CodeSigningConfigArn: arn, MaxItems: 1000 },
    ))
      users.push(...(page.FunctionArns ?? []));
    return users;
  }

  async deleteCsc(arn: string): Promise<string | undefined> {
    const out = await this.lambda.send(new DeleteCodeSigningConfigCommand({ CodeSigningConfigArn: arn }));
    return requestId(out);
  }

  async profile(name: string): Promise<ProfileLive | undefined> {
    try {
      const out = await this.signer.send(new GetSigningProfileCommand({ profileName: name }));
      return {
        status: out.status ?? 'Unknown',
        ...(out.platformId ? { platformId: out.platformId } : {}),
        ...(out.profileVersionArn ? { profileVersionArn: out.profileVersionArn } : {}),
        tags: out.tags ?? {},
      };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async putProfile(
    name: string,
    platformId: string,
    validity: { value: number; type: 'DAYS' | 'MONTHS' | 'YEARS' },
    tags: Record<string, string>,
  ): Promise<{ profileVersionArn: string; requestId?: string }> {
    const out = await this.signer.send(
      new PutSigningProfileCommand({
        profileName: name,
        platformId,
        signatureValidityPeriod: validity,
        tags,
      }),
    );
    const id = requestId(out);
    return { profileVersionArn: out.profileVersionArn!, ...(id ? { requestId: id } : {}) };
  }

  async cancelProfile(name: string): Promise<string | undefined> {
    const out = await this.signer.send(new CancelSigningProfileCommand({ profileName: name }));
    return requestId(out);
  }
}

export interface ActorOptions {
  endpoint?: string;
  credentials?: Credentials;
  homeRegion: string;
  roleName: string;
  declared: readonly ApiCall[];
  sessionName: string;
  onCall?: (call: CallRecord) => void;
  onThrottle?: (call: CallRecord) => void;
  rateScale?: number;
}

/** Enters accounts (the caller's own, others through AssumeRole) and hands out one actor per account-region. */
export class Actors {
  private readonly factory: ClientFactory;
  private callerAccount?: string;
  private readonly credentials = new Map<string, Promise<Credentials | undefined>>();
  private readonly actors = new Map<string, RegionActor>();

  constructor(private readonly options: ActorOptions) {
    this.factory = new ClientFactory({
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      declared: options.declared,
      limiter: new RateLimiter(options.rateScale ?? 1),
      ...(options.onCall ? { onCall: options.onCall } : {}),
      ...(options.onThrottle ? { onThrottle: options.onThrottle } : {}),
    });
  }

  private base(): { accountId: string; region: string; credentials: Credentials } {
    return {
      accountId: this.callerAccount ?? 'caller',
      region: this.options.homeRegion,
      credentials: this.options.credentials as Credentials,
    };
  }

  async caller(): Promise<string> {
    if (this.callerAccount) return this.callerAccount;
    try {
      const out = await this.factory.sts(this.base()).send(new GetCallerIdentityCommand({}));
      this.callerAccount = out.Account!;
      return this.callerAccount;
    } catch (err) {
      throw new UsageError(
        `cannot identify the caller (${describeError(err)}); check AWS credentials and --endpoint`,
        { cause: err },
      );
    }
  }

  private credentialsFor(accountId: string): Promise<Credentials | undefined> {
    let pending = this.credentials.get(accountId);
    if (!pending) {
      pending = (async () => {
        const caller = await this.caller();
        if (accountId === caller) return this.options.credentials;
        try {
          const out = await this.factory.sts(this.base()).send(
            new AssumeRoleCommand({
              RoleArn: `arn:${partitionOfRegion(this.options.homeRegion)}:iam::${accountId}:role/${this.options.roleName}`,
              RoleSessionName: this.options.sessionName,
              DurationSeconds: 3600,
            }),
          );
          const c = out.Credentials!;
          return {
            accessKeyId: c.AccessKeyId!,
            secretAccessKey: c.SecretAccessKey!,
            sessionToken: c.SessionToken!,
          };
        } catch (err) {
          throw new SignetError(
            'ASSUME_ROLE',
            `cannot enter account ${accountId} as role ${this.options.roleName} (${describeError(err)}); pass --role-name or fix its trust policy`,
            { cause: err },
          );
        }
      })();
      this.credentials.set(accountId, pending);
    }
    return pending;
  }

  /** Clients for the enforcement probe in one account-region (calls limited to the probe's). */
  async probeClients(accountId: string, region: string) {
    const credentials = (await this.credentialsFor(accountId)) as Credentials;
    const target = { accountId, region, credentials };
    return {
      lambda: this.factory.lambda(target),
      signer: this.factory.signer(target),
      s3: this.factory.s3(target),
      tagging: this.factory.tagging(target),
    };
  }

  async actor(accountId: string, region: string): Promise<RegionActor> {
    const key = `${accountId}|${region}`;
    const known = this.actors.get(key);
    if (known) return known;
    const credentials = (await this.credentialsFor(accountId)) as Credentials;
    const target = { accountId, region, credentials };
    const actor = new RegionActor(
      accountId,
      region,
      this.factory.lambda(target),
      this.factory.signer(target),
    );
    this.actors.set(key, actor);
    return actor;
  }

  destroy(): void {
    this.factory.destroy();
  }
}
