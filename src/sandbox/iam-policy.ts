// IAM policy evaluation for the sandbox: identity policies (explicit Deny > Allow > implicit deny)
// and role trust policies. Conditions support the operators Signet's guardrails use; an operator the
// sandbox does not know makes an Allow not apply and a Deny apply (the conservative reading).
import type { PolicyDocument, PolicyStatement } from './world.js';

export type ConditionContext = Record<string, string | string[] | undefined>;

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function statements(doc: PolicyDocument): PolicyStatement[] {
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

/**
 * IAM wildcard match: `*` any run, `?` one character; case-insensitive for actions. Two pointers that
 * return to the last `*` on a mismatch: O(|pattern| · |value|) at worst, never the exponential
 * backtracking of a regex built from the pattern (a policy is caller input).
 */
export function wildcardMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

function matchesAction(statement: PolicyStatement, action: string): boolean {
  if (statement.Action !== undefined)
    return list(statement.Action).some((p) => wildcardMatch(p, action, true));
  if (statement.NotAction !== undefined)
    return !list(statement.NotAction).some((p) => wildcardMatch(p, action, true));
  return false;
}

function matchesResource(statement: PolicyStatement, resource: string): boolean {
  if (statement.Resource !== undefined)
    return list(statement.Resource).some((p) => wildcardMatch(p, resource));
  if (statement.NotResource !== undefined)
    return !list(statement.NotResource).some((p) => wildcardMatch(p, resource));
  // Trust policies have no Resource element.
  return true;
}

type ConditionOutcome = 'match' | 'nomatch' | 'unknown';

function evaluateOperator(
  operator: string,
  key: string,
  expected: string[],
  context: ConditionContext,
): ConditionOutcome {
  const ifExists = operator.endsWith('IfExists');
  const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  const actualRaw = context[key] ?? context[key.toLowerCase()];
  const actual = list(actualRaw);
  if (base === 'Null') {
    const wantsNull = expected[0] === 'true';
    return (actual.length === 0) === wantsNull ? 'match' : 'nomatch';
  }
  if (actual.length === 0)
    return ifExists
      ? 'match'
      : base.startsWith('StringNot') || base.startsWith('ArnNot')
        ? 'match'
        : 'nomatch';
  const anyMatch = (test: (a: string, e: string) => boolean) =>
    actual.some((a) => expected.some((e) => test(a, e)));
  switch (base) {
    case 'StringEquals':
    case 'ArnEquals':
      return anyMatch((a, e) => a === e) ? 'match' : 'nomatch';
    case 'StringEqualsIgnoreCase':
      return anyMatch((a, e) => a.toLowerCase() === e.toLowerCase()) ? 'match' : 'nomatch';
    case 'StringLike':
    case 'ArnLike':
      return anyMatch((a, e) => wildcardMatch(e, a)) ? 'match' : 'nomatch';
    case 'StringNotEquals':
    case 'ArnNotEquals':
      return anyMatch((a, e) => a === e) ? 'nomatch' : 'match';
    case 'StringNotLike':
    case 'ArnNotLike':
      return anyMatch((a, e) => wildcardMatch(e, a)) ? 'nomatch' : 'match';
    case 'Bool':
      return anyMatch((a, e) => a.toLowerCase() === e.toLowerCase()) ? 'match' : 'nomatch';
    default:
      return 'unknown';
  }
}

function conditionsOutcome(statement: PolicyStatement, context: ConditionContext): ConditionOutcome {
  if (!statement.Condition) return 'match';
  let outcome: ConditionOutcome = 'match';
  for (const [operator, entries] of Object.entries(statement.Condition)) {
    // Set operators (ForAnyValue:/ForAllValues:) are evaluated as their plain operator over the values.
    const op = operator.replace(/^For(AnyValue|AllValues):/, '');
    for (const [key, value] of Object.entries(entries)) {
      const expected = Array.isArray(value) ? value.map(String) : [String(value)];
      const result = evaluateOperator(op, key, expected, context);
      if (result === 'nomatch') return 'nomatch';
      if (result === 'unknown') outcome = 'unknown';
    }
  }
  return outcome;
}

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

/** Evaluates identity policies for one request (action + resource ARN + condition keys). */
export function evaluatePolicies(
  documents: PolicyDocument[],
  action: string,
  resource: string,
  context: ConditionContext = {},
): Decision {
  let allowed = false;
  for (const doc of documents) {
    for (const statement of statements(doc)) {
      if (!matchesAction(statement, action) || !matchesResource(statement, resource)) continue;
      const outcome = conditionsOutcome(statement, context);
      if (statement.Effect === 'Deny' && outcome !== 'nomatch') return 'explicit-deny';
      if (statement.Effect === 'Allow' && outcome === 'match') allowed = true;
    }
  }
  return allowed ? 'allow' : 'implicit-deny';
}

function principalMatches(
  principal: PolicyStatement['Principal'],
  callerArn: string,
  callerAccount: string,
): boolean {
  if (principal === undefined) return false;
  if (principal === '*') return true;
  const aws = list(principal.AWS as string | string[] | undefined);
  return aws.some(
    (p) =>
      p === '*' ||
      p === callerAccount ||
      p === `arn:${callerArn.split(':')[1]}:iam::${callerAccount}:root` ||
      p === callerArn ||
      wildcardMatch(p, callerArn),
  );
}

/** Does a role's trust policy let this caller (an IAM user or role ARN) call sts:AssumeRole? */
export function trustAllows(
  trust: PolicyDocument,
  callerArn: string,
  callerAccount: string,
  context: ConditionContext = {},
): boolean {
  let allowed = false;
  for (const statement of statements(trust)) {
    if (!matchesAction(statement, 'sts:AssumeRole')) continue;
    if (!principalMatches(statement.Principal, callerArn, callerAccount)) continue;
    const outcome = conditionsOutcome(statement, context);
    if (statement.Effect === 'Deny' && outcome !== 'nomatch') return false;
    if (statement.Effect === 'Allow' && outcome === 'match') allowed = true;
  }
  return allowed;
}
