// Sandbox SNS through the real SDK client: topics, Publish limits, account isolation, and the control
// endpoint that shows what was published.
import {
  CreateTopicCommand,
  ListTopicsCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_CREDENTIALS } from '../../src/sandbox/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
let sns: SNSClient;
beforeAll(async () => {
  t = await startTestSandbox();
  sns = new SNSClient({
    endpoint: t.endpoint,
    region: 'us-east-1',
    credentials: BOOTSTRAP_CREDENTIALS,
    maxAttempts: 1,
  });
});
afterAll(async () => {
  sns.destroy();
  await t.close();
});

async function published(topicArn?: string) {
  const res = await fetch(
    `${t.endpoint}/_sandbox/sns/messages${topicArn ? `?topicArn=${encodeURIComponent(topicArn)}` : ''}`,
  );
  return (
    (await res.json()) as {
      messages: {
        messageId: string;
        message: string;
        subject?: string;
        attributes: Record<string, string>;
      }[];
    }
  ).messages;
}

describe('sandbox SNS', () => {
  it('creates topics idempotently, lists them and keeps what is published', async () => {
    const a = await sns.send(new CreateTopicCommand({ Name: 'signet-alerts' }));
    const b = await sns.send(new CreateTopicCommand({ Name: 'signet-alerts' }));
    expect(a.TopicArn).toMatch(/^arn:aws:sns:us-east-1:\d{12}:signet-alerts$/);
    expect(b.TopicArn).toBe(a.TopicArn);
    const list = await sns.send(new ListTopicsCommand({}));
    expect(list.Topics?.map((x) => x.TopicArn)).toContain(a.TopicArn);
    const sub = await sns.send(
      new SubscribeCommand({ TopicArn: a.TopicArn, Protocol: 'email', Endpoint: 'sec@example.com' }),
    );
    expect(sub.SubscriptionArn).toContain(a.TopicArn!);
    const out = await sns.send(
      new PublishCommand({
        TopicArn: a.TopicArn,
        Subject: 'Blocked deployment',
        Message: '{"kind":"deployment-blocked"}',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'deployment-blocked' } },
      }),
    );
    expect(out.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const messages = await published(a.TopicArn);
    expect(messages).toEqual([
      expect.objectContaining({
        messageId: out.MessageId,
        subject: 'Blocked deployment',
        message: '{"kind":"deployment-blocked"}',
        attributes: { kind: 'deployment-blocked' },
      }),
    ]);
  });

  it('answers AWS errors: unknown topic, empty and oversized messages, bad names', async () => {
    const arn = (await sns.send(new CreateTopicCommand({ Name: 'limits' }))).TopicArn!;
    await expect(
      sns.send(new PublishCommand({ TopicArn: `${arn}-missing`, Message: 'x' })),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
    await expect(sns.send(new PublishCommand({ TopicArn: arn, Message: '' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(
      sns.send(new PublishCommand({ TopicArn: arn, Message: 'x'.repeat(262_145) })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(sns.send(new CreateTopicCommand({ Name: 'bad name!' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    expect(await published(arn)).toEqual([]);
  });
});
