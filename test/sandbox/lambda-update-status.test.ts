// LastUpdateStatus transitions: an update stays InProgress for a few reads (request-count driven, no
// wall-clock sleeps), writes meanwhile get ResourceConflictException, and the SDK waiter works.
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { aRole, aZip } from './lambda-fixtures.js';

let t: TestSandbox;
let role: string;
beforeAll(async () => {
  t = await startTestSandbox({ lambdaUpdateReads: 2 });
  role = await aRole(t.clients.iam);
});
afterAll(async () => t?.close());

async function aFunction(name: string): Promise<void> {
  await t.clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: role,
      Code: { ZipFile: aZip() },
    }),
  );
}

describe('LastUpdateStatus', () => {
  it('reports InProgress on the update and the next reads, then Successful', async () => {
    await aFunction('settling');
    const updated = await t.clients.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'settling', ZipFile: aZip() }),
    );
    expect(updated.LastUpdateStatus).toBe('InProgress');
    const first = await t.clients.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'settling' }),
    );
    expect(first.LastUpdateStatus).toBe('InProgress');
    const second = await t.clients.lambda.send(new GetFunctionCommand({ FunctionName: 'settling' }));
    expect(second.Configuration?.LastUpdateStatus).toBe('InProgress');
    const third = await t.clients.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'settling' }),
    );
    expect(third.LastUpdateStatus).toBe('Successful');
    expect(third.State).toBe('Active');
  });

  it('refuses another update or a publish while an update is in progress', async () => {
    await aFunction('busy');
    await t.clients.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'busy', MemorySize: 256 }),
    );
    const publish = await t.clients.lambda
      .send(new PublishVersionCommand({ FunctionName: 'busy' }))
      .catch((e: Error) => e);
    expect(publish).toMatchObject({ name: 'ResourceConflictException', $metadata: { httpStatusCode: 409 } });
    expect((publish as Error).message).toContain('An update is in progress for resource');
    const code = await t.clients.lambda
      .send(new UpdateFunctionCodeCommand({ FunctionName: 'busy', ZipFile: aZip() }))
      .catch((e: Error) => e);
    expect(code).toMatchObject({ name: 'ResourceConflictException' });
  });

  it('lets the SDK waiter wait for the update, after which publishing works', async () => {
    await aFunction('waited');
    await t.clients.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'waited', ZipFile: aZip() }));
    const result = await waitUntilFunctionUpdatedV2(
      { client: t.clients.lambda, maxWaitTime: 30, minDelay: 1, maxDelay: 1 },
      { FunctionName: 'waited' },
    );
    expect(result.state).toBe('SUCCESS');
    const version = await t.clients.lambda.send(new PublishVersionCommand({ FunctionName: 'waited' }));
    expect(version.Version).toBe('1');
    expect(version.LastUpdateStatus).toBe('Successful');
  });

  it('does not hold published versions: a version read is Successful while $LATEST updates', async () => {
    await aFunction('versioned');
    await t.clients.lambda.send(new PublishVersionCommand({ FunctionName: 'versioned' }));
    await t.clients.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'versioned', ZipFile: aZip() }),
    );
    const v1 = await t.clients.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'versioned', Qualifier: '1' }),
    );
    expect(v1.LastUpdateStatus).toBe('Successful');
    const latest = await t.clients.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'versioned' }),
    );
    expect(latest.LastUpdateStatus).toBe('InProgress');
  });
});

describe('LastUpdateStatus by default', () => {
  it('settles at once, so clients that do not wait keep working', async () => {
    const quick = await startTestSandbox();
    try {
      const qrole = await aRole(quick.clients.iam);
      await quick.clients.lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'quick',
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Role: qrole,
          Code: { ZipFile: aZip() },
        }),
      );
      const updated = await quick.clients.lambda.send(
        new UpdateFunctionCodeCommand({ FunctionName: 'quick', ZipFile: aZip() }),
      );
      expect(updated.LastUpdateStatus).toBe('Successful');
      await expect(
        quick.clients.lambda.send(new PublishVersionCommand({ FunctionName: 'quick' })),
      ).resolves.toMatchObject({
        Version: '1',
      });
    } finally {
      await quick.close();
    }
  });
});
