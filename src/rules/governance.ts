// Shared pieces of the governance rules (SGN-009..014): the IAM principals of each account with their
// effective policies (identity, groups, boundary, SCPs) evaluated by src/iam, pipeline principal
// matching, CloudTrail actors, and the evidence findings show (event ids, policy + statement).

import { arnMatch } from '../iam/glob.js';
import {
  type Citation,
  type Evaluation,
  evaluateRequest,
  type Policy,
  PolicyParseError,
  parsePolicy,
  statementLabel,
} from '../iam/index.js';
import type { ResourceRef } from '../model/finding.js';
import type { IamAccountDetails, TrailActor, TrailEvent } from '../model/governance.js';
import type { Snapshot, SnapshotPart } from '../model/snapshot.js';
import { GLOBAL_REGION } from '../model/values.js';
import type { RuleContext, RuleOutcome } from './rule.js';

/** Changing what a Lambda function runs (SGN-011). */
export const DEPLOY_ACTIONS = [
  'lambda:CreateFunction',
  'lambda:UpdateFunctionCode',
  'lambda:UpdateFunctionConfiguration',
  'lambda:PublishLayerVersion',
] as const;
export const SIGN_ACTION = 'signer:StartSigningJob';
/** Administering signing (SGN-012). */
export const SIGNING_ADMIN_ACTIONS = [
  'signer:PutSigningProfile',
  'signer:CancelSigningProfile',
  'signer:RevokeSignature',
  'signer:RevokeSigningProfile',
  'signer:AddProfilePermission',
  'signer:RemoveProfilePermission',
] as const;
/** Weakening code signing enforcement (SGN-013). */
export const TAMPER_ACTIONS = [
  'lambda:DeleteFunctionCodeSigningConfig',
  'lambda:PutFunctionCodeSigningConfig',
  'lambda:UpdateCodeSigningConfig',
  'lambda:DeleteCodeSigningConfig',
] as const;

export interface IamPrincipal {
  arn: string;
  kind: 'user' | 'role';
  name: string;
  accountId: string;
  groups: string[];
  identity: Policy[];
  boundary?: Policy;
  /** AWS service-linked roles: assumed only by their service, outside SCPs and human reach. */
  serviceLinked: boolean;
  /** Policies Signet could not parse: conclusions about this principal are uncertain. */
  unreadable: string[];
}

export interface ScpView {
  /** Whether SCPs restrict this account (false: management account, or no organisation). */
  apply: boolean;
  levels: Policy[][];
  note?: string;
  unreadable: string[];
}

function safeParse(
  document: string,
  id: string,
  kind: Policy['kind'],
  unreadable: string[],
): Policy | undefined {
  try {
    return parsePolicy(document, id, kind);
  } catch (err) {
    if (err instanceof PolicyParseError) {
      unreadable.push(err.message);
      return undefined;
    }
    throw err;
  }
}

function principalsOf(details: IamAccountDetails): IamPrincipal[] {
  const managed = new Map(details.policies.map((p) => [p.arn, p]));
  const out: IamPrincipal[] = [];
  const resolve = (arn: string, kind: Policy['kind'], unreadable: string[]): Policy | undefined => {
    const policy = managed.get(arn);
    if (!policy) {
      unreadable.push(`managed policy ${arn} was not in the authorization details`);
      return undefined;
    }
    return safeParse(policy.document, arn, kind, unreadable);
  };
  const groups = new Map(details.groups.map((g) => [g.name, g]));
  const holder = (
    kind: 'user' | 'role',
    h: {
      arn: string;
      name: string;
      attachedPolicies: string[];
      inlinePolicies: { name: string; document: string }[];
      permissionsBoundary?: string;
    },
    groupNames: string[],
  ) => {
    const unreadable: string[] = [];
    const identity: Policy[] = [];
    const add = (p: Policy | undefined) => {
      if (p) identity.push(p);
    };
    for (const arn of h.attachedPolicies) add(resolve(arn, 'identity', unreadable));
    for (const inline of h.inlinePolicies)
      add(
        safeParse(inline.document, `${kind} ${h.name} inline policy ${inline.name}`, 'identity', unreadable),
      );
    for (const name of groupNames) {
      const group = groups.get(name);
      if (!group) {
        unreadable.push(`group ${name} was not in the authorization details`);
        continue;
      }
      for (const arn of group.attachedPolicies) add(resolve(arn, 'identity', unreadable));
      for (const inline of group.inlinePolicies)
        add(safeParse(inline.document, `group ${name} inline policy ${inline.name}`, 'identity', unreadable));
    }
    const boundary = h.permissionsBoundary
      ? resolve(h.permissionsBoundary, 'boundary', unreadable)
      : undefined;
    out.push({
      arn: h.arn,
      kind,
      name: h.name,
      accountId: details.accountId,
      groups: groupNames,
      identity,
      ...(boundary ? { boundary } : {}),
      serviceLinked: /:role\/aws-service-role\//.test(h.arn),
      unreadable,
    });
  };
  for (const u of details.users) holder('user', u, u.groups);
  for (const r of details.roles) holder('role', r, []);
  return out;
}

