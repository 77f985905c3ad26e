// CloudFormation / SAM (and CDK's synthesised templates): resolves intrinsics from parameter defaults,
// mappings and conditions, and turns Lambda, code signing, Signer and layer resources into the model.
import type { CscAttachment, LayerRef, PublisherRef } from '../model/snapshot.js';
import {
  publisherArn,
  publisherProfile,
  publisherProfileArnNotVersion,
  publisherUnresolved,
} from '../model/values.js';
import { type IacFormat, iacId, policyLiteral, type SnapshotBuilder } from './builder.js';
import type { IacParams } from './params.js';
import { samDependencyView, samEditsDefinition } from './sam-dependencies.js';
import { IacBudgetError, type Located, type Pos, type SuppressionComment, setOwn } from './source.js';

/** A reference to a resource of the template (`Ref` or `Fn::GetAtt`). */
export class CfnRef {
  constructor(
    readonly id: string,
    readonly attr?: string,
  ) {}
}

/** A value that cannot be known statically; `text` keeps a readable form (e.g. an ARN with `${AWS::Region}`). */
export class Unknown {
  constructor(
    readonly reason: string,
    readonly text?: string,
  ) {}
}

const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Resolution steps per template. YAML aliases are already capped (source.ts), so a template cannot
 * stand for more than a bounded tree; this bounds what resolution does with it.
 */
export const MAX_RESOLVE_STEPS = 5_000_000;

type Obj = Record<string, unknown>;

/** Cycles reported per template (one already means CloudFormation rejects it), and names shown per cycle. */
const MAX_CYCLE_REPORTS = 10;
const MAX_CYCLE_SHOWN = 12;

/** `obj[key]` for the template's own keys only (`toString`, `__proto__` are not mappings). */
function ownValue(obj: Obj, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function isObj(v: unknown): v is Obj {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof CfnRef) &&
    !(v instanceof Unknown)
  );
}

/** What a resolution used: parameter defaults make a value a caveat, not a fact. */
interface Trace {
  params: Set<string>;
}

const PSEUDO = new Set([
  'AWS::AccountId',
  'AWS::Region',
  'AWS::Partition',
  'AWS::StackName',
  'AWS::StackId',
  'AWS::URLSuffix',
  'AWS::NotificationARNs',
]);

export interface CfnInput {
  template: Obj;
  file: string;
  format: IacFormat;
  /** Position of `Resources.<id>` and of `Resources.<id>.Properties.<prop>`. */
  located: Located;
  comments?: { comments: SuppressionComment[]; commentLines: Set<number> };
  /** Overrides where a resource is reported (Serverless maps generated resources to serverless.yml). */
  locate?: (logicalId: string, property?: string) => Pos | undefined;
  /** Display name for a logical id (CDK construct paths). */
  displayName?: (logicalId: string, resource: Obj) => string | undefined;
  /** Nested stacks the caller scans itself (CDK assemblies ship their templates). */
  nestedHandled?: ReadonlySet<string>;
  /** Deploy-time parameter values (`--param`, `--param-file`); others fall back to their defaults. */
  params?: IacParams;
  /** Filled with the template's parameter names (to warn about given values nothing uses). */
  knownParams?: Set<string>;
  /**
   * The caller hands the template over: each resource's value is let go once it is modelled (only its
   * `Type` stays, for references to it), so a large template's values and its snapshot are never all
   * in memory at once. Positions of a let-go resource's properties are no longer known afterwards.
   */
  consume?: boolean;
}

export class CfnTemplate {
  readonly resources: Obj;
  private readonly params: Obj;
  private readonly mappings: Obj;
  private readonly conditions: Obj;
  private readonly conditionCache = new Map<string, { value: boolean | undefined; params: Set<string> }>();
  private readonly conditionStack: string[] = [];
  /** Resolution steps so far, against MAX_RESOLVE_STEPS. */
  private steps = 0;

  constructor(
    private readonly input: CfnInput,
    private readonly builder: SnapshotBuilder,
  ) {
    const t = input.template;
    this.resources = isObj(t.Resources) ? t.Resources : {};
    this.params = isObj(t.Parameters) ? t.Parameters : {};
    this.mappings = isObj(t.Mappings) ? t.Mappings : {};
    this.conditions = isObj(t.Conditions) ? t.Conditions : {};
    for (const name of Object.keys(this.params)) input.knownParams?.add(name);
  }

