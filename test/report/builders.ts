// Inline builders for reporter tests: small ReportInputs with live and IaC findings.
import type { Finding } from '../../src/model/finding.js';
import type { ReportInput, RuleInfo } from '../../src/model/report.js';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

export function aRule(over: Partial<RuleInfo> = {}): RuleInfo {
  const slug = over.slug ?? 'function-has-code-signing-config';
  return {
    id: 'SGN-001',
    slug,
    title: 'Lambda function has a code signing configuration',
    severity: 'high',
    rationale: 'Without a CSC, Lambda accepts any code.',
    remediation: 'Attach a code signing configuration that enforces.',
    helpUri: `docs/rules/${slug}.md`,
    ...over,
  };
}

export const RULES: RuleInfo[] = [
  aRule(),
  aRule({
    id: 'SGN-002',
    slug: 'code-signing-config-enforces',
    title: "Lambda function's code signing configuration enforces",
    severity: 'medium',
  }),
];

/** A live finding on a function; `name` sets the function name and ARN. */
export function aFinding(
  over: Partial<Finding> & { name?: string; account?: string; region?: string } = {},
): Finding {
  const { name = 'orders', account = ACCOUNT, region = REGION, ...rest } = over;
  const arn = `arn:aws:lambda:${region}:${account}:function:${name}`;
  const ruleId = rest.ruleId ?? 'SGN-001';
  return {
    id: `${ruleId}-${name}-${account}-${region}`,
    ruleId,
    slug: ruleId === 'SGN-002' ? 'code-signing-config-enforces' : 'function-has-code-signing-config',
    title: 'Lambda function has a code signing configuration',
    status: 'FAIL',
    severity: 'high',
    resource: {
      type: 'function',
      id: arn,
      name,
      arn,
      accountId: account,
      region,
      provenance: { source: 'aws', arn, accountId: account, region },
    },
    message: `${name} has no code signing configuration; attach one that enforces.`,
    remediation: 'Attach a code signing configuration that enforces.',
    production: false,
    inScope: true,
    ...rest,
  };
}

/** An IaC finding: a CloudFormation resource at `line`, with property positions. */
export function anIacFinding(
  over: Partial<Finding> & {
    file?: string;
    logicalId?: string;
    line?: number;
    column?: number;
    properties?: Record<string, { line: number; column: number }>;
  } = {},
): Finding {
  const {
    file = 'templates/app.yaml',
    logicalId = 'OrdersFunction',
    line = 12,
    column = 3,
    properties,
    ...rest
  } = over;
  return aFinding({
    id: `iac-${file}-${logicalId}-${rest.ruleId ?? 'SGN-001'}`,
    resource: {
      type: 'function',
      id: `${file}#${logicalId}`,
      name: logicalId,
      provenance: {
        source: 'iac',
        format: 'cloudformation',
        file,
        line,
        column,
        logicalId,
        ...(properties ? { properties } : {}),
      },
    },
    message: `${logicalId} has no CodeSigningConfigArn; add one.`,
    ...rest,
  });
}

export function aReportInput(over: Partial<ReportInput> = {}): ReportInput {
  return {
    tool: { name: 'signet', version: '0.1.0' },
    generatedAt: '2025-06-01T12:00:00.000Z',
    source: 'aws',
    collectedAt: '2025-06-01T11:59:00.000Z',
    accounts: [{ accountId: ACCOUNT, name: 'prod' }],
    regions: [REGION],
    rules: RULES,
    findings: [],
    collectionErrors: [],
    parseErrors: [],
    signingProfileCounts: { active: 2, canceled: 1, revoked: 0 },
    coverage: { inScopeFunctions: 4, enforced: 2, warn: 1, noCsc: 1, notApplicable: 0 },
    ...over,
  };
}

export function anIacReportInput(over: Partial<ReportInput> = {}): ReportInput {
  return aReportInput({
    source: 'iac',
    accounts: [],
    regions: [],
    signingProfileCounts: { active: 0, canceled: 0, revoked: 0 },
    ...over,
  });
}

/** A name an attacker controls: markup, a terminal escape that clears the screen, and a formula. */
export const HOSTILE = '<script>alert(1)</script>\u001b[2J\u001b]8;;http://evil.example\u0007x';
