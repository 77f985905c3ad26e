import type { ResourceRef } from '../model/finding.js';
import { functionRef } from '../model/refs.js';
import type { LambdaFunction } from '../model/snapshot.js';
import { judgeSignature } from '../model/trust.js';
import { judgeLayer } from './layers-signed-by-allowed-publisher.js';
import { defineRule, type RuleOutcome } from './rule.js';
import { imageNotApplicable, isImage } from './support.js';

export const publishedVersionsVerified = defineRule<LambdaFunction>({
  meta: {
    id: 'SGN-007',
    slug: 'published-versions-verified',
    title: 'Published Lambda versions that serve traffic run signed, trusted code',
    severity: 'medium',
    productionSeverity: 'high',
    rationale:
      'A published version keeps the code it was published with forever; an alias pointing at an old unsigned version keeps serving unverified code after $LATEST is fixed.',
    remediation:
      'Publish a new version from signed code and move the alias to it; delete versions that must never run again.',
    planner: 'manual-step',
    resourceType: 'function-version',
    requires: [
      'functions',
      'versions',
      'cscAttachments',
      'codeSigningConfigs',
      'signingProfiles',
      'signingJobs',
    ],
    sources: ['aws'],
  },
  targets: (ctx) => ctx.snapshot.functions,
  resourceOf: functionRef,
  check(ctx, fn): RuleOutcome[] {
    const out: RuleOutcome[] = [];
    const fnResource = functionRef(fn);
    if (isImage(fn)) return [imageNotApplicable(fn)];
    // Without alias data (the collector judged every version verified) every version is judged.
    const aliasesKnown = fn.aliasesCollected !== false;
    const versions = fn.versions.filter(
      (v) => ctx.policy.versions === 'all' || !aliasesKnown || v.aliases.length > 0,
    );
    if (versions.length === 0) {
      return [
        {
          status: 'NOT_APPLICABLE',
          resource: fnResource,
          message: `${fn.name} has no published versions${ctx.policy.versions === 'aliased' ? ' behind an alias' : ''}.`,
          requires: ['functions', 'versions'],
        },
      ];
    }
    for (const version of versions) {
      const resource: ResourceRef = {
        ...fnResource,
        type: 'function-version',
        id: version.arn,
        arn: version.arn,
        name: `${fn.name}:${version.version}`,
        ...(fnResource.provenance.source === 'aws'
          ? { provenance: { ...fnResource.provenance, arn: version.arn } }
          : {}),
      };
      const via = version.aliases.length ? ` (alias ${version.aliases.join(', ')})` : '';
      const details = {
        aliases: version.aliases,
        signingProfileVersionArn: version.signingProfileVersionArn,
      };
      if (!version.signingProfileVersionArn) {
        out.push({
          status: 'FAIL',
          resource,
          message: `Version ${version.version} of ${fn.name}${via} serves unsigned code; publish a version from signed code and move the alias.`,
          details,
        });
        continue;
      }
      const verdict = judgeSignature(
        ctx,
        fn,
        version.signingProfileVersionArn,
        version.signingJobArn,
        version.lastModified,
      );
      const unsignedLayer = version.layers.find((l) => !l.signingProfileVersionArn);
      // Signed layers are judged like the version's own code: a layer signed by a publisher that is no
      // longer trusted (revoked job, profile out of the CSC, expired) is unverified code too.
      const layerVerdicts = unsignedLayer
        ? []
        : version.layers.map((l) => judgeLayer(ctx, fn, l, version.lastModified));
      const untrustedLayers = layerVerdicts.filter((v) => v.status === 'fail');
      const unknownLayers = layerVerdicts.filter((v) => v.status === 'unknown');
      if (verdict.verdict !== 'trusted') {
        out.push({
          status: verdict.verdict === 'unknown' ? 'UNKNOWN' : 'FAIL',
          resource,
          message:
            verdict.verdict === 'unknown'
              ? `Cannot verify version ${version.version} of ${fn.name}: ${verdict.reason}.`
              : `Version ${version.version} of ${fn.name}${via} runs code that is no longer trusted: ${verdict.reason}; publish a re-signed version and move the alias.`,
          details,
        });
      } else if (unsignedLayer) {
        out.push({
          status: 'FAIL',
          resource,
          message: `Version ${version.version} of ${fn.name}${via} uses unsigned layer ${unsignedLayer.arn ?? '?'}; publish a version with signed layers and move the alias.`,
          details,
        });
      } else if (untrustedLayers.length > 0) {
        out.push({
          status: 'FAIL',
          resource,
          message: `Version ${version.version} of ${fn.name}${via} uses untrusted layer(s): ${untrustedLayers.map((v) => `${v.layer} (${v.reason})`).join('; ')}; publish a version with re-signed layers and move the alias.`,
          details: { ...details, layers: layerVerdicts.map(({ usedJob: _usedJob, ...v }) => v) },
        });
      } else if (unknownLayers.length > 0) {
        out.push({
          status: 'UNKNOWN',
          resource,
          message: `Cannot verify ${unknownLayers.length} layer(s) of version ${version.version} of ${fn.name}: ${unknownLayers.map((v) => `${v.layer} (${v.reason})`).join('; ')}.`,
          details: { ...details, layers: layerVerdicts.map(({ usedJob: _usedJob, ...v }) => v) },
        });
      } else {
        out.push({
          status: 'PASS',
          resource,
          message: `Version ${version.version} of ${fn.name}${via} runs signed, trusted code.`,
          details,
        });
      }
    }
    return out;
  },
});
