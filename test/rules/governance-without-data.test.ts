// A snapshot with no governance data at all (a snapshot file from before SGN-009..014, or a scan whose
// CloudTrail/IAM/Organizations parts were never collected) must leave every governance rule UNKNOWN —
// never PASS, and never an ERROR from reading data that is not there.
import { describe, expect, it } from 'vitest';
import { codeSigningTamperAccess } from '../../src/rules/code-signing-tamper-access.js';
import { deployedOutsidePipeline } from '../../src/rules/deployed-outside-pipeline.js';
import { preventiveScp } from '../../src/rules/preventive-scp.js';
import { separationOfDuties } from '../../src/rules/separation-of-duties.js';
import { signedOutsidePipeline } from '../../src/rules/signed-outside-pipeline.js';
import { signingProfileAccess } from '../../src/rules/signing-profile-access.js';
import { aCsc, aFunction, aProfile, aSnapshot, coverage, runRule } from '../helpers/builders.js';
import { WITH_PIPELINE } from '../helpers/governance-builders.js';

const CORE = coverage('ok', [
  'functions',
  'versions',
  'codeSigningConfigs',
  'cscAttachments',
  'tags',
  'layers',
  'signingProfiles',
  'signingJobs',
]);
const snapshot = aSnapshot({
  functions: [aFunction()],
  codeSigningConfigs: [aCsc()],
  signingProfiles: [aProfile()],
  coverage: CORE,
});

describe('governance rules on a snapshot without governance data', () => {
  for (const rule of [
    deployedOutsidePipeline,
    signedOutsidePipeline,
    separationOfDuties,
    signingProfileAccess,
    codeSigningTamperAccess,
    preventiveScp,
  ]) {
    it(`${rule.meta.id} is UNKNOWN for every resource it judges`, () => {
      const r = runRule(rule, snapshot, WITH_PIPELINE);
      expect(r.length).toBeGreaterThan(0);
      expect(r.map((o) => o.status)).toEqual(r.map(() => 'UNKNOWN'));
    });
  }

  it('says what is missing: the CloudTrail window, IAM details, the SCPs', () => {
    expect(runRule(deployedOutsidePipeline, snapshot, WITH_PIPELINE)[0]!.message).toMatch(
      /^No code change of fn in the 30-day CloudTrail window/,
    );
    expect(runRule(separationOfDuties, snapshot, WITH_PIPELINE)[0]!.message).toMatch(
      /IAM authorization details of 123456789012 were not collected/,
    );
    // Both halves of SGN-013 show: who can (IAM) and who did (CloudTrail, per account-region).
    expect(runRule(codeSigningTamperAccess, snapshot, WITH_PIPELINE).map((o) => o.resource.id)).toEqual([
      'account:123456789012',
      'account:123456789012:us-east-1',
    ]);
    expect(runRule(preventiveScp, snapshot, WITH_PIPELINE)[0]!.message).toMatch(
      /the organisation's SCPs were not collected/,
    );
  });
});
