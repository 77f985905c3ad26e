// Terraform root modules: evaluates variables (defaults and .tfvars), locals, count/for_each instances,
// references between resources and the terraform-aws-modules/lambda/aws module, into the model.
import { basename, relative, resolve as resolvePath } from 'node:path';
import type { CscAttachment, LayerRef, PublisherRef } from '../model/snapshot.js';
import {
  publisherArn,
  publisherProfile,
  publisherProfileArnNotVersion,
  publisherUnresolved,
} from '../model/values.js';
import { iacId, policyLiteral, type SnapshotBuilder } from './builder.js';
import type { Attribute, Block, Body, Expr } from './hcl.js';
import type { IacParams } from './params.js';
import { IacBudgetError, type Pos, type SuppressionComment, setOwn } from './source.js';

/** A reference to (an attribute of) a resource instance of the module. */
export class TfRef {
  constructor(
    readonly addr: string,
    readonly key: string | number | undefined,
    readonly path: readonly string[],
    /** The module (instance) that declares the resource; references cross module boundaries. */
    readonly owner?: TerraformModule,
  ) {}
}

/** A value that cannot be known before apply (or at all, statically). */
export class TfUnknown {
  constructor(
    readonly reason: string,
    readonly text?: string,
  ) {}
}

export interface TfFile {
  file: string;
  body: Body;
  comments: { comments: SuppressionComment[]; commentLines: Set<number> };
}

interface TfResource {
  type: string;
  name: string;
  addr: string;
  block: Block;
  file: TfFile;
  /** Synthesised from a module call: inputs evaluated in the caller's scope. */
  module?: { name: string; inputs: Body; key: string | number | undefined; instanceAddr: string };
}

interface Scope {
  count?: number;
  each?: { key: unknown; value: unknown };
  vars?: Map<string, unknown>;
}

interface Trace {
  vars: Set<string>;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof TfRef) &&
    !(v instanceof TfUnknown)
  );
}

/** Evaluation budgets per module: expression steps, elements in one value, characters in one string. */
export const MAX_EVAL_STEPS = 2_000_000;
export const MAX_VALUE_SIZE = 1_000_000;
export const MAX_STRING_LENGTH = 1_000_000;
/** Instances Signet evaluates per resource (`count`, `for_each`); a note says when more are declared. */
export const MAX_INSTANCES = 1000;

const LAMBDA_MODULE = /terraform-aws-modules\/(?:lambda\/aws|terraform-aws-lambda)/;

