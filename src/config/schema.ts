// The signet.config.yaml / .json schema: scope, production, trust, rule settings, severity overrides,
// exceptions. Every field has a default so an absent file means "all functions in scope".
import { z } from 'zod';
import { Severity } from '../model/finding.js';
import { CalendarDate } from '../model/timestamp.js';
import { DEFAULT_PRODUCTION, lookbackDays } from './defaults.js';

export { DEFAULT_PRODUCTION, defaultConfig, lookbackDays } from './defaults.js';

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

/** `30d`, `12w`, `48h` → days; CloudTrail LookupEvents keeps 90 days. */
export const Lookback = z
  .string()
  .regex(/^\d+[dwh]$/, 'must be a duration like 30d, 4w or 72h')
  .refine(
    (v) => lookbackDays(v) > 0 && lookbackDays(v) <= 90,
    'must be between 1h and 90d (CloudTrail LookupEvents keeps 90 days)',
  );

const PrincipalPatterns = z.array(
  z
    .string()
    .regex(
      /^(arn:aws[a-z-]*:iam::(\d{12}|\*):(role|user)\/.+|\*)$/,
      'must be an IAM role or user ARN pattern like arn:aws:iam::*:role/ci-deploy-*',
    ),
);

export const PipelineConfig = z
  .object({
    /** Principals allowed to change Lambda code and layers. */
    deployers: PrincipalPatterns.default([]),
    /** Principals allowed to start signing jobs. */
    signers: PrincipalPatterns.default([]),
    /** Principals allowed to manage code signing configs and signing profiles. */
    admins: PrincipalPatterns.default([]),
  })
  .strict();
export type PipelineConfig = z.infer<typeof PipelineConfig>;

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
    /** `signet plan`: rollout order and the signing profiles it creates. */
    remediation: z
      .object({
        /** Production functions go in the first or the last waves. */
        production: z.enum(['first', 'last']).default('last'),
        /** Signature validity of signing profiles the plan creates (short: signatures expire, keys rotate). */
        signatureValidityDays: z.number().int().min(1).max(1095).default(90),
        /** Name of the signing profile the plan creates where an account-region has none. */
        profileName: z
          .string()
          .regex(/^[A-Za-z0-9_]{2,64}$/, 'must be 2-64 letters, digits or underscores')
          .default('signet_lambda'),
      })
      .strict()
      .default({ production: 'last', signatureValidityDays: 90, profileName: 'signet_lambda' }),
    /** Rule id → severity. */
    severity: z.record(z.string(), Severity).default({}),
    exceptions: z.array(Exception).default([]),
    /** The CI/CD pipeline's principals (governance rules SGN-009..013); absent = those rules are UNKNOWN. */
    pipeline: PipelineConfig.optional(),
    /** CloudTrail window for SGN-009/010/013. */
    lookback: Lookback.default('30d'),
  })
  .strict();

export type SignetConfig = z.infer<typeof ConfigSchema>;
