import { describe, expect, it } from 'vitest';
import { buildSarif, renderSarif } from '../../src/report/sarif.js';
import { aFinding, anIacFinding, anIacReportInput, aReportInput, HOSTILE } from './builders.js';

type Json = Record<string, unknown>;

// The SARIF 2.1.0 schema closes most objects (additionalProperties: false); these are the keys it
// allows on the objects Signet writes, and the ones it requires.
const ALLOWED: Record<string, { keys: string[]; required?: string[] }> = {
  log: {
    keys: ['$schema', 'version', 'runs', 'inlineExternalProperties', 'properties'],
    required: ['version', 'runs'],
  },
  run: {
    keys: [
      'tool',
      'invocations',
      'results',
      'properties',
      'artifacts',
      'originalUriBaseIds',
      'automationDetails',
      'columnKind',
    ],
    required: ['tool'],
  },
  driver: {
    keys: ['name', 'version', 'semanticVersion', 'informationUri', 'rules', 'properties', 'organization'],
    required: ['name'],
  },
  rule: {
    keys: [
      'id',
      'name',
      'shortDescription',
      'fullDescription',
      'help',
      'helpUri',
      'defaultConfiguration',
      'properties',
    ],
    required: ['id'],
  },
  result: {
    keys: [
      'ruleId',
      'ruleIndex',
      'kind',
      'level',
      'message',
      'locations',
      'partialFingerprints',
      'suppressions',
      'properties',
    ],
    required: ['message'],
  },
  location: { keys: ['physicalLocation', 'logicalLocations', 'message', 'properties'] },
  physicalLocation: { keys: ['artifactLocation', 'region', 'properties'] },
  artifactLocation: { keys: ['uri', 'uriBaseId', 'index', 'properties'] },
  region: { keys: ['startLine', 'startColumn', 'endLine', 'endColumn', 'properties'] },
  logicalLocation: {
    keys: ['name', 'fullyQualifiedName', 'kind', 'index', 'parentIndex', 'decoratedName', 'properties'],
  },
  suppression: {
    keys: ['kind', 'status', 'justification', 'location', 'guid', 'properties'],
    required: ['kind'],
  },
  invocation: {
    keys: ['executionSuccessful', 'endTimeUtc', 'startTimeUtc', 'toolExecutionNotifications', 'properties'],
    required: ['executionSuccessful'],
  },
  notification: {
    keys: ['level', 'message', 'descriptor', 'locations', 'properties'],
    required: ['message'],
  },
};

function checkShape(kind: string, value: unknown, path: string): string[] {
  const spec = ALLOWED[kind]!;
  if (!value || typeof value !== 'object') return [`${path} is not an object`];
  const obj = value as Json;
  const problems: string[] = [];
  for (const key of Object.keys(obj))
    if (!spec.keys.includes(key)) problems.push(`${path}.${key} is not allowed`);
  for (const key of spec.required ?? []) if (!(key in obj)) problems.push(`${path}.${key} is required`);
  return problems;
}

