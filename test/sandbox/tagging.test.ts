import {
  GetResourcesCommand,
  InvalidParameterException,
  paginateGetResources,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGEMENT_ACCOUNT_ID } from '../../src/sandbox/index.js';
import { addTaggingProvider, type TaggedResource } from '../../src/sandbox/internals.js';
import { clientsFor, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
const A = MANAGEMENT_ACCOUNT_ID;
const fn = (name: string, tags: Record<string, string>, region = 'us-east-1'): TaggedResource => ({
  arn: `arn:aws:lambda:${region}:${A}:function:${name}`,
  resourceType: 'lambda:function',
  tags,
});

beforeAll(async () => {
  t = await startTestSandbox();
  const resources: TaggedResource[] = [
    ...Array.from({ length: 130 }, (_, i) =>
      fn(`bulk-${String(i).padStart(3, '0')}`, { env: i % 2 ? 'dev' : 'prod', bulk: 'yes' }),
    ),
    fn('api', { env: 'prod', team: 'payments' }),
    fn('untagged', {}),
    fn('west', { env: 'prod' }, 'eu-west-1'),
    {
      arn: `arn:aws:lambda:us-east-1:${A}:layer:shared:3`,
      resourceType: 'lambda:layer',
      tags: { env: 'prod' },
    },
    {
      arn: `arn:aws:signer:us-east-1:${A}:/signing-profiles/release`,
      resourceType: 'signer:signing-profile',
      tags: { env: 'staging' },
    },
  ];
  // Stands in for Lambda's and Signer's providers: resources of the asked account and region.
  addTaggingProvider(t.sandbox.internals, (accountId, region) =>
    resources.filter((r) => r.arn.split(':')[3] === region && r.arn.split(':')[4] === accountId),
  );
});
afterAll(async () => t.close());

async function all(input: Parameters<typeof paginateGetResources>[1], pageSize?: number) {
  const arns: string[] = [];
  let pages = 0;
  for await (const page of paginateGetResources(
    { client: t.clients.tagging, ...(pageSize ? { pageSize } : {}) },
    input,
  )) {
    pages += 1;
    for (const m of page.ResourceTagMappingList ?? []) arns.push(m.ResourceARN!);
  }
  return { arns, pages };
}

describe('Resource Groups Tagging API GetResources', () => {
  it('returns tagged resources of the caller region, 100 per page by default, with the paginator', async () => {
    const first = await t.clients.tagging.send(new GetResourcesCommand({}));
    expect(first.$metadata.httpStatusCode).toBe(200);
    expect(first.ResourceTagMappingList).toHaveLength(100);
    expect(first.PaginationToken).toBeTruthy();
    const { arns, pages } = await all({});
    expect(pages).toBe(2);
    expect(arns).toHaveLength(133);
    expect(new Set(arns).size).toBe(133);
    expect(arns.some((a) => a.includes('untagged'))).toBe(false);
    expect(arns.some((a) => a.includes('west'))).toBe(false);
    const last = await t.clients.tagging.send(
      new GetResourcesCommand({ ResourcesPerPage: 100, PaginationToken: first.PaginationToken }),
    );
    expect(last.PaginationToken).toBe('');
  });

  it('filters by resource type: exact type or a whole service', async () => {
    expect((await all({ ResourceTypeFilters: ['signer:signing-profile'] })).arns).toEqual([
      `arn:aws:signer:us-east-1:${A}:/signing-profiles/release`,
    ]);
    expect((await all({ ResourceTypeFilters: ['lambda:layer'] })).arns).toHaveLength(1);
    expect((await all({ ResourceTypeFilters: ['lambda'] })).arns).toHaveLength(132);
    expect((await all({ ResourceTypeFilters: ['lambda:function', 'signer'] })).arns).toHaveLength(132);
  });

  it('filters by tags: values OR-ed, filters AND-ed, no values = key present', async () => {
    const page = await t.clients.tagging.send(
      new GetResourcesCommand({ TagFilters: [{ Key: 'team', Values: ['payments'] }] }),
    );
    expect(page.ResourceTagMappingList).toEqual([
      {
        ResourceARN: `arn:aws:lambda:us-east-1:${A}:function:api`,
        Tags: [
          { Key: 'env', Value: 'prod' },
          { Key: 'team', Value: 'payments' },
        ],
      },
    ]);
    expect((await all({ TagFilters: [{ Key: 'env', Values: ['staging', 'dev'] }] })).arns).toHaveLength(66);
    expect(
      (await all({ TagFilters: [{ Key: 'env', Values: ['prod'] }, { Key: 'bulk' }] })).arns,
    ).toHaveLength(65);
    expect((await all({ TagFilters: [{ Key: 'team' }] })).arns).toHaveLength(1);
    expect(
      (
        await all(
          { TagFilters: [{ Key: 'env', Values: ['prod'] }], ResourceTypeFilters: ['lambda:function'] },
          7,
        )
      ).arns,
    ).toHaveLength(66);
  });

  it('looks up a ResourceARNList and rejects combining it with filters', async () => {
    const arn = `arn:aws:lambda:us-east-1:${A}:function:api`;
    const out = await t.clients.tagging.send(new GetResourcesCommand({ ResourceARNList: [arn] }));
    expect(out.ResourceTagMappingList?.map((m) => m.ResourceARN)).toEqual([arn]);
    const err = await t.clients.tagging
      .send(new GetResourcesCommand({ ResourceARNList: [arn], TagFilters: [{ Key: 'env' }] }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParameterException);
    expect(err).toMatchObject({ $metadata: { httpStatusCode: 400 } });
    const tooMany = Array.from({ length: 101 }, (_, i) => `${arn}-${i}`);
    await expect(
      t.clients.tagging.send(new GetResourcesCommand({ ResourceARNList: tooMany })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('validates ResourcesPerPage and pagination tokens', async () => {
    for (const n of [0, 101])
      await expect(
        t.clients.tagging.send(new GetResourcesCommand({ ResourcesPerPage: n })),
      ).rejects.toBeInstanceOf(InvalidParameterException);
    const first = await t.clients.tagging.send(new GetResourcesCommand({ ResourcesPerPage: 1 }));
    await expect(
      t.clients.tagging.send(
        new GetResourcesCommand({ PaginationToken: first.PaginationToken, TagFilters: [{ Key: 'team' }] }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      t.clients.tagging.send(new GetResourcesCommand({ PaginationToken: 'bogus' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('is regional: another region sees its own resources', async () => {
    const west = clientsFor(t.endpoint, undefined, 'eu-west-1');
    const out = await west.tagging.send(new GetResourcesCommand({}));
    expect(out.ResourceTagMappingList?.map((m) => m.ResourceARN)).toEqual([
      `arn:aws:lambda:eu-west-1:${A}:function:west`,
    ]);
    for (const c of Object.values(west)) c.destroy();
  });
});
