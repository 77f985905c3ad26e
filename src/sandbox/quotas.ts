// AWS's per-account, per-region request-rate quotas as token buckets (burst = one second's worth, and
// at least one token: a rate below 1/s still lets one call through every 1/rate seconds).

/** Requests per second by bucket name. Lambda's are AWS's documented, non-increasable values. */
export const DEFAULT_RATES: Record<string, number> = {
  'lambda:GetFunction': 100,
  'lambda:GetPolicy': 15,
  'lambda:control': 15,
  'cloudtrail:LookupEvents': 2,
};

/** Rate for buckets with no documented value (Signer, S3, STS, IAM, Organizations, Tagging). */
export const DEFAULT_UNDOCUMENTED_RATE = 50;

export interface QuotaOptions {
  /** false turns throttling off entirely. */
  enabled: boolean;
  /** Multiplies every rate (e.g. 100 for fast tests that still exercise the buckets). */
  scale: number;
  /** Per-bucket overrides, requests per second. */
  rates: Record<string, number>;
  /** Rate for buckets not in DEFAULT_RATES or `rates`. */
  defaultRate: number;
}

export const DEFAULT_QUOTAS: QuotaOptions = {
  enabled: true,
  scale: 1,
  rates: {},
  defaultRate: DEFAULT_UNDOCUMENTED_RATE,
};

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class QuotaKeeper {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly options: QuotaOptions) {}

  rate(bucket: string): number {
    const base = this.options.rates[bucket] ?? DEFAULT_RATES[bucket] ?? this.options.defaultRate;
    return base * this.options.scale;
  }

  /** Takes a token; returns 0 when allowed, otherwise the seconds to wait (for Retry-After). */
  take(accountId: string, region: string, bucket: string, nowMs: number): number {
    if (!this.options.enabled) return 0;
    const rate = this.rate(bucket);
    const capacity = Math.max(1, rate);
    const key = `${accountId}|${region}|${bucket}`;
    let state = this.buckets.get(key);
    if (!state) {
      state = { tokens: capacity, updatedAt: nowMs };
      this.buckets.set(key, state);
    }
    const elapsed = Math.max(0, nowMs - state.updatedAt) / 1000;
    state.tokens = Math.min(capacity, state.tokens + elapsed * rate);
    state.updatedAt = nowMs;
    if (state.tokens >= 1) {
      state.tokens -= 1;
      return 0;
    }
    return (1 - state.tokens) / rate;
  }
}
