// Service control policies, evaluated as AWS does for principals of member accounts: an action must be
// allowed by an SCP at every level from the root down to the account, and an explicit Deny at any
// level wins. The management account is never restricted by SCPs (AWS documents this).
import { type ConditionContext, type Decision, evaluatePolicies } from './iam-policy.js';
import type { Principal } from './identity.js';
import { organizationsSlice } from './services/organizations.js';
import type { PolicyDocument, World } from './world.js';

const SCP = 'SERVICE_CONTROL_POLICY';

/** Global condition keys AWS sets for every request (those Signet's guardrails use). */
export function globalConditionKeys(principal: Principal): ConditionContext {
  return {
    'aws:PrincipalArn': principal.roleArn ?? principal.arn,
    'aws:PrincipalAccount': principal.accountId,
    'aws:PrincipalType': principal.type === 'AssumedRole' ? 'AssumedRole' : 'User',
  };
}

/**
 * The SCP decision for a request, or undefined when SCPs do not apply (no organization with SCPs
 * enabled, the caller's account is not a member, or it is the management account).
 */
export function scpDecision(
  world: World,
  principal: Principal,
  action: string,
  resource: string,
  context: ConditionContext,
): Decision | undefined {
  const state = organizationsSlice(world);
  const org = state.organization;
  if (org?.featureSet !== 'ALL' || !org.enabledPolicyTypes.includes(SCP)) return undefined;
  const member = state.members[principal.accountId];
  if (!member || principal.accountId === org.managementAccountId) return undefined;
  // The sandbox has no OUs: the path is root → account.
  const levels = [org.rootId, principal.accountId];
  let allowedEverywhere = true;
  for (const target of levels) {
    const documents: PolicyDocument[] = [];
    for (const policy of Object.values(state.policies)) {
      if (policy.type !== SCP || !(state.attachments[policy.id] ?? []).includes(target)) continue;
      try {
        documents.push(JSON.parse(policy.content) as PolicyDocument);
      } catch {
        // Content is validated on CreatePolicy; an unreadable one cannot allow anything.
      }
    }
    // AWS keeps at least one SCP on every target (FullAWSAccess is attached when an account joins);
    // the sandbox's accounts carry it implicitly, so a level with no SCP of its own allows everything.
    if (documents.length === 0) continue;
    const decision = evaluatePolicies(documents, action, resource, context);
    if (decision === 'explicit-deny') return 'explicit-deny';
    if (decision !== 'allow') allowedEverywhere = false;
  }
  return allowedEverywhere ? 'allow' : 'implicit-deny';
}