/** Effective-permission questions over a snapshot's IAM and SCP data, built once per evaluation. */
export class GovernanceView {
  private readonly principals = new Map<string, IamPrincipal[]>();
  private readonly scpCache = new Map<string, ScpView>();

  constructor(private readonly snapshot: Snapshot) {
    for (const details of snapshot.governance?.iam ?? [])
      this.principals.set(details.accountId, principalsOf(details));
  }

  principalsOf(accountId: string): IamPrincipal[] | undefined {
    return this.principals.get(accountId);
  }

  scps(accountId: string): ScpView | undefined {
    const org = this.snapshot.governance?.organization;
    if (!org) return undefined;
    const cached = this.scpCache.get(accountId);
    if (cached) return cached;
    let view: ScpView;
    if (org.inOrganization === false)
      view = { apply: false, levels: [], note: 'not in an organisation', unreadable: [] };
    else if (accountId === org.managementAccountId)
      view = { apply: false, levels: [], note: 'SCPs never apply to the management account', unreadable: [] };
    else {
      const path = org.accountPaths[accountId];
      const unreadable: string[] = [];
      const byId = new Map(org.policies.map((p) => [p.id, p]));
      // AWS keeps at least one SCP on every root, OU and account while SCPs are enabled; a target with
      // none in the data (an emulator, a partial read) is treated as unrestricted, the reading that never
      // hides a violation (SGN-011..013) and never invents a guardrail (SGN-014).
      const levels = (path ?? [])
        .filter((target) => (org.attachments[target] ?? []).length > 0)
        .map((target) =>
          (org.attachments[target] ?? []).flatMap((id) => {
            const p = byId.get(id);
            const parsed = p ? safeParse(p.content, `SCP ${p.name} (${p.id})`, 'scp', unreadable) : undefined;
            return parsed ? [parsed] : [];
          }),
        );
      view = path
        ? { apply: true, levels, unreadable }
        : { apply: false, levels: [], note: 'not a member of the scanned organisation', unreadable };
    }
    this.scpCache.set(accountId, view);
    return view;
  }

  /** Can `principal` perform `action` on `resource`? Conditions Signet cannot know make it `conditional`. */
  can(principal: IamPrincipal, action: string, resource: string, withScps = true): Evaluation {
    const scp = withScps && !principal.serviceLinked ? this.scps(principal.accountId) : undefined;
    return evaluateRequest(
      { principal: principal.arn, action, resource, missingKeys: 'unknown' },
      {
        identity: principal.identity,
        ...(principal.boundary ? { boundary: principal.boundary } : {}),
        ...(scp?.apply ? { scps: scp.levels } : {}),
      },
    );
  }
}

const views = new WeakMap<Snapshot, GovernanceView>();

export function governanceView(ctx: RuleContext): GovernanceView {
  let view = views.get(ctx.snapshot);
  if (!view) {
    view = new GovernanceView(ctx.snapshot);
    views.set(ctx.snapshot, view);
  }
  return view;
}

/** Role ARNs match patterns with or without their path (`role/ci/deploy` also as `role/deploy`); `*` matches anyone. */
export function matchesAny(patterns: readonly string[], arn: string): boolean {
  const withoutPath = arn.replace(/:(role|user)\/(?:.*\/)?([^/]+)$/, ':$1/$2');
  return patterns.some((p) => arnMatch(p, arn) || arnMatch(p, withoutPath));
}

/** The principal behind a CloudTrail actor: the role for assumed-role sessions. */
export function actorArn(actor: TrailActor): string | undefined {
  if (actor.type === 'AssumedRole') return actor.roleArn ?? actor.arn;
  if (actor.type === 'Root' && !actor.arn && actor.accountId) return `arn:aws:iam::${actor.accountId}:root`;
  return actor.arn;
}

