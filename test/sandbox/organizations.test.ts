import {
  AccessDeniedException,
  AlreadyInOrganizationException,
  AttachPolicyCommand,
  AWSOrganizationsNotInUseException,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  DescribeCreateAccountStatusCommand,
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  DuplicatePolicyAttachmentException,
  InvalidInputException,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListPoliciesCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  MalformedPolicyDocumentException,
  type OrganizationsClient,
  PolicyNotFoundException,
  paginateListAccounts,
  paginateListAccountsForParent,
  TargetNotFoundException,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGEMENT_ACCOUNT_ID } from '../../src/sandbox/index.js';
import { clientsFor, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
let org: OrganizationsClient;
beforeAll(async () => {
  t = await startTestSandbox();
  org = t.clients.organizations;
});
afterAll(async () => t.close());

const scp = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: 'lambda:DeleteCodeSigningConfig', Resource: '*' }],
});

describe('Organizations', () => {
  it('answers AWSOrganizationsNotInUseException before the organization exists', async () => {
    const err = await org.send(new DescribeOrganizationCommand({})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AWSOrganizationsNotInUseException);
    expect(err).toMatchObject({
      $metadata: { httpStatusCode: 400 },
      message: 'Your account is not a member of an organization.',
    });
    await expect(org.send(new ListAccountsCommand({}))).rejects.toBeInstanceOf(
      AWSOrganizationsNotInUseException,
    );
  });

  it('creates the organization with a root, SCPs enabled and FullAWSAccess attached', async () => {
    const out = await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.Organization?.Id).toMatch(/^o-[a-z0-9]{10}$/);
    expect(out.Organization?.MasterAccountId).toBe(MANAGEMENT_ACCOUNT_ID);
    expect(out.Organization?.FeatureSet).toBe('ALL');
    const described = await org.send(new DescribeOrganizationCommand({}));
    expect(described.Organization?.Arn).toBe(out.Organization?.Arn);
    const roots = await org.send(new ListRootsCommand({}));
    expect(roots.Roots).toHaveLength(1);
    const root = roots.Roots![0]!;
    expect(root.Id).toMatch(/^r-[a-z0-9]{4}$/);
    expect(root.PolicyTypes).toEqual([{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }]);
    const targets = await org.send(new ListTargetsForPolicyCommand({ PolicyId: 'p-FullAWSAccess' }));
    expect(targets.Targets).toEqual([{ TargetId: root.Id, Arn: root.Arn, Name: 'Root', Type: 'ROOT' }]);
    const again = await org.send(new CreateOrganizationCommand({})).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(AlreadyInOrganizationException);
    expect(again).toMatchObject({ $metadata: { httpStatusCode: 409 } });
  });

  it('creates accounts at once and reports their status', async () => {
    const created = await org.send(
      new CreateAccountCommand({ Email: 'prod@example.org', AccountName: 'prod' }),
    );
    const status = created.CreateAccountStatus!;
    expect(status.State).toBe('SUCCEEDED');
    expect(status.Id).toMatch(/^car-[a-z0-9]{32}$/);
    expect(status.AccountId).toMatch(/^\d{12}$/);
    expect(status.RequestedTimestamp).toBeInstanceOf(Date);
    const described = await org.send(
      new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: status.Id }),
    );
    expect(described.CreateAccountStatus).toEqual(status);
    const dup = await org.send(new CreateAccountCommand({ Email: 'prod@example.org', AccountName: 'prod2' }));
    expect(dup.CreateAccountStatus).toMatchObject({ State: 'FAILED', FailureReason: 'EMAIL_ALREADY_EXISTS' });
    await expect(
      org.send(
        new DescribeCreateAccountStatusCommand({
          CreateAccountRequestId: 'car-00000000000000000000000000000000',
        }),
      ),
    ).rejects.toMatchObject({ name: 'CreateAccountStatusNotFoundException' });
  });

  it('lists accounts with the SDK paginators', async () => {
    for (let i = 0; i < 4; i++)
      await org.send(new CreateAccountCommand({ Email: `dev${i}@example.org`, AccountName: `dev-${i}` }));
    const accounts: string[] = [];
    let pages = 0;
    for await (const page of paginateListAccounts({ client: org, pageSize: 2 }, {})) {
      pages += 1;
      for (const a of page.Accounts ?? []) {
        expect(a.JoinedTimestamp).toBeInstanceOf(Date);
        expect(a.Status).toBe('ACTIVE');
        accounts.push(a.Name!);
      }
    }
    expect(accounts).toEqual(['management', 'prod', 'dev-0', 'dev-1', 'dev-2', 'dev-3']);
    expect(pages).toBe(3);
    const rootId = (await org.send(new ListRootsCommand({}))).Roots![0]!.Id!;
    const forParent: string[] = [];
    for await (const page of paginateListAccountsForParent(
      { client: org, pageSize: 4 },
      { ParentId: rootId },
    ))
      for (const a of page.Accounts ?? []) forParent.push(a.Name!);
    expect(forParent).toEqual(accounts);
    await expect(org.send(new ListAccountsForParentCommand({ ParentId: 'r-zzzz' }))).rejects.toMatchObject({
      name: 'ParentNotFoundException',
    });
    const err = await org.send(new ListAccountsCommand({ MaxResults: 21 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputException);
    expect(err).toMatchObject({ Reason: 'MAX_VALUE_EXCEEDED' });
    await expect(org.send(new ListAccountsCommand({ NextToken: 'garbage' }))).rejects.toMatchObject({
      name: 'InvalidInputException',
      Reason: 'INVALID_PAGINATION_TOKEN',
    });
  });

  it('creates, describes, lists and attaches SCPs', async () => {
    const created = await org.send(
      new CreatePolicyCommand({
        Name: 'sticky-csc',
        Description: 'keep CSCs',
        Type: 'SERVICE_CONTROL_POLICY',
        Content: scp,
      }),
    );
    const id = created.Policy!.PolicySummary!.Id!;
    expect(id).toMatch(/^p-[a-z0-9]{8}$/);
    expect(created.Policy?.PolicySummary?.AwsManaged).toBe(false);
    const described = await org.send(new DescribePolicyCommand({ PolicyId: id }));
    expect(described.Policy?.Content).toBe(scp);
    const listed = await org.send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' }));
    expect(listed.Policies?.map((p) => p.Name)).toEqual(['FullAWSAccess', 'sticky-csc']);
    expect(listed.Policies?.[0]?.AwsManaged).toBe(true);
    const accounts = (await org.send(new ListAccountsCommand({}))).Accounts!;
    const prod = accounts.find((a) => a.Name === 'prod')!;
    await org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: prod.Id }));
    const dup = await org
      .send(new AttachPolicyCommand({ PolicyId: id, TargetId: prod.Id }))
      .catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(DuplicatePolicyAttachmentException);
    const targets = await org.send(new ListTargetsForPolicyCommand({ PolicyId: id }));
    expect(targets.Targets).toEqual([{ TargetId: prod.Id, Arn: prod.Arn, Name: 'prod', Type: 'ACCOUNT' }]);
    const forTarget = await org.send(
      new ListPoliciesForTargetCommand({ TargetId: prod.Id, Filter: 'SERVICE_CONTROL_POLICY' }),
    );
    // As in AWS, an account that joins gets FullAWSAccess attached directly.
    expect(forTarget.Policies?.map((p) => p.Id)).toEqual(['p-FullAWSAccess', id]);
    await expect(org.send(new DescribePolicyCommand({ PolicyId: 'p-abcdefgh' }))).rejects.toBeInstanceOf(
      PolicyNotFoundException,
    );
    await expect(
      org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: '999999999999' })),
    ).rejects.toBeInstanceOf(TargetNotFoundException);
    await expect(
      org.send(
        new CreatePolicyCommand({
          Name: 'bad',
          Description: '',
          Type: 'SERVICE_CONTROL_POLICY',
          Content: 'nope',
        }),
      ),
    ).rejects.toBeInstanceOf(MalformedPolicyDocumentException);
    await expect(
      org.send(
        new CreatePolicyCommand({
          Name: 'sticky-csc',
          Description: '',
          Type: 'SERVICE_CONTROL_POLICY',
          Content: scp,
        }),
      ),
    ).rejects.toMatchObject({ name: 'DuplicatePolicyException', $metadata: { httpStatusCode: 409 } });
  });

  it('denies management-only operations to member accounts with AccessDeniedException', async () => {
    const accounts = (await org.send(new ListAccountsCommand({}))).Accounts!;
    const prod = accounts.find((a) => a.Name === 'prod')!;
    const assumed = await t.clients.sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${prod.Id}:role/OrganizationAccountAccessRole`,
        RoleSessionName: 'ops',
      }),
    );
    const c = assumed.Credentials!;
    const member = clientsFor(t.endpoint, {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    });
    // Members may describe their organization ...
    const described = await member.organizations.send(new DescribeOrganizationCommand({}));
    expect(described.Organization?.MasterAccountId).toBe(MANAGEMENT_ACCOUNT_ID);
    // ... but not list or change it.
    const err = await member.organizations.send(new ListAccountsCommand({})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AccessDeniedException);
    expect(err).toMatchObject({
      $metadata: { httpStatusCode: 403 },
      message: "You don't have permissions to access this resource.",
    });
    await expect(
      member.organizations.send(new CreateAccountCommand({ Email: 'x@example.org', AccountName: 'x' })),
    ).rejects.toBeInstanceOf(AccessDeniedException);
    for (const client of Object.values(member)) client.destroy();
  });
});
