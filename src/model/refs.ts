// The ResourceRef of each snapshot resource: what findings point at.
import type { ResourceRef } from './finding.js';
import type { CodeSigningConfig, LambdaFunction, SigningProfile } from './snapshot.js';

export function functionRef(fn: LambdaFunction): ResourceRef {
  return {
    type: 'function',
    id: fn.id,
    name: fn.name,
    ...(fn.provenance.source === 'aws' ? { arn: fn.provenance.arn } : {}),
    ...(fn.accountId ? { accountId: fn.accountId } : {}),
    ...(fn.region ? { region: fn.region } : {}),
    provenance: fn.provenance,
  };
}

export function cscRef(csc: CodeSigningConfig): ResourceRef {
  return {
    type: 'code-signing-config',
    id: csc.id,
    name: csc.arn
      ? (csc.arn.split(':').pop() ?? csc.id)
      : csc.provenance.source === 'iac'
        ? csc.provenance.logicalId
        : csc.id,
    ...(csc.arn ? { arn: csc.arn } : {}),
    ...(csc.accountId ? { accountId: csc.accountId } : {}),
    ...(csc.region ? { region: csc.region } : {}),
    provenance: csc.provenance,
  };
}

export function profileRef(profile: SigningProfile): ResourceRef {
  return {
    type: 'signing-profile',
    id: profile.id,
    name: profile.name,
    ...(profile.arn ? { arn: profile.arn } : {}),
    ...(profile.accountId ? { accountId: profile.accountId } : {}),
    ...(profile.region ? { region: profile.region } : {}),
    provenance: profile.provenance,
  };
}
