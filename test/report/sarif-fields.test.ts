// SARIF field by field: what GitHub code scanning and other SARIF viewers read — rule metadata and
// security-severity, result levels, locations and artifact URIs, suppressions, notifications, run properties.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import { artifactLocation, buildSarif, renderSarif, sarifKind, sarifLevel } from '../../src/report/sarif.js';
import { aFinding, anIacFinding, anIacReportInput, aReportInput, aRule } from './builders.js';

type Json = Record<string, unknown>;
const run = (log: Json) => (log.runs as Json[])[0]!;
const rulesOf = (log: Json) => ((run(log).tool as Json).driver as Json).rules as Json[];
const resultsOf = (log: Json) => run(log).results as Json[];

describe('SARIF levels and kinds', () => {
  it('maps severities to levels: critical and high error, medium warning, the rest note', () => {
    expect(['critical', 'high', 'medium', 'low', 'info'].map(sarifLevel)).toEqual([
      'error',
      'error',
      'warning',
      'note',
      'note',
    ]);
  });

  it('maps statuses to kinds', () => {
    expect((['FAIL', 'PASS', 'NOT_APPLICABLE', 'UNKNOWN', 'ERROR'] as const).map(sarifKind)).toEqual([
      'fail',
      'pass',
      'notApplicable',
      'review',
      'review',
    ]);
  });
});

describe('SARIF rules', () => {
  const severities = ['critical', 'high', 'medium', 'low', 'info'];
  // Built inside each test, so mutation testing knows which tests reach which code.
  const build = () =>
    buildSarif(
      aReportInput({
        rules: severities.map((severity, i) => aRule({ id: `SGN-10${i}`, slug: `rule-${i}`, severity })),
      }),
      { docsBaseUrl: 'https://docs.example.test/signet/' },
    );

  it('gives GitHub a security-severity per rule (none for info) and security tags', () => {
    const rules = rulesOf(build());
    expect(rules.map((r) => (r.properties as Json)['security-severity'])).toEqual([
      '9.5',
      '8.0',
      '5.5',
      '3.0',
      undefined,
    ]);
    expect(rules.map((r) => (r.defaultConfiguration as Json).level)).toEqual([
      'error',
      'error',
      'warning',
      'note',
      'note',
    ]);
    expect(rules[0]!.properties).toEqual({
      tags: ['security', 'aws', 'lambda', 'code-signing'],
      precision: 'high',
      'security-severity': '9.5',
    });
  });

  it('writes help as text and markdown with the docs link when there is one', () => {
    expect(rulesOf(build())[0]!.help).toEqual({
      text: 'Attach a code signing configuration that enforces. See https://docs.example.test/signet/docs/rules/rule-0.md',
      markdown:
        'Attach a code signing configuration that enforces.\n\n[SGN-100 documentation](https://docs.example.test/signet/docs/rules/rule-0.md)',
    });
    const bare = rulesOf(buildSarif(aReportInput()))[0]!;
    expect(bare.help).toEqual({
      text: 'Attach a code signing configuration that enforces.',
      markdown: 'Attach a code signing configuration that enforces.',
    });
    expect(bare).not.toHaveProperty('helpUri');
  });

  it('falls back to the title when a rule has no rationale', () => {
    const rules = rulesOf(buildSarif(aReportInput({ rules: [aRule({ rationale: '' })] })));
    expect(rules[0]!.fullDescription).toEqual({ text: 'Lambda function has a code signing configuration' });
  });

  it('adds a rule for a finding whose rule is not in the table, and points the result at it', () => {
    const log2 = buildSarif(
      aReportInput({
        findings: [
          aFinding({ ruleId: 'SGN-077', slug: 'other-rule', title: 'Other', severity: 'low' }),
          aFinding({ ruleId: 'SGN-077', slug: 'other-rule', title: 'Other', severity: 'low', id: 'x2' }),
          aFinding({ ruleId: 'SGN-002', id: 'x3' }),
        ],
      }),
      { docsBaseUrl: 'https://docs.example.test/' },
    );
    const rules = rulesOf(log2);
    expect(rules.map((r) => r.id)).toEqual(['SGN-001', 'SGN-002', 'SGN-077']);
    expect(rules[2]).toMatchObject({
      name: 'other-rule',
      shortDescription: { text: 'Other' },
      fullDescription: { text: 'Other' },
      helpUri: 'https://docs.example.test/docs/rules/other-rule.md',
      defaultConfiguration: { level: 'note' },
    });
    expect(resultsOf(log2).map((r) => r.ruleIndex)).toEqual([2, 2, 1]);
  });

  it('names the tool with its version and, with a docs base, its information URI', () => {
    const driver = (run(build()).tool as Json).driver as Json;
    expect(driver).toMatchObject({
      name: 'signet',
      version: '0.1.0',
      semanticVersion: '0.1.0',
      informationUri: 'https://docs.example.test/signet/',
    });
  });
});

