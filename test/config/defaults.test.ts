// Without a config file `signet iac` uses defaults.ts and never loads the schema: those defaults must be
// the schema's, and a config file (given or found) must still be read and validated.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, loadConfigIfPresent } from '../../src/config/defaults.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { RULE_IDS } from '../../src/rules/index.js';

const dir = () => mkdtempSync(join(tmpdir(), 'signet-config-'));

describe('config defaults without the schema', () => {
  it('equal what the schema makes of an empty file', () => {
    expect(defaultConfig()).toEqual(ConfigSchema.parse({}));
  });

  it('are a fresh copy each time (a caller changing one cannot change the next)', () => {
    const a = defaultConfig();
    a.production[0]!.tags!.env = ['changed'];
    a.exceptions.push({ rule: 'SGN-001', resource: 'x', reason: 'y' });
    expect(defaultConfig()).toEqual(ConfigSchema.parse({}));
  });

  it('are used when there is no file, and a file in the directory is read and validated', async () => {
    const cwd = dir();
    expect(await loadConfigIfPresent(undefined, RULE_IDS, cwd)).toEqual(defaultConfig());
    writeFileSync(join(cwd, 'signet.config.yaml'), 'rules:\n  versions: all\n');
    expect((await loadConfigIfPresent(undefined, RULE_IDS, cwd)).rules.versions).toBe('all');
    writeFileSync(join(cwd, 'signet.config.yaml'), 'rules:\n  versions: some\n');
    await expect(loadConfigIfPresent(undefined, RULE_IDS, cwd)).rejects.toThrow(/rules\.versions/);
  });

  it('read the file given, and name it when it is missing', async () => {
    const cwd = dir();
    const file = join(cwd, 'other.json');
    writeFileSync(file, '{"lookback": "7d"}');
    expect((await loadConfigIfPresent(file, RULE_IDS, cwd)).lookback).toBe('7d');
    await expect(loadConfigIfPresent(join(cwd, 'nope.yaml'), RULE_IDS, cwd)).rejects.toThrow(
      /cannot read config file .*nope\.yaml/,
    );
  });
});