  /** Resolves a template value as far as static knowledge goes. */
  resolve(value: unknown, trace: Trace, depth = 0): unknown {
    if (++this.steps > MAX_RESOLVE_STEPS)
      throw new IacBudgetError(
        `evaluation budget exceeded: more than ${MAX_RESOLVE_STEPS.toLocaleString('en')} steps resolving intrinsic functions`,
      );
    if (depth > 64) return new Unknown('value nested too deeply to resolve');
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const item of value) {
        const r = this.resolve(item, trace, depth + 1);
        if (r !== NO_VALUE) out.push(r);
      }
      return out;
    }
    if (value instanceof CfnRef || value instanceof Unknown) return value;
    const obj = value as Obj;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const key = keys[0]!;
      const arg = obj[key];
      if (key === 'Ref') return this.ref(arg, trace);
      if (key.startsWith('Fn::')) return this.fn(key, arg, trace, depth);
    }
    const out: Obj = {};
    for (const k of keys) {
      const r = this.resolve(obj[k], trace, depth + 1);
      if (r !== NO_VALUE) setOwn(out, k, r);
    }
    return out;
  }

  private ref(name: unknown, trace: Trace): unknown {
    if (typeof name !== 'string') return new Unknown('Ref to a non-string name');
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (PSEUDO.has(name)) return new Unknown(`pseudo parameter ${name}`, `\${${name}}`);
    if (Object.hasOwn(this.params, name)) {
      const param = this.params[name];
      const given = this.input.params?.get(name);
      const def = given !== undefined ? given.value : isObj(param) ? param.Default : undefined;
      if (def === undefined)
        return new Unknown(
          `parameter ${name} has no default; give its deployed value with --param ${name}=VALUE`,
          `\${${name}}`,
        );
      // Only defaults are caveats: a value given with --param/--param-file is what gets deployed.
      if (given === undefined) trace.params.add(name);
      const type = isObj(param) ? String(param.Type ?? '') : '';
      if (type.startsWith('List<') || type === 'CommaDelimitedList')
        return String(def)
          .split(',')
          .map((s) => s.trim());
      if (type.startsWith('AWS::SSM::Parameter'))
        return new Unknown(`SSM parameter ${String(def)} (parameter ${name})`);
      return def;
    }
    if (Object.hasOwn(this.resources, name)) return new CfnRef(name);
    return new Unknown(`Ref to '${name}', which is not defined in this template`);
  }

  private fn(key: string, arg: unknown, trace: Trace, depth: number): unknown {
    switch (key) {
      case 'Fn::GetAtt': {
        const parts = Array.isArray(arg) ? arg : typeof arg === 'string' ? arg.split('.') : [];
        const id = parts[0];
        const attr = parts.slice(1).join('.');
        if (typeof id === 'string' && Object.hasOwn(this.resources, id)) return new CfnRef(id, attr);
        return new Unknown(`GetAtt of '${String(id)}', which is not defined in this template`);
      }
      case 'Fn::ImportValue': {
        const name = this.resolve(arg, trace, depth + 1);
        return new Unknown(`imported value ${typeof name === 'string' ? `'${name}'` : '(computed name)'}`);
      }
      case 'Fn::Sub':
        return this.sub(arg, trace, depth);
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2) return new Unknown('malformed Fn::Join');
        const delim = this.resolve(arg[0], trace, depth + 1);
        const list = this.resolve(arg[1], trace, depth + 1);
        if (typeof delim !== 'string' || !Array.isArray(list))
          return new Unknown('Fn::Join over unresolved values');
        if (list.every((x) => typeof x === 'string' || typeof x === 'number')) return list.join(delim);
        return new Unknown('Fn::Join over unresolved values', list.map(textOf).join(delim));
      }
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) return new Unknown('malformed Fn::Select');
        const index = Number(this.resolve(arg[0], trace, depth + 1));
        const list = this.resolve(arg[1], trace, depth + 1);
        if (!Array.isArray(list) || !Number.isInteger(index))
          return new Unknown('Fn::Select over unresolved values');
        return list[index] ?? new Unknown(`Fn::Select index ${index} out of range`);
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2) return new Unknown('malformed Fn::Split');
        const delim = this.resolve(arg[0], trace, depth + 1);
        const source = this.resolve(arg[1], trace, depth + 1);
        if (typeof delim === 'string' && typeof source === 'string') return source.split(delim);
        return new Unknown('Fn::Split over unresolved values');
      }
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3) return new Unknown('malformed Fn::If');
        const cond = this.condition(String(arg[0]), trace);
        if (cond === undefined) {
          const a = this.resolve(arg[1], trace, depth + 1);
          const b = this.resolve(arg[2], trace, depth + 1);
          // Both branches agree: the condition does not matter.
          if (typeof a === 'string' && a === b) return a;
          return new Unknown(`condition ${String(arg[0])} cannot be resolved statically`);
        }
        return this.resolve(cond ? arg[1] : arg[2], trace, depth + 1);
      }
      case 'Fn::FindInMap': {
        if (!Array.isArray(arg) || arg.length < 3) return new Unknown('malformed Fn::FindInMap');
        const [m, k1, k2] = arg.slice(0, 3).map((x) => this.resolve(x, trace, depth + 1));
        if (typeof m !== 'string' || typeof k1 !== 'string' || typeof k2 !== 'string') {
          return new Unknown('Fn::FindInMap with keys that cannot be resolved statically');
        }
        const top = ownValue(this.mappings, m);
        const second = isObj(top) ? ownValue(top, k1) : undefined;
        const found = isObj(second) ? ownValue(second, k2) : undefined;
        if (found === undefined) {
          if (arg[3] && isObj(arg[3]) && 'DefaultValue' in arg[3])
            return this.resolve(arg[3].DefaultValue, trace, depth + 1);
          return new Unknown(`mapping ${m}.${k1}.${k2} is not defined`);
        }
        return this.resolve(found, trace, depth + 1);
      }
      case 'Fn::Base64':
      case 'Fn::ToJsonString':
        return new Unknown(`${key} value`);
      case 'Fn::GetAZs':
        return new Unknown('availability zones of the deployment region');
      default:
        return new Unknown(`${key} cannot be resolved statically`);
    }
  }

  private sub(arg: unknown, trace: Trace, depth: number): unknown {
    let template: unknown = arg;
    let vars: Obj = {};
    if (Array.isArray(arg)) {
      template = arg[0];
      if (isObj(arg[1])) vars = arg[1];
    }
    if (typeof template !== 'string') return new Unknown('malformed Fn::Sub');
    const pieces: unknown[] = [];
    let last = 0;
    const re = /\$\{([^}]*)\}/g;
    for (let m = re.exec(template); m; m = re.exec(template)) {
      pieces.push(template.slice(last, m.index));
      last = m.index + m[0].length;
      const name = m[1]!.trim();
      if (name.startsWith('!')) {
        pieces.push(`\${${name.slice(1)}}`);
        continue;
      }
      if (name in vars) pieces.push(this.resolve(vars[name], trace, depth + 1));
      else if (name.includes('.')) {
        const dot = name.indexOf('.');
        pieces.push(this.fn('Fn::GetAtt', [name.slice(0, dot), name.slice(dot + 1)], trace, depth));
      } else pieces.push(this.ref(name, trace));
    }
    pieces.push(template.slice(last));
    const parts = pieces.filter((p) => p !== '');
    if (parts.length === 1 && parts[0] instanceof CfnRef) return parts[0];
    if (pieces.every((p) => typeof p === 'string' || typeof p === 'number')) return pieces.join('');
    const unknown = pieces.find((p) => p instanceof Unknown) as Unknown | undefined;
    return new Unknown(
      unknown?.reason ?? 'Fn::Sub over values known only at deploy time',
      pieces.map(textOf).join(''),
    );
  }

  /** Evaluates a named condition from parameter defaults; undefined when it cannot be decided. */
  condition(name: string, trace: Trace): boolean | undefined {
    const cached = this.conditionCache.get(name);
    if (cached) {
      for (const p of cached.params) trace.params.add(p);
      return cached.value;
    }
    if (this.conditionStack.includes(name)) {
      const cycle = [...this.conditionStack.slice(this.conditionStack.indexOf(name)), name].join(' → ');
      this.builder.problem(
        this.input.file,
        `cyclic condition reference: ${cycle}`,
        this.input.located.pathPos(['Conditions', name]),
      );
      this.conditionCache.set(name, { value: undefined, params: new Set() });
      return undefined;
    }
    this.conditionStack.push(name);
    const own: Trace = { params: new Set() };
    const result = this.conditionExpr(this.conditions[name], own, 0);
    this.conditionStack.pop();
    if (!this.conditionCache.has(name)) this.conditionCache.set(name, { value: result, params: own.params });
    for (const p of own.params) trace.params.add(p);
    return result;
  }

  private conditionExpr(expr: unknown, trace: Trace, depth: number): boolean | undefined {
    if (depth > 32 || !isObj(expr)) return undefined;
    const [key] = Object.keys(expr);
    const arg = key ? expr[key] : undefined;
    const list = Array.isArray(arg) ? arg : [];
    switch (key) {
      case 'Condition':
        return typeof arg === 'string' ? this.condition(arg, trace) : undefined;
      case 'Fn::Equals': {
        const [a, b] = list.map((x) => this.resolve(x, trace, depth + 1));
        const simple = (v: unknown) =>
          typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
        return simple(a) && simple(b) ? String(a) === String(b) : undefined;
      }
      case 'Fn::Not': {
        const v = this.conditionExpr(list[0], trace, depth + 1);
        return v === undefined ? undefined : !v;
      }
      case 'Fn::And': {
        const vs = list.map((x) => this.conditionExpr(x, trace, depth + 1));
        if (vs.includes(false)) return false;
        return vs.includes(undefined) ? undefined : true;
      }
      case 'Fn::Or': {
        const vs = list.map((x) => this.conditionExpr(x, trace, depth + 1));
        if (vs.includes(true)) return true;
        return vs.includes(undefined) ? undefined : false;
      }
      default:
        return undefined;
    }
  }

  /**
   * Reports dependency cycles between resources (CloudFormation rejects such templates). Memory and
   * stack stay flat on large templates: a resource's dependencies are an array only when it has some,
   * and the depth-first search keeps its own stack (a chain of 100,000 `DependsOn` is fine).
   */
  checkCycles(): void {
    const deps = new Map<string, string[]>();
    const collect = (v: unknown, out: Set<string>, depth: number): void => {
      if (depth > 64 || v === null || typeof v !== 'object') return;
      if (Array.isArray(v)) {
        for (const x of v) collect(x, out, depth + 1);
        return;
      }
      const o = v as Obj;
      const keys = Object.keys(o);
      if (keys.length === 1) {
        const a = o[keys[0]!];
        if (keys[0] === 'Ref' && typeof a === 'string' && Object.hasOwn(this.resources, a)) out.add(a);
        if (keys[0] === 'Fn::GetAtt') {
          const id = Array.isArray(a) ? a[0] : typeof a === 'string' ? a.split('.')[0] : undefined;
          if (typeof id === 'string' && Object.hasOwn(this.resources, id)) out.add(id);
        }
        if (keys[0] === 'Fn::Sub') {
          const s = Array.isArray(a) ? a[0] : a;
          if (typeof s === 'string') {
            for (const m of s.matchAll(/\$\{([^}!][^}.]*)/g))
              if (Object.hasOwn(this.resources, m[1]!)) out.add(m[1]!);
          }
        }
      }
      for (const k of keys) collect(o[k], out, depth + 1);
    };
    const globals = isObj(this.input.template.Globals) ? this.input.template.Globals : {};
    const reverse: [string, string][] = [];
    const out = new Set<string>();
    for (const id in this.resources) {
      const res = this.resources[id];
      out.clear();
      if (isObj(res)) {
        const props = isObj(res.Properties) ? res.Properties : {};
        // SAM resources: judged as CloudFormation sees them after the transform.
        const sam = typeof res.Type === 'string' ? samDependencyView(res.Type, props, globals) : undefined;
        if (sam) {
          for (const v of sam.own) collect(v, out, 0);
          for (const { value, onlyInlineDefinition } of sam.reverse) {
            const targets = new Set<string>();
            collect(value, targets, 0);
            for (const target of targets) {
              const t = this.resources[target];
              const tProps = isObj(t) && isObj(t.Properties) ? t.Properties : {};
              if (onlyInlineDefinition && !samEditsDefinition(tProps)) continue;
              reverse.push([target, id]);
            }
          }
        } else collect(res.Properties, out, 0);
        const dependsOn = res.DependsOn;
        for (const d of Array.isArray(dependsOn) ? dependsOn : [dependsOn])
          if (typeof d === 'string') out.add(d);
      }
      if (out.size > 0) deps.set(id, [...out]);
    }
    for (const [from, to] of reverse) {
      const list = deps.get(from);
      if (!list) deps.set(from, [to]);
      else if (!list.includes(to)) list.push(to);
    }
    // 1 = on the current path, 2 = done. A frame is a resource and the index of its next dependency.
    const state = new Map<string, 1 | 2>();
    const reported = new Set<string>();
    const path: string[] = [];
    const next: number[] = [];
    for (const start of deps.keys()) {
      if (state.has(start)) continue;
      state.set(start, 1);
      path.push(start);
      next.push(0);
      while (path.length > 0) {
        const top = path.length - 1;
        const id = path[top]!;
        const list = deps.get(id) ?? [];
        if (next[top]! >= list.length) {
          state.set(id, 2);
          path.pop();
          next.pop();
          continue;
        }
        const dep = list[next[top]!++]!;
        const s = state.get(dep);
        if (s === 1 && reported.size < MAX_CYCLE_REPORTS) {
          const cycle = [...path.slice(path.indexOf(dep)), dep];
          const key = [...cycle].sort().join(',');
          if (!reported.has(key)) {
            reported.add(key);
            const shown =
              cycle.length <= MAX_CYCLE_SHOWN
                ? cycle.join(' → ')
                : `${cycle.slice(0, MAX_CYCLE_SHOWN - 1).join(' → ')} → … ${cycle.length - MAX_CYCLE_SHOWN} more … → ${dep}`;
            this.builder.problem(
              this.input.file,
              `circular dependency between resources: ${shown}; CloudFormation rejects this template`,
              this.resourcePos(dep),
            );
          }
        } else if (s === undefined && Object.hasOwn(this.resources, dep)) {
          state.set(dep, 1);
          path.push(dep);
          next.push(0);
        }
      }
    }
  }

  resourcePos(id: string): Pos | undefined {
    return this.input.locate?.(id) ?? this.input.located.pathPos(['Resources', id]);
  }

  propertyPos(id: string, prop: string): Pos | undefined {
    return this.input.locate?.(id, prop) ?? this.input.located.pathPos(['Resources', id, 'Properties', prop]);
  }

  typeOf(id: string): string | undefined {
    const r = this.resources[id];
    return isObj(r) && typeof r.Type === 'string' ? r.Type : undefined;
  }
}

