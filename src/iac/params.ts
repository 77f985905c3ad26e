// Deploy-time values for `signet iac --param/--param-file`: CloudFormation/SAM parameters and Terraform
// variables, from NAME=VALUE pairs, CloudFormation parameter files (both shapes), .tfvars/.tfvars.json
// and samconfig.toml/.yaml `parameter_overrides` (per config environment, as `sam deploy` reads them).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../errors.js';
import { SnapshotBuilder } from './builder.js';
import { parseHcl } from './hcl.js';
import { IacParseError } from './source.js';
import { TerraformModule } from './terraform.js';

/** A value given for a parameter or variable, and where it was given (shown in findings). */
export interface ParamValue {
  value: unknown;
  source: string;
}

export type IacParams = ReadonlyMap<string, ParamValue>;

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `NAME=VALUE` (the value may be empty or contain `=`). */
export function parseParamAssignment(text: string): [string, string] {
  const eq = text.indexOf('=');
  const name = eq === -1 ? text : text.slice(0, eq);
  if (eq === -1 || !NAME.test(name))
    throw new UsageError(
      `--param ${text} must be NAME=VALUE (a CloudFormation parameter or Terraform variable name, then its value)`,
    );
  return [name, text.slice(eq + 1)];
}

/**
 * Splits SAM's `parameter_overrides` string: `Key=Value Key2="with spaces"`, or the CloudFormation CLI
 * shape `ParameterKey=Key,ParameterValue=Value`, as the SAM CLI accepts both.
 */
export function splitParameterOverrides(text: string, where: string): [string, string][] {
  const tokens: string[] = [];
  let current = '';
  let quote: string | undefined;
  let has = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\' && text[i + 1] === quote) {
        current += quote;
        i++;
      } else if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (/\s/.test(ch)) {
      if (has) tokens.push(current);
      current = '';
      has = false;
    } else {
      current += ch;
      has = true;
    }
  }
  if (quote) throw new UsageError(`${where}: parameter_overrides has an unclosed ${quote} quote`);
  if (has) tokens.push(current);
  return tokens.map((token) => {
    const cfn = /^ParameterKey=([^,]+),ParameterValue=(.*)$/.exec(token);
    if (cfn) return [cfn[1]!, cfn[2]!];
    const eq = token.indexOf('=');
    if (eq <= 0) throw new UsageError(`${where}: parameter_overrides entry '${token}' must be Key=Value`);
    return [token.slice(0, eq), token.slice(eq + 1)];
  });
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `parameter_overrides` of a samconfig document for one environment (`global` first, then `deploy`). */
function samconfigOverrides(doc: unknown, env: string, file: string): Map<string, ParamValue> {
  const out = new Map<string, ParamValue>();
  if (!isObj(doc) || !isObj(doc[env])) {
    const envs = isObj(doc) ? Object.keys(doc).filter((k) => k !== 'version' && isObj(doc[k])) : [];
    throw new UsageError(
      `${file} has no '${env}' environment${envs.length > 0 ? ` (it has: ${envs.join(', ')})` : ''}; choose one with --config-env`,
    );
  }
  const envDoc = doc[env] as Record<string, unknown>;
  const source = `${basename(file)} [${env}]`;
  for (const command of ['global', 'deploy']) {
    const section = envDoc[command];
    const params = isObj(section) && isObj(section.parameters) ? section.parameters : undefined;
    const raw = params?.parameter_overrides;
    if (raw === undefined) continue;
    const list = Array.isArray(raw) ? raw : [raw];
    for (const item of list) {
      if (typeof item !== 'string')
        throw new UsageError(
          `${file}: ${env}.${command}.parameters.parameter_overrides must be a string or a list of strings`,
        );
      for (const [k, v] of splitParameterOverrides(item, file)) out.set(k, { value: v, source });
    }
  }
  return out;
}

/** Reads a --param-file: CloudFormation parameters JSON, .tfvars(.json) or samconfig.toml/.yaml. */
export function loadParamFile(path: string, configEnv = 'default'): Map<string, ParamValue> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    throw new UsageError(
      `--param-file ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)}); check the path`,
      { cause: err },
    );
  }
  const name = basename(path);
  const source = name;
  const out = new Map<string, ParamValue>();
  const fail = (what: string, err?: unknown): never => {
    throw new UsageError(`--param-file ${path}: ${what}`, err === undefined ? undefined : { cause: err });
  };
  if (/\.tfvars$/i.test(name)) {
    let body: ReturnType<typeof parseHcl>;
    try {
      body = parseHcl(text);
    } catch (err) {
      if (!(err instanceof IacParseError)) throw err;
      return fail(`invalid HCL at line ${err.line ?? '?'}: ${err.message}`, err);
    }
    const evaluator = new TerraformModule([], [], new SnapshotBuilder());
    for (const attr of body.attrs.values())
      out.set(attr.name, { value: evaluator.eval(attr.expr, {}, { vars: new Set() }), source });
    return out;
  }
  if (/\.toml$/i.test(name)) {
    let doc: unknown;
    try {
      doc = parseToml(text);
    } catch (err) {
      return fail(`invalid TOML: ${(err as Error).message.split('\n')[0]}`, err);
    }
    return samconfigOverrides(doc, configEnv, path);
  }
  if (/^samconfig\.ya?ml$/i.test(name)) {
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (err) {
      return fail(`invalid YAML: ${(err as Error).message.split('\n')[0]}`, err);
    }
    return samconfigOverrides(doc, configEnv, path);
  }
  if (/\.json$/i.test(name)) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      return fail(`invalid JSON: ${(err as Error).message}`, err);
    }
    if (/\.tfvars\.json$/i.test(name)) {
      if (!isObj(doc)) return fail('a .tfvars.json file must be an object of variable values');
      for (const [k, v] of Object.entries(doc)) out.set(k, { value: v, source });
      return out;
    }
    // `aws cloudformation create-stack --parameters file://…`
    if (Array.isArray(doc)) {
      for (const [i, entry] of doc.entries()) {
        if (!isObj(entry) || typeof entry.ParameterKey !== 'string')
          return fail(
            `entry ${i + 1} has no ParameterKey; expected [{"ParameterKey": …, "ParameterValue": …}]`,
          );
        if (entry.UsePreviousValue === true) continue;
        out.set(entry.ParameterKey, { value: scalarText(entry.ParameterValue), source });
      }
      return out;
    }
    // CodePipeline template configuration: {"Parameters": {…}, "Tags": {…}}
    if (isObj(doc) && isObj(doc.Parameters)) {
      for (const [k, v] of Object.entries(doc.Parameters)) out.set(k, { value: scalarText(v), source });
      return out;
    }
    return fail(
      'expected a CloudFormation parameters file ([{"ParameterKey","ParameterValue"}] or {"Parameters": {…}}) or a .tfvars.json',
    );
  }
  return fail(
    'unknown kind of file; give a CloudFormation parameters .json, a .tfvars/.tfvars.json, or samconfig.toml/.yaml',
  );
}

/** CloudFormation parameter values are strings (lists are comma-separated). */
function scalarText(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(String).join(',');
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v;
}
