// SNS (query protocol): topics, subscriptions and Publish, enough for alert sinks to be tested for real.
// Published messages are kept per topic and readable through `GET /_sandbox/sns/messages` (no delivery
// to subscribers: the sandbox has nowhere to deliver to).
import { randomUUID } from 'node:crypto';
import { AwsError } from '../errors.js';
import { partitionOfRegion } from '../partition.js';
import {
  formParams,
  QUERY_PROTOCOL_ERRORS,
  queryResponse,
  requireParam,
  tagList,
} from '../query-protocol.js';
import type { Internals, ResolvedOperation, ServiceDefinition } from '../service.js';
import { regional, slice, type World } from '../world.js';

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
/** SNS's documented maximum message size (256 KiB) and subject length. */
const MAX_MESSAGE_BYTES = 262_144;
const MAX_SUBJECT = 100;
/** Published messages the sandbox keeps per topic (oldest dropped first). */
const KEPT_MESSAGES = 1000;

export interface SnsMessage {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  attributes: Record<string, string>;
  publishedAt: string;
  publisher: string;
}

interface Topic {
  arn: string;
  name: string;
  tags: Record<string, string>;
  subscriptions: { arn: string; protocol: string; endpoint: string }[];
  messages: SnsMessage[];
}

interface SnsSlice {
  /** accountId → region → topic name → topic. */
  topics: Record<string, Record<string, Record<string, Topic>>>;
}

function snsSlice(world: World): SnsSlice {
  return slice<SnsSlice>(world, 'sns', () => ({ topics: {} }));
}

function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameter', 400, `Invalid parameter: ${message}`);
}

function notFound(): AwsError {
  return new AwsError('NotFound', 404, 'Topic does not exist');
}

function parseTopicArn(arn: string): { region: string; accountId: string; name: string } {
  const match = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256})$/.exec(arn);
  if (!match) throw invalidParameter('TopicArn');
  return { region: match[1]!, accountId: match[2]!, name: match[3]! };
}

/** Message attributes: `MessageAttributes.entry.N.Name` / `.Value.StringValue`. */
function messageAttributes(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 1; ; i++) {
    const name = params.get(`MessageAttributes.entry.${i}.Name`);
    if (name === null) return out;
    out[name] = params.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? '';
  }
}

