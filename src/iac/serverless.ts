// Serverless Framework `serverless.yml`: builds the CloudFormation the framework would generate for
// functions and layers (plus `resources` overrides and the serverless-aws-signer plugin's CSC), then
// scans it with the CloudFormation adapter, reporting positions in serverless.yml.
import type { SnapshotBuilder } from './builder.js';
import { iacId } from './builder.js';
import { scanCfnTemplate, Unknown } from './cloudformation.js';
import { IacBudgetError, type Located, type Pos, type SuppressionComment, setOwn } from './source.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown);
}

export function isServerlessConfig(value: unknown, fileName: string): boolean {
  return (
    isObj(value) && /^serverless\.(ya?ml|json)$/.test(fileName) && 'service' in value && 'provider' in value
  );
}

/** The framework's logical id normalisation (`my-fn` → `MyDashfn`). */
export function normalizeName(name: string): string {
  const n = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return n.charAt(0).toUpperCase() + n.slice(1);
}

function deepMerge(a: unknown, b: unknown): unknown {
  if (isObj(a) && isObj(b)) {
    const out: Obj = { ...a };
    for (const [k, v] of Object.entries(b)) setOwn(out, k, Object.hasOwn(out, k) ? deepMerge(out[k], v) : v);
    return out;
  }
  return b === undefined ? a : b;
}

/** Budgets for resolving Serverless variables: resolution steps, and characters in one resolved string. */
export const MAX_VARIABLE_STEPS = 1_000_000;
export const MAX_VARIABLE_STRING = 1_000_000;

/**
 * Resolves `${self:…}`, `${opt:…, default}`, `${sls:stage}`, `${env:…, default}`; others stay Unknown.
 * Each `self:` path is resolved once (a chain of references that fans out is linear, not exponential),
 * a reference back to itself is unknown, and the budgets above stop anything larger as the file's error.
 */
