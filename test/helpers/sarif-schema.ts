// Validates SARIF logs against the SARIF 2.1.0 JSON schema (the final OASIS standard's schema, JSON Schema
// draft 2020-12, committed under test/report/schema/ as shipped in the npm package
// @microsoft/sarif-multitool-linux 5.7.0, MIT) with ajv.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import type { FormatsPlugin } from 'ajv-formats';

interface AjvLike {
  compile(schema: object): ValidateFunction;
}

// Both packages are CommonJS with a `default` export: load them as CommonJS.
const require = createRequire(import.meta.url);
const Ajv2020 = (require('ajv/dist/2020') as { default: new (options: Options) => AjvLike }).default;
const addFormats = (require('ajv-formats') as { default: FormatsPlugin }).default;

const SCHEMA = JSON.parse(
  readFileSync(join(process.cwd(), 'test/report/schema/sarif-2.1.0.json'), 'utf8'),
) as Record<string, unknown>;

// The published schema's language pattern is not valid under the `u` flag: compile patterns without it.
const ajv = new Ajv2020({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv as unknown as Parameters<FormatsPlugin>[0]);
const validate = ajv.compile(SCHEMA);

/** The schema violations of `log`, one line each (`/runs/0/results/3/level: must be equal to one of…`); [] when valid. */
export function sarifSchemaErrors(log: unknown): string[] {
  if (validate(log)) return [];
  return (validate.errors ?? []).map(
    (e: ErrorObject) => `${e.instancePath || '(root)'}: ${e.message ?? e.keyword}`,
  );
}
