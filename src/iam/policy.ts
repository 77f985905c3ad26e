// IAM policy documents as Signet reads them: parsed from JSON (or the URL-encoded JSON IAM returns),
// normalised so every list-or-string field is a list, with a stable reference to each statement.

export type Effect = 'Allow' | 'Deny';

/** Condition block: operator → key → values (booleans and numbers kept as strings, as IAM compares them). */
export type ConditionBlock = Record<string, Record<string, string[]>>;

export interface PrincipalBlock {
  /** `*` (anyone) or a map of principal type → values. */
  any: boolean;
  AWS: string[];
  Service: string[];
  Federated: string[];
  CanonicalUser: string[];
}

export interface Statement {
  /** Position in the document (0-based) and Sid, for citing the statement that decided. */
  index: number;
  sid?: string;
  effect: Effect;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  principal?: PrincipalBlock;
  notPrincipal?: PrincipalBlock;
  condition?: ConditionBlock;
}

/** A policy with a name users recognise (managed policy ARN, `role/NAME inline POLICY`, SCP id …). */
export interface Policy {
  id: string;
  /** What kind of policy it is, for messages. */
  kind: 'identity' | 'resource' | 'boundary' | 'scp';
  statements: Statement[];
}

export class PolicyParseError extends Error {
  constructor(
    readonly policyId: string,
    message: string,
  ) {
    super(`policy ${policyId}: ${message}`);
    this.name = 'PolicyParseError';
  }
}

function strings(value: unknown, field: string, policyId: string): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw new PolicyParseError(policyId, `${field} must be a string or a list of strings`);
}

function conditionValues(value: unknown, field: string, policyId: string): string[] {
  const one = (v: unknown): string => {
    if (typeof v === 'string') return v;
    if (typeof v === 'boolean' || typeof v === 'number') return String(v);
    throw new PolicyParseError(policyId, `${field} values must be strings, numbers or booleans`);
  };
  return Array.isArray(value) ? value.map(one) : [one(value)];
}

function principal(value: unknown, field: string, policyId: string): PrincipalBlock {
  const block: PrincipalBlock = { any: false, AWS: [], Service: [], Federated: [], CanonicalUser: [] };
  if (value === '*') return { ...block, any: true };
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new PolicyParseError(policyId, `${field} must be "*" or an object such as {"AWS": "…"}`);
  for (const [type, v] of Object.entries(value as Record<string, unknown>)) {
    if (type !== 'AWS' && type !== 'Service' && type !== 'Federated' && type !== 'CanonicalUser')
      throw new PolicyParseError(policyId, `${field} has an unknown principal type ${type}`);
    const values = strings(v, `${field}.${type}`, policyId);
    block[type].push(...values);
    if (type === 'AWS' && values.includes('*')) block.any = true;
  }
  return block;
}

function statement(raw: unknown, index: number, policyId: string): Statement {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new PolicyParseError(policyId, `statement ${index} is not an object`);
  const s = raw as Record<string, unknown>;
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny')
    throw new PolicyParseError(
      policyId,
      `statement ${index} has Effect ${String(s.Effect)}; use Allow or Deny`,
    );
  if ((s.Action === undefined) === (s.NotAction === undefined))
    throw new PolicyParseError(policyId, `statement ${index} needs exactly one of Action and NotAction`);
  if (s.Resource !== undefined && s.NotResource !== undefined)
    throw new PolicyParseError(policyId, `statement ${index} has both Resource and NotResource`);
  const out: Statement = { index, effect: s.Effect };
  if (typeof s.Sid === 'string' && s.Sid !== '') out.sid = s.Sid;
  if (s.Action !== undefined) out.action = strings(s.Action, 'Action', policyId);
  if (s.NotAction !== undefined) out.notAction = strings(s.NotAction, 'NotAction', policyId);
  if (s.Resource !== undefined) out.resource = strings(s.Resource, 'Resource', policyId);
  if (s.NotResource !== undefined) out.notResource = strings(s.NotResource, 'NotResource', policyId);
  if (s.Principal !== undefined) out.principal = principal(s.Principal, 'Principal', policyId);
  if (s.NotPrincipal !== undefined) out.notPrincipal = principal(s.NotPrincipal, 'NotPrincipal', policyId);
  if (s.Condition !== undefined) {
    if (!s.Condition || typeof s.Condition !== 'object' || Array.isArray(s.Condition))
      throw new PolicyParseError(policyId, `statement ${index} Condition must be an object`);
    const block: ConditionBlock = {};
    for (const [operator, keys] of Object.entries(s.Condition as Record<string, unknown>)) {
      if (!keys || typeof keys !== 'object' || Array.isArray(keys))
        throw new PolicyParseError(policyId, `statement ${index} Condition.${operator} must be an object`);
      const entry: Record<string, string[]> = {};
      for (const [key, values] of Object.entries(keys as Record<string, unknown>))
        entry[key] = conditionValues(values, `Condition.${operator}.${key}`, policyId);
      block[operator] = entry;
    }
    out.condition = block;
  }
  return out;
}

/**
 * Parses a policy document: an object, a JSON string, or the URL-encoded JSON that IAM's
 * GetAccountAuthorizationDetails and GetPolicyVersion return.
 */
export function parsePolicy(document: unknown, id: string, kind: Policy['kind']): Policy {
  let doc = document;
  if (typeof doc === 'string') {
    let text = doc.trim();
    if (/^%7B/i.test(text)) {
      try {
        text = decodeURIComponent(text);
      } catch {
        throw new PolicyParseError(id, 'document is neither JSON nor URL-encoded JSON');
      }
    }
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new PolicyParseError(id, `document is not valid JSON (${(err as Error).message})`);
    }
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new PolicyParseError(id, 'document must be a JSON object with a Statement');
  const raw = (doc as Record<string, unknown>).Statement;
  if (raw === undefined) throw new PolicyParseError(id, 'document has no Statement');
  const list = Array.isArray(raw) ? raw : [raw];
  return { id, kind, statements: list.map((s, i) => statement(s, i, id)) };
}

/** "statement 2 (Sid DenyNoCsc)" — how findings cite a statement. */
export function statementLabel(s: Statement): string {
  return s.sid ? `statement ${s.index} (Sid ${s.sid})` : `statement ${s.index}`;
}
