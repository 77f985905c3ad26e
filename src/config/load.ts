// Loads and validates a config file; every problem becomes one line naming the field and the fix.
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { UsageError } from '../errors.js';
import { DEFAULT_CONFIG_FILES, defaultConfig } from './defaults.js';
import { expiredExceptionWarnings } from './exceptions.js';
import { ConfigSchema, type SignetConfig } from './schema.js';

export { DEFAULT_CONFIG_FILES } from './defaults.js';

function describeIssue(file: string, issue: z.core.$ZodIssue): string {
  const path = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  return `${file}: ${path}: ${issue.message}`;
}

/** Parses config text (YAML or JSON); `knownRuleIds` validates severity overrides and exceptions. */
export function parseConfig(text: string, file: string, knownRuleIds: readonly string[]): SignetConfig {
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new UsageError(
      `${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`,
      {
        cause: err,
      },
    );
  }
  const result = ConfigSchema.safeParse(raw ?? {});
  if (!result.success) {
    const first = result.error.issues[0]!;
    const more =
      result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problem(s))` : '';
    throw new UsageError(`${describeIssue(file, first)}${more}; see 'signet init' for a commented example`);
  }
  const config = result.data;
  const known = new Set(knownRuleIds);
  for (const id of Object.keys(config.severity)) {
    if (!known.has(id))
      throw new UsageError(`${file}: severity.${id}: unknown rule id; use one of ${knownRuleIds.join(', ')}`);
  }
  config.exceptions.forEach((exception, i) => {
    if (exception.rule !== '*' && !known.has(exception.rule)) {
      throw new UsageError(
        `${file}: exceptions.${i}.rule: unknown rule id '${exception.rule}'; use one of ${knownRuleIds.join(', ')} or '*'`,
      );
    }
  });
  return config;
}

/** Loads `file`, or the first default config file in `cwd`, or the defaults when there is none. */
export function loadConfig(
  file: string | undefined,
  knownRuleIds: readonly string[],
  cwd = process.cwd(),
  options: { now?: Date; warn?: (line: string) => void } = {},
): SignetConfig {
  const path = file ?? DEFAULT_CONFIG_FILES.map((name) => `${cwd}/${name}`).find((p) => existsSync(p));
  if (!path) return defaultConfig();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}; check the --config path`,
      {
        cause: err,
      },
    );
  }
  const config = parseConfig(text, path, knownRuleIds);
  const warn = options.warn ?? ((line: string) => process.stderr.write(`signet: warning: ${line}\n`));
  for (const line of expiredExceptionWarnings(config, path, options.now ?? new Date())) warn(line);
  return config;
}
