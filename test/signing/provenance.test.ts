// Provenance documents validate against the published in-toto Statement v1 / SLSA Provenance v1 shapes,
// carry the CI builder and invocation, and never copy credentials or the environment.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import {
  buildProvenance,
  detectCi,
  readProvenance,
  type SignedArtifactRecord,
  signedRecordFor,
  withDeployment,
} from '../../src/signing/provenance.js';
import { checkSlsaStatement } from './slsa-schema.js';

const artifact: SignedArtifactRecord = {
  packageName: 'app.zip',
  packageSha256: 'a'.repeat(64),
  signedObject: {
    bucket: 'artifacts',
    key: 'signed/app-1b4e28ba-2fa1-11d2-883f-0016d3cca427',
    versionId: 'v1',
    sha256: 'b'.repeat(64),
  },
  signingJobArn: 'arn:aws:signer:us-east-1:111111111111:/signing-jobs/1b4e28ba-2fa1-11d2-883f-0016d3cca427',
  signingProfileVersionArn: 'arn:aws:signer:us-east-1:111111111111:/signing-profiles/release/AbCdEf1234',
  signingProfile: 'release',
  platformId: 'AWSLambda-SHA384-ECDSA',
  signatureExpiresAt: '2030-01-01T00:00:00.000Z',
};

const github = {
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'acme/payments',
  GITHUB_SHA: 'c'.repeat(40),
  GITHUB_RUN_ID: '987654321',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_WORKFLOW_REF: 'acme/payments/.github/workflows/deploy.yml@refs/heads/main',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_SERVER_URL: 'https://github.com',
  AWS_SECRET_ACCESS_KEY: 'very-secret-value',
  AWS_SESSION_TOKEN: 'session-token-value',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token',
  GITHUB_TOKEN: 'ghs_token_value',
};

const gitlab = {
  GITLAB_CI: 'true',
  CI_PROJECT_PATH: 'acme/platform/payments',
  CI_COMMIT_SHA: 'd'.repeat(40),
  CI_PIPELINE_ID: '4242',
  CI_RUNNER_ID: '17',
  CI_SERVER_URL: 'https://gitlab.example.com',
  CI_JOB_TOKEN: 'job-token-value',
};

function statement(env: NodeJS.ProcessEnv) {
  return buildProvenance({
    artifacts: [artifact],
    parameters: { profile: 'release', bucket: 'artifacts', prefix: 'ci/', region: 'us-east-1' },
    ci: detectCi(env),
    startedOn: new Date('2026-12-01T04:00:00Z'),
    finishedOn: new Date('2026-12-01T04:00:05Z'),
  });
}

describe('provenance', () => {
  it('is an in-toto Statement v1 with a SLSA Provenance v1 predicate (GitHub, GitLab, local)', () => {
    for (const env of [github, gitlab, {}]) checkSlsaStatement(statement(env));
    const deployed = withDeployment(statement(github), {
      target: 'function:payments',
      arn: 'arn:aws:lambda:us-east-1:111111111111:function:payments:7',
      codeSha256: Buffer.from('e'.repeat(64), 'hex').toString('base64'),
      signedObject: artifact.signedObject,
      alias: 'live',
    });
    checkSlsaStatement(deployed);
    expect(deployed.predicate.runDetails.byproducts?.at(-1)).toMatchObject({
      name: 'deployed:function:payments',
      uri: 'arn:aws:lambda:us-east-1:111111111111:function:payments:7',
      digest: { sha256: 'e'.repeat(64) },
      annotations: { alias: 'live' },
    });
  });

  it('the shape check fails documents that break the specification', () => {
    const good = statement({});
    expect(() => checkSlsaStatement({ ...good, subject: [] })).toThrow();
    expect(() =>
      checkSlsaStatement({ ...good, subject: [{ name: 'x', digest: { sha256: 'ABC' } }] }),
    ).toThrow();
    expect(() =>
      checkSlsaStatement({
        ...good,
        predicate: { ...good.predicate, runDetails: { builder: { id: 'not a uri' } } },
      }),
    ).toThrow();
    expect(() => checkSlsaStatement({ ...good, _type: 'https://in-toto.io/Statement/v0.1' })).toThrow();
  });

  it('records the GitHub Actions builder, invocation and commit', () => {
    const s = statement(github);
    expect(s.predicate.runDetails.builder.id).toBe(
      'https://github.com/acme/payments/.github/workflows/deploy.yml@refs/heads/main',
    );
    expect(s.predicate.runDetails.metadata?.invocationId).toBe(
      'https://github.com/acme/payments/actions/runs/987654321/attempts/2',
    );
    expect(s.predicate.buildDefinition.resolvedDependencies).toEqual([
      { uri: 'git+https://github.com/acme/payments@refs/heads/main', digest: { gitCommit: 'c'.repeat(40) } },
    ]);
    expect(s.subject).toEqual([{ name: 'app.zip', digest: { sha256: 'a'.repeat(64) } }]);
  });

  it('records the GitLab CI runner and pipeline, and a local build as local', () => {
    const s = statement(gitlab);
    expect(s.predicate.runDetails.builder.id).toBe(
      'https://gitlab.example.com/acme/platform/payments/-/runners/17',
    );
    expect(s.predicate.runDetails.metadata?.invocationId).toBe(
      'https://gitlab.example.com/acme/platform/payments/-/pipelines/4242',
    );
    const local = statement({ HOME: '/home/dev', USER: 'dev' });
    expect(local.predicate.runDetails.builder.id).toBe('urn:signet:builder:local');
    expect(JSON.stringify(local)).not.toContain('/home/dev');
  });

  it('never includes credentials, tokens or other environment variables', () => {
    for (const env of [github, gitlab]) {
      const text = JSON.stringify(statement(env));
      for (const secret of [
        'very-secret-value',
        'session-token-value',
        'oidc-request-token',
        'ghs_token_value',
        'job-token-value',
      ])
        expect(text).not.toContain(secret);
    }
  });

  it('leaves out CI values that do not have their documented shape', () => {
    const s = statement({ ...github, GITHUB_SHA: 'not-a-sha; rm -rf /', GITHUB_RUN_ID: '12$(id)' });
    expect(s.predicate.buildDefinition.resolvedDependencies).toBeUndefined();
    expect(s.predicate.runDetails.metadata?.invocationId).toBeUndefined();
    checkSlsaStatement(s);
  });

  it('finds the signed object a location names, whatever its version', () => {
    const s = statement({});
    expect(signedRecordFor(s, { bucket: 'artifacts', key: artifact.signedObject.key })?.versionId).toBe('v1');
    expect(signedRecordFor(s, { bucket: 'other', key: artifact.signedObject.key })).toBeUndefined();
  });

  it('refuses a provenance file that is not one, with one line naming the problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'signet-prov-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [] }));
    expect(() => readProvenance(bad)).toThrow(UsageError);
    expect(() => readProvenance(bad)).toThrow(
      /is not an in-toto Statement v1 with SLSA Provenance v1: subject/,
    );
    writeFileSync(bad, 'not json');
    expect(() => readProvenance(bad)).toThrow(/is not JSON/);
    expect(() => readProvenance(join(dir, 'missing.json'))).toThrow(/cannot read provenance .*ENOENT/);
  });
});
