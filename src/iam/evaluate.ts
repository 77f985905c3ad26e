// AWS's policy evaluation logic for one request, as documented in "Policy evaluation logic": an explicit
// Deny in any policy wins; otherwise every applicable layer (SCPs at each level of the organisation,
// the permissions boundary) must allow, and an identity-based or resource-based policy must grant;
// everything else is an implicit deny. Three-valued: a grant or deny that depends on a condition key
// Signet cannot know is reported as `conditional`, with the statements involved.
import {
  type ConditionKeys,
  type ContextValue,
  evaluateConditions,
  or,
  substitute,
  type Tri,
} from './conditions.js';
import { arnMatch, globMatch } from './glob.js';
import type { Policy, PrincipalBlock, Statement } from './policy.js';

export interface Request {
  /** The caller: an IAM user or role ARN (`arn:aws:iam::ACCOUNT:role/NAME`) or an assumed-role session ARN. */
  principal: string;
  /** `service:Action`, e.g. `lambda:UpdateFunctionCode`. */
  action: string;
  /** The resource ARN, or `*` for actions that take none. */
  resource: string;
  /** Condition keys of the request (names case-insensitive). `aws:PrincipalArn`/`aws:PrincipalAccount` are derived. */
  context?: Record<string, ContextValue>;
  /** What a key absent from `context` means: `absent` (AWS semantics, default) or `unknown` (could be anything). */
  missingKeys?: 'absent' | 'unknown';
}

export interface PolicySet {
  /** Identity-based policies of the principal (its own, its groups', managed and inline). */
  identity: readonly Policy[];
  /** Resource-based policies of the resource. */
  resource?: readonly Policy[];
  /** The principal's permissions boundary, when it has one. */
  boundary?: Policy;
  /** SCPs per level, root first, then each OU, then the account; absent when SCPs do not apply. */
  scps?: readonly (readonly Policy[])[];
  /** Account that owns the resource; defaults to the principal's account. */
  resourceAccount?: string;
}

export interface Citation {
  policyId: string;
  kind: Policy['kind'];
  statement: Statement;
  /** True when the statement applies only under conditions Signet could not decide. */
  conditional: boolean;
}

export type Decision = 'allow' | 'conditional' | 'explicit-deny' | 'implicit-deny';

export interface Evaluation {
  decision: Decision;
  /** Statements that grant (identity/resource), when allowed. */
  allowedBy: Citation[];
  /** Explicit denies that apply (or may apply, `conditional`). */
  deniedBy: Citation[];
  /** Why an implicit deny happened: the layer with no Allow. */
  reason?: string;
}

/** `arn:aws:sts::A:assumed-role/R/S` → `arn:aws:iam::A:role/R` (path unknown: matched by name). */
export function principalRoleArn(principal: string): string {
  const m = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(principal);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : principal;
}

export function accountOf(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:(\d{12}):/.exec(arn)?.[1];
}

