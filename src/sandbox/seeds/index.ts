// Seeds build sandbox fleets through the public AWS API only (real SDK clients against the endpoint),
// so seeding exercises the sandbox like any client would.

export interface SeedContext {
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Seed-specific parameters (e.g. `functions=1000` for `scale`). */
  params: Record<string, string>;
  log: (message: string) => void;
}

export interface SeedResult {
  summary: string;
}

export type Seed = (ctx: SeedContext) => Promise<SeedResult>;

export const SEEDS: Record<string, Seed> = {
  demo: (ctx) => import('./demo.js').then((m) => m.demoSeed(ctx)),
  scale: (ctx) => import('./scale.js').then((m) => m.scaleSeed(ctx)),
};