describe('SARIF results', () => {
  it('carries status, severity, resource and scope as properties, and the fingerprint', () => {
    const [result] = resultsOf(
      buildSarif(
        aReportInput({
          findings: [aFinding({ id: 'f1', status: 'UNKNOWN', production: true, inScope: false })],
        }),
      ),
    );
    expect(result).toMatchObject({
      ruleId: 'SGN-001',
      ruleIndex: 0,
      kind: 'review',
      level: 'none',
      partialFingerprints: { 'signetFindingId/v1': 'f1' },
      properties: {
        status: 'UNKNOWN',
        severity: 'high',
        resourceType: 'function',
        resourceId: 'arn:aws:lambda:eu-west-1:111122223333:function:orders',
        production: true,
        inScope: false,
      },
    });
    expect(result).not.toHaveProperty('suppressions');
  });

  it('records an exception’s expiry on its suppression', () => {
    const [result] = resultsOf(
      buildSarif(
        aReportInput({
          findings: [aFinding({ muted: { reason: 'retiring', source: 'config', expires: '2027-03-31' } })],
        }),
      ),
    );
    expect(result!.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'retiring',
        properties: { expires: '2027-03-31' },
      },
    ]);
  });

  it('leaves out PASS and NOT_APPLICABLE only with results: problems', () => {
    const input = aReportInput({
      findings: (['FAIL', 'PASS', 'NOT_APPLICABLE', 'UNKNOWN', 'ERROR'] as const).map((status) =>
        aFinding({ status, name: status }),
      ),
    });
    expect(resultsOf(buildSarif(input)).map((r) => (r.properties as Json).status)).toEqual([
      'FAIL',
      'PASS',
      'NOT_APPLICABLE',
      'UNKNOWN',
      'ERROR',
    ]);
    expect(
      resultsOf(buildSarif(input, { results: 'problems' })).map((r) => (r.properties as Json).status),
    ).toEqual(['FAIL', 'UNKNOWN', 'ERROR']);
    expect(resultsOf(buildSarif(input, { results: 'all' }))).toHaveLength(5);
  });

  it('points IaC results at the file and the resource, leaving out unknown (0) lines and columns', () => {
    const at = (finding: Finding) =>
      ((resultsOf(buildSarif(anIacReportInput({ findings: [finding] })))[0]!.locations as Json[])[0] as Json)
        .physicalLocation;
    expect(at(anIacFinding({ line: 0, column: 0 }))).toEqual({
      artifactLocation: { uri: 'templates/app.yaml', uriBaseId: '%SRCROOT%' },
    });
    expect(at(anIacFinding({ line: 5, column: 0 }))).toEqual({
      artifactLocation: { uri: 'templates/app.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 5 },
    });
    expect(at(anIacFinding({ line: 1, column: 1 }))).toMatchObject({
      region: { startLine: 1, startColumn: 1 },
    });
    const [result] = resultsOf(
      buildSarif(anIacReportInput({ findings: [anIacFinding({ logicalId: 'Fn' })] })),
    );
    expect((result!.locations as Json[])[0]!.logicalLocations).toEqual([
      { name: 'Fn', fullyQualifiedName: 'Fn', kind: 'resource' },
    ]);
  });
});

