// The configuration Signet uses when there is no config file, and the plain helpers the engine needs,
// without zod: the schema (schema.ts) is loaded only when there is a file to validate.
import type { Selector, SignetConfig } from './schema.js';

export const DEFAULT_CONFIG_FILES = ['signet.config.yaml', 'signet.config.yml', 'signet.config.json'];

export const DEFAULT_PRODUCTION: Selector[] = [
  { tags: { env: ['prod', 'production', 'prd'] } },
  { tags: { environment: ['prod', 'production', 'prd'] } },
  { tags: { stage: ['prod', 'production', 'prd'] } },
];

/** `30d`, `12w`, `48h` → days. */
export function lookbackDays(value: string): number {
  const n = Number(value.slice(0, -1));
  const unit = value.slice(-1);
  return unit === 'w' ? n * 7 : unit === 'h' ? n / 24 : n;
}

/** What an empty config file means (equal to the schema's defaults: a test keeps them so). */
export function defaultConfig(): SignetConfig {
  return {
    version: 1,
    scope: { exclude: [] },
    production: structuredClone(DEFAULT_PRODUCTION),
    trust: { signingProfiles: [], accounts: [] },
    rules: { versions: 'aliased', maxSignatureValidityDays: 1095 },
    remediation: { production: 'last', signatureValidityDays: 90, profileName: 'signet_lambda' },
    severity: {},
    exceptions: [],
    lookback: '30d',
  };
}

/** The config file to read: `file` when given, else the first default file in `cwd`; undefined when none. */
export async function configFileIn(file: string | undefined, cwd: string): Promise<string | undefined> {
  if (file !== undefined) return file;
  const { existsSync } = await import('node:fs');
  return DEFAULT_CONFIG_FILES.map((name) => `${cwd}/${name}`).find((p) => existsSync(p));
}

/**
 * `loadConfig` (config/load.ts) for start-up-sensitive commands: the YAML parser and the zod schema are
 * loaded only when there is a config file to read; without one this is the defaults.
 */
export async function loadConfigIfPresent(
  file: string | undefined,
  knownRuleIds: readonly string[],
  cwd = process.cwd(),
): Promise<SignetConfig> {
  const path = await configFileIn(file, cwd);
  if (path === undefined) return defaultConfig();
  const { loadConfig } = await import('./load.js');
  return loadConfig(path, knownRuleIds, cwd);
}