function textOf(v: unknown): string {
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (v instanceof Unknown) return v.text ?? '${?}';
  if (v instanceof CfnRef) return `\${${v.id}${v.attr ? `.${v.attr}` : ''}}`;
  return '${?}';
}

const FUNCTION_TYPES = new Set(['AWS::Lambda::Function', 'AWS::Serverless::Function']);
const LAYER_TYPES = new Set(['AWS::Lambda::LayerVersion', 'AWS::Serverless::LayerVersion']);
const NESTED_TYPES = new Set(['AWS::CloudFormation::Stack', 'AWS::Serverless::Application']);

function tagsOf(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const t of value) {
      if (
        isObj(t) &&
        typeof t.Key === 'string' &&
        (typeof t.Value === 'string' || typeof t.Value === 'number')
      ) {
        setOwn(out, t.Key, String(t.Value));
      }
    }
  } else if (isObj(value)) {
    for (const [k, v] of Object.entries(value))
      if (typeof v === 'string' || typeof v === 'number') setOwn(out, k, String(v));
  }
  return out;
}

function looksLikeArn(text: string | undefined): text is string {
  return typeof text === 'string' && text.startsWith('arn:');
}

/** Scans one parsed template into the builder. */
export function scanCfnTemplate(input: CfnInput, builder: SnapshotBuilder): void {
  const t = new CfnTemplate(input, builder);
  t.checkCycles();
  const { file, format } = input;
  const globals =
    isObj(input.template.Globals) && isObj(input.template.Globals.Function)
      ? input.template.Globals.Function
      : {};
  const globalsPos = (prop: string) => input.located.pathPos(['Globals', 'Function', prop]);
  const id = (logicalId: string) => iacId(file, logicalId);
  const replaced = format === 'sam' ? samImplicitApiIds(t.resources) : new Set<string>();

  // Keys, not entries: an entries array would hold every resource's value until the loop ends.
  for (const logicalId of Object.keys(t.resources)) {
    const raw = t.resources[logicalId];
    if (!isObj(raw)) continue;
    modelResource(logicalId, raw);
    if (input.consume) t.resources[logicalId] = { Type: raw.Type };
  }

  function modelResource(logicalId: string, raw: Obj): void {
    const type = typeof raw.Type === 'string' ? raw.Type : '';
    const props = isObj(raw.Properties) ? raw.Properties : {};
    const pos = t.resourcePos(logicalId);
    const extra = metadataSuppressions(raw, logicalId, input, builder, pos);
    const prov = (properties: Record<string, Pos | undefined>) =>
      builder.provenance({
        format,
        file,
        logicalId,
        pos,
        properties,
        ...(input.comments ? { comments: input.comments } : {}),
        extra,
      });
    const trace = (): Trace => ({ params: new Set() });

    if (NESTED_TYPES.has(type)) {
      if (input.nestedHandled?.has(logicalId)) return;
      builder.problem(
        file,
        `nested stack ${logicalId} (${type}) is not followed; scan its template separately`,
        pos,
        'note',
      );
      return;
    }
    if (FUNCTION_TYPES.has(type) && replaced.has(logicalId)) {
      builder.problem(
        file,
        `${logicalId} is replaced by the API SAM generates under that id for events without an API id; SAM does not create this function`,
        pos,
        'warning',
      );
      return;
    }
    if (FUNCTION_TYPES.has(type)) {
      const sam = type === 'AWS::Serverless::Function';
      const merged: Obj = sam ? { ...globals, ...props } : props;
      if (sam && isObj(globals.Tags) && isObj(props.Tags)) merged.Tags = { ...globals.Tags, ...props.Tags };
      if (sam && Array.isArray(globals.Layers) && Array.isArray(props.Layers))
        merged.Layers = [...globals.Layers, ...props.Layers];
      const propPos = (p: string) =>
        p in props ? t.propertyPos(logicalId, p) : sam && p in globals ? globalsPos(p) : undefined;
      const tr = trace();
      const packageType = t.resolve(merged.PackageType, tr);
      const code = isObj(merged.Code) ? merged.Code : {};
      const imageUri = sam ? merged.ImageUri : code.ImageUri;
      const pkg: 'Zip' | 'Image' | 'Unknown' =
        packageType === 'Image' || (packageType === undefined && imageUri !== undefined)
          ? 'Image'
          : packageType === undefined || packageType === 'Zip'
            ? 'Zip'
            : 'Unknown';
      const nameValue = t.resolve(merged.FunctionName, tr);
      const name =
        typeof nameValue === 'string' && nameValue.trim() !== ''
          ? nameValue
          : (input.displayName?.(logicalId, raw) ?? logicalId);
      const runtime = t.resolve(merged.Runtime, tr);
      const layers = t.resolve(merged.Layers, tr);
      builder.functions.push({
        id: id(logicalId),
        name,
        packageType: pkg,
        ...(typeof runtime === 'string' ? { runtime } : {}),
        codeSigningConfig: cscAttachment(t, merged.CodeSigningConfigArn, file),
        tags: tagsOf(t.resolve(merged.Tags, tr)),
        layers: Array.isArray(layers)
          ? layers.map((l) => layerRef(t, l, file))
          : layers === undefined
            ? []
            : [{ unresolved: unknownReason(layers, 'Layers') }],
        versions: [],
        aliases: {},
        provenance: prov({
          CodeSigningConfigArn: propPos('CodeSigningConfigArn'),
          PackageType: propPos('PackageType') ?? propPos('ImageUri') ?? (sam ? undefined : propPos('Code')),
          Layers: propPos('Layers'),
          Tags: propPos('Tags'),
        }),
      });
      return;
    }
    if (type === 'AWS::Lambda::CodeSigningConfig') {
      const tr = trace();
      const policies = t.resolve(props.CodeSigningPolicies, tr);
      let policy: 'Warn' | 'Enforce' | { unresolved: string } = 'Warn';
      let policySource: 'explicit' | 'default' | 'parameter-default' = 'default';
      let policyNote: string | undefined;
      if (policies !== undefined) {
        const raw = isObj(policies) ? policies.UntrustedArtifactOnDeployment : policies;
        const lit = policyLiteral(raw);
        if (lit) {
          policy = lit;
          policySource = tr.params.size > 0 ? 'parameter-default' : 'explicit';
          if (tr.params.size > 0)
            policyNote = `chosen by the default of parameter ${[...tr.params].join(', ')}`;
        } else if (raw === undefined && isObj(policies)) {
          policySource = 'default';
        } else {
          policy = { unresolved: unknownReason(raw, 'UntrustedArtifactOnDeployment') };
          policySource = 'explicit';
        }
      }
      const allowed = t.resolve(props.AllowedPublishers, trace());
      const arns = isObj(allowed) ? allowed.SigningProfileVersionArns : allowed;
      const description = t.resolve(props.Description, trace());
      builder.codeSigningConfigs.push({
        id: id(logicalId),
        ...(typeof description === 'string' ? { description } : {}),
        policy,
        policySource,
        ...(policyNote ? { policyNote } : {}),
        allowedPublishers: Array.isArray(arns)
          ? arns.map((a) => publisherRef(t, a, file))
          : [publisherUnresolved(unknownReason(arns, 'AllowedPublishers.SigningProfileVersionArns'))],
        provenance: prov({
          CodeSigningPolicies: t.propertyPos(logicalId, 'CodeSigningPolicies'),
          AllowedPublishers: t.propertyPos(logicalId, 'AllowedPublishers'),
        }),
      });
      return;
    }
    if (type === 'AWS::Signer::SigningProfile') {
      const tr = trace();
      const platformId = t.resolve(props.PlatformId, tr);
      const profileName = t.resolve(props.ProfileName, tr);
      const validity = t.resolve(props.SignatureValidityPeriod, tr);
      const vType = isObj(validity) ? validity.Type : undefined;
      const vValue = isObj(validity) ? Number(validity.Value) : Number.NaN;
      builder.signingProfiles.push({
        id: id(logicalId),
        name: typeof profileName === 'string' ? profileName : logicalId,
        ...(typeof platformId === 'string' ? { platformId } : {}),
        status: 'Active',
        ...(vType === 'DAYS' || vType === 'MONTHS' || vType === 'YEARS'
          ? { signatureValidity: { value: Number.isFinite(vValue) ? vValue : 0, type: vType } }
          : {}),
        tags: tagsOf(t.resolve(props.Tags, tr)),
        provenance: prov({ SignatureValidityPeriod: t.propertyPos(logicalId, 'SignatureValidityPeriod') }),
      });
      return;
    }
    if (LAYER_TYPES.has(type)) {
      const layerName = t.resolve(props.LayerName, trace());
      builder.layerVersions.push({
        id: id(logicalId),
        layerName: typeof layerName === 'string' ? layerName : logicalId,
        provenance: prov({}),
      });
    }
  }
}