function instanceSuffix(key: string | number | undefined): string {
  return key === undefined ? '' : typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

export interface TfModuleOptions {
  /** `--param`/`--param-file` values for the root module's variables. */
  params?: IacParams;
  /** Filled with the module's variable names (to warn about given values nothing uses). */
  knownParams?: Set<string>;
  /** Absolute directory of the module: local `source` paths are relative to it. */
  dir?: string;
  /** Reads a local module's directory; undefined when it has no .tf files. */
  loadModule?: (absDir: string) => TfFile[] | undefined;
  /** Inside a module call: the instance address (`module.x["k"].`), inputs, nesting. */
  call?: {
    /** The root module's directory as shown to users. */
    root: string;
    prefix: string;
    inputs: Map<string, { value: unknown; vars: Set<string> }>;
    depth: number;
    dirs: readonly string[];
  };
}

/** How deep local module calls are followed (Terraform has no limit; real projects stay far below). */
export const MAX_MODULE_DEPTH = 16;

interface LocalModuleCall {
  name: string;
  block: Block;
  file: TfFile;
  source: string;
  dir: string;
}

const META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

/**
 * A `--param NAME=VALUE` is text; Terraform reads `-var` values of non-string variables as HCL
 * (numbers, bools, null, lists): do the same for the literals that matter here.
 */
function coerceVariable(value: unknown, decl: Block | undefined): unknown {
  if (typeof value !== 'string') return value;
  const type = decl?.body.attrs.get('type')?.expr;
  // Untyped and string variables take the text as it is.
  if (type === undefined || (type.k === 'var' && type.name === 'string')) return value;
  if (value === 'null') return null;
  if (value === 'true' || value === 'false') return value === 'true';
  if (value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (/^\s*[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

export class TerraformModule {
  private readonly variables = new Map<string, { attr?: Attribute; file: TfFile; block: Block }>();
  private readonly tfvars = new Map<string, { value: unknown; file: string }>();
  private readonly locals = new Map<string, { attr: Attribute; file: TfFile }>();
  private readonly localCache = new Map<string, unknown>();
  /** The variables each cached local was computed from (findings name them). */
  private readonly localVars = new Map<string, Set<string>>();
  private readonly localStack: string[] = [];
  private readonly variableStack: string[] = [];
  /** Expression evaluations so far, against MAX_EVAL_STEPS. */
  private steps = 0;
  private readonly sizes = new WeakMap<object, number>();
  private readonly reportedBudgets = new Set<string>();
  /** The file whose resource is being evaluated, for budget errors met on the way. */
  private currentFile = '';
  private readonly variableCache = new Map<string, unknown>();
  readonly resources = new Map<string, TfResource>();
  private readonly lambdaModules = new Map<string, TfResource>();
  private readonly instanceCache = new Map<string, (string | number | undefined)[]>();
  private readonly outputs = new Map<string, Attribute>();
  private readonly outputStack: string[] = [];
  private readonly localModules = new Map<string, LocalModuleCall>();
  private readonly children = new Map<string, TerraformModule | undefined>();
  /** Address prefix of this module instance (`module.x["k"].`), empty for a root module. */
  readonly prefix: string;

  constructor(
    private readonly files: TfFile[],
    varFiles: { file: string; body: Body }[],
    private readonly builder: SnapshotBuilder,
    private readonly options: TfModuleOptions = {},
  ) {
    this.prefix = options.call?.prefix ?? '';
    for (const f of files) {
      for (const block of f.body.blocks) {
        if (block.type === 'variable' && block.labels[0]) {
          const attr = block.body.attrs.get('default');
          this.variables.set(block.labels[0], { ...(attr ? { attr } : {}), file: f, block });
        } else if (block.type === 'output' && block.labels[0]) {
          const value = block.body.attrs.get('value');
          if (value) this.outputs.set(block.labels[0], value);
        } else if (block.type === 'locals') {
          for (const attr of block.body.attrs.values()) this.locals.set(attr.name, { attr, file: f });
        } else if (block.type === 'resource' && block.labels.length >= 2) {
          const [type, name] = block.labels as [string, string];
          const addr = `${type}.${name}`;
          this.resources.set(addr, { type, name, addr, block, file: f });
        } else if (block.type === 'module' && block.labels[0]) {
          const source = this.guarded(f.file, () =>
            this.eval(block.body.attrs.get('source')?.expr, {}, { vars: new Set() }),
          );
          const name = block.labels[0];
          if (typeof source === 'string' && LAMBDA_MODULE.test(source)) {
            this.lambdaModules.set(name, { type: 'module', name, addr: `module.${name}`, block, file: f });
          } else if (
            typeof source === 'string' &&
            (source.startsWith('./') || source.startsWith('../')) &&
            options.dir !== undefined &&
            options.loadModule
          ) {
            this.localModules.set(name, {
              name,
              block,
              file: f,
              source,
              dir: resolvePath(options.dir, source),
            });
          } else {
            this.builder.problem(
              f.file,
              `module ${name} (${typeof source === 'string' ? source : 'unknown source'}) is not followed; scan its directory separately`,
              block.pos,
              'note',
            );
          }
        }
      }
    }
    // .tfvars: later files override earlier ones, as Terraform loads terraform.tfvars then *.auto.tfvars;
    // --param/--param-file values come last, as `-var`/`-var-file` do.
    for (const vf of varFiles) {
      for (const attr of vf.body.attrs.values()) {
        this.tfvars.set(attr.name, {
          value: this.guarded(vf.file, () => this.eval(attr.expr, {}, { vars: new Set() })),
          file: basename(vf.file),
        });
      }
    }
    for (const [name, given] of options.params ?? []) {
      const decl = this.variables.get(name);
      this.tfvars.set(name, { value: coerceVariable(given.value, decl?.block), file: given.source });
    }
    for (const name of this.variables.keys()) options.knownParams?.add(name);
  }

  /** Evaluates an expression; references to resources stay symbolic (TfRef). */
  eval(expr: Expr | undefined, scope: Scope, trace: Trace, depth = 0): unknown {
    if (!expr) return undefined;
    if (depth > 100) return new TfUnknown('expression nested too deeply');
    if (++this.steps > MAX_EVAL_STEPS)
      throw new IacBudgetError(
        `evaluation budget exceeded: more than ${MAX_EVAL_STEPS.toLocaleString('en')} expression steps in this module; the remaining values are unknown`,
        expr.pos.line,
        expr.pos.column,
      );
    return this.bounded(this.evalExpr(expr, scope, trace, depth), expr);
  }

  /** Refuses a value over the size budget (elements of all nested lists and maps, or string length). */
  private bounded(value: unknown, expr: Expr): unknown {
    if (typeof value === 'string') {
      if (value.length > MAX_STRING_LENGTH)
        throw new IacBudgetError(
          `evaluation budget exceeded: a string longer than ${MAX_STRING_LENGTH.toLocaleString('en')} characters`,
          expr.pos.line,
          expr.pos.column,
        );
      return value;
    }
    if (this.sizeOf(value) > MAX_VALUE_SIZE)
      throw new IacBudgetError(
        `evaluation budget exceeded: a value with more than ${MAX_VALUE_SIZE.toLocaleString('en')} elements`,
        expr.pos.line,
        expr.pos.column,
      );
    return value;
  }

  /** Elements in a value, nested lists and maps included; shared parts are counted once per use. */
  private sizeOf(value: unknown): number {
    if (typeof value !== 'object' || value === null || value instanceof TfRef || value instanceof TfUnknown)
      return 1;
    const known = this.sizes.get(value);
    if (known !== undefined) return known;
    let size = 1;
    for (const v of Array.isArray(value) ? value : Object.values(value)) {
      size += this.sizeOf(v);
      if (size > MAX_VALUE_SIZE) break;
    }
    this.sizes.set(value, size);
    return size;
  }

  /**
   * Runs one top-level evaluation (a local, a variable default, a resource argument); an exceeded
   * budget becomes that file's error, reported once, and the value is unknown rather than a hang.
   */
  guarded(file: string, run: () => unknown): unknown {
    try {
      return run();
    } catch (err) {
      if (!(err instanceof IacBudgetError)) throw err;
      const where = err.file ?? file;
      const key = `${where}:${err.line}:${err.column}:${err.message}`;
      const stepsOut = err.message.includes('expression steps');
      if (!this.reportedBudgets.has(stepsOut ? 'steps' : key)) {
        this.reportedBudgets.add(stepsOut ? 'steps' : key);
        this.builder.problem(where, err.message, { line: err.line, column: err.column });
      }
      return new TfUnknown(err.message.replace(/;.*$/, ''));
    }
  }

  private evalExpr(expr: Expr, scope: Scope, trace: Trace, depth: number): unknown {
    switch (expr.k) {
      case 'lit':
        return expr.v;
      case 'tpl': {
        const values = expr.parts.map((p) =>
          typeof p === 'string' ? p : this.eval(p, scope, trace, depth + 1),
        );
        if (values.length === 1) return values[0];
        if (values.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
          return values.join('');
        }
        const unknown = values.find((v) => v instanceof TfUnknown) as TfUnknown | undefined;
        const text = values
          .map((v) =>
            typeof v === 'string' || typeof v === 'number'
              ? String(v)
              : v instanceof TfRef
                ? `\${${v.addr}${instanceSuffix(v.key)}.${v.path.join('.')}}`
                : '${?}',
          )
          .join('');
        return new TfUnknown(unknown?.reason ?? 'string built from values known only after apply', text);
      }
      case 'var':
      case 'attr':
      case 'index':
        return this.traversal(expr, scope, trace, depth);
      case 'splat': {
        const base = this.eval(expr.obj, scope, trace, depth + 1);
        let items: unknown[];
        if (base instanceof TfRef && base.key === undefined && base.path.length === 0) {
          items = (base.owner ?? this)
            .instances(base.addr)
            .map((k) => new TfRef(base.addr, k, [], base.owner));
        } else if (Array.isArray(base)) items = base;
        else if (base === null || base === undefined) items = [];
        else if (base instanceof TfUnknown) return base;
        else items = [base];
        return items.map((item) => {
          let v = item;
          for (const op of expr.ops)
            v = this.step(v, 'attr' in op ? op.attr : this.eval(op.index, scope, trace, depth + 1));
          return v;
        });
      }
      case 'call':
        return this.call(
          expr.name,
          expr.args.map((a) => this.eval(a, scope, trace, depth + 1)),
          expr.expand,
        );
      case 'tuple':
        return expr.items.map((i) => this.eval(i, scope, trace, depth + 1));
      case 'object': {
        const out: Obj = {};
        for (const { key, value } of expr.items) {
          const k = this.eval(key, scope, trace, depth + 1);
          if (typeof k !== 'string' && typeof k !== 'number')
            return new TfUnknown('object key known only after apply');
          setOwn(out, String(k), this.eval(value, scope, trace, depth + 1));
        }
        return out;
      }
      case 'cond': {
        const c = this.eval(expr.c, scope, trace, depth + 1);
        if (typeof c === 'boolean') return this.eval(c ? expr.t : expr.f, scope, trace, depth + 1);
        const t = this.eval(expr.t, scope, trace, depth + 1);
        const f = this.eval(expr.f, scope, trace, depth + 1);
        if (sameValue(t, f)) return t;
        return new TfUnknown(
          c instanceof TfUnknown
            ? `condition depends on ${c.reason}`
            : 'condition cannot be decided statically',
        );
      }
      case 'bin': {
        const l = this.eval(expr.l, scope, trace, depth + 1);
        const r = this.eval(expr.r, scope, trace, depth + 1);
        return binary(expr.op, l, r);
      }
      case 'un': {
        const v = this.eval(expr.e, scope, trace, depth + 1);
        if (expr.op === '!' && typeof v === 'boolean') return !v;
        if (expr.op === '-' && typeof v === 'number') return -v;
        return v instanceof TfUnknown
          ? v
          : new TfUnknown(`operator ${expr.op} on a value known only after apply`);
      }
      case 'for': {
        const coll = this.eval(expr.coll, scope, trace, depth + 1);
        if (!Array.isArray(coll) && !isObj(coll))
          return coll instanceof TfUnknown
            ? coll
            : new TfUnknown('for expression over an unknown collection');
        const entries: [unknown, unknown][] = Array.isArray(coll)
          ? coll.map((v, i) => [i, v])
          : Object.entries(coll);
        const list: unknown[] = [];
        const obj: Obj = {};
        for (const [k, v] of entries) {
          const vars = new Map(scope.vars ?? []);
          if (expr.keyVar) vars.set(expr.keyVar, k);
          vars.set(expr.valVar, v);
          const inner: Scope = { ...scope, vars };
          if (expr.cond) {
            const keep = this.eval(expr.cond, inner, trace, depth + 1);
            if (keep === false) continue;
            if (keep !== true) return new TfUnknown('for expression filter known only after apply');
          }
          const value = this.eval(expr.valExpr, inner, trace, depth + 1);
          if (expr.object) {
            const key = this.eval(expr.keyExpr, inner, trace, depth + 1);
            if (typeof key !== 'string' && typeof key !== 'number')
              return new TfUnknown('for expression key known only after apply');
            if (expr.group) {
              const group = Object.hasOwn(obj, String(key)) ? (obj[String(key)] as unknown[]) : [];
              group.push(value);
              setOwn(obj, String(key), group);
            } else setOwn(obj, String(key), value);
          } else list.push(value);
        }
        return expr.object ? obj : list;
      }
      case 'unsupported':
        return new TfUnknown(`${expr.what} is not evaluated`);
    }
  }

  private traversal(expr: Expr, scope: Scope, trace: Trace, depth: number): unknown {
    const ops: (string | Expr)[] = [];
    let e = expr;
    while (e.k === 'attr' || e.k === 'index') {
      ops.unshift(e.k === 'attr' ? e.name : e.key);
      e = e.obj;
    }
    if (e.k !== 'var') {
      let v = this.eval(e, scope, trace, depth + 1);
      for (const op of ops)
        v = this.step(v, typeof op === 'string' ? op : this.eval(op, scope, trace, depth + 1));
      return v;
    }
    const root = e.name;
    const key = (i: number): unknown => {
      const op = ops[i];
      return op === undefined
        ? undefined
        : typeof op === 'string'
          ? op
          : this.eval(op, scope, trace, depth + 1);
    };
    const rest = (v: unknown, from: number): unknown => {
      let out = v;
      for (let i = from; i < ops.length; i++) out = this.step(out, key(i));
      return out;
    };
    if (scope.vars?.has(root)) return rest(scope.vars.get(root), 0);
    switch (root) {
      case 'var':
        return rest(this.variable(String(key(0)), trace), 1);
      case 'local':
        return rest(this.local(String(key(0)), trace), 1);
      case 'count':
        return key(0) === 'index' && scope.count !== undefined
          ? scope.count
          : new TfUnknown('count.index outside a counted resource');
      case 'each':
        if (!scope.each) return new TfUnknown('each outside a for_each resource');
        return rest(key(0) === 'key' ? scope.each.key : scope.each.value, 1);
      case 'path':
        return '.';
      case 'terraform':
        return key(0) === 'workspace' ? 'default' : new TfUnknown(`terraform.${String(key(0))}`);
      case 'data':
        return new TfUnknown(`data source data.${String(key(0))}.${String(key(1))} is read at plan time`);
      case 'module': {
        const name = String(key(0));
        // `module.x["key"].output` names one instance of a for_each/count module.
        const instance = typeof ops[1] === 'string' ? undefined : key(1);
        const at = instance === undefined ? 1 : 2;
        const output = String(key(at));
        const suffix = typeof instance === 'number' || typeof instance === 'string' ? instance : undefined;
        if (this.localModules.has(name)) {
          const call = this.localModules.get(name)!;
          const keys = this.moduleKeys(call);
          if (suffix === undefined && keys[0] !== undefined)
            return new TfUnknown(`module.${name} has several instances; index it (module.${name}[KEY])`);
          const child = this.moduleInstance(call, suffix);
          if (!child) return new TfUnknown(`output ${output} of module.${name}, which is not followed`);
          return rest(child.output(output, trace), at + 1);
        }
        if (this.lambdaModules.has(name)) {
          const layer = this.resources.get(
            `module.${name}${instanceSuffix(suffix)}.aws_lambda_layer_version.this`,
          );
          if (layer && (output === 'lambda_layer_arn' || output === 'lambda_layer_layer_arn')) {
            return rest(
              new TfRef(layer.addr, undefined, [output === 'lambda_layer_arn' ? 'arn' : 'layer_arn'], this),
              at + 1,
            );
          }
        }
        return new TfUnknown(`output ${output} of module.${name}`);
      }
      default: {
        const addr = `${root}.${String(key(0))}`;
        if (this.resources.has(addr)) return rest(new TfRef(addr, undefined, [], this), 1);
        return new TfUnknown(`reference to ${addr}, which is not declared in this module`);
      }
    }
  }

  /** One traversal step (`.name` or `[key]`) on a value. */
  private step(v: unknown, key: unknown): unknown {
    if (v instanceof TfUnknown) return v;
    if (v instanceof TfRef) {
      if (
        v.key === undefined &&
        v.path.length === 0 &&
        (typeof key === 'number' ||
          (typeof key === 'string' && (v.owner ?? this).hasInstanceKey(v.addr, key)))
      ) {
        return new TfRef(v.addr, key, [], v.owner);
      }
      return new TfRef(v.addr, v.key, [...v.path, String(key)], v.owner);
    }
    if (Array.isArray(v)) {
      const i = Number(key);
      return Number.isInteger(i) && i >= 0 && i < v.length
        ? v[i]
        : new TfUnknown(`index ${String(key)} out of range`);
    }
    if (isObj(v) && (typeof key === 'string' || typeof key === 'number')) {
      return Object.hasOwn(v, String(key))
        ? v[String(key)]
        : new TfUnknown(`attribute ${String(key)} not found`);
    }
    return new TfUnknown(`cannot index ${v === null ? 'null' : typeof v} with ${String(key)}`);
  }

  hasInstanceKey(addr: string, key: string): boolean {
    return this.instances(addr).includes(key);
  }

  private variable(name: string, trace: Trace): unknown {
    const input = this.options.call?.inputs.get(name);
    if (input) {
      for (const v of input.vars) trace.vars.add(v);
      return input.value;
    }
    const fromVars = this.tfvars.get(name);
    if (fromVars !== undefined) {
      trace.vars.add(`var.${name} (${fromVars.file})`);
      return fromVars.value;
    }
    const decl = this.variables.get(name);
    if (!decl) return new TfUnknown(`variable ${name} is not declared`);
    if (!decl.attr)
      return new TfUnknown(
        `variable ${name} has no default and no .tfvars value; give its value with --param ${name}=VALUE`,
      );
    trace.vars.add(`var.${name} (default)`);
    // Terraform allows only literal values in a default; a reference (to itself, say) is an error there.
    if (this.variableStack.includes(name)) {
      const cycle = [...this.variableStack.slice(this.variableStack.indexOf(name)), name]
        .map((n) => `var.${n}`)
        .join(' → ');
      const unknown = new TfUnknown(`cyclic reference ${cycle}`);
      for (const n of this.variableStack) this.variableCache.set(n, unknown);
      this.builder.problem(
        decl.file.file,
        `variable ${name}: its default refers to ${cycle}; Terraform rejects references in variable defaults`,
        decl.attr.pos,
      );
      return unknown;
    }
    const cached = this.variableCache.get(name);
    if (cached !== undefined || this.variableCache.has(name)) return cached;
    this.variableStack.push(name);
    const expr = decl.attr.expr;
    let value: unknown;
    try {
      value = this.guarded(decl.file.file, () => this.eval(expr, {}, trace));
    } finally {
      this.variableStack.pop();
    }
    if (!this.variableCache.has(name)) this.variableCache.set(name, value);
    return this.variableCache.get(name);
  }

  private local(name: string, trace: Trace): unknown {
    if (this.localCache.has(name)) {
      for (const v of this.localVars.get(name) ?? []) trace.vars.add(v);
      return this.localCache.get(name);
    }
    const decl = this.locals.get(name);
    if (!decl) return new TfUnknown(`local ${name} is not declared`);
    if (this.localStack.includes(name)) {
      const cycle = [...this.localStack.slice(this.localStack.indexOf(name)), name]
        .map((n) => `local.${n}`)
        .join(' → ');
      this.builder.problem(
        decl.file.file,
        `cyclic reference: ${cycle}; Terraform rejects this module`,
        decl.attr.pos,
      );
      const unknown = new TfUnknown(`cyclic reference ${cycle}`);
      for (const n of this.localStack) this.localCache.set(n, unknown);
      return unknown;
    }
    this.localStack.push(name);
    const localTrace: Trace = { vars: new Set() };
    const value = this.guarded(decl.file.file, () => this.eval(decl.attr.expr, {}, localTrace));
    this.localStack.pop();
    for (const v of localTrace.vars) trace.vars.add(v);
    this.localVars.set(name, localTrace.vars);
    if (!this.localCache.has(name)) this.localCache.set(name, value);
    return this.localCache.get(name);
  }

  private call(name: string, rawArgs: unknown[], expand: boolean): unknown {
    let args = rawArgs;
    if (expand && args.length > 0) {
      const last = args[args.length - 1];
      if (!Array.isArray(last)) return new TfUnknown(`${name}(...) over an unknown list`);
      args = [...args.slice(0, -1), ...last];
    }
    const anyUnknown = args.find((a) => a instanceof TfUnknown) as TfUnknown | undefined;
    const str = (v: unknown) =>
      typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
    switch (name) {
      case 'try':
      case 'coalesce': {
        for (const a of args)
          if (!(a instanceof TfUnknown) && a !== null && a !== undefined && a !== '') return a;
        return anyUnknown ?? new TfUnknown(`${name}() with no usable argument`);
      }
      case 'can':
        return !(args[0] instanceof TfUnknown);
      case 'one': {
        const l = args[0];
        if (Array.isArray(l))
          return l.length === 0 ? null : l.length === 1 ? l[0] : new TfUnknown('one() over several elements');
        return l ?? null;
      }
      case 'tolist':
      case 'toset':
      case 'tomap':
      case 'tostring':
      case 'sensitive':
      case 'nonsensitive':
        return args[0];
      case 'tonumber':
        return typeof args[0] === 'string' ? Number(args[0]) : args[0];
      case 'tobool':
        return args[0] === 'true' ? true : args[0] === 'false' ? false : args[0];
      case 'concat':
        return args.every(Array.isArray)
          ? (args as unknown[][]).flat()
          : (anyUnknown ?? new TfUnknown('concat() of unknown lists'));
      case 'flatten': {
        const flat = (v: unknown): unknown[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
        return Array.isArray(args[0])
          ? flat(args[0])
          : (anyUnknown ?? new TfUnknown('flatten() of an unknown list'));
      }
      case 'compact':
        return Array.isArray(args[0]) ? args[0].filter((v) => v !== null && v !== '') : args[0];
      case 'distinct':
        return Array.isArray(args[0]) ? [...new Set(args[0])] : args[0];
      case 'merge':
        return args.every((a) => isObj(a) || a === null)
          ? args.filter(isObj).reduce<Obj>((out, a) => {
              for (const [k, v] of Object.entries(a)) setOwn(out, k, v);
              return out;
            }, {})
          : (anyUnknown ?? new TfUnknown('merge() of unknown maps'));
      case 'lookup': {
        const [m, k, def] = args;
        if (isObj(m) && typeof k === 'string')
          return Object.hasOwn(m, k)
            ? m[k]
            : args.length > 2
              ? def
              : new TfUnknown(`lookup of missing key ${k}`);
        return anyUnknown ?? new TfUnknown('lookup() in an unknown map');
      }
      case 'element': {
        const [l, i] = args;
        if (Array.isArray(l) && typeof i === 'number' && l.length > 0) return l[i % l.length];
        return anyUnknown ?? new TfUnknown('element() of an unknown list');
      }
      case 'length':
        return Array.isArray(args[0])
          ? args[0].length
          : isObj(args[0])
            ? Object.keys(args[0]).length
            : typeof args[0] === 'string'
              ? args[0].length
              : (anyUnknown ?? new TfUnknown('length() of an unknown value'));
      case 'keys':
        return isObj(args[0])
          ? Object.keys(args[0]).sort()
          : (anyUnknown ?? new TfUnknown('keys() of an unknown map'));
      case 'values':
        return isObj(args[0])
          ? Object.keys(args[0])
              .sort()
              .map((k) => (args[0] as Obj)[k])
          : (anyUnknown ?? new TfUnknown('values() of an unknown map'));
      case 'contains':
        return Array.isArray(args[0]) && !anyUnknown
          ? args[0].some((v) => sameValue(v, args[1]))
          : (anyUnknown ?? new TfUnknown('contains() on an unknown list'));
      case 'join':
        return typeof args[0] === 'string' &&
          Array.isArray(args[1]) &&
          args[1].every((v) => str(v) !== undefined)
          ? args[1].map(str).join(args[0])
          : (anyUnknown ?? new TfUnknown('join() over values known only after apply'));
      case 'split':
        return typeof args[0] === 'string' && typeof args[1] === 'string'
          ? args[1].split(args[0])
          : (anyUnknown ?? new TfUnknown('split() of an unknown string'));
      case 'lower':
      case 'upper':
      case 'trimspace': {
        const s = str(args[0]);
        if (s === undefined) return anyUnknown ?? new TfUnknown(`${name}() of an unknown string`);
        return name === 'lower' ? s.toLowerCase() : name === 'upper' ? s.toUpperCase() : s.trim();
      }
      case 'title': {
        const s = str(args[0]);
        return s === undefined
          ? (anyUnknown ?? new TfUnknown('title() of an unknown string'))
          : s.replace(/\b\w/g, (c) => c.toUpperCase());
      }
      case 'format': {
        const [fmt, ...rest] = args;
        if (typeof fmt !== 'string' || rest.some((v) => str(v) === undefined))
          return anyUnknown ?? new TfUnknown('format() with values known only after apply');
        let i = 0;
        return fmt.replace(/%%|%[-+# 0]*\d*(?:\.\d+)?[sdvqft]/g, (m) =>
          m === '%%' ? '%' : (str(rest[i++]) ?? ''),
        );
      }
      case 'replace': {
        const [s, a, b] = args.map(str);
        if (s === undefined || a === undefined || b === undefined)
          return anyUnknown ?? new TfUnknown('replace() of an unknown string');
        return s.split(a).join(b);
      }
      default:
        return new TfUnknown(`function ${name}() is not evaluated by Signet`);
    }
  }

  /** Instance keys of a resource (count → numbers, for_each → strings, neither → [undefined]). */
  instances(addr: string): (string | number | undefined)[] {
    const cached = this.instanceCache.get(addr);
    if (cached) return cached;
    const res = this.resources.get(addr);
    let keys: (string | number | undefined)[] = [undefined];
    if (res && !res.module) {
      this.instanceCache.set(addr, keys);
      // Inside a module, count = 0 is how modules switch features off: noted for roots only.
      keys = this.expand(
        res.block.body,
        res.file,
        `${this.prefix}${addr}`,
        res.type in HANDLERS && !this.options.call,
      );
    }
    if (res?.module) keys = [0];
    this.instanceCache.set(addr, keys);
    return keys;
  }

  private expand(body: Body, file: TfFile, addr: string, noteEmpty = true): (string | number | undefined)[] {
    const count = body.attrs.get('count');
    const forEach = body.attrs.get('for_each');
    // A resource or module that creates no instance is said, not silently dropped.
    const none = (what: string, pos: Pos, trace: Trace): [] => {
      if (noteEmpty) {
        const via = trace.vars.size > 0 ? ` (from ${[...trace.vars].join(', ')})` : '';
        this.builder.problem(
          file.file,
          `${addr} is not created: ${what}${via}; not scanned (give the deployed value with --param if it differs)`,
          pos,
          'note',
        );
      }
      return [];
    };
    if (count) {
      const trace: Trace = { vars: new Set() };
      const n = this.guarded(file.file, () => this.eval(count.expr, {}, trace));
      if (n === 0 || n === false) return none('count = 0', count.pos, trace);
      if (typeof n === 'number' && Number.isInteger(n) && n >= 0) {
        if (n > MAX_INSTANCES)
          this.builder.problem(
            file.file,
            `count of ${addr} is ${n.toLocaleString('en')}; Signet evaluates the first ${MAX_INSTANCES.toLocaleString('en')} instances only (the others are not scanned)`,
            count.pos,
            'warning',
          );
        return Array.from({ length: Math.min(n, MAX_INSTANCES) }, (_, i) => i);
      }
      if (typeof n === 'boolean') return [0];
      this.builder.problem(
        file.file,
        `count of ${addr} cannot be resolved statically (${n instanceof TfUnknown ? n.reason : 'not a number'}); scanned as one instance`,
        count.pos,
        'note',
      );
      return [0];
    }
    if (forEach) {
      const trace: Trace = { vars: new Set() };
      const v = this.guarded(file.file, () => this.eval(forEach.expr, {}, trace));
      if ((isObj(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0))
        return none('for_each is empty', forEach.pos, trace);
      const keys = isObj(v)
        ? Object.keys(v)
        : Array.isArray(v) && v.every((x) => typeof x === 'string')
          ? [...new Set(v as string[])]
          : undefined;
      if (keys) {
        if (keys.length > MAX_INSTANCES)
          this.builder.problem(
            file.file,
            `for_each of ${addr} has ${keys.length.toLocaleString('en')} keys; Signet evaluates the first ${MAX_INSTANCES.toLocaleString('en')} instances only (the others are not scanned)`,
            forEach.pos,
            'warning',
          );
        return keys.slice(0, MAX_INSTANCES);
      }
      this.builder.problem(
        file.file,
        `for_each of ${addr} cannot be resolved statically; scanned as one instance`,
        forEach.pos,
        'note',
      );
      return [undefined];
    }
    return [undefined];
  }

  private forEachValue(body: Body, key: string | number | undefined): unknown {
    const forEach = body.attrs.get('for_each');
    if (!forEach || key === undefined) return undefined;
    const v = this.guarded(this.currentFile, () => this.eval(forEach.expr, {}, { vars: new Set() }));
    return isObj(v) ? (Object.hasOwn(v, String(key)) ? v[String(key)] : undefined) : key;
  }

  /**
   * Id of a resource instance. Inside a local module the file is the module's, which several roots may
   * call at the same address (examples calling `../../`): the root directory keeps ids apart.
   */
  idOf(file: string, address: string): string {
    return this.options.call ? iacId(file, `${address}@${this.options.call.root}`) : iacId(file, address);
  }

  /** Instance keys of a local module call (count/for_each), cached. */
  private moduleKeys(call: LocalModuleCall): (string | number | undefined)[] {
    const addr = `module.${call.name}`;
    const cached = this.instanceCache.get(addr);
    if (cached) return cached;
    this.instanceCache.set(addr, [undefined]);
    const keys = this.expand(call.block.body, call.file, `${this.prefix}${addr}`);
    this.instanceCache.set(addr, keys);
    return keys;
  }

  /**
   * The module instance a local module call creates, with its inputs evaluated in this module's scope;
   * undefined (with a problem) when it cannot be followed: missing directory, depth limit, cycle.
   */
  private moduleInstance(
    call: LocalModuleCall,
    key: string | number | undefined,
  ): TerraformModule | undefined {
    const cacheKey = `${call.name}${instanceSuffix(key)}`;
    if (this.children.has(cacheKey)) return this.children.get(cacheKey);
    this.children.set(cacheKey, undefined);
    const prefix = `${this.prefix}module.${call.name}${instanceSuffix(key)}.`;
    const depth = (this.options.call?.depth ?? 0) + 1;
    const dirs = [...(this.options.call?.dirs ?? [this.options.dir ?? '.'])];
    const label = `module.${call.name} (${call.source})`;
    if (dirs.includes(call.dir)) {
      const chain = [...dirs.slice(dirs.indexOf(call.dir)), call.dir]
        .map((d) => relative(this.options.dir ?? '.', d) || '.')
        .join(' → ');
      this.builder.problem(
        call.file.file,
        `${label} calls a module that is already being called (${chain}); Terraform rejects recursive modules`,
        call.block.pos,
      );
      return undefined;
    }
    if (depth > MAX_MODULE_DEPTH) {
      this.builder.problem(
        call.file.file,
        `${label} is nested more than ${MAX_MODULE_DEPTH} modules deep; not followed`,
        call.block.pos,
        'warning',
      );
      return undefined;
    }
    const files = this.options.loadModule!(call.dir);
    if (!files) {
      this.builder.problem(
        call.file.file,
        `${label}: no .tf files in ${call.source}; check the source path`,
        call.block.pos,
        'warning',
      );
      return undefined;
    }
    const body = call.block.body;
    const scope: Scope = {
      ...(typeof key === 'number' ? { count: key } : {}),
      ...(typeof key === 'string' ? { each: { key, value: this.forEachValue(body, key) } } : {}),
    };
    const inputs = new Map<string, { value: unknown; vars: Set<string> }>();
    for (const [name, attr] of body.attrs) {
      if (META_ARGUMENTS.has(name)) continue;
      const trace: Trace = { vars: new Set() };
      inputs.set(name, { value: this.eval(attr.expr, scope, trace), vars: trace.vars });
    }
    const child = new TerraformModule(files, [], this.builder, {
      dir: call.dir,
      loadModule: this.options.loadModule!,
      call: {
        root: this.options.call?.root ?? this.rootLabel(),
        prefix,
        inputs,
        depth,
        dirs: [...dirs, call.dir],
      },
    });
    this.children.set(cacheKey, child);
    return child;
  }

  private rootLabel(): string {
    const file = this.files[0]?.file ?? '.';
    const slash = file.lastIndexOf('/');
    return slash === -1 ? '.' : file.slice(0, slash);
  }

  /** The value of one of this module's outputs (references stay symbolic, owned by this module). */
  output(name: string, trace: Trace): unknown {
    const attr = this.outputs.get(name);
    if (!attr)
      return new TfUnknown(`output ${name} is not declared by ${this.prefix.slice(0, -1) || 'the module'}`);
    if (this.outputStack.includes(name)) return new TfUnknown(`output ${name} refers to itself`);
    this.outputStack.push(name);
    try {
      return this.eval(attr.expr, {}, trace);
    } finally {
      this.outputStack.pop();
    }
  }

  /** Id of the resource instance a reference points at. */
  refId(ref: TfRef): string | undefined {
    const res = this.resources.get(ref.addr);
    if (!res) return undefined;
    const keys = this.instances(ref.addr);
    const key = ref.key !== undefined ? ref.key : keys[0];
    const base = res.module ? res.module.instanceAddr : `${this.prefix}${ref.addr}${instanceSuffix(key)}`;
    return this.idOf(res.file.file, base);
  }

  /** Registers the resources the terraform-aws-modules/lambda/aws module would create. */
  private expandLambdaModules(): void {
    for (const [name, mod] of this.lambdaModules) {
      const body = mod.block.body;
      const keys = this.expand(body, mod.file, `${this.prefix}module.${name}`);
      for (const key of keys) {
        const scope: Scope = {
          ...(typeof key === 'number' ? { count: key } : {}),
          ...(typeof key === 'string' ? { each: { key, value: this.forEachValue(body, key) } } : {}),
        };
        const input = (n: string, def: unknown) => {
          const attr = body.attrs.get(n);
          return attr
            ? this.guarded(mod.file.file, () => this.eval(attr.expr, scope, { vars: new Set() }))
            : def;
        };
        if (input('create', true) === false) continue;
        const prefix = `module.${name}${instanceSuffix(key)}`;
        const createLayer = input('create_layer', false) === true;
        const createFunction = input('create_function', true) !== false && !createLayer;
        const type = createLayer
          ? 'aws_lambda_layer_version'
          : createFunction
            ? 'aws_lambda_function'
            : undefined;
        if (!type) continue;
        // One resource per module instance (for_each/count), keyed by the instance address.
        const addr = `${prefix}.${type}.this`;
        this.resources.set(addr, {
          type,
          name: 'this',
          addr,
          block: mod.block,
          file: mod.file,
          module: { name, inputs: body, key, instanceAddr: `${this.prefix}${prefix}.${type}.this[0]` },
        });
        // Remember the scope for evaluation of inputs.
        this.moduleScopes.set(addr, scope);
      }
    }
  }

  private readonly moduleScopes = new Map<string, Scope>();

  /** Turns every resource instance into model entries. */
  scan(): void {
    this.expandLambdaModules();
    this.scanResources();
    for (const call of this.localModules.values()) {
      for (const key of this.moduleKeys(call)) this.moduleInstance(call, key)?.scan();
    }
  }

  private scanResources(): void {
    for (const res of [...this.resources.values()]) {
      if (res.module) {
        this.scanModuleResource(res);
        continue;
      }
      const handler = HANDLERS[res.type];
      if (!handler) continue;
      this.currentFile = res.file.file;
      const body = res.block.body;
      for (const key of this.instances(res.addr)) {
        const scope: Scope = {
          ...(typeof key === 'number' ? { count: key } : {}),
          ...(typeof key === 'string' ? { each: { key, value: this.forEachValue(body, key) } } : {}),
        };
        const address = `${this.prefix}${res.addr}${instanceSuffix(key)}`;
        handler(this, res, body, scope, address);
      }
    }
  }

  private scanModuleResource(res: TfResource): void {
    const m = res.module!;
    this.currentFile = res.file.file;
    const scope = this.moduleScopes.get(res.addr) ?? {};
    // Map module inputs onto the resource arguments the module passes through.
    const inputs = m.inputs;
    const rename: Record<string, string> = {
      function_name: 'function_name',
      package_type: 'package_type',
      image_uri: 'image_uri',
      code_signing_config_arn: 'code_signing_config_arn',
      layers: 'layers',
      tags: 'tags',
      runtime: 'runtime',
      layer_name: 'layer_name',
    };
    const attrs = new Map<string, Attribute>();
    for (const [from, to] of Object.entries(rename)) {
      const a = inputs.attrs.get(from);
      if (a) attrs.set(to, { ...a, name: to });
    }
    const body: Body = { attrs, blocks: [] };
    HANDLERS[res.type]?.(this, res, body, scope, m.instanceAddr);
  }

  evalAttr(body: Body, name: string, scope: Scope, trace: Trace = { vars: new Set() }): unknown {
    return this.guarded(this.currentFile, () => this.eval(body.attrs.get(name)?.expr, scope, trace));
  }

  provenance(res: TfResource, address: string, properties: Record<string, Pos | undefined>) {
    return this.builder.provenance({
      format: 'terraform',
      file: res.file.file,
      logicalId: address,
      pos: res.block.pos,
      properties,
      comments: res.file.comments,
    });
  }

  get model(): SnapshotBuilder {
    return this.builder;
  }
}

type Handler = (m: TerraformModule, res: TfResource, body: Body, scope: Scope, address: string) => void;

function blockOf(body: Body, type: string): Block | undefined {
  return body.blocks.find((b) => b.type === type);
}

function tags(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObj(v))
    for (const [k, x] of Object.entries(v))
      if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') setOwn(out, k, String(x));
  return out;
}

function reasonOf(v: unknown, what: string): string {
  if (v instanceof TfUnknown) return v.reason;
  if (v instanceof TfRef)
    return `${what} refers to ${v.addr}${v.path.length ? `.${v.path.join('.')}` : ''}, which is not the expected resource type`;
  return `${what} has an unexpected value`;
}

function cscAttachment(m: TerraformModule, v: unknown, trace: Trace): CscAttachment {
  if (v === undefined || v === null || v === '') {
    // None because of variables (e.g. a default of null "passed by the pipeline"): name them.
    return trace.vars.size > 0 ? { state: 'none', note: [...trace.vars].join(', ') } : { state: 'none' };
  }
  if (v instanceof TfRef) {
    const owner = v.owner ?? m;
    const target = owner.resources.get(v.addr);
    const attr = v.path[0];
    if (target?.type === 'aws_lambda_code_signing_config' && (attr === 'arn' || attr === 'id')) {
      return { state: 'attached', id: owner.refId(v)! };
    }
    return { state: 'unresolved', reason: reasonOf(v, 'code_signing_config_arn') };
  }
  if (typeof v === 'string') {
    const via = trace.vars.size > 0 ? ` (from ${[...trace.vars].join(', ')})` : '';
    return { state: 'unresolved', reason: `CSC ARN defined outside these files${via}`, arn: v };
  }
  if (v instanceof TfUnknown)
    return { state: 'unresolved', reason: v.reason, ...(v.text?.startsWith('arn:') ? { arn: v.text } : {}) };
  return { state: 'unresolved', reason: 'code_signing_config_arn has an unexpected value' };
}

function layerRef(m: TerraformModule, v: unknown): LayerRef {
  if (v instanceof TfRef) {
    const owner = v.owner ?? m;
    const target = owner.resources.get(v.addr);
    if (target?.type === 'aws_lambda_layer_version') return { layerId: owner.refId(v)! };
    return { unresolved: reasonOf(v, 'layers') };
  }
  if (typeof v === 'string') return { arn: v };
  return { unresolved: reasonOf(v, 'layers') };
}

function publisherRef(m: TerraformModule, v: unknown): PublisherRef {
  if (v instanceof TfRef) {
    const owner = v.owner ?? m;
    const target = owner.resources.get(v.addr);
    if (target?.type === 'aws_signer_signing_profile') {
      if (v.path[0] === 'version_arn') return publisherProfile(owner.refId(v)!);
      return publisherProfileArnNotVersion(
        `${v.addr}${instanceSuffix(v.key)}.${v.path.join('.') || '(whole resource)'}`,
      );
    }
    return publisherUnresolved(reasonOf(v, 'signing_profile_version_arns'));
  }
  if (typeof v === 'string') return publisherArn(v);
  if (v instanceof TfUnknown)
    return publisherUnresolved(v.text?.startsWith('arn:') ? `${v.reason}: ${v.text}` : v.reason);
  return publisherUnresolved('unexpected publisher value');
}

const HANDLERS: Record<string, Handler> = {
  aws_lambda_function(m, res, body, scope, address) {
    const trace: Trace = { vars: new Set() };
    const pkg = m.evalAttr(body, 'package_type', scope);
    const name = m.evalAttr(body, 'function_name', scope);
    const runtime = m.evalAttr(body, 'runtime', scope);
    const layers = m.evalAttr(body, 'layers', scope);
    const csc = m.evalAttr(body, 'code_signing_config_arn', scope, trace);
    const pos = (n: string) => body.attrs.get(n)?.pos;
    m.model.functions.push({
      id: m.idOf(res.file.file, address),
      // A name that resolves to "" (e.g. a variable defaulting to "") falls back to the address.
      name: typeof name === 'string' && name.trim() !== '' ? name : address,
      packageType:
        pkg === undefined || pkg === null || pkg === 'Zip' ? 'Zip' : pkg === 'Image' ? 'Image' : 'Unknown',
      ...(typeof runtime === 'string' ? { runtime } : {}),
      codeSigningConfig: cscAttachment(m, csc, trace),
      tags: tags(m.evalAttr(body, 'tags', scope)),
      layers: Array.isArray(layers)
        ? layers.map((l) => layerRef(m, l))
        : layers === undefined || layers === null
          ? []
          : [{ unresolved: reasonOf(layers, 'layers') }],
      versions: [],
      aliases: {},
      provenance: m.provenance(res, address, {
        code_signing_config_arn: pos('code_signing_config_arn'),
        package_type: pos('package_type'),
        layers: pos('layers'),
        tags: pos('tags'),
      }),
    });
  },
  aws_lambda_code_signing_config(m, res, body, scope, address) {
    const policies = blockOf(body, 'policies');
    const publishers = blockOf(body, 'allowed_publishers');
    const trace: Trace = { vars: new Set() };
    const raw = policies
      ? m.evalAttr(policies.body, 'untrusted_artifact_on_deployment', scope, trace)
      : undefined;
    const lit = policyLiteral(raw);
    const fromVar = trace.vars.size > 0;
    const arns = publishers ? m.evalAttr(publishers.body, 'signing_profile_version_arns', scope) : undefined;
    const description = m.evalAttr(body, 'description', scope);
    m.model.codeSigningConfigs.push({
      id: m.idOf(res.file.file, address),
      ...(typeof description === 'string' ? { description } : {}),
      policy:
        raw === undefined
          ? 'Warn'
          : (lit ?? { unresolved: reasonOf(raw, 'untrusted_artifact_on_deployment') }),
      policySource: raw === undefined ? 'default' : lit && fromVar ? 'parameter-default' : 'explicit',
      ...(lit && fromVar ? { policyNote: `chosen by ${[...trace.vars].join(', ')}` } : {}),
      allowedPublishers: Array.isArray(arns)
        ? arns.map((a) => publisherRef(m, a))
        : [
            publisherUnresolved(
              arns === undefined
                ? 'allowed_publishers is missing'
                : reasonOf(arns, 'signing_profile_version_arns'),
            ),
          ],
      provenance: m.provenance(res, address, {
        policies: policies?.pos,
        allowed_publishers: publishers?.pos,
      }),
    });
  },
  aws_signer_signing_profile(m, res, body, scope, address) {
    const name = m.evalAttr(body, 'name', scope);
    const prefix = m.evalAttr(body, 'name_prefix', scope);
    const platformId = m.evalAttr(body, 'platform_id', scope);
    const validity = blockOf(body, 'signature_validity_period');
    const vValue = validity ? m.evalAttr(validity.body, 'value', scope) : undefined;
    const vType = validity ? m.evalAttr(validity.body, 'type', scope) : undefined;
    m.model.signingProfiles.push({
      id: m.idOf(res.file.file, address),
      name: typeof name === 'string' ? name : typeof prefix === 'string' ? `${prefix}*` : address,
      ...(typeof platformId === 'string' ? { platformId } : {}),
      status: 'Active',
      ...(typeof vValue === 'number' && (vType === 'DAYS' || vType === 'MONTHS' || vType === 'YEARS')
        ? { signatureValidity: { value: vValue, type: vType } }
        : {}),
      tags: tags(m.evalAttr(body, 'tags', scope)),
      provenance: m.provenance(res, address, { signature_validity_period: validity?.pos }),
    });
  },
  aws_lambda_layer_version(m, res, body, scope, address) {
    const name = m.evalAttr(body, 'layer_name', scope);
    m.model.layerVersions.push({
      id: m.idOf(res.file.file, address),
      layerName: typeof name === 'string' ? name : address,
      provenance: m.provenance(res, address, {}),
    });
  },
};

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof TfUnknown || b instanceof TfUnknown) return false;
  if (a instanceof TfRef || b instanceof TfRef) {
    return (
      a instanceof TfRef &&
      b instanceof TfRef &&
      a.addr === b.addr &&
      a.key === b.key &&
      a.path.join('.') === b.path.join('.')
    );
  }
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return a === b;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

function binary(op: string, l: unknown, r: unknown): unknown {
  if (op === '&&' && (l === false || r === false)) return false;
  if (op === '||' && (l === true || r === true)) return true;
  if (l instanceof TfUnknown) return l;
  if (r instanceof TfUnknown) return r;
  if (op === '==' || op === '!=') {
    if (l instanceof TfRef || r instanceof TfRef)
      return new TfUnknown('comparison with a value known only after apply');
    const eq = sameValue(l, r);
    return op === '==' ? eq : !eq;
  }
  if (op === '&&' || op === '||') {
    if (typeof l === 'boolean' && typeof r === 'boolean') return op === '&&' ? l && r : l || r;
    return new TfUnknown(`${op} on non-boolean values`);
  }
  const a = typeof l === 'string' && l.trim() !== '' ? Number(l) : l;
  const b = typeof r === 'string' && r.trim() !== '' ? Number(r) : r;
  if (typeof a !== 'number' || typeof b !== 'number' || Number.isNaN(a) || Number.isNaN(b)) {
    return new TfUnknown(`operator ${op} on values known only after apply`);
  }
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
    default:
      return new TfUnknown(`operator ${op}`);
  }
}
