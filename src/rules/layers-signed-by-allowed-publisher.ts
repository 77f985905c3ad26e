import { functionRef } from '../model/refs.js';
import type { LambdaFunction, LayerRef, SnapshotPart } from '../model/snapshot.js';
import { judgeSignature } from '../model/trust.js';
import { defineRule, type RuleContext, type RuleOutcome } from './rule.js';
import { imageNotApplicable, isImage } from './support.js';

type LayerVerdict = {
  layer: string;
  status: 'ok' | 'fail' | 'unknown';
  reason: string;
  /** A signing job was part of the judgement (so signing jobs had to be collected). */
  usedJob?: boolean;
};

/**
 * Is one layer of a function (or of one of its published versions) signed by a publisher its CSC allows?
 * `signedBy` is the latest time the layer can have been signed (the function's or version's last update).
 */
export function judgeLayer(
  ctx: RuleContext,
  fn: LambdaFunction,
  layer: LayerRef,
  signedBy: string | undefined = fn.lastModified,
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
  // The function's (version's) last update is an upper bound for when its layers were signed.
  const verdict = judgeSignature(ctx, fn, profileArn, jobArn, signedBy);
  const usedJob = jobArn !== undefined;
  if (verdict.verdict === 'trusted')
    return { layer: label, status: 'ok', reason: 'signed by an allowed publisher', usedJob };
  return {
    layer: label,
    status: verdict.verdict === 'unknown' ? 'unknown' : 'fail',
    reason: verdict.reason,
    usedJob,
  };
}

export const layersSignedByAllowedPublisher = defineRule<LambdaFunction>({
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
    planner: 'manual-step',
    resourceType: 'function',
    requires: ['functions', 'cscAttachments', 'codeSigningConfigs', 'signingProfiles', 'signingJobs'],
    sources: ['aws', 'iac'],
  },
  targets: (ctx) => ctx.snapshot.functions,
  resourceOf: functionRef,
  check(ctx, fn): RuleOutcome {
    const resource = functionRef(fn);
    if (isImage(fn)) return imageNotApplicable(fn);
    if (fn.layers.length === 0)
      return {
        status: 'NOT_APPLICABLE',
        resource,
        message: `${fn.name} uses no layers.`,
        requires: ['functions'],
      };
    const judged = fn.layers.map((layer) => judgeLayer(ctx, fn, layer));
    const verdicts = judged.map(({ usedJob: _usedJob, ...v }) => v);
    // Layers judged without a signing job (templates) do not rest on collected signing jobs.
    const requires: SnapshotPart[] = judged.some((v) => v.usedJob)
      ? this.meta.requires
      : this.meta.requires.filter((p) => p !== 'signingJobs');
    const details = { property: 'Layers', layers: verdicts };
    const failed = verdicts.filter((v) => v.status === 'fail');
    if (failed.length > 0) {
      return {
        status: 'FAIL',
        resource,
        message: `${fn.name} runs ${failed.length} untrusted layer(s): ${failed.map((v) => `${v.layer} (${v.reason})`).join('; ')}; publish signed layer versions and update the function.`,
        details,
        requires,
      };
    }
    const unknowns = verdicts.filter((v) => v.status === 'unknown');
    if (unknowns.length > 0 && fn.codeSigningConfig.state === 'none') {
      // SGN-001 already fails the function: without a CSC no publisher is allowed, so "cannot verify
      // the layers" would say the same thing twice, less clearly.
      return {
        status: 'NOT_APPLICABLE',
        resource,
        message: `${fn.name} has no code signing configuration (see SGN-001), so no publisher is allowed yet; its ${fn.layers.length} layer(s) are judged once a CSC is attached.`,
        details,
        requires,
      };
    }
    if (unknowns.length > 0) {
      return {
        status: 'UNKNOWN',
        resource,
        message: `Cannot verify ${unknowns.length} layer(s) of ${fn.name}: ${unknowns.map((v) => `${v.layer} (${v.reason})`).join('; ')}.`,
        details,
        requires,
      };
    }
    return {
      status: 'PASS',
      resource,
      message: `Every layer of ${fn.name} is signed by an allowed publisher.`,
      details,
      requires,
    };
  },
});