/**
 * Logical ids SAM takes for the APIs it generates: `ServerlessRestApi` for Api events and
 * `ServerlessHttpApi` for HttpApi events that name no API. A template resource with that id is
 * overwritten by the generated API (SAM's translator tests show it).
 */
function samImplicitApiIds(resources: Obj): Set<string> {
  const out = new Set<string>();
  for (const res of Object.values(resources)) {
    if (!isObj(res) || res.Type !== 'AWS::Serverless::Function') continue;
    const props = isObj(res.Properties) ? res.Properties : {};
    for (const event of Object.values(isObj(props.Events) ? props.Events : {})) {
      if (!isObj(event)) continue;
      const p = isObj(event.Properties) ? event.Properties : {};
      if (event.Type === 'Api' && p.RestApiId === undefined) out.add('ServerlessRestApi');
      if (event.Type === 'HttpApi' && p.ApiId === undefined) out.add('ServerlessHttpApi');
    }
  }
  return out;
}

function unknownReason(v: unknown, what: string): string {
  if (v instanceof Unknown) return v.reason;
  if (v instanceof CfnRef)
    return `${what} refers to ${v.id}${v.attr ? `.${v.attr}` : ''}, which is not the expected resource type`;
  return `${what} has an unexpected value`;
}

function cscAttachment(t: CfnTemplate, raw: unknown, file: string): CscAttachment {
  if (raw === undefined || raw === null) return { state: 'none' };
  const tr: Trace = { params: new Set() };
  const v = t.resolve(raw, tr);
  if (v === NO_VALUE || v === undefined || v === null || v === '') {
    // No CSC because of a parameter's default (e.g. `!If [UseSigning, !Ref CscArn, !Ref AWS::NoValue]`):
    // what a bare deploy does, but the finding names the parameter so the real value can be given.
    if (tr.params.size === 0) return { state: 'none' };
    const names = [...tr.params];
    return {
      state: 'none',
      note: `the default of parameter${names.length > 1 ? 's' : ''} ${names.join(', ')}`,
    };
  }
  if (v instanceof CfnRef) {
    if (
      t.typeOf(v.id) === 'AWS::Lambda::CodeSigningConfig' &&
      (!v.attr || v.attr === 'CodeSigningConfigArn')
    ) {
      return { state: 'attached', id: iacId(file, v.id) };
    }
    return { state: 'unresolved', reason: unknownReason(v, 'CodeSigningConfigArn') };
  }
  if (typeof v === 'string') {
    const via = tr.params.size > 0 ? ` (default of parameter ${[...tr.params].join(', ')})` : '';
    return { state: 'unresolved', reason: `CSC ARN defined outside these files${via}`, arn: v };
  }
  if (v instanceof Unknown) {
    return { state: 'unresolved', reason: v.reason, ...(looksLikeArn(v.text) ? { arn: v.text } : {}) };
  }
  return { state: 'unresolved', reason: 'CodeSigningConfigArn has an unexpected value' };
}

