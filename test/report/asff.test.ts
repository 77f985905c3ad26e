import { describe, expect, it } from 'vitest';
import { asffSkippedCount, buildAsff } from '../../src/report/asff.js';
import { aFinding, anIacFinding, aReportInput } from './builders.js';

describe('ASFF report', () => {
  const input = aReportInput({
    findings: [
      aFinding({ id: 'f1', name: 'a', status: 'FAIL', severity: 'critical' }),
      aFinding({
        id: 'f2',
        name: 'b',
        status: 'PASS',
        severity: 'info',
        region: 'us-east-1',
        account: '444455556666',
      }),
      aFinding({ id: 'f3', name: 'c', status: 'UNKNOWN' }),
      aFinding({ id: 'f4', name: 'd', status: 'NOT_APPLICABLE' }),
      aFinding({ id: 'f5', name: 'e', status: 'ERROR' }),
      aFinding({ id: 'f6', name: 'f', status: 'FAIL', muted: { reason: 'accepted', source: 'config' } }),
      anIacFinding(),
    ],
  });
  // Built inside each test, so mutation testing knows which tests reach which code.
  const build = () => buildAsff(input, { docsBaseUrl: 'https://docs.example.test/signet/' });
  const byId = (id: string) => build().find((f) => f.Id === id)!;

  it('writes Security Hub findings for live findings only and says how many it skipped', () => {
    const findings = build();
    expect(findings).toHaveLength(6);
    expect(asffSkippedCount(input)).toBe(1);
    expect(asffSkippedCount(aReportInput({ findings: [aFinding()] }))).toBe(0);
  });

  it('fills the fields BatchImportFindings requires', () => {
    expect(byId('f1')).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: 'f1',
      ProductArn: 'arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default',
      GeneratorId: 'SGN-001',
      AwsAccountId: '111122223333',
      Types: ['Software and Configuration Checks/AWS Security Best Practices'],
      CreatedAt: '2025-06-01T11:59:00.000Z',
      UpdatedAt: '2025-06-01T12:00:00.000Z',
      Severity: { Label: 'CRITICAL' },
      Title: 'SGN-001 Lambda function has a code signing configuration',
      Description: 'a has no code signing configuration; attach one that enforces.',
      Remediation: { Recommendation: { Text: 'Attach a code signing configuration that enforces.' } },
      Resources: [
        {
          Type: 'AwsLambdaFunction',
          Id: 'arn:aws:lambda:eu-west-1:111122223333:function:a',
          Region: 'eu-west-1',
        },
      ],
      Compliance: { Status: 'FAILED' },
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
    });
    const url = (byId('f1').Remediation as { Recommendation: { Url: string } }).Recommendation.Url;
    expect(url).toBe('https://docs.example.test/signet/docs/rules/function-has-code-signing-config.md');
    const withoutBase = buildAsff(input)[0]!.Remediation as { Recommendation: { Url?: string } };
    expect(withoutBase.Recommendation.Url).toBeUndefined();
    expect(byId('f2')).toMatchObject({
      ProductArn: 'arn:aws:securityhub:us-east-1:444455556666:product/444455556666/default',
      AwsAccountId: '444455556666',
      Severity: { Label: 'INFORMATIONAL' },
    });
  });

  it('maps statuses to compliance statuses and muted findings to SUPPRESSED', () => {
    expect(byId('f2').Compliance).toEqual({ Status: 'PASSED' });
    expect(byId('f3').Compliance).toEqual({ Status: 'NOT_AVAILABLE' });
    expect(byId('f4').Compliance).toEqual({ Status: 'NOT_AVAILABLE' });
    expect(byId('f5').Compliance).toEqual({ Status: 'WARNING' });
    expect(byId('f6').Workflow).toEqual({ Status: 'SUPPRESSED' });
  });

  it('uses Other for resources that are not functions and keeps texts within Security Hub limits', () => {
    const [profile] = buildAsff(
      aReportInput({
        findings: [
          aFinding({
            message: 'x'.repeat(5000),
            resource: {
              ...aFinding().resource,
              type: 'signing-profile',
              id: 'arn:aws:signer:eu-west-1:111122223333:/signing-profiles/p',
              arn: 'arn:aws:signer:eu-west-1:111122223333:/signing-profiles/p',
            },
          }),
        ],
      }),
    );
    expect((profile!.Resources as { Type: string }[])[0]!.Type).toBe('Other');
    expect(String(profile!.Description).length).toBeLessThanOrEqual(1024);
  });
});