export function snsService(internals: Internals, _options: unknown, world: World): ServiceDefinition {
  const state = snsSlice(world);
  const topicsOf = (accountId: string, region: string) =>
    regional(state.topics, accountId, region, () => ({}) as Record<string, Topic>);
  const find = (arn: string): Topic => {
    const { region, accountId, name } = parseTopicArn(arn);
    const topic = state.topics[accountId]?.[region]?.[name];
    if (!topic) throw notFound();
    return topic;
  };
  internals.snsMessages = (topicArn?: string): SnsMessage[] => {
    const out: SnsMessage[] = [];
    for (const regions of Object.values(state.topics))
      for (const topics of Object.values(regions))
        for (const topic of Object.values(topics))
          if (!topicArn || topic.arn === topicArn) out.push(...topic.messages);
    return out.sort((a, b) => (a.publishedAt < b.publishedAt ? -1 : a.publishedAt > b.publishedAt ? 1 : 0));
  };

  return {
    signingName: 'sns',
    eventSource: 'sns.amazonaws.com',
    protocol: 'query',
    defaultBucket: 'sns:all',
    ...QUERY_PROTOCOL_ERRORS,
    renderError: QUERY_PROTOCOL_ERRORS.renderError,
    accessDenied: (message) => new AwsError('AuthorizationError', 403, message),
    resolve(req): ResolvedOperation {
      const params = formParams(req);
      const action = params.get('Action') ?? '';
      const op = (
        readOnly: boolean,
        handler: ResolvedOperation['handler'],
        iamAction = `sns:${action}`,
      ): ResolvedOperation => ({ name: action, action: iamAction, readOnly, handler });
      switch (action) {
        case 'CreateTopic':
          return op(false, (ctx) => {
            const name = requireParam(params, 'Name');
            if (!/^[A-Za-z0-9_-]{1,256}$/.test(name)) {
              throw invalidParameter(
                'Topic Name: must be 1-256 characters of letters, numbers, hyphens and underscores',
              );
            }
            const arn = `arn:${partitionOfRegion(ctx.region)}:sns:${ctx.region}:${ctx.caller.accountId}:${name}`;
            ctx.authorize(arn);
            const topics = topicsOf(ctx.caller.accountId, ctx.region);
            // CreateTopic is idempotent for an existing name.
            topics[name] ??= { arn, name, tags: tagList(params), subscriptions: [], messages: [] };
            return {
              response: queryResponse(action, XMLNS, { TopicArn: arn }, req.requestId),
              requestParameters: { name },
              responseElements: { topicArn: arn },
            };
          });
        case 'DeleteTopic':
          return op(false, (ctx) => {
            const arn = requireParam(params, 'TopicArn');
            ctx.authorize(arn);
            const { region, accountId, name } = parseTopicArn(arn);
            if (accountId !== ctx.caller.accountId) throw notFound();
            delete state.topics[accountId]?.[region]?.[name];
            return {
              response: queryResponse(action, XMLNS, undefined, req.requestId),
              requestParameters: { topicArn: arn },
            };
          });
        case 'ListTopics':
          return op(true, (ctx) => {
            ctx.authorize();
            const topics = Object.values(topicsOf(ctx.caller.accountId, ctx.region)).map((t) => ({
              TopicArn: t.arn,
            }));
            return {
              response: queryResponse(action, XMLNS, { Topics: topics }, req.requestId),
              requestParameters: null,
            };
          });
        case 'Subscribe':
          return op(false, (ctx) => {
            const arn = requireParam(params, 'TopicArn');
            const protocol = requireParam(params, 'Protocol');
            ctx.authorize(arn);
            const topic = find(arn);
            if (parseTopicArn(arn).accountId !== ctx.caller.accountId) {
              throw new AwsError(
                'AuthorizationError',
                403,
                `User: ${ctx.caller.arn} is not authorized to perform: SNS:Subscribe on resource: ${arn}`,
              );
            }
            if (
              ![
                'http',
                'https',
                'email',
                'email-json',
                'sms',
                'sqs',
                'application',
                'lambda',
                'firehose',
              ].includes(protocol)
            )
              throw invalidParameter(`Invalid protocol type: ${protocol}`);
            const endpoint = params.get('Endpoint') ?? '';
            const subscriptionArn = `${arn}:${randomUUID()}`;
            topic.subscriptions.push({ arn: subscriptionArn, protocol, endpoint });
            return {
              response: queryResponse(action, XMLNS, { SubscriptionArn: subscriptionArn }, req.requestId),
              requestParameters: { topicArn: arn, protocol, endpoint },
              responseElements: { subscriptionArn },
            };
          });
        case 'Publish':
          return op(false, (ctx) => {
            const arn = params.get('TopicArn') ?? params.get('TargetArn') ?? '';
            if (!arn) throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
            const message = params.get('Message');
            if (message === null || message === '') throw invalidParameter('Empty message');
            ctx.authorize(arn);
            const topic = find(arn);
            // Topics accept publishes from their own account unless a topic policy says otherwise.
            if (parseTopicArn(arn).accountId !== ctx.caller.accountId) {
              throw new AwsError(
                'AuthorizationError',
                403,
                `User: ${ctx.caller.arn} is not authorized to perform: SNS:Publish on resource: ${arn}`,
              );
            }
            if (Buffer.byteLength(message, 'utf8') > MAX_MESSAGE_BYTES)
              throw invalidParameter('Message too long');
            const subject = params.get('Subject') ?? undefined;
            if (subject !== undefined && (subject.length > MAX_SUBJECT || /[\r\n]/.test(subject)))
              throw invalidParameter('Subject');
            const messageId = randomUUID();
            topic.messages.push({
              messageId,
              topicArn: arn,
              ...(subject ? { subject } : {}),
              message,
              attributes: messageAttributes(params),
              publishedAt: new Date(ctx.now()).toISOString(),
              publisher: ctx.caller.arn,
            });
            if (topic.messages.length > KEPT_MESSAGES)
              topic.messages.splice(0, topic.messages.length - KEPT_MESSAGES);
            return {
              response: queryResponse(action, XMLNS, { MessageId: messageId }, req.requestId),
              // CloudTrail does not record message bodies.
              requestParameters: { topicArn: arn, ...(subject ? { subject } : {}) },
              responseElements: { messageId },
            };
          });
        default:
          throw new AwsError(
            'InvalidAction',
            400,
            `Could not find operation ${action} for version 2010-03-31`,
          );
      }
    },
  };
}
