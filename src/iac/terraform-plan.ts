// `terraform show -json` plans: concrete values from planned_values, and references (for values known
// only after apply) from the configuration section.
import type { CscAttachment, LayerRef, PublisherRef } from '../model/snapshot.js';
import {
  publisherArn,
  publisherProfile,
  publisherProfileArnNotVersion,
  publisherUnresolved,
} from '../model/values.js';
import { iacId, policyLiteral, type SnapshotBuilder } from './builder.js';
import { LineIndex, type Pos, setOwn } from './source.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface PlanResource {
  address: string;
  type: string;
  values: Obj;
  /** Module prefix (`module.a.`), empty at the root. */
  modulePrefix: string;
  /** Configuration address without instance keys (`aws_lambda_function.fn`). */
  configAddress: string;
  index: unknown;
}

export function isTerraformPlan(value: unknown): boolean {
  return (
    isObj(value) && 'format_version' in value && ('planned_values' in value || 'resource_changes' in value)
  );
}

export function scanTerraformPlan(plan: Obj, text: string, file: string, builder: SnapshotBuilder): void {
  const resources: PlanResource[] = [];
  const walk = (mod: unknown, prefix: string) => {
    if (!isObj(mod)) return;
    for (const r of Array.isArray(mod.resources) ? mod.resources : []) {
      if (!isObj(r) || r.mode === 'data' || typeof r.address !== 'string' || typeof r.type !== 'string')
        continue;
      const local = r.address.slice(prefix.length).replace(/\[[^\]]*\]$/, '');
      resources.push({
        address: r.address,
        type: r.type,
        values: isObj(r.values) ? r.values : {},
        modulePrefix: prefix,
        configAddress: local,
        index: r.index,
      });
    }
    for (const child of Array.isArray(mod.child_modules) ? mod.child_modules : []) {
      if (isObj(child) && typeof child.address === 'string') walk(child, `${child.address}.`);
    }
  };
  walk(isObj(plan.planned_values) ? plan.planned_values.root_module : undefined, '');
  const unknownAfter = new Map<string, Obj>();
  for (const rc of Array.isArray(plan.resource_changes) ? plan.resource_changes : []) {
    if (isObj(rc) && typeof rc.address === 'string' && isObj(rc.change) && isObj(rc.change.after_unknown)) {
      unknownAfter.set(rc.address, rc.change.after_unknown);
    }
  }
  // Configuration expressions by `<module prefix><config address>`.
  const config = new Map<string, Obj>();
  const walkConfig = (mod: unknown, prefix: string) => {
    if (!isObj(mod)) return;
    for (const r of Array.isArray(mod.resources) ? mod.resources : []) {
      if (isObj(r) && typeof r.address === 'string' && isObj(r.expressions))
        config.set(`${prefix}${r.address}`, r.expressions);
    }
    if (isObj(mod.module_calls)) {
      for (const [name, call] of Object.entries(mod.module_calls)) {
        if (isObj(call)) walkConfig(call.module, `${prefix}module.${name}.`);
      }
    }
  };
  walkConfig(isObj(plan.configuration) ? plan.configuration.root_module : undefined, '');

  const lines = new LineIndex(text);
  const posOf = (address: string): Pos | undefined => {
    const m = new RegExp(
      `"address"\\s*:\\s*${JSON.stringify(address).replace(/[[\]\\.*+?^$(){}|]/g, '\\$&')}`,
    ).exec(text);
    return m ? lines.pos(m.index) : undefined;
  };
  const byArn = new Map<string, PlanResource>();
  for (const r of resources) if (typeof r.values.arn === 'string') byArn.set(r.values.arn, r);
  const id = (address: string) => iacId(file, address);

  /** The instance a configuration reference (`aws_x.y.arn`) points at, from the referring resource. */
  const resolveRef = (
    from: PlanResource,
    refs: unknown,
  ): { target: PlanResource; attr: string } | undefined => {
    if (!Array.isArray(refs)) return undefined;
    for (const ref of refs) {
      if (typeof ref !== 'string') continue;
      const m = /^([a-z0-9_]+\.[A-Za-z0-9_-]+)(?:\[[^\]]*\])?(?:\.([a-z_]+))?/.exec(ref);
      if (!m || ref.startsWith('var.') || ref.startsWith('local.') || ref.startsWith('data.')) continue;
      const configAddress = `${from.modulePrefix}${m[1]}`;
      const candidates = resources.filter((r) => `${r.modulePrefix}${r.configAddress}` === configAddress);
      if (candidates.length === 0) continue;
      const same = candidates.find((c) => c.index === from.index) ?? candidates[0]!;
      return { target: same, attr: m[2] ?? '' };
    }
    return undefined;
  };
  const expressions = (r: PlanResource) => config.get(`${r.modulePrefix}${r.configAddress}`) ?? {};
  const unknown = (r: PlanResource, attr: string) => unknownAfter.get(r.address)?.[attr];

  for (const r of resources) {
    const v = r.values;
    const prov = (properties: Record<string, Pos | undefined>) =>
      builder.provenance({
        format: 'terraform-plan',
        file,
        logicalId: r.address,
        pos: posOf(r.address),
        properties,
      });
    if (r.type === 'aws_lambda_function') {
      let csc: CscAttachment;
      const arn = v.code_signing_config_arn;
      const ref = resolveRef(r, (expressions(r).code_signing_config_arn as Obj | undefined)?.references);
      if (ref && ref.target.type === 'aws_lambda_code_signing_config')
        csc = { state: 'attached', id: id(ref.target.address) };
      else if (typeof arn === 'string' && arn !== '') {
        const known = byArn.get(arn);
        csc =
          known?.type === 'aws_lambda_code_signing_config'
            ? { state: 'attached', id: id(known.address) }
            : { state: 'unresolved', reason: 'CSC ARN defined outside this plan', arn };
      } else if (unknown(r, 'code_signing_config_arn') === true)
        csc = { state: 'unresolved', reason: 'code_signing_config_arn is known only after apply' };
      else csc = { state: 'none' };
      const layerValues = Array.isArray(v.layers) ? v.layers : [];
      const layerRefs = (expressions(r).layers as Obj | undefined)?.references;
      const layers: LayerRef[] = layerValues.map((l): LayerRef => {
        if (typeof l !== 'string') return { unresolved: 'layer ARN known only after apply' };
        const known = byArn.get(l);
        return known ? { layerId: id(known.address) } : { arn: l };
      });
      if (layers.length === 0 && unknown(r, 'layers')) {
        const ref2 = resolveRef(r, layerRefs);
        layers.push(
          ref2 ? { layerId: id(ref2.target.address) } : { unresolved: 'layers known only after apply' },
        );
      }
      builder.functions.push({
        id: id(r.address),
        name: typeof v.function_name === 'string' ? v.function_name : r.address,
        packageType: v.package_type === 'Image' ? 'Image' : 'Zip',
        ...(typeof v.runtime === 'string' ? { runtime: v.runtime } : {}),
        codeSigningConfig: csc,
        tags: stringMap(v.tags),
        layers,
        versions: [],
        aliases: {},
        provenance: prov({}),
      });
    } else if (r.type === 'aws_lambda_code_signing_config') {
      const policies = Array.isArray(v.policies) && isObj(v.policies[0]) ? v.policies[0] : undefined;
      const raw = policies?.untrusted_artifact_on_deployment;
      const lit = policyLiteral(raw);
      const pubs =
        Array.isArray(v.allowed_publishers) && isObj(v.allowed_publishers[0])
          ? v.allowed_publishers[0]
          : undefined;
      const arns = Array.isArray(pubs?.signing_profile_version_arns)
        ? (pubs.signing_profile_version_arns as unknown[])
        : [];
      const exprPubs = expressions(r).allowed_publishers;
      const pubRefs =
        Array.isArray(exprPubs) && isObj(exprPubs[0])
          ? (exprPubs[0].signing_profile_version_arns as Obj | undefined)?.references
          : undefined;
      const publishers: PublisherRef[] = arns
        .filter((a): a is string => typeof a === 'string')
        .map((a) => {
          const known = byArn.get(a);
          return known?.type === 'aws_signer_signing_profile'
            ? publisherProfileArnNotVersion(`${known.address}.arn`)
            : publisherArn(a);
        });
      if (Array.isArray(pubRefs)) {
        // References come in pairs (`aws_x.y.attr`, `aws_x.y`); take the attribute ones.
        for (const ref of pubRefs) {
          if (
            typeof ref !== 'string' ||
            !/\.[a-z_]+$/.test(ref) ||
            !/^[a-z0-9_]+\.[A-Za-z0-9_-]+(\[[^\]]*\])?\.[a-z_]+$/.test(ref)
          )
            continue;
          const resolved = resolveRef(r, [ref]);
          if (resolved?.target.type !== 'aws_signer_signing_profile') continue;
          if (
            typeof resolved.target.values.version_arn === 'string' &&
            arns.includes(resolved.target.values.version_arn)
          )
            continue;
          publishers.push(
            resolved.attr === 'version_arn'
              ? publisherProfile(id(resolved.target.address))
              : publisherProfileArnNotVersion(`${resolved.target.address}.${resolved.attr}`),
          );
        }
      }
      if (publishers.length === 0)
        publishers.push(publisherUnresolved('allowed publishers known only after apply'));
      builder.codeSigningConfigs.push({
        id: id(r.address),
        ...(typeof v.arn === 'string' ? { arn: v.arn } : {}),
        ...(typeof v.description === 'string' ? { description: v.description } : {}),
        policy:
          raw === undefined || raw === null
            ? 'Warn'
            : (lit ?? { unresolved: 'policy known only after apply' }),
        policySource: raw === undefined || raw === null ? 'default' : 'explicit',
        allowedPublishers: publishers,
        provenance: prov({}),
      });
    } else if (r.type === 'aws_signer_signing_profile') {
      const validity =
        Array.isArray(v.signature_validity_period) && isObj(v.signature_validity_period[0])
          ? v.signature_validity_period[0]
          : undefined;
      const vType = validity?.type;
      builder.signingProfiles.push({
        id: id(r.address),
        name: typeof v.name === 'string' ? v.name : r.address,
        ...(typeof v.arn === 'string' ? { arn: v.arn } : {}),
        ...(typeof v.version === 'string' ? { profileVersion: v.version } : {}),
        ...(typeof v.version_arn === 'string' ? { profileVersionArn: v.version_arn } : {}),
        ...(typeof v.platform_id === 'string' ? { platformId: v.platform_id } : {}),
        status:
          typeof v.status === 'string' && ['Active', 'Canceled', 'Revoked'].includes(v.status)
            ? (v.status as 'Active')
            : 'Active',
        ...(typeof validity?.value === 'number' &&
        (vType === 'DAYS' || vType === 'MONTHS' || vType === 'YEARS')
          ? { signatureValidity: { value: validity.value, type: vType } }
          : {}),
        tags: stringMap(v.tags),
        provenance: prov({}),
      });
    } else if (r.type === 'aws_lambda_layer_version') {
      builder.layerVersions.push({
        id: id(r.address),
        ...(typeof v.arn === 'string' ? { arn: v.arn } : {}),
        layerName: typeof v.layer_name === 'string' ? v.layer_name : r.address,
        ...(typeof v.signing_profile_version_arn === 'string'
          ? { signingProfileVersionArn: v.signing_profile_version_arn }
          : {}),
        ...(typeof v.signing_job_arn === 'string' ? { signingJobArn: v.signing_job_arn } : {}),
        provenance: prov({}),
      });
    }
  }
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObj(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') setOwn(out, k, x);
  return out;
}