export function describeActor(actor: TrailActor): string {
  if (actor.type === 'AssumedRole') {
    const session = actor.arn?.split('/').pop();
    return `role ${actor.roleArn ?? actor.arn ?? '?'}${session ? ` (session ${session})` : ''}`;
  }
  if (actor.type === 'IAMUser') return `IAM user ${actor.arn ?? actor.userName ?? '?'}`;
  if (actor.type === 'Root') return `the root user of ${actor.accountId ?? '?'}`;
  return `${actor.type} ${actor.arn ?? actor.invokedBy ?? '?'}`;
}

/** What a finding shows about a CloudTrail event. */
export function eventEvidence(e: TrailEvent): Record<string, unknown> {
  return {
    eventId: e.eventId,
    eventName: e.eventName,
    eventTime: e.eventTime,
    principal: actorArn(e.actor) ?? e.actor.type,
    principalType: e.actor.type,
    ...(e.actor.arn ? { callerArn: e.actor.arn } : {}),
    ...(e.sourceIPAddress ? { sourceIPAddress: e.sourceIPAddress } : {}),
    ...(e.userAgent ? { userAgent: e.userAgent } : {}),
  };
}

export function eventSentence(e: TrailEvent): string {
  return `${describeActor(e.actor)} at ${e.eventTime} from ${e.sourceIPAddress ?? '?'} (${e.userAgent ?? 'unknown agent'}), event ${e.eventId}`;
}

/** "arn:aws:iam::1:policy/deploy statement 0 (Sid Deploy)" — where a permission comes from. */
export function citationText(c: Citation): string {
  return `${c.policyId} ${statementLabel(c.statement)}${c.conditional ? ' (under conditions)' : ''}`;
}

export function citationDetail(c: Citation): Record<string, unknown> {
  return {
    policy: c.policyId,
    statement: c.statement.index,
    ...(c.statement.sid ? { sid: c.statement.sid } : {}),
    effect: c.statement.effect,
    ...(c.conditional ? { conditional: true } : {}),
  };
}

export function principalRef(p: IamPrincipal): ResourceRef {
  return {
    type: 'iam-principal',
    id: p.arn,
    name: `${p.kind} ${p.name}`,
    arn: p.arn,
    accountId: p.accountId,
    region: GLOBAL_REGION,
    provenance: { source: 'aws', arn: p.arn, accountId: p.accountId, region: GLOBAL_REGION },
  };
}

/**
 * An account (or one of its regions) as a finding's resource; its ARN is the account root's in the scanned
 * partition (`arn:aws-cn:iam::123456789012:root`).
 */
export function accountRef(
  ctx: Pick<RuleContext, 'snapshot'>,
  accountId: string,
  region = GLOBAL_REGION,
  name?: string,
): ResourceRef {
  const id = region === GLOBAL_REGION ? `account:${accountId}` : `account:${accountId}:${region}`;
  return {
    type: 'account',
    id,
    name: name ?? (region === GLOBAL_REGION ? `account ${accountId}` : `account ${accountId} ${region}`),
    accountId,
    region,
    provenance: {
      source: 'aws',
      arn: `arn:${ctx.snapshot.partition ?? 'aws'}:iam::${accountId}:root`,
      accountId,
      region,
    },
  };
}

/** UNKNOWN when the pipeline is not configured (the rule cannot tell a pipeline from a person). */
export function needsPipeline(
  ctx: RuleContext,
  resource: ResourceRef,
  which: 'deployers' | 'signers' | 'admins',
): RuleOutcome | undefined {
  if (ctx.policy.pipeline?.[which] !== undefined) return undefined;
  return {
    status: 'UNKNOWN',
    resource,
    message: `Cannot tell without a pipeline: configure pipeline.${which} (and the other pipeline principals) in signet.config.yaml — see signet init.`,
    details: { missing: `pipeline.${which}` },
  };
}

/** Lambda records versioned event names (`UpdateFunctionCode20150331v2`); match by prefix. */
export function eventIs(e: TrailEvent, name: string): boolean {
  return (
    e.eventName === name || (e.eventName.startsWith(name) && /^\d{8}/.test(e.eventName.slice(name.length)))
  );
}

