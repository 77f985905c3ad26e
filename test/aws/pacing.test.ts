// Client-side pacing under a busy machine: timers that fire late and calls that reach AWS bunched together
// must not draw throttles from AWS's token bucket (modelled by the sandbox's own quota keeper).
import { describe, expect, it } from 'vitest';
import { PACING_BURST, PACING_MARGIN, type PacingClock, RateLimiter } from '../../src/aws/clients.js';
import { QuotaKeeper } from '../../src/sandbox/quotas.js';

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Virtual time: nothing takes time but sleeping, and every timer fires up to `lateMs` late. */
function lateClock(lateMs: number, rnd: () => number): PacingClock & { t: number } {
  const clock = {
    t: 1_000_000,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms + rnd() * lateMs;
    },
  };
  return clock;
}

/**
 * Grants `calls` tokens, then replays them at AWS: every `stallEvery`-th call the receiving side stalls for
 * up to `stallMs` (a busy machine, a slow network) and then takes the calls queued meanwhile all at once.
 * Returns how many calls AWS's bucket would have throttled.
 */
async function simulate(opts: {
  calls: number;
  rate: number;
  lateMs: number;
  stallMs: number;
  stallEvery: number;
  seed: number;
}) {
  const rnd = random(opts.seed);
  const clock = lateClock(opts.lateMs, rnd);
  const limiter = new RateLimiter(1, clock);
  const grants: number[] = [];
  await Promise.all(
    Array.from({ length: opts.calls }, async () => {
      await limiter.take('111111111111|us-east-1|lambda:control', opts.rate);
      grants.push(clock.now());
    }),
  );
  let stalledUntil = 0;
  const arrivals = grants.map((granted, i) => {
    if (i % opts.stallEvery === 0) stalledUntil = granted + rnd() * opts.stallMs;
    return Math.max(granted, stalledUntil);
  });
  const aws = new QuotaKeeper({
    enabled: true,
    scale: 1,
    rates: { 'lambda:control': opts.rate },
    defaultRate: 50,
  });
  let throttled = 0;
  for (const at of arrivals)
    if (aws.take('111111111111', 'us-east-1', 'lambda:control', at) > 0) throttled += 1;
  return { throttled, grants };
}

describe('RateLimiter', () => {
  it('draws no throttle when timers fire late and calls reach AWS bunched after stalls', async () => {
    // With a full second of burst (as before), these same runs drew 8 to 21 throttles per 20 seeds.
    const cases = [
      { lateMs: 200, stallMs: 300, stallEvery: 20 },
      { lateMs: 0, stallMs: 300, stallEvery: 20 },
      { lateMs: 100, stallMs: 300, stallEvery: 10 },
      { lateMs: 400, stallMs: 0, stallEvery: 1 },
    ];
    for (const c of cases) {
      for (let seed = 1; seed <= 20; seed++) {
        const { throttled } = await simulate({ calls: 300, rate: 15, ...c, seed });
        expect(throttled, `${JSON.stringify(c)} seed ${seed}`).toBe(0);
      }
    }
  });

  it('still uses the quota: 300 calls at 15/s take about 300 ÷ (15 × margin) seconds of virtual time', async () => {
    const { grants } = await simulate({
      calls: 300,
      rate: 15,
      lateMs: 0,
      stallMs: 0,
      stallEvery: 1,
      seed: 1,
    });
    const seconds = (grants.at(-1)! - grants[0]!) / 1000;
    const burst = 15 * PACING_MARGIN * PACING_BURST;
    expect(seconds).toBeGreaterThanOrEqual((300 - burst) / (15 * PACING_MARGIN) - 0.1);
    expect(seconds).toBeLessThanOrEqual(300 / (15 * PACING_MARGIN) + 0.5);
  });

  it('does not invent tokens for time a late timer slept past: grants never outrun rate × elapsed + burst', async () => {
    const { grants } = await simulate({
      calls: 200,
      rate: 15,
      lateMs: 1000,
      stallMs: 0,
      stallEvery: 1,
      seed: 7,
    });
    const perSecond = 15 * PACING_MARGIN;
    const burst = Math.max(1, perSecond * PACING_BURST);
    for (let i = 0; i < grants.length; i++) {
      for (let j = i; j < grants.length; j += 17) {
        const window = (grants[j]! - grants[i]!) / 1000;
        expect(j - i + 1).toBeLessThanOrEqual(burst + window * perSecond + 1e-9);
      }
    }
  });
});
