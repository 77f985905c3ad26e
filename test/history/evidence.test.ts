// The evidence pack: whole or absent, every file in MANIFEST.sha256 (and sha256sum agrees), controls
// judged fail-closed from findings, and every compliance mapping names rules that exist.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/compliance/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import { evaluate } from '../../src/engine/evaluate.js';
import {
  type EvidenceFinding,
  judgeControls,
  verifyManifest,
  writeEvidencePack,
} from '../../src/history/evidence.js';
import { recordScan } from '../../src/history/index.js';
import { RULE_IDS } from '../../src/rules/index.js';
import { aCsc, aFunction, aProfile, aSnapshot } from '../helpers/builders.js';

const config = defaultConfig();
let dir: string;
let history: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signet-evidence-'));
  history = join(dir, 'history.db');
  const csc = aCsc({ policy: 'Enforce' });
  const snapshot = aSnapshot({
    collectedAt: new Date(Date.now() - 86_400_000).toISOString(),
    functions: [
      aFunction({ name: 'orders', tags: { env: 'prod' } }),
      { ...aFunction({ name: 'billing' }), codeSigningConfig: { state: 'attached', id: csc.id } },
    ],
    codeSigningConfigs: [csc],
    signingProfiles: [aProfile()],
  });
  await recordScan(history, snapshot, evaluate(snapshot, config).findings, config);
});

const f = (ruleId: string, status: string, muted = false): EvidenceFinding => ({
  id: `${ruleId}-${status}`,
  ruleId,
  status,
  severity: 'high',
  muted,
  resource: 'r',
  accountId: '123456789012',
  region: 'us-east-1',
  message: 'm',
});

describe('control judgement', () => {
  it('is not met on an unmuted FAIL, not verified on UNKNOWN/ERROR, met only on PASS, no evidence otherwise', () => {
    const iso = FRAMEWORKS.filter((x) => x.id === 'iso-27001-2022');
    expect(judgeControls([f('SGN-001', 'PASS'), f('SGN-002', 'FAIL')], iso)[0]!.status).toBe('not met');
    expect(judgeControls([f('SGN-001', 'PASS'), f('SGN-002', 'UNKNOWN')], iso)[0]!.status).toBe(
      'not verified',
    );
    expect(judgeControls([f('SGN-001', 'PASS'), f('SGN-002', 'ERROR')], iso)[0]!.status).toBe('not verified');
    expect(judgeControls([f('SGN-001', 'PASS'), f('SGN-002', 'FAIL', true)], iso)[0]!).toMatchObject({
      status: 'met',
      counts: { muted: 1 },
    });
    expect(judgeControls([f('SGN-008', 'FAIL')], iso)[0]!.status).toBe('no evidence');
  });

  it('maps only rules that exist, with a rationale per control', () => {
    for (const framework of FRAMEWORKS)
      for (const control of framework.controls) {
        expect(control.rules.length).toBeGreaterThan(0);
        for (const rule of control.rules) expect(RULE_IDS, `${framework.id} ${control.id}`).toContain(rule);
        expect(control.rationale.length).toBeGreaterThan(40);
      }
    expect(FRAMEWORKS.flatMap((x) => x.controls.map((c) => c.id))).toEqual(
      expect.arrayContaining(['6.3.2', '6.4', '164.312(c)(1)', 'CC8.1', 'SI-7', 'CM-14', 'A.8.32']),
    );
  });
});

describe('evidence pack', () => {
  it('writes every file with a manifest that verifies (also with sha256sum) and detects tampering', async () => {
    const out = join(dir, 'pack');
    const proof = join(dir, 'probe.json');
    writeFileSync(proof, JSON.stringify({ proven: 1 }));
    const pack = await writeEvidencePack({ historyFile: history, outputDir: out, proofs: [proof] });
    for (const name of [
      'README.md',
      'summary.html',
      'findings.json',
      'controls.json',
      'kpis.json',
      'kpis.csv',
      'runs.json',
      'events.json',
      'proofs/1-probe.json',
      'MANIFEST.sha256',
    ])
      expect(pack.files, name).toContain(name);
    expect(verifyManifest(out)).toEqual({ ok: true, problems: [] });
    expect(execFileSync('sha256sum', ['-c', 'MANIFEST.sha256'], { cwd: out }).toString()).toMatch(
      /README.md: OK/,
    );
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    expect(readme).toContain('| ISO/IEC 27001:2022 Annex A | A.8.32 Change management | **not met** |');
    expect(readme).toMatch(/Production functions in Enforce: 0% \(0 of 1\), as of the scan collected /);
    expect(readme).toMatch(/In-scope functions in Enforce: 50% \(1 of 2\)/);
    appendFileSync(join(out, 'findings.json'), ' ');
    writeFileSync(join(out, 'extra.txt'), 'x');
    const broken = verifyManifest(out);
    expect(broken.ok).toBe(false);
    expect(broken.problems).toEqual([
      'findings.json: changed (sha256 differs)',
      'extra.txt: not in the manifest',
    ]);
  });

  it('refuses a non-empty output directory and leaves no partial pack behind on bad input', async () => {
    const busy = join(dir, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'keep.txt'), 'mine');
    await expect(writeEvidencePack({ historyFile: history, outputDir: busy })).rejects.toThrow(
      /not an empty directory/,
    );
    expect(readFileSync(join(busy, 'keep.txt'), 'utf8')).toBe('mine');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{nope');
    await expect(
      writeEvidencePack({ historyFile: history, outputDir: join(dir, 'p2'), proofs: [bad] }),
    ).rejects.toThrow(/is not JSON/);
    expect(existsSync(join(dir, 'p2'))).toBe(false);
  });
});
