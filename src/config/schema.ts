// The signet.config.yaml / .json schema: scope, production, trust, rule settings, severity overrides,
// exceptions. Every field has a default so an absent file means "all functions in scope".
import { z } from 'zod';
import { Severity } from '../model/finding.js';
import { CalendarDate } from '../model/timestamp.js';

const AccountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
// A real calendar date: 2027-13-45 and 9999-99-99 are refused, not compared as strings.
const IsoDate = CalendarDate;

/** Matches resources: every given criterion must match (tags: every key; a list of values is OR). */
export const Selector = z
  .object({
    tags: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
    accounts: z.array(AccountId).optional(),
    regions: z.array(z.string()).optional(),
    /** Function names, `*` wildcards. */
    names: z.array(z.string()).optional(),
  })
  .strict();
export type Selector = z.infer<typeof Selector>;

export const DEFAULT_PRODUCTION: Selector[] = [
  { tags: { env: ['prod', 'production', 'prd'] } },
  { tags: { environment: ['prod', 'production', 'prd'] } },
  { tags: { stage: ['prod', 'production', 'prd'] } },
];

export const Exception = z
  .object({
    rule: z.string().min(1),
    /** Resource ARN, id or name; `*` wildcards. */
    resource: z.string().min(1),
    reason: z.string().trim().min(1, 'a reason is required for every exception'),
    expires: IsoDate.optional(),
  })
  .strict();
export type Exception = z.infer<typeof Exception>;

export const ConfigSchema = z
  .object({
    version: z.literal(1).default(1),
    scope: z
      .object({
        /** Functions that must be protected; absent = all functions. */
        include: z.array(Selector).optional(),
        exclude: z.array(Selector).default([]),
      })
      .strict()
      .default({ exclude: [] }),
    /** Functions that count as production (higher severities). */
    production: z.array(Selector).default(DEFAULT_PRODUCTION),
    trust: z
      .object({
        /** Signing profile (version) ARNs trusted besides the scanned accounts' own; `*` wildcards. */
        signingProfiles: z.array(z.string()).default([]),
        /** Accounts whose signing profiles are trusted (e.g. a central signing account). */
        accounts: z.array(AccountId).default([]),
      })
      .strict()
      .default({ signingProfiles: [], accounts: [] }),
    rules: z
      .object({
        /** Published versions SGN-007 checks: those behind aliases, or all. */
        versions: z.enum(['aliased', 'all']).default('aliased'),
        maxSignatureValidityDays: z.number().int().positive().default(1095),
      })
      .strict()
      .default({ versions: 'aliased', maxSignatureValidityDays: 1095 }),
    /** Rule id → severity. */
    severity: z.record(z.string(), Severity).default({}),
    exceptions: z.array(Exception).default([]),
  })
  .strict();

export type SignetConfig = z.infer<typeof ConfigSchema>;

export function defaultConfig(): SignetConfig {
  return ConfigSchema.parse({});
}
