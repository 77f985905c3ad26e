import { describe, expect, it } from 'vitest';
import { STARTER_CONFIG } from '../../src/cli/init-command.js';
import { parseConfig } from '../../src/config/load.js';
import { RULE_IDS } from '../../src/rules/index.js';

const parse = (text: string, file = 'signet.config.yaml') => parseConfig(text, file, RULE_IDS);

describe('config', () => {
  it('accepts the commented starter file that signet init writes', () => {
    const config = parse(STARTER_CONFIG);
    expect(config.rules.versions).toBe('aliased');
    expect(config.production.length).toBeGreaterThan(0);
  });

  it('fills defaults for an empty file', () => {
    expect(parse('').scope.include).toBeUndefined();
    expect(parse('{}', 'signet.config.json').trust.accounts).toEqual([]);
  });

  it('names the field and the fix in one line', () => {
    expect(() => parse('exceptions:\n  - rule: SGN-001\n    resource: x\n    reason: ""\n')).toThrow(
      /signet\.config\.yaml: exceptions\.0\.reason: a reason is required/,
    );
    expect(() => parse('trust:\n  accounts: ["12"]\n')).toThrow(
      /trust\.accounts\.0: must be a 12-digit AWS account id/,
    );
    expect(() => parse('severity:\n  SGN-404: high\n')).toThrow(/unknown rule id; use one of .*SGN-001/);
    expect(() => parse('scope: [\n')).toThrow(/is not valid YAML/);
    expect(() => parse('surprise: 1\n')).toThrow(/surprise/);
  });
});
