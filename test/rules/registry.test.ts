import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/rules/index.js';

describe('rule registry contract', () => {
  it('has unique ids and slugs', () => {
    expect(new Set(RULES.map((r) => r.meta.id)).size).toBe(RULES.length);
    expect(new Set(RULES.map((r) => r.meta.slug)).size).toBe(RULES.length);
  });

  for (const rule of RULES) {
    const { id, slug } = rule.meta;
    it(`${id} lives in src/rules/${slug}.ts with a doc page and a test`, () => {
      expect(existsSync(`src/rules/${slug}.ts`)).toBe(true);
      expect(existsSync(`test/rules/${slug}.test.ts`)).toBe(true);
      const doc = `docs/rules/${slug}.md`;
      expect(existsSync(doc)).toBe(true);
      expect(readFileSync(doc, 'utf8')).toContain(id);
      expect(rule.meta.requires.length).toBeGreaterThan(0);
      expect(rule.meta.title.length).toBeGreaterThan(10);
    });
  }
});
