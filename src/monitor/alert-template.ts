// `signet alerts template`: the serverless version of `signet watch` for teams that want AWS itself to
// alert — EventBridge rules on CloudTrail API calls (validation failures, CSC detach/downgrade, Signer
// revocations) and a CloudWatch alarm on Lambda's SignatureValidationErrors metric, all into one SNS topic.
import { stringify } from 'yaml';

export const TEMPLATE_FORMATS = ['cloudformation', 'terraform'] as const;
export type TemplateFormat = (typeof TEMPLATE_FORMATS)[number];

const VALIDATION_ERRORS = ['CodeVerificationFailedException', 'InvalidCodeSignatureException'];

/** EventBridge patterns (CloudTrail management events arrive as "AWS API Call via CloudTrail"). */
export const EVENT_PATTERNS = {
  blockedDeployments: {
    source: ['aws.lambda'],
    'detail-type': ['AWS API Call via CloudTrail'],
    detail: { eventSource: ['lambda.amazonaws.com'], errorCode: VALIDATION_ERRORS },
  },
  enforcementWeakened: {
    source: ['aws.lambda'],
    'detail-type': ['AWS API Call via CloudTrail'],
    detail: {
      eventSource: ['lambda.amazonaws.com'],
      eventName: [
        { prefix: 'DeleteFunctionCodeSigningConfig' },
        { prefix: 'UpdateCodeSigningConfig' },
        { prefix: 'DeleteCodeSigningConfig' },
      ],
      errorCode: [{ exists: false }],
    },
  },
  signingRevoked: {
    source: ['aws.signer'],
    'detail-type': ['AWS API Call via CloudTrail'],
    detail: {
      eventSource: ['signer.amazonaws.com'],
      eventName: ['CancelSigningProfile', 'RevokeSigningProfile', 'RevokeSignature'],
      errorCode: [{ exists: false }],
    },
  },
} as const;

const RULES: { id: keyof typeof EVENT_PATTERNS; logical: string; description: string }[] = [
  {
    id: 'blockedDeployments',
    logical: 'BlockedDeploymentsRule',
    description:
      'Lambda deployments rejected by code signing (CodeVerificationFailed / InvalidCodeSignature)',
  },
  {
    id: 'enforcementWeakened',
    logical: 'EnforcementWeakenedRule',
    description: 'Code signing configurations detached, updated (possibly to Warn) or deleted',
  },
  {
    id: 'signingRevoked',
    logical: 'SigningRevokedRule',
    description: 'Signer profiles cancelled or revoked, signatures revoked',
  },
];

const ALARM = {
  namespace: 'AWS/Lambda',
  metric: 'SignatureValidationErrors',
  period: 300,
  description:
    'Deployments whose code signing validation failed (warned under Warn, blocked under Enforce), all functions in this region',
};

function cloudFormation(): string {
  const resources: Record<string, unknown> = {
    AlertTopic: {
      Type: 'AWS::SNS::Topic',
      Properties: { KmsMasterKeyId: 'alias/aws/sns' },
    },
    AlertTopicPolicy: {
      Type: 'AWS::SNS::TopicPolicy',
      Properties: {
        Topics: [{ Ref: 'AlertTopic' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'EventBridgeAndCloudWatchPublish',
              Effect: 'Allow',
              Principal: { Service: ['events.amazonaws.com', 'cloudwatch.amazonaws.com'] },
              Action: 'sns:Publish',
              Resource: { Ref: 'AlertTopic' },
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            },
          ],
        },
      },
    },
    AlertEmailSubscription: {
      Type: 'AWS::SNS::Subscription',
      Condition: 'HasEmail',
      Properties: { TopicArn: { Ref: 'AlertTopic' }, Protocol: 'email', Endpoint: { Ref: 'AlertEmail' } },
    },
  };
  for (const rule of RULES) {
    resources[rule.logical] = {
      Type: 'AWS::Events::Rule',
      Properties: {
        Description: rule.description,
        State: 'ENABLED',
        EventPattern: EVENT_PATTERNS[rule.id],
        Targets: [{ Id: 'alert-topic', Arn: { Ref: 'AlertTopic' } }],
      },
    };
  }
  resources.SignatureValidationErrorsAlarm = {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmDescription: ALARM.description,
      Namespace: ALARM.namespace,
      MetricName: ALARM.metric,
      Statistic: 'Sum',
      Period: ALARM.period,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: 'AlertTopic' }],
    },
  };
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'Signet code signing alerts: EventBridge rules on CloudTrail (blocked deployments, CSC detach/downgrade, Signer revocations) and a SignatureValidationErrors alarm, into one SNS topic. Deploy in every region you use; CloudTrail must be enabled.',
    Parameters: {
      AlertEmail: {
        Type: 'String',
        Default: '',
        Description: 'Optional e-mail address subscribed to the alert topic (confirm the subscription).',
      },
    },
    Conditions: { HasEmail: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlertEmail' }, ''] }] } },
    Resources: resources,
    Outputs: {
      AlertTopicArn: { Value: { Ref: 'AlertTopic' }, Description: 'Use with signet watch --sns-topic too' },
    },
  };
  return `# Generated by signet alerts template --format cloudformation\n${stringify(template, { lineWidth: 0 })}`;
}

