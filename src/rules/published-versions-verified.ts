import { functionRef } from '../engine/index-snapshot.js';
import type { ResourceRef } from '../model/finding.js';
import type { Rule, RuleOutcome } from './rule.js';
import { imageNotApplicable, isImage, judgeSignature, unknownIfMissing } from './support.js';

export const publishedVersionsVerified: Rule = {
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
    planner: 'repoint-aliases',
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
  evaluate(ctx) {
    const out: RuleOutcome[] = [];
    for (const fn of ctx.snapshot.functions) {
      const fnResource = functionRef(fn);
      if (isImage(fn)) {
        out.push(imageNotApplicable(fn));
        continue;
      }
      const unknown = unknownIfMissing(ctx, ['functions', 'versions'], fnResource);
      if (unknown) {
        out.push(unknown);
        continue;
      }
      // Without alias data (the collector judged every version verified) every version is judged.
      const aliasesKnown = fn.aliasesCollected !== false;
      const versions = fn.versions.filter(
        (v) => ctx.policy.versions === 'all' || !aliasesKnown || v.aliases.length > 0,
      );
      if (versions.length === 0) {
        out.push({
          status: 'NOT_APPLICABLE',
          resource: fnResource,
          message: `${fn.name} has no published versions${ctx.policy.versions === 'aliased' ? ' behind an alias' : ''}.`,
        });
        continue;
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
        const verdict = judgeSignature(ctx, fn, version.signingProfileVersionArn, version.signingJobArn);
        const unsignedLayer = version.layers.find((l) => !l.signingProfileVersionArn);
        if (!verdict.ok) {
          out.push({
            status: verdict.unknown ? 'UNKNOWN' : 'FAIL',
            resource,
            message: verdict.unknown
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
        } else {
          out.push({
            status: 'PASS',
            resource,
            message: `Version ${version.version} of ${fn.name}${via} runs signed, trusted code.`,
            details,
          });
        }
      }
    }
    return out;
  },
};