function layerRef(t: CfnTemplate, v: unknown, file: string): LayerRef {
  if (v instanceof CfnRef) {
    const type = t.typeOf(v.id);
    if (type && LAYER_TYPES.has(type)) return { layerId: iacId(file, v.id) };
    return { unresolved: unknownReason(v, 'Layers') };
  }
  if (typeof v === 'string') return { arn: v };
  return { unresolved: unknownReason(v, 'Layers') };
}

function publisherRef(t: CfnTemplate, v: unknown, file: string): PublisherRef {
  if (v instanceof CfnRef) {
    if (t.typeOf(v.id) === 'AWS::Signer::SigningProfile') {
      if (v.attr === 'ProfileVersionArn') return publisherProfile(iacId(file, v.id));
      // Ref and Arn give the profile ARN without a version, which never matches a signature.
      return publisherProfileArnNotVersion(`${v.id}${v.attr ? `.${v.attr}` : ' (Ref)'}`);
    }
    return publisherUnresolved(unknownReason(v, 'SigningProfileVersionArns'));
  }
  if (typeof v === 'string') return publisherArn(v);
  if (v instanceof Unknown) {
    return publisherUnresolved(v.text && looksLikeArn(v.text) ? `${v.reason}: ${v.text}` : v.reason);
  }
  return publisherUnresolved('unexpected publisher value');
}