function hclString(value: string): string {
  return JSON.stringify(value).replace(/\$\{/g, '$${');
}

function terraform(): string {
  const lines = [
    '# Generated by signet alerts template --format terraform',
    '# EventBridge rules on CloudTrail (blocked deployments, CSC detach/downgrade, Signer revocations) and a',
    '# SignatureValidationErrors alarm, into one SNS topic. Apply in every region you use; CloudTrail must be on.',
    '',
    'variable "alert_email" {',
    '  description = "Optional e-mail address subscribed to the alert topic (confirm the subscription)."',
    '  type        = string',
    '  default     = ""',
    '}',
    '',
    'data "aws_caller_identity" "current" {}',
    '',
    'resource "aws_sns_topic" "signet_alerts" {',
    '  name              = "signet-code-signing-alerts"',
    '  kms_master_key_id = "alias/aws/sns"',
    '}',
    '',
    'resource "aws_sns_topic_policy" "signet_alerts" {',
    '  arn = aws_sns_topic.signet_alerts.arn',
    '  policy = jsonencode({',
    '    Version = "2012-10-17"',
    '    Statement = [{',
    '      Sid       = "EventBridgeAndCloudWatchPublish"',
    '      Effect    = "Allow"',
    '      Principal = { Service = ["events.amazonaws.com", "cloudwatch.amazonaws.com"] }',
    '      Action    = "sns:Publish"',
    '      Resource  = aws_sns_topic.signet_alerts.arn',
    '      Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }',
    '    }]',
    '  })',
    '}',
    '',
    'resource "aws_sns_topic_subscription" "signet_alerts_email" {',
    '  count     = var.alert_email == "" ? 0 : 1',
    '  topic_arn = aws_sns_topic.signet_alerts.arn',
    '  protocol  = "email"',
    '  endpoint  = var.alert_email',
    '}',
  ];
  for (const rule of RULES) {
    const name = rule.logical
      .replace(/Rule$/, '')
      .replace(/([a-z])([A-Z])/g, '$1_$2')
      .toLowerCase();
    lines.push(
      '',
      `resource "aws_cloudwatch_event_rule" "${name}" {`,
      `  name          = "signet-${name.replace(/_/g, '-')}"`,
      `  description   = ${hclString(rule.description)}`,
      `  event_pattern = ${hclString(JSON.stringify(EVENT_PATTERNS[rule.id]))}`,
      '}',
      '',
      `resource "aws_cloudwatch_event_target" "${name}" {`,
      `  rule      = aws_cloudwatch_event_rule.${name}.name`,
      '  target_id = "alert-topic"',
      '  arn       = aws_sns_topic.signet_alerts.arn',
      '}',
    );
  }
  lines.push(
    '',
    'resource "aws_cloudwatch_metric_alarm" "signature_validation_errors" {',
    '  alarm_name          = "signet-signature-validation-errors"',
    `  alarm_description   = ${hclString(ALARM.description)}`,
    `  namespace           = "${ALARM.namespace}"`,
    `  metric_name         = "${ALARM.metric}"`,
    '  statistic           = "Sum"',
    `  period              = ${ALARM.period}`,
    '  evaluation_periods  = 1',
    '  threshold           = 0',
    '  comparison_operator = "GreaterThanThreshold"',
    '  treat_missing_data  = "notBreaching"',
    '  alarm_actions       = [aws_sns_topic.signet_alerts.arn]',
    '}',
    '',
    'output "alert_topic_arn" {',
    '  value = aws_sns_topic.signet_alerts.arn',
    '}',
    '',
  );
  return lines.join('\n');
}

export function alertTemplate(format: TemplateFormat): string {
  return format === 'cloudformation' ? cloudFormation() : terraform();
}
