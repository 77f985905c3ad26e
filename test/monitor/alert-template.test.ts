// The native alerting templates: parsed by Signet's own IaC scanner (no parse problems), with the
// EventBridge patterns and alarm that `signet watch` documents.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scanIac } from '../../src/iac/index.js';
import { alertTemplate, EVENT_PATTERNS } from '../../src/monitor/alert-template.js';

function scan(name: string, text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'signet-alerts-'));
  writeFileSync(join(dir, name), text);
  return scanIac([dir], { baseDir: dir });
}

describe('signet alerts template', () => {
  it('CloudFormation: parses cleanly, rules for blocked deployments, weakened enforcement and revocations, one alarm, one topic', () => {
    const text = alertTemplate('cloudformation');
    const result = scan('alerts.yaml', text);
    expect(result.problems).toEqual([]);
    expect(result.scanned).toHaveLength(1);
    const template = parse(text) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const types = Object.values(template.Resources).map((r) => r.Type);
    expect(types.filter((t) => t === 'AWS::Events::Rule')).toHaveLength(3);
    expect(types).toContain('AWS::CloudWatch::Alarm');
    expect(types.filter((t) => t === 'AWS::SNS::Topic')).toHaveLength(1);
    const blocked = template.Resources.BlockedDeploymentsRule!.Properties
      .EventPattern as typeof EVENT_PATTERNS.blockedDeployments;
    expect(blocked.detail.errorCode).toEqual([
      'CodeVerificationFailedException',
      'InvalidCodeSignatureException',
    ]);
    const alarm = template.Resources.SignatureValidationErrorsAlarm!.Properties;
    expect(alarm).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'SignatureValidationErrors',
      Threshold: 0,
    });
    expect(alarm.AlarmActions).toEqual([{ Ref: 'AlertTopic' }]);
  });

  it('Terraform: parses cleanly and carries the same event patterns', () => {
    const text = alertTemplate('terraform');
    const result = scan('alerts.tf', text);
    expect(result.problems.filter((p) => p.level === 'error')).toEqual([]);
    expect(result.scanned).toHaveLength(1);
    for (const pattern of Object.values(EVENT_PATTERNS))
      expect(text).toContain(JSON.stringify(JSON.stringify(pattern)));
    expect(text).toContain('metric_name         = "SignatureValidationErrors"');
    expect(text.match(/resource "aws_cloudwatch_event_rule"/g)).toHaveLength(3);
  });
});