function metadataSuppressions(
  raw: Obj,
  logicalId: string,
  input: CfnInput,
  builder: SnapshotBuilder,
  pos: Pos | undefined,
): { ruleId: string; reason: string; pos?: Pos | undefined }[] {
  const meta = isObj(raw.Metadata) ? raw.Metadata : undefined;
  const signet = meta && isObj(meta.signet) ? meta.signet : undefined;
  if (!signet) return [];
  const list = signet.suppress ?? signet.suppressions;
  const where = input.located.pathPos(['Resources', logicalId, 'Metadata']) ?? pos;
  if (!Array.isArray(list)) {
    builder.problem(
      input.file,
      `Metadata.signet.suppress on ${logicalId} must be a list of {rule, reason}`,
      where,
      'warning',
    );
    return [];
  }
  const out: { ruleId: string; reason: string; pos?: Pos | undefined }[] = [];
  for (const entry of list) {
    const rule = isObj(entry) ? (entry.rule ?? entry.id) : undefined;
    if (typeof rule !== 'string') {
      builder.problem(
        input.file,
        `Metadata.signet.suppress entry on ${logicalId} has no rule id`,
        where,
        'warning',
      );
      continue;
    }
    const reason = isObj(entry) && typeof entry.reason === 'string' ? entry.reason : '';
    out.push({ ruleId: rule.toUpperCase(), reason, pos: where });
  }
  return out;
}