/** The function a Lambda event names (requestParameters.functionName: name, ARN or partial ARN). */
export function eventFunctionName(e: TrailEvent): string | undefined {
  const raw = e.requestParameters?.functionName;
  if (typeof raw !== 'string') return undefined;
  const parts = raw.split(':');
  // arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER], ACCOUNT:function:NAME[:QUALIFIER] or
  // NAME[:QUALIFIER] — by position, so a function or alias named "function" is read right.
  if (parts[0] === 'arn') return parts[6];
  if (/^\d{12}$/.test(parts[0]!) && parts[1] === 'function') return parts[2];
  return parts[0];
}

export function trailEvents(ctx: RuleContext): TrailEvent[] {
  return ctx.snapshot.governance?.trailEvents ?? [];
}

export interface Grant {
  action: string;
  resource: string;
  evaluation: Evaluation;
}

/**
 * The first (action, resource) the principal is allowed, preferring an unconditional grant over one
 * that holds only under conditions; undefined when none is allowed.
 */
export function firstGrant(
  view: GovernanceView,
  principal: IamPrincipal,
  actions: readonly string[],
  resources: readonly string[],
  resourcePolicies?: (resource: string) => { policies: Policy[]; account: string } | undefined,
): Grant | undefined {
  let conditional: Grant | undefined;
  // SCPs never restrict service-linked roles (as in `view.can`).
  const scp = principal.serviceLinked ? undefined : view.scps(principal.accountId);
  for (const resource of resources)
    for (const action of actions) {
      const extra = resourcePolicies?.(resource);
      const evaluation = extra
        ? evaluateRequest(
            { principal: principal.arn, action, resource, missingKeys: 'unknown' },
            {
              identity: principal.identity,
              ...(principal.boundary ? { boundary: principal.boundary } : {}),
              resource: extra.policies,
              resourceAccount: extra.account,
              ...(scp?.apply ? { scps: scp.levels } : {}),
            },
          )
        : view.can(principal, action, resource);
      if (evaluation.decision === 'allow') return { action, resource, evaluation };
      if (evaluation.decision === 'conditional' && !conditional)
        conditional = { action, resource, evaluation };
    }
  return conditional;
}

export function grantText(g: Grant): string {
  const by = g.evaluation.allowedBy.map(citationText).join('; ') || 'no statement';
  return `${g.action} on ${g.resource} (granted by ${by}${g.evaluation.decision === 'conditional' ? '; only under conditions Signet cannot check' : ''})`;
}

export function grantDetail(g: Grant): Record<string, unknown> {
  return {
    action: g.action,
    resource: g.resource,
    decision: g.evaluation.decision,
    grantedBy: g.evaluation.allowedBy.map(citationDetail),
    ...(g.evaluation.deniedBy.length ? { mayBeDeniedBy: g.evaluation.deniedBy.map(citationDetail) } : {}),
  };
}

/**
 * Account-wide conclusions rest on regional parts too (functions, profiles): the first region of the
 * account where one of them was not collected, as a sentence, or undefined when all were.
 */
export function regionalGap(
  ctx: RuleContext,
  accountId: string,
  parts: readonly SnapshotPart[],
): string | undefined {
  for (const region of ctx.snapshot.regions)
    for (const part of parts) {
      // Each part on its own: a part that was not collected must not hide one that failed.
      if (ctx.index.partStatus(part, accountId, region) !== 'failed') continue;
      const cause = ctx.index.errorFor(part, accountId, region);
      return `${part} of ${accountId}/${region} could not be collected${cause ? ` (${cause})` : ''}`;
    }
  return undefined;
}

/** UNKNOWN for an account whose IAM authorization details are missing, with the collection error. */
export function iamMissing(ctx: RuleContext, accountId: string): RuleOutcome {
  const cause = ctx.index.errorFor('iam', accountId, GLOBAL_REGION);
  return {
    status: 'UNKNOWN',
    resource: accountRef(ctx, accountId),
    message: `Cannot tell: IAM authorization details of ${accountId} were not collected${cause ? ` (${cause})` : ''}; allow iam:GetAccountAuthorizationDetails and scan again.`,
    details: { missingPart: 'iam' },
  };
}

/** Parts principal-level outcomes rest on (IAM; SCPs when a grant is asserted). */
export const GRANT_PARTS: readonly SnapshotPart[] = ['iam', 'organizationPolicies'];
export const IAM_PARTS: readonly SnapshotPart[] = ['iam'];
