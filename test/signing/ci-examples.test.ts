// The pipeline examples in docs/ci/ stay true: every `signet` command they run exists with those flags,
// credentials come from OIDC (no stored keys), and the provenance is kept.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { registerDeployCommand } from '../../src/cli/deploy-command.js';
import { registerIamPolicyCommand } from '../../src/cli/iam-policy-command.js';
import { registerSignCommand } from '../../src/cli/sign-command.js';
import { registerVerifyArtifactCommand } from '../../src/cli/verify-artifact-command.js';

const DOCS = join(process.cwd(), 'docs');

function program(): Command {
  const p = new Command();
  registerSignCommand(p);
  registerDeployCommand(p);
  registerVerifyArtifactCommand(p);
  registerIamPolicyCommand(p);
  return p;
}

/** `signet …` invocations in shell text, continuation lines joined. */
function signetInvocations(shell: string): string[] {
  return shell
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('signet '));
}

function checkInvocation(line: string): void {
  const sub = line.split(/\s+/)[1]!;
  const command = program().commands.find((c) => c.name() === sub);
  expect(command, `signet ${sub} exists`).toBeDefined();
  const known = new Set(command!.options.map((o) => o.long));
  // Flags of signet itself; `$(...)` substitutions only use single-dash flags of other tools.
  const flags = [...line.matchAll(/(?:^|\s)(--[a-z][a-z-]*)/g)].map((m) => m[1]!);
  expect(flags.length).toBeGreaterThan(0);
  for (const flag of flags) expect(known.has(flag), `signet ${sub} ${flag}`).toBe(true);
}

describe('docs/ci/github-actions-sign-deploy.yml', () => {
  const workflow = parse(readFileSync(join(DOCS, 'ci/github-actions-sign-deploy.yml'), 'utf8')) as {
    permissions: Record<string, string>;
    jobs: Record<string, { steps: { uses?: string; run?: string; with?: Record<string, string> }[] }>;
  };
  const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
  const lines = steps.flatMap((s) => (s.run ? signetInvocations(s.run) : []));

  it('runs signet sign, verify-artifact and deploy (function and layer) with flags that exist', () => {
    expect(lines.map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'signet sign',
      'signet verify-artifact',
      'signet deploy',
      'signet deploy',
    ]);
    expect(lines.some((l) => l.includes('--layer') && l.includes('--update-functions'))).toBe(true);
    expect(
      lines.some((l) => l.includes('--function') && l.includes('--publish') && l.includes('--alias')),
    ).toBe(true);
    for (const line of lines) checkInvocation(line);
  });

  it('gets credentials through OIDC and keeps the provenance as an artifact', () => {
    expect(workflow.permissions['id-token']).toBe('write');
    const creds = steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(creds?.with?.['role-to-assume']).toMatch(/^arn:aws:iam::\d{12}:role\//);
    expect(creds?.with?.['aws-access-key-id']).toBeUndefined();
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.with?.path).toContain('provenance.json');
  });
});

describe('docs/ci/gitlab-ci-sign-deploy.yml', () => {
  const pipeline = parse(readFileSync(join(DOCS, 'ci/gitlab-ci-sign-deploy.yml'), 'utf8')) as Record<
    string,
    {
      script?: string[];
      id_tokens?: Record<string, { aud: string }>;
      variables?: Record<string, string>;
      artifacts?: { paths: string[] };
    }
  >;
  const job = pipeline['sign-and-deploy']!;

  it('runs signet commands with flags that exist', () => {
    const lines = (job.script ?? []).flatMap(signetInvocations);
    expect(lines).toHaveLength(3);
    for (const line of lines) checkInvocation(line);
  });

  it('uses a GitLab OIDC token for web identity and keeps the provenance', () => {
    expect(job.id_tokens?.AWS_OIDC_TOKEN?.aud).toBe('sts.amazonaws.com');
    expect(job.variables?.AWS_ROLE_ARN).toMatch(/^arn:aws:iam::\d{12}:role\//);
    expect(job.variables?.AWS_WEB_IDENTITY_TOKEN_FILE).toBeDefined();
    expect(job.variables?.AWS_SECRET_ACCESS_KEY).toBeUndefined();
    expect(job.artifacts?.paths).toContain('*.provenance.json');
  });
});

describe('docs/signing.md', () => {
  const doc = readFileSync(join(DOCS, 'signing.md'), 'utf8');
  it('shows only signet commands and flags that exist', () => {
    const blocks = [...doc.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const lines = blocks.flatMap(signetInvocations);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) if (!line.startsWith('signet iam-policy')) checkInvocation(line);
  });
});