describe('SARIF artifact URIs', () => {
  it('makes relative paths forward-slashed, percent-encoded and rooted at %SRCROOT%', () => {
    expect(artifactLocation('templates/app.yaml')).toEqual({
      uri: 'templates/app.yaml',
      uriBaseId: '%SRCROOT%',
    });
    expect(artifactLocation('./././a b/c#d.yaml')).toEqual({
      uri: 'a%20b/c%23d.yaml',
      uriBaseId: '%SRCROOT%',
    });
    expect(artifactLocation('stacks\\prod\\t.json')).toEqual({
      uri: 'stacks/prod/t.json',
      uriBaseId: '%SRCROOT%',
    });
  });

  it('makes absolute POSIX and Windows paths file: URIs, keeping the drive colon', () => {
    expect(artifactLocation('/repo/my app/t.yaml')).toEqual({ uri: 'file:///repo/my%20app/t.yaml' });
    expect(artifactLocation('C:\\repo\\t.yaml')).toEqual({ uri: 'file:///C:/repo/t.yaml' });
    expect(artifactLocation('d:/x y/t.yaml')).toEqual({ uri: 'file:///d:/x%20y/t.yaml' });
    // A colon elsewhere is encoded.
    expect(artifactLocation('/repo/a:b/t.yaml')).toEqual({ uri: 'file:///repo/a%3Ab/t.yaml' });
    expect(artifactLocation('ab:/t.yaml')).toEqual({ uri: 'ab%3A/t.yaml', uriBaseId: '%SRCROOT%' });
  });
});

describe('SARIF invocation and run properties', () => {
  const errors = {
    collectionErrors: [
      {
        service: 'lambda',
        operation: 'ListFunctions',
        accountId: '111122223333',
        region: 'eu-west-1',
        errorCode: 'AccessDeniedException',
        message: 'not \u001b[31mauthorized',
        parts: ['functions', 'versions'] as ('functions' | 'versions')[],
      },
      {
        service: 'tagging',
        operation: 'GetResources',
        accountId: '111122223333',
        region: 'eu-west-1',
        errorCode: '',
        message: 'timeout',
        parts: [],
      },
    ],
  };

  it('turns collection errors into warnings that say where, what and which parts are incomplete', () => {
    const notes = (run(buildSarif(aReportInput(errors))).invocations as Json[])[0]!
      .toolExecutionNotifications;
    expect(notes).toEqual([
      {
        level: 'warning',
        message: {
          text: 'lambda:ListFunctions failed in 111122223333/eu-west-1 (AccessDeniedException): not authorized; incomplete: functions, versions',
        },
        descriptor: { id: 'AccessDeniedException' },
        properties: {
          service: 'lambda',
          operation: 'ListFunctions',
          accountId: '111122223333',
          region: 'eu-west-1',
          parts: ['functions', 'versions'],
        },
      },
      {
        level: 'warning',
        message: { text: 'tagging:GetResources failed in 111122223333/eu-west-1 (): timeout' },
        descriptor: { id: 'collection-error' },
        properties: {
          service: 'tagging',
          operation: 'GetResources',
          accountId: '111122223333',
          region: 'eu-west-1',
          parts: [],
        },
      },
    ]);
  });

  it('turns parse errors into errors located in the file', () => {
    const invocation = (
      run(
        buildSarif(
          anIacReportInput({ parseErrors: [{ file: 'bad.yaml', line: 3, column: 2, message: 'tab' }] }),
        ),
      ).invocations as Json[]
    )[0]!;
    expect(invocation).toEqual({
      executionSuccessful: true,
      endTimeUtc: '2025-06-01T12:00:00.000Z',
      toolExecutionNotifications: [
        {
          level: 'error',
          message: { text: 'bad.yaml could not be parsed: tab' },
          descriptor: { id: 'parse-error' },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: 'bad.yaml', uriBaseId: '%SRCROOT%' },
                region: { startLine: 3, startColumn: 2 },
              },
            },
          ],
        },
      ],
    });
    const noTime = (run(buildSarif(aReportInput({ generatedAt: '' }))).invocations as Json[])[0]!;
    expect(noTime).not.toHaveProperty('endTimeUtc');
  });

  it('records source, collection time, coverage and (live only) signing profile counts', () => {
    expect(run(buildSarif(aReportInput())).properties).toEqual({
      source: 'aws',
      collectedAt: '2025-06-01T11:59:00.000Z',
      coverage: { inScopeFunctions: 4, enforced: 2, warn: 1, noCsc: 1, notApplicable: 0 },
      signingProfileCounts: { active: 2, canceled: 1, revoked: 0 },
    });
    expect(run(buildSarif(anIacReportInput())).properties).not.toHaveProperty('signingProfileCounts');
  });

  it('renders the same log as text ending in a newline', () => {
    const input = aReportInput({ findings: [aFinding()] });
    const text = renderSarif(input);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(buildSarif(input));
    expect(renderSarif(input, { results: 'problems' })).toBe(
      `${JSON.stringify(buildSarif(input, { results: 'problems' }), null, 2)}\n`,
    );
  });
});