/** Structural validation of what Signet emits against SARIF 2.1.0's schema rules. */
function sarifProblems(log: Json): string[] {
  const problems = checkShape('log', log, 'log');
  if (log.version !== '2.1.0') problems.push('version must be 2.1.0');
  const runs = log.runs as Json[];
  runs.forEach((run, r) => {
    problems.push(...checkShape('run', run, `runs[${r}]`));
    const driver = (run.tool as Json).driver as Json;
    problems.push(...checkShape('driver', driver, 'driver'));
    const rules = (driver.rules as Json[]) ?? [];
    rules.forEach((rule, i) => {
      problems.push(...checkShape('rule', rule, `rules[${i}]`));
      for (const key of ['shortDescription', 'fullDescription', 'help'] as const) {
        if (rule[key] && typeof (rule[key] as Json).text !== 'string')
          problems.push(`rules[${i}].${key}.text missing`);
      }
      if (rule.helpUri && !/^https?:\/\//.test(String(rule.helpUri)))
        problems.push(`rules[${i}].helpUri not absolute`);
      const level = (rule.defaultConfiguration as Json | undefined)?.level;
      if (level && !['none', 'note', 'warning', 'error'].includes(String(level)))
        problems.push(`rules[${i}] level`);
    });
    for (const inv of (run.invocations as Json[]) ?? []) {
      problems.push(...checkShape('invocation', inv, 'invocation'));
      for (const n of (inv.toolExecutionNotifications as Json[]) ?? [])
        problems.push(...checkShape('notification', n, 'notification'));
    }
    ((run.results as Json[]) ?? []).forEach((result, i) => {
      const at = `results[${i}]`;
      problems.push(...checkShape('result', result, at));
      if (typeof (result.message as Json)?.text !== 'string') problems.push(`${at}.message.text missing`);
      if (!['pass', 'open', 'informational', 'notApplicable', 'review', 'fail'].includes(String(result.kind)))
        problems.push(`${at}.kind`);
      if (!['none', 'note', 'warning', 'error'].includes(String(result.level))) problems.push(`${at}.level`);
      if (result.kind !== 'fail' && result.level !== 'none')
        problems.push(`${at}: non-fail kind with level ${result.level}`);
      const index = result.ruleIndex as number;
      if ((rules[index] as Json | undefined)?.id !== result.ruleId)
        problems.push(`${at}.ruleIndex does not point at ruleId`);
      for (const location of (result.locations as Json[]) ?? []) {
        problems.push(...checkShape('location', location, `${at}.location`));
        const physical = location.physicalLocation as Json | undefined;
        if (physical) {
          problems.push(...checkShape('physicalLocation', physical, `${at}.physicalLocation`));
          problems.push(
            ...checkShape('artifactLocation', physical.artifactLocation, `${at}.artifactLocation`),
          );
          const region = physical.region as Json | undefined;
          if (region) {
            problems.push(...checkShape('region', region, `${at}.region`));
            if (!((region.startLine as number) >= 1)) problems.push(`${at}.region.startLine < 1`);
          }
        }
        for (const logical of (location.logicalLocations as Json[]) ?? [])
          problems.push(...checkShape('logicalLocation', logical, `${at}.logicalLocation`));
      }
      for (const s of (result.suppressions as Json[]) ?? []) {
        problems.push(...checkShape('suppression', s, `${at}.suppression`));
        if (!['inSource', 'external'].includes(String(s.kind))) problems.push(`${at}.suppression.kind`);
      }
    });
  });
  return problems;
}

function resultsOf(log: Json): Json[] {
  return ((log.runs as Json[])[0]!.results as Json[]) ?? [];
}

describe('SARIF report', () => {
  const live = aReportInput({
    findings: [
      aFinding({ name: 'a', status: 'FAIL', severity: 'critical' }),
      aFinding({ name: 'b', status: 'FAIL', severity: 'high' }),
      aFinding({ name: 'c', status: 'FAIL', severity: 'medium', ruleId: 'SGN-002' }),
      aFinding({ name: 'd', status: 'FAIL', severity: 'low' }),
      aFinding({ name: 'e', status: 'FAIL', severity: 'info' }),
      aFinding({ name: 'f', status: 'PASS' }),
      aFinding({ name: 'g', status: 'NOT_APPLICABLE' }),
      aFinding({ name: 'h', status: 'UNKNOWN' }),
      aFinding({ name: 'i', status: 'ERROR' }),
      aFinding({
        name: 'j',
        status: 'FAIL',
        muted: { reason: 'legacy, retiring in Q3', source: 'config', expires: '2026-01-01' },
      }),
    ],
    collectionErrors: [
      {
        service: 'lambda',
        operation: 'ListFunctions',
        accountId: '111122223333',
        region: 'us-east-1',
        errorCode: 'AccessDeniedException',
        message: 'not authorized',
        parts: ['functions'],
      },
    ],
  });

  it('is a SARIF 2.1.0 log with the required properties and nothing the schema forbids', () => {
    const log = JSON.parse(renderSarif(live)) as Json;
    expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(sarifProblems(log)).toEqual([]);
    const iacLog = JSON.parse(
      renderSarif(
        anIacReportInput({
          findings: [anIacFinding()],
          parseErrors: [{ file: 'bad.yaml', line: 3, message: 'tab' }],
        }),
      ),
    ) as Json;
    expect(sarifProblems(iacLog)).toEqual([]);
  });

  it('describes the tool and every rule that ran', () => {
    const docsBaseUrl = 'https://docs.example.test/signet/';
    const driver = ((buildSarif(live, { docsBaseUrl }).runs as Json[])[0]!.tool as Json).driver as Json;
    expect(driver).toMatchObject({ name: 'signet', version: '0.1.0', informationUri: docsBaseUrl });
    const bare = ((buildSarif(live).runs as Json[])[0]!.tool as Json).driver as Json;
    expect([bare.informationUri, (bare.rules as Json[])[0]!.helpUri]).toEqual([undefined, undefined]);
    const rules = driver.rules as Json[];
    expect(rules.map((r) => r.id)).toEqual(['SGN-001', 'SGN-002']);
    expect(rules[0]).toMatchObject({
      id: 'SGN-001',
      name: 'function-has-code-signing-config',
      shortDescription: { text: 'Lambda function has a code signing configuration' },
      fullDescription: { text: 'Without a CSC, Lambda accepts any code.' },
      defaultConfiguration: { level: 'error' },
    });
    expect(String(rules[0]!.helpUri)).toMatch(
      /^https:\/\/.*\/docs\/rules\/function-has-code-signing-config\.md$/,
    );
    expect((rules[0]!.properties as Json).tags).toEqual(expect.arrayContaining(['security']));
    expect(rules[1]).toMatchObject({ defaultConfiguration: { level: 'warning' } });
  });

  it('gives each status its kind and each failing severity its level', () => {
    const results = resultsOf(buildSarif(live));
    const by = (name: string) =>
      results.find((r) => JSON.stringify(r.locations).includes(`function:${name}"`))!;
    expect(by('a')).toMatchObject({ kind: 'fail', level: 'error' });
    expect(by('b')).toMatchObject({ kind: 'fail', level: 'error' });
    expect(by('c')).toMatchObject({ kind: 'fail', level: 'warning', ruleId: 'SGN-002', ruleIndex: 1 });
    expect(by('d')).toMatchObject({ kind: 'fail', level: 'note' });
    expect(by('e')).toMatchObject({ kind: 'fail', level: 'note' });
    expect(by('f')).toMatchObject({ kind: 'pass', level: 'none' });
    expect(by('g')).toMatchObject({ kind: 'notApplicable', level: 'none' });
    expect(by('h')).toMatchObject({ kind: 'review', level: 'none' });
    expect(by('i')).toMatchObject({ kind: 'review', level: 'none' });
  });

  it('points live results at the resource ARN as a logical location, with a fingerprint', () => {
    const [first] = resultsOf(
      buildSarif(aReportInput({ findings: [aFinding({ name: 'orders', id: 'abc123' })] })),
    );
    expect(first!.locations).toEqual([
      {
        logicalLocations: [
          {
            name: 'orders',
            fullyQualifiedName: 'arn:aws:lambda:eu-west-1:111122223333:function:orders',
            kind: 'resource',
          },
        ],
      },
    ]);
    expect(first!.partialFingerprints).toEqual({ 'signetFindingId/v1': 'abc123' });
    expect(first!.message).toEqual({
      text: 'orders has no code signing configuration; attach one that enforces.',
    });
  });

  it('points IaC results at the offending property when the adapter located it, else at the resource', () => {
    const input = anIacReportInput({
      findings: [
        anIacFinding({
          ruleId: 'SGN-002',
          logicalId: 'Csc',
          file: '.\\stacks\\my app.yaml',
          line: 10,
          column: 3,
          properties: { CodeSigningPolicies: { line: 14, column: 7 } },
          details: { property: 'CodeSigningPolicies' },
        }),
        anIacFinding({ logicalId: 'Fn', line: 30, column: 5, details: { property: 'CodeSigningConfigArn' } }),
      ],
    });
    const [property, resource] = resultsOf(buildSarif(input));
    expect((property!.locations as Json[])[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'stacks/my%20app.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 14, startColumn: 7 },
    });
    expect((resource!.locations as Json[])[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'templates/app.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 30, startColumn: 5 },
    });
  });

  it('records muted findings as suppressions: config exceptions external, inline ones in source', () => {
    const input = anIacReportInput({
      findings: [
        anIacFinding({ logicalId: 'A', muted: { reason: 'vendor code', source: 'inline' } }),
        anIacFinding({ logicalId: 'B', muted: { reason: 'retiring', source: 'config' } }),
        anIacFinding({ logicalId: 'C' }),
      ],
    });
    const [a, b, c] = resultsOf(buildSarif(input));
    expect(a!.suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'vendor code' }]);
    expect(b!.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'retiring' }]);
    expect(c!.suppressions).toBeUndefined();
  });

  it('reports collection errors as tool notifications, and can leave passes out for GitHub', () => {
    const log = buildSarif(live, { results: 'problems' });
    const run = (log.runs as Json[])[0]!;
    const notes = (run.invocations as Json[])[0]!.toolExecutionNotifications as Json[];
    expect(notes).toHaveLength(1);
    expect(String((notes[0]!.message as Json).text)).toContain('ListFunctions');
    const kinds = new Set(resultsOf(log).map((r) => r.kind));
    expect(kinds).toEqual(new Set(['fail', 'review']));
  });

  it('keeps terminal escapes and control characters out of messages', () => {
    const [result] = resultsOf(buildSarif(aReportInput({ findings: [aFinding({ message: HOSTILE })] })));
    expect(JSON.stringify(result!.message)).not.toMatch(/\\u001b|\\u0007/);
  });
});
