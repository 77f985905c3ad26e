// Scope and production classification from config selectors, including the fail-closed answers when a
// function's tags could not be read.
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { classifyFunction, selectorMatches } from '../../src/engine/scope.js';
import { ACCOUNT, aFunction, REGION } from '../helpers/builders.js';

const config = (raw: unknown = {}) => ConfigSchema.parse(raw);

describe('selectorMatches', () => {
  const fn = aFunction({ name: 'orders-api', tags: { env: 'Prod', team: 'payments' } });

  it('matches an empty selector (every criterion absent)', () => {
    expect(selectorMatches({}, fn)).toBe(true);
  });

  it('matches accounts, regions and names only when the function is listed', () => {
    expect(selectorMatches({ accounts: [ACCOUNT] }, fn)).toBe(true);
    expect(selectorMatches({ accounts: ['999999999999'] }, fn)).toBe(false);
    expect(selectorMatches({ regions: [REGION] }, fn)).toBe(true);
    expect(selectorMatches({ regions: ['eu-west-1'] }, fn)).toBe(false);
    expect(selectorMatches({ names: ['billing-*', 'orders-*'] }, fn)).toBe(true);
    expect(selectorMatches({ names: ['orders'] }, fn)).toBe(false);
  });

  it('never matches an account or region selector for a resource that has none (IaC)', () => {
    const template = aFunction({ name: 'tpl', accountId: undefined, region: undefined });
    expect(selectorMatches({ accounts: [ACCOUNT] }, template)).toBe(false);
    expect(selectorMatches({ regions: [REGION] }, template)).toBe(false);
    expect(selectorMatches({ names: ['tpl'] }, template)).toBe(true);
  });

  it('needs every criterion to match', () => {
    expect(selectorMatches({ accounts: [ACCOUNT], names: ['other'] }, fn)).toBe(false);
    expect(selectorMatches({ accounts: [ACCOUNT], regions: ['eu-west-1'] }, fn)).toBe(false);
    expect(selectorMatches({ names: ['orders-*'], tags: { env: 'dev' } }, fn)).toBe(false);
    expect(selectorMatches({ accounts: [ACCOUNT], regions: [REGION], names: ['orders-*'] }, fn)).toBe(true);
  });

  it('matches tags case-insensitively by value, every key, any listed value, `*` for any value', () => {
    expect(selectorMatches({ tags: { env: 'prod' } }, fn)).toBe(true);
    expect(selectorMatches({ tags: { env: 'PROD' } }, fn)).toBe(true);
    expect(selectorMatches({ tags: { env: ['dev', 'prod'] } }, fn)).toBe(true);
    expect(selectorMatches({ tags: { env: ['dev', 'test'] } }, fn)).toBe(false);
    expect(selectorMatches({ tags: { env: 'prod', team: 'payments' } }, fn)).toBe(true);
    expect(selectorMatches({ tags: { env: 'prod', team: 'search' } }, fn)).toBe(false);
    expect(selectorMatches({ tags: { team: '*' } }, fn)).toBe(true);
    expect(selectorMatches({ tags: { owner: '*' } }, fn)).toBe(false);
    expect(selectorMatches({ tags: { owner: 'prod' } }, fn)).toBe(false);
  });

  it('answers a tag condition with the caller’s assumption when tags are unknown', () => {
    const untagged = aFunction({ name: 'orders-api', tags: {} });
    expect(selectorMatches({ tags: { env: 'prod' } }, untagged, false, true)).toBe(true);
    expect(selectorMatches({ tags: { env: 'prod' } }, untagged, false, false)).toBe(false);
    expect(selectorMatches({ tags: { env: 'prod' } }, untagged, false)).toBe(false);
    // Criteria other than tags are still checked.
    expect(selectorMatches({ names: ['billing'], tags: { env: 'prod' } }, untagged, false, true)).toBe(false);
    // Without a tag condition the assumption plays no part.
    expect(selectorMatches({ names: ['orders-*'] }, untagged, false, false)).toBe(true);
  });
});

describe('classifyFunction', () => {
  const prod = aFunction({ name: 'pay', tags: { env: 'production' } });
  const dev = aFunction({ name: 'sandbox-x', tags: { env: 'dev' } });

  it('puts everything in scope without scope.include, and production by the default env tags', () => {
    expect(classifyFunction(config(), prod)).toEqual({ inScope: true, production: true });
    expect(classifyFunction(config(), dev)).toEqual({ inScope: true, production: false });
    const stage = aFunction({ tags: { stage: 'prd' } });
    expect(classifyFunction(config(), stage).production).toBe(true);
  });

  it('applies scope.include and scope.exclude (exclude wins)', () => {
    const include = config({ scope: { include: [{ names: ['pay'] }] } });
    expect(classifyFunction(include, prod).inScope).toBe(true);
    expect(classifyFunction(include, dev).inScope).toBe(false);
    const both = config({ scope: { include: [{ names: ['*'] }], exclude: [{ names: ['sandbox-*'] }] } });
    expect(classifyFunction(both, prod).inScope).toBe(true);
    expect(classifyFunction(both, dev).inScope).toBe(false);
    const empty = config({ scope: { include: [] } });
    expect(classifyFunction(empty, prod).inScope).toBe(false);
  });

  it('uses the configured production selectors instead of the defaults', () => {
    const cfg = config({ production: [{ names: ['sandbox-*'] }] });
    expect(classifyFunction(cfg, dev).production).toBe(true);
    expect(classifyFunction(cfg, prod).production).toBe(false);
    expect(classifyFunction(config({ production: [] }), prod).production).toBe(false);
  });

  it('fails closed when tags are unreadable: production, included, not excluded, and says so', () => {
    const cfg = config({
      scope: { include: [{ tags: { team: 'payments' } }], exclude: [{ tags: { env: 'dev' } }] },
    });
    expect(classifyFunction(cfg, dev, true)).toEqual({ inScope: false, production: false });
    expect(classifyFunction(cfg, dev, false)).toEqual({ inScope: true, production: true, tagsAssumed: true });
  });

  it('assumes nothing when no selector uses tags, even with tags unreadable', () => {
    const cfg = config({ scope: { exclude: [{ names: ['sandbox-*'] }] }, production: [{ names: ['pay'] }] });
    expect(classifyFunction(cfg, dev, false)).toEqual({ inScope: false, production: false });
    expect(classifyFunction(cfg, prod, false)).toEqual({ inScope: true, production: true });
  });

  it('marks tags as assumed when any one of include, exclude or production uses them', () => {
    const byInclude = config({ scope: { include: [{ tags: { team: 'x' } }] }, production: [] });
    const byExclude = config({ scope: { exclude: [{ tags: { team: 'x' } }] }, production: [] });
    const byProduction = config({ production: [{ tags: { tier: 'gold' } }] });
    for (const cfg of [byInclude, byExclude, byProduction])
      expect(classifyFunction(cfg, dev, false).tagsAssumed).toBe(true);
    expect(classifyFunction(byInclude, dev, true).tagsAssumed).toBeUndefined();
  });
});
