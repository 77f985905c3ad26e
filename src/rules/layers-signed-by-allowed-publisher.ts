import { functionRef } from '../engine/index-snapshot.js';
import type { LayerRef } from '../model/snapshot.js';
import type { Rule, RuleContext } from './rule.js';
import { imageNotApplicable, isImage, judgeSignature, unknownIfMissing } from './support.js';

type LayerVerdict = { layer: string; status: 'ok' | 'fail' | 'unknown'; reason: string };

function judgeLayer(
  ctx: RuleContext,
  fn: Parameters<typeof judgeSignature>[1],
  layer: LayerRef,
): LayerVerdict {
  const label = layer.arn ?? layer.layerId ?? layer.unresolved ?? 'layer';
  if (layer.unresolved !== undefined && !layer.arn && !layer.layerId) {
    return {
      layer: label,
      status: 'unknown',
      reason: `layer cannot be resolved statically (${layer.unresolved})`,
    };
  }
  const defined = layer.layerId ? ctx.index.layersById.get(layer.layerId) : undefined;
  const profileArn = layer.signingProfileVersionArn ?? defined?.signingProfileVersionArn;
  const jobArn = layer.signingJobArn ?? defined?.signingJobArn;
  if (!profileArn) {
    if (ctx.snapshot.source === 'iac') {
      return {
        layer: label,
        status: 'unknown',
        reason: 'whether the layer package is signed is decided when it is packaged, not in the template',
      };
    }
    return { layer: label, status: 'fail', reason: 'layer is not signed' };
  }
  const verdict = judgeSignature(ctx, fn, profileArn, jobArn);
  if (verdict.ok) return { layer: label, status: 'ok', reason: 'signed by an allowed publisher' };
  return { layer: label, status: verdict.unknown ? 'unknown' : 'fail', reason: verdict.reason };
}

export const layersSignedByAllowedPublisher: Rule = {
  meta: {
    id: 'SGN-006',
    slug: 'layers-signed-by-allowed-publisher',
    title: "Every layer of a Lambda function is signed by a publisher the function's CSC allows",
    severity: 'medium',
    productionSeverity: 'high',
    rationale:
      "Layers run inside the function: an unsigned or untrusted layer is unverified code even when the function's own package is signed.",
    remediation:
      "Sign the layer with an allowed profile and publish a new layer version (or add the layer publisher's profile version to the CSC), then update the function.",
    planner: 'redeploy-signed-layers',
    resourceType: 'function',
    requires: ['functions', 'cscAttachments', 'codeSigningConfigs', 'signingProfiles', 'signingJobs'],
    sources: ['aws', 'iac'],
  },
  evaluate(ctx) {
    return ctx.snapshot.functions.map((fn) => {
      const resource = functionRef(fn);
      if (isImage(fn)) return imageNotApplicable(fn);
      const unknown = unknownIfMissing(ctx, ['functions', 'cscAttachments', 'codeSigningConfigs'], resource);
      if (unknown) return unknown;
      if (fn.layers.length === 0)
        return { status: 'NOT_APPLICABLE', resource, message: `${fn.name} uses no layers.` };
      const verdicts = fn.layers.map((layer) => judgeLayer(ctx, fn, layer));
      const details = { property: 'Layers', layers: verdicts };
      const failed = verdicts.filter((v) => v.status === 'fail');
      if (failed.length > 0) {
        return {
          status: 'FAIL',
          resource,
          message: `${fn.name} runs ${failed.length} untrusted layer(s): ${failed.map((v) => `${v.layer} (${v.reason})`).join('; ')}; publish signed layer versions and update the function.`,
          details,
        };
      }
      const unknowns = verdicts.filter((v) => v.status === 'unknown');
      if (unknowns.length > 0) {
        return {
          status: 'UNKNOWN',
          resource,
          message: `Cannot verify ${unknowns.length} layer(s) of ${fn.name}: ${unknowns.map((v) => `${v.layer} (${v.reason})`).join('; ')}.`,
          details,
        };
      }
      return {
        status: 'PASS',
        resource,
        message: `Every layer of ${fn.name} is signed by an allowed publisher.`,
        details,
      };
    });
  },
};