function keysFor(request: Request): ConditionKeys {
  const map = new Map<string, ContextValue>();
  for (const [k, v] of Object.entries(request.context ?? {})) map.set(k.toLowerCase(), v);
  const principalArn = principalRoleArn(request.principal);
  if (!map.has('aws:principalarn')) map.set('aws:principalarn', principalArn);
  const account = accountOf(principalArn);
  if (account && !map.has('aws:principalaccount')) map.set('aws:principalaccount', account);
  if (!map.has('aws:principaltype')) {
    if (/:user\//.test(principalArn)) map.set('aws:principaltype', 'User');
    else if (/:assumed-role\//.test(request.principal)) map.set('aws:principaltype', 'AssumedRole');
  }
  return { get: (key) => map.get(key), missing: request.missingKeys ?? 'absent' };
}

function patternsMatch(
  patterns: readonly string[],
  value: string,
  keys: ConditionKeys,
  isAction: boolean,
): Tri {
  return or(
    patterns.map((raw): Tri => {
      const pattern = isAction ? raw : substitute(raw, keys);
      if (pattern === undefined) return false;
      if (pattern === 'unknown') return 'unknown';
      return isAction ? globMatch(pattern, value, true) : arnMatch(pattern, value);
    }),
  );
}

function principalMatches(block: PrincipalBlock, request: Request): boolean {
  if (block.any) return true;
  const roleArn = principalRoleArn(request.principal);
  const account = accountOf(roleArn);
  return block.AWS.some((p) => {
    if (p === request.principal || p === roleArn) return true;
    // A role ARN with a path (`role/path/name`) still names the same role.
    if (/:role\//.test(p) && p.split('/').pop() === roleArn.split('/').pop() && accountOf(p) === account)
      return true;
    return p === account || p === `arn:aws:iam::${account}:root`;
  });
}

/** Does a statement apply to the request? Principal, action, resource, then conditions. */
export function statementApplies(statement: Statement, request: Request, keys = keysFor(request)): Tri {
  if (statement.principal && !principalMatches(statement.principal, request)) return false;
  if (statement.notPrincipal && principalMatches(statement.notPrincipal, request)) return false;
  const action = statement.action
    ? patternsMatch(statement.action, request.action, keys, true)
    : statement.notAction
      ? negate(patternsMatch(statement.notAction, request.action, keys, true))
      : false;
  if (action === false) return false;
  // A statement with neither Resource nor NotResource (resource-based policies, SCPs) applies to any resource.
  const resource = statement.resource
    ? patternsMatch(statement.resource, request.resource, keys, false)
    : statement.notResource
      ? negate(patternsMatch(statement.notResource, request.resource, keys, false))
      : true;
  if (resource === false) return false;
  const condition = evaluateConditions(statement.condition, keys);
  if (condition === false) return false;
  return action === true && resource === true && condition === true ? true : 'unknown';
}

function negate(t: Tri): Tri {
  return t === 'unknown' ? 'unknown' : !t;
}

interface LayerResult {
  allows: Citation[];
  denies: Citation[];
}

function scan(policies: readonly Policy[], request: Request, keys: ConditionKeys): LayerResult {
  const out: LayerResult = { allows: [], denies: [] };
  for (const policy of policies)
    for (const statement of policy.statements) {
      const applies = statementApplies(statement, request, keys);
      if (applies === false) continue;
      const citation = { policyId: policy.id, kind: policy.kind, statement, conditional: applies !== true };
      (statement.effect === 'Deny' ? out.denies : out.allows).push(citation);
    }
  return out;
}

function strongest(citations: Citation[]): Tri {
  if (citations.length === 0) return false;
  return citations.some((c) => !c.conditional) ? true : 'unknown';
}

/** Evaluates one request against the principal's and resource's policies. */
export function evaluateRequest(request: Request, policies: PolicySet): Evaluation {
  const keys = keysFor(request);
  const identity = scan(policies.identity, request, keys);
  const resource = scan(policies.resource ?? [], request, keys);
  const boundary = policies.boundary ? scan([policies.boundary], request, keys) : undefined;
  const scpLevels = (policies.scps ?? []).map((level) => scan(level, request, keys));

  const denies = [
    ...scpLevels.flatMap((l) => l.denies),
    ...(boundary?.denies ?? []),
    ...identity.denies,
    ...resource.denies,
  ];
  const hardDeny = denies.filter((d) => !d.conditional);
  if (hardDeny.length > 0) return { decision: 'explicit-deny', allowedBy: [], deniedBy: hardDeny };

  let conditional = denies.length > 0;
  for (const [i, level] of scpLevels.entries()) {
    const allowed = strongest(level.allows);
    if (allowed === false)
      return {
        decision: 'implicit-deny',
        allowedBy: [],
        deniedBy: [],
        reason: `no service control policy at level ${i + 1} of the organisation allows ${request.action}`,
      };
    if (allowed === 'unknown') conditional = true;
  }

  const principalAccount = accountOf(principalRoleArn(request.principal));
  const resourceAccount = policies.resourceAccount ?? principalAccount;
  const crossAccount = resourceAccount !== undefined && resourceAccount !== principalAccount;
  const identityAllow = strongest(identity.allows);
  // Same account: a resource policy that names the principal grants on its own; one that names only the
  // account delegates to the account's identity policies. Cross-account: naming the account is enough
  // on the resource side (the caller's identity policies must still allow).
  const roleArn = principalRoleArn(request.principal);
  const onlyAccount = (c: Citation) =>
    !c.statement.principal?.any &&
    (c.statement.principal?.AWS ?? []).every((p) => p === principalAccount || p.endsWith(':root'));
  const namedAllows = crossAccount ? resource.allows : resource.allows.filter((c) => !onlyAccount(c));
  const resourceAllow = strongest(namedAllows);

  let boundaryAllow: Tri = true;
  if (boundary) boundaryAllow = strongest(boundary.allows);
  // The boundary limits identity-based grants; a same-account resource policy naming the user or the
  // session directly is not limited by it (named role ARNs are: sessions inherit the role's boundary).
  const identityEffective: Tri =
    identityAllow === false || boundaryAllow === false
      ? false
      : identityAllow === true && boundaryAllow === true
        ? true
        : 'unknown';
  const resourceBypassesBoundary = namedAllows.some(
    (c) => c.statement.principal?.AWS.some((p) => p === request.principal && p !== roleArn) ?? false,
  );
  const resourceEffective: Tri =
    boundary && !resourceBypassesBoundary
      ? resourceAllow === false || boundaryAllow === false
        ? false
        : resourceAllow === true && boundaryAllow === true
          ? true
          : 'unknown'
      : resourceAllow;

  let granted: Tri;
  let allowedBy: Citation[];
  if (crossAccount) {
    // Cross-account: both the caller's identity policies and the resource policy must allow.
    granted =
      identityEffective === false || resourceEffective === false
        ? false
        : identityEffective === true && resourceEffective === true
          ? true
          : 'unknown';
    allowedBy = [...identity.allows, ...namedAllows];
  } else {
    granted = or([identityEffective, resourceEffective]);
    allowedBy = [
      ...(identityEffective !== false ? identity.allows : []),
      ...(resourceEffective !== false ? namedAllows : []),
    ];
  }
  if (granted === false) {
    const reason =
      identityAllow !== false && boundaryAllow === false
        ? `the permissions boundary ${boundary ? policies.boundary?.id : ''} does not allow ${request.action}`
        : crossAccount && identityEffective !== false
          ? `the resource policy of account ${resourceAccount} does not grant ${request.action} to this principal`
          : `no identity-based or resource-based policy allows ${request.action}`;
    return { decision: 'implicit-deny', allowedBy: [], deniedBy: [], reason };
  }
  if (granted === 'unknown') conditional = true;
  return { decision: conditional ? 'conditional' : 'allow', allowedBy, deniedBy: denies };
}

/** Allowed, possibly only under conditions Signet could not decide. */
export function canPerform(evaluation: Evaluation): boolean {
  return evaluation.decision === 'allow' || evaluation.decision === 'conditional';
}