function resolveVariables(root: Obj): (v: unknown) => unknown {
  const selfCache = new Map<string, unknown>();
  const resolving = new Set<string>();
  let steps = 0;
  const lookupSelf = (path: string): unknown => {
    let cur: unknown = root;
    for (const part of path.split('.')) {
      if (!isObj(cur)) return undefined;
      cur = Object.hasOwn(cur, part) ? cur[part] : undefined;
    }
    return cur;
  };
  const self = (path: string, depth: number): unknown => {
    if (selfCache.has(path)) return selfCache.get(path);
    if (resolving.has(path))
      return new Unknown(`Serverless variable \${self:${path}} refers to itself`, `\${self:${path}}`);
    const v = lookupSelf(path);
    if (v === undefined) return undefined;
    resolving.add(path);
    try {
      const r = resolve(v, depth + 1);
      selfCache.set(path, r);
      return r;
    } finally {
      resolving.delete(path);
    }
  };
  const one = (expr: string, depth: number): unknown => {
    const parts = expr.split(',').map((s) => s.trim());
    for (const part of parts) {
      const lit = /^(['"])(.*)\1$/.exec(part);
      if (lit) return lit[2];
      if (part.startsWith('self:')) {
        const v = self(part.slice(5), depth);
        if (v !== undefined) return v;
      } else if (part === 'sls:stage' || part === 'opt:stage') {
        const stage = isObj(root.provider) ? root.provider.stage : undefined;
        if (typeof stage === 'string' && !stage.includes('${')) return stage;
      }
    }
    return new Unknown(`Serverless variable \${${expr}} is resolved at deploy time`, `\${${expr}}`);
  };
  const resolve = (v: unknown, depth = 0): unknown => {
    if (++steps > MAX_VARIABLE_STEPS)
      throw new IacBudgetError(
        `evaluation budget exceeded: more than ${MAX_VARIABLE_STEPS.toLocaleString('en')} steps resolving Serverless variables`,
      );
    if (depth > 20) return new Unknown('Serverless variables nested too deeply');
    if (typeof v === 'string' && v.includes('${')) {
      const whole = /^\$\{([^{}]+)\}$/.exec(v);
      if (whole) return one(whole[1]!, depth);
      let unknown: Unknown | undefined;
      let length = 0;
      const text = v.replace(/\$\{([^{}]+)\}/g, (_, e: string) => {
        const r = one(e, depth);
        const piece =
          typeof r === 'string' || typeof r === 'number'
            ? String(r)
            : (() => {
                unknown ??=
                  r instanceof Unknown ? r : new Unknown('Serverless variable with a non-string value');
                return `\${${e}}`;
              })();
        length += piece.length;
        if (length > MAX_VARIABLE_STRING)
          throw new IacBudgetError(
            `evaluation budget exceeded: a Serverless variable resolves to more than ${MAX_VARIABLE_STRING.toLocaleString('en')} characters`,
          );
        return piece;
      });
      return unknown ? new Unknown(unknown.reason, text) : text;
    }
    if (Array.isArray(v)) return v.map((x) => resolve(x, depth + 1));
    if (isObj(v)) {
      const out: Obj = {};
      for (const [k, x] of Object.entries(v)) setOwn(out, k, resolve(x, depth + 1));
      return out;
    }
    return v;
  };
  return resolve;
}

export function scanServerless(
  config: Obj,
  located: Located,
  file: string,
  comments: { comments: SuppressionComment[]; commentLines: Set<number> },
  builder: SnapshotBuilder,
): void {
  const provider = isObj(config.provider) ? config.provider : {};
  if (typeof provider.name === 'string' && provider.name !== 'aws') return;
  const resolve = resolveVariables(config);
  const service =
    typeof config.service === 'string'
      ? config.service
      : isObj(config.service)
        ? String(config.service.name)
        : 'service';
  const stageValue = resolve(provider.stage ?? 'dev');
  const stage = typeof stageValue === 'string' ? stageValue : 'dev';
  const functions = isObj(config.functions) ? config.functions : {};
  const layers = isObj(config.layers) ? config.layers : {};
  const resourceSections = Array.isArray(config.resources) ? config.resources : [config.resources];
  const userResources: Obj = {};
  const extensions: Obj = {};
  for (const section of resourceSections) {
    if (!isObj(section)) continue;
    if (isObj(section.Resources)) Object.assign(userResources, section.Resources);
    if (isObj(section.extensions)) Object.assign(extensions, section.extensions);
  }

  const resources: Obj = {};
  const origin = new Map<string, { kind: 'function' | 'layer' | 'signer' | 'profile'; name: string }>();
  for (const [name, raw] of Object.entries(layers)) {
    if (!isObj(raw)) continue;
    const id = `${normalizeName(name)}LambdaLayer`;
    resources[id] = { Type: 'AWS::Lambda::LayerVersion', Properties: { LayerName: raw.name ?? name } };
    origin.set(id, { kind: 'layer', name });
  }
  const providerTags = isObj(provider.tags) ? provider.tags : {};
  for (const [name, raw] of Object.entries(functions)) {
    if (!isObj(raw)) continue;
    const id = `${normalizeName(name)}LambdaFunction`;
    const props: Obj = {
      FunctionName: raw.name ?? `${service}-${stage}-${name}`,
      ...(raw.image !== undefined ? { PackageType: 'Image', Code: { ImageUri: raw.image } } : {}),
      ...((raw.runtime ?? provider.runtime) ? { Runtime: raw.runtime ?? provider.runtime } : {}),
    };
    const fnLayers = raw.layers ?? provider.layers;
    if (fnLayers !== undefined) props.Layers = fnLayers;
    const tags = { ...providerTags, ...(isObj(raw.tags) ? raw.tags : {}) };
    if (Object.keys(tags).length > 0)
      props.Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    resources[id] = { Type: 'AWS::Lambda::Function', Properties: props };
    origin.set(id, { kind: 'function', name });
  }
  // `resources` and `resources.extensions` override the generated resources (merged, as the framework does).
  for (const [id, res] of Object.entries(userResources))
    resources[id] = id in resources ? deepMerge(resources[id], res) : res;
  for (const [id, ext] of Object.entries(extensions))
    if (id in resources) resources[id] = deepMerge(resources[id], ext);

  // serverless-aws-signer: a CSC (default policy Enforce) with the profile named by profileName
  // (default: the service name), attached to every AWS::Lambda::Function of the stack.
  const plugins = Array.isArray(config.plugins)
    ? config.plugins
    : isObj(config.plugins) && Array.isArray(config.plugins.modules)
      ? config.plugins.modules
      : [];
  const custom = isObj(config.custom) ? config.custom : {};
  const signerProfiles = new Map<string, string>();
  if (plugins.includes('serverless-aws-signer') && isObj(custom.signer)) {
    const individually = isObj(config.package) && config.package.individually === true;
    const units = individually
      ? Object.entries(functions)
          .filter(([, f]) => isObj(f))
          .map(([n, f]) => ({ unit: n, settings: deepMerge(custom.signer, (f as Obj).signer) as Obj }))
      : [{ unit: 'common', settings: custom.signer as Obj }];
    for (const { unit, settings } of units) {
      const profileName = typeof settings.profileName === 'string' ? settings.profileName : service;
      const profileId = `SignerProfile${normalizeName(profileName.replace(/[^A-Za-z0-9_-]/g, ''))}`;
      resources[profileId] = {
        Type: 'AWS::Signer::SigningProfile',
        Properties: { ProfileName: profileName, PlatformId: 'AWSLambda-SHA384-ECDSA' },
      };
      origin.set(profileId, { kind: 'profile', name: unit });
      signerProfiles.set(profileId, profileName);
      const cscId = `${unit}CodeSigningConfig`;
      resources[cscId] = {
        Type: 'AWS::Lambda::CodeSigningConfig',
        Properties: {
          AllowedPublishers: {
            SigningProfileVersionArns: [{ 'Fn::GetAtt': [profileId, 'ProfileVersionArn'] }],
          },
          CodeSigningPolicies: { UntrustedArtifactOnDeployment: settings.signingPolicy ?? 'Enforce' },
        },
      };
      origin.set(cscId, { kind: 'signer', name: unit });
      for (const [id, res] of Object.entries(resources)) {
        if (!isObj(res) || res.Type !== 'AWS::Lambda::Function') continue;
        const fn = origin.get(id);
        if (individually && fn?.name !== unit) continue;
        res.Properties = {
          ...(isObj(res.Properties) ? res.Properties : {}),
          CodeSigningConfigArn: { Ref: cscId },
        };
      }
    }
  }

  const FN_KEYS: Record<string, string> = {
    Layers: 'layers',
    PackageType: 'image',
    Tags: 'tags',
    CodeSigningConfigArn: 'signer',
  };
  const locate = (logicalId: string, property?: string): Pos | undefined => {
    const o = origin.get(logicalId);
    if (property && logicalId in userResources) {
      const p = located.pathPos(['resources', 'Resources', logicalId, 'Properties', property]);
      if (p) return p;
    }
    if (property && logicalId in extensions) {
      const p = located.pathPos(['resources', 'extensions', logicalId, 'Properties', property]);
      if (p) return p;
    }
    if (o?.kind === 'function') {
      if (!property) return located.pathPos(['functions', o.name]);
      if (property === 'CodeSigningConfigArn') {
        return located.pathPos(['functions', o.name, 'signer']) ?? located.pathPos(['custom', 'signer']);
      }
      const key = FN_KEYS[property];
      return key ? located.pathPos(['functions', o.name, key]) : undefined;
    }
    if (o?.kind === 'layer') return property ? undefined : located.pathPos(['layers', o.name]);
    if (o?.kind === 'signer' || o?.kind === 'profile') {
      const base = o.name === 'common' ? ['custom', 'signer'] : ['functions', o.name, 'signer'];
      if (property === 'CodeSigningPolicies')
        return (
          located.pathPos([...base, 'signingPolicy']) ??
          located.pathPos(['custom', 'signer', 'signingPolicy']) ??
          located.pathPos(base)
        );
      return (
        (o.kind === 'profile' ? located.pathPos([...base, 'profileName']) : undefined) ??
        located.pathPos(base) ??
        located.pathPos(['custom', 'signer'])
      );
    }
    if (!property) return located.pathPos(['resources', 'Resources', logicalId]);
    return located.pathPos(['resources', 'Resources', logicalId, 'Properties', property]);
  };

  const template = { Resources: resolve(resources) as Obj };
  const profilesBefore = builder.signingProfiles.length;
  scanCfnTemplate(
    {
      template,
      file,
      format: 'serverless',
      located: {
        value: template,
        keyPos: () => undefined,
        pathPos: (path) => (path[0] === 'Resources' && path[1] ? locate(path[1], path[3]) : undefined),
      },
      comments,
      locate,
      displayName: (id) => origin.get(id)?.name,
    },
    builder,
  );
  // The plugin looks the profile up (or creates it) at deploy time: its status is not in these files.
  for (const profile of builder.signingProfiles.slice(profilesBefore)) {
    for (const [id] of signerProfiles) if (profile.id === iacId(file, id)) profile.status = 'Unknown';
  }
}
