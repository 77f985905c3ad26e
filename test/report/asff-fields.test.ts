// ASFF field by field: what Security Hub's BatchImportFindings requires and what its console shows, in
// every partition, with its length limits.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import { ASFF_SCHEMA_VERSION, asffSkippedCount, buildAsff, renderAsff } from '../../src/report/asff.js';
import { aFinding, aReportInput, aRule } from './builders.js';

type Json = Record<string, unknown>;
const one = (finding: Finding, options = {}) =>
  buildAsff(aReportInput({ findings: [finding] }), options)[0] as Json;

function inPartition(partition: string, region: string): Finding {
  const arn = `arn:${partition}:lambda:${region}:111122223333:function:pay`;
  return aFinding({
    resource: {
      type: 'function',
      id: arn,
      name: 'pay',
      arn,
      accountId: '111122223333',
      region,
      provenance: { source: 'aws', arn, accountId: '111122223333', region },
    },
  });
}

describe('ASFF fields', () => {
  it('labels every severity as Security Hub does and keeps Signet’s own as Original', () => {
    const labels = (['critical', 'high', 'medium', 'low', 'info'] as const).map((severity) => {
      const f = one(aFinding({ severity }));
      expect(f.FindingProviderFields).toEqual({ Severity: f.Severity, Types: f.Types });
      return f.Severity;
    });
    expect(labels).toEqual([
      { Label: 'CRITICAL', Original: 'critical' },
      { Label: 'HIGH', Original: 'high' },
      { Label: 'MEDIUM', Original: 'medium' },
      { Label: 'LOW', Original: 'low' },
      { Label: 'INFORMATIONAL', Original: 'info' },
    ]);
  });

  it('takes the partition from the resource ARN (China, GovCloud) for ProductArn and Resources', () => {
    const cn = one(inPartition('aws-cn', 'cn-north-1'));
    expect(cn.ProductArn).toBe('arn:aws-cn:securityhub:cn-north-1:111122223333:product/111122223333/default');
    expect((cn.Resources as Json[])[0]).toEqual({
      Type: 'AwsLambdaFunction',
      Id: 'arn:aws-cn:lambda:cn-north-1:111122223333:function:pay',
      Partition: 'aws-cn',
      Region: 'cn-north-1',
    });
    const gov = one(inPartition('aws-us-gov', 'us-gov-west-1'));
    expect(gov.ProductArn).toBe(
      'arn:aws-us-gov:securityhub:us-gov-west-1:111122223333:product/111122223333/default',
    );
    expect((gov.Resources as Json[])[0]!.Partition).toBe('aws-us-gov');
    expect((one(aFinding()).Resources as Json[])[0]!.Partition).toBe('aws');
  });

  it('falls back to the aws partition when the ARN does not name one', () => {
    const f = aFinding();
    const odd = { ...f, resource: { ...f.resource, arn: 'not-an-arn' } };
    expect(one(odd).ProductArn).toBe(
      'arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default',
    );
  });

  it('writes Signet’s own fields for filtering in Security Hub', () => {
    expect(one(aFinding({ status: 'UNKNOWN', production: true, inScope: false })).ProductFields).toEqual({
      'signet/RuleId': 'SGN-001',
      'signet/RuleSlug': 'function-has-code-signing-config',
      'signet/Status': 'UNKNOWN',
      'signet/Production': 'true',
      'signet/InScope': 'false',
    });
    const muted = one(aFinding({ muted: { reason: 'vendor code', source: 'config' } }));
    expect((muted.ProductFields as Json)['signet/MutedReason']).toBe('vendor code');
    expect(muted.Workflow).toEqual({ Status: 'SUPPRESSED' });
    expect(one(aFinding()).Workflow).toEqual({ Status: 'NEW' });
  });

  it('calls versions Lambda functions and everything else Other', () => {
    const f = aFinding();
    const version = { ...f, resource: { ...f.resource, type: 'function-version' as const } };
    const csc = { ...f, resource: { ...f.resource, type: 'code-signing-config' as const } };
    expect((one(version).Resources as Json[])[0]!.Type).toBe('AwsLambdaFunction');
    expect((one(csc).Resources as Json[])[0]!.Type).toBe('Other');
  });

  it('clips title, description, recommendation and muted reason to Security Hub’s limits', () => {
    const f = one(
      aFinding({
        title: 't'.repeat(300),
        message: 'm'.repeat(1024),
        remediation: 'r'.repeat(600),
        muted: { reason: 'w'.repeat(2000), source: 'config' },
      }),
    );
    expect(f.Title).toBe(`SGN-001 ${'t'.repeat(247)}…`);
    expect(String(f.Title)).toHaveLength(256);
    // Exactly at the limit: kept whole.
    expect(f.Description).toBe('m'.repeat(1024));
    const recommendation = (f.Remediation as { Recommendation: { Text: string } }).Recommendation.Text;
    expect(recommendation).toBe(`${'r'.repeat(511)}…`);
    expect((f.ProductFields as Json)['signet/MutedReason']).toBe(`${'w'.repeat(1023)}…`);
    expect(one(aFinding({ message: 'm'.repeat(1025) })).Description).toBe(`${'m'.repeat(1023)}…`);
  });

  it('neutralises control characters in the texts it sends', () => {
    expect(one(aFinding({ message: 'a\u001b[2Jb\nc' })).Description).toBe('ab c');
  });

  it('links the rule’s docs, also for a rule missing from the table, only with a docs base', () => {
    const base = { docsBaseUrl: 'https://docs.example.test/' };
    const url = (f: Json) => (f.Remediation as { Recommendation: { Url?: string } }).Recommendation.Url;
    const unlisted = aFinding({ ruleId: 'SGN-077', slug: 'other-rule' });
    expect(url(one(unlisted, base))).toBe('https://docs.example.test/docs/rules/other-rule.md');
    const custom = buildAsff(
      aReportInput({
        rules: [aRule({ helpUri: 'https://rules.example.test/sgn-001' })],
        findings: [aFinding()],
      }),
    )[0] as Json;
    expect(url(custom)).toBe('https://rules.example.test/sgn-001');
  });

  it('skips findings without an account, a region or an ARN, and counts them', () => {
    const f = aFinding();
    const noAccount = {
      ...f,
      resource: {
        ...f.resource,
        accountId: undefined,
        provenance: { ...f.resource.provenance, accountId: '' },
      },
    } as Finding;
    const noRegion = {
      ...f,
      resource: { ...f.resource, region: undefined, provenance: { ...f.resource.provenance, region: '' } },
    } as Finding;
    const noArn = {
      ...f,
      resource: { ...f.resource, arn: undefined, provenance: { ...f.resource.provenance, arn: '' } },
    } as Finding;
    const input = aReportInput({ findings: [noAccount, noRegion, noArn, f] });
    expect(buildAsff(input)).toHaveLength(1);
    expect(asffSkippedCount(input)).toBe(3);
  });

  it('uses the resource’s own account and region over its provenance', () => {
    const f = aFinding();
    const moved = {
      ...f,
      resource: {
        ...f.resource,
        provenance: { ...f.resource.provenance, accountId: '999999999999', region: 'x' },
      },
    } as Finding;
    expect(one(moved)).toMatchObject({ AwsAccountId: '111122223333', Resources: [{ Region: 'eu-west-1' }] });
  });

  it('renders a JSON array ending in a newline', () => {
    const text = renderAsff(aReportInput({ findings: [aFinding()] }));
    expect(text.endsWith(']\n')).toBe(true);
    expect((JSON.parse(text) as Json[])[0]!.SchemaVersion).toBe(ASFF_SCHEMA_VERSION);
    expect(renderAsff(aReportInput())).toBe('[]\n');
  });
});
