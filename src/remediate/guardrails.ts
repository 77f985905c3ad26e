// `signet guardrails scp`: a Service Control Policy that keeps code signing from being bypassed —
// no CreateFunction without an (allowed) CSC, and only admin roles may change CSCs or signing profiles.
import { UsageError } from '../errors.js';

/** AWS Organizations' size quota for one SCP document. */
export const SCP_MAX_CHARS = 5120;

/** Actions only the admin roles may call: they could detach, weaken or delete enforcement. */
export const PROTECTED_ACTIONS = [
  'lambda:DeleteFunctionCodeSigningConfig',
  'lambda:PutFunctionCodeSigningConfig',
  'lambda:UpdateCodeSigningConfig',
  'lambda:DeleteCodeSigningConfig',
  'signer:CancelSigningProfile',
  'signer:RevokeSignature',
  'signer:RevokeSigningProfile',
  'signer:PutSigningProfile',
  'signer:AddProfilePermission',
];

/** The role `signet apply` uses in member accounts: kept able to remediate unless told otherwise. */
/** Any partition: an SCP written for `aws` must not lock the admin role out in `aws-cn` / `aws-us-gov`. */
export const DEFAULT_ADMIN_ROLE = 'arn:*:iam::*:role/OrganizationAccountAccessRole';

export interface ScpOptions {
  /** CSC ARNs (or `*` patterns) CreateFunction may name; empty = any CSC. */
  allowedCscs: string[];
  /** Principal ARN patterns exempt from the protected-action deny. */
  adminRoles: string[];
}

interface Statement {
  Sid: string;
  Effect: 'Deny';
  Action: string | string[];
  Resource: '*';
  Condition: Record<string, Record<string, string | string[]>>;
}

export interface ScpDocument {
  Version: '2012-10-17';
  Statement: Statement[];
}

const CSC_ARN =
  /^arn:aws[a-z-]*:lambda:([a-z0-9-]+|\*):(\d{12}|\*):code-signing-config:(csc-[a-z0-9]{17}|\*|csc-\*)$/;
const PRINCIPAL = /^arn:(aws[a-z-]*|\*):(iam|sts)::(\d{12}|\*):[A-Za-z0-9+=,.@_\-/*]+$/;

function check(options: ScpOptions): void {
  for (const csc of options.allowedCscs)
    if (!CSC_ARN.test(csc))
      throw new UsageError(
        `--allowed-csc ${csc} is not a code signing config ARN (arn:aws:lambda:REGION:ACCOUNT:code-signing-config:csc-…, * allowed)`,
      );
  for (const role of options.adminRoles)
    if (!PRINCIPAL.test(role))
      throw new UsageError(
        `--admin-role ${role} is not an IAM principal ARN pattern (e.g. arn:aws:iam::*:role/Admin)`,
      );
}

export function scpStatements(options: ScpOptions): Statement[] {
  check(options);
  const statements: Statement[] = [
    {
      Sid: 'SignetDenyCreateFunctionWithoutCsc',
      Effect: 'Deny',
      Action: 'lambda:CreateFunction',
      Resource: '*',
      Condition: { Null: { 'lambda:CodeSigningConfigArn': 'true' } },
    },
  ];
  if (options.allowedCscs.length) {
    statements.push({
      Sid: 'SignetDenyCreateFunctionWithUnapprovedCsc',
      Effect: 'Deny',
      Action: 'lambda:CreateFunction',
      Resource: '*',
      // lambda:CodeSigningConfigArn is single-valued: a plain ArnNotLike, no ForAnyValue.
      Condition: { ArnNotLike: { 'lambda:CodeSigningConfigArn': [...options.allowedCscs].sort() } },
    });
  }
  statements.push({
    Sid: 'SignetProtectCodeSigning',
    Effect: 'Deny',
    Action: PROTECTED_ACTIONS,
    Resource: '*',
    Condition: { ArnNotLike: { 'aws:PrincipalArn': [...options.adminRoles].sort() } },
  });
  return statements;
}

/** Minified size, as Organizations counts it (Signet writes minified JSON). */
function size(doc: ScpDocument): number {
  return JSON.stringify(doc).length;
}

/**
 * The SCP(s): one document when it fits in 5,120 characters, otherwise one per statement. A statement's
 * value lists are never split: splitting an `ArnNotLike` list across policies would deny everything.
 */
export function buildScps(options: ScpOptions): ScpDocument[] {
  const statements = scpStatements(options);
  const whole: ScpDocument = { Version: '2012-10-17', Statement: statements };
  if (size(whole) <= SCP_MAX_CHARS) return [whole];
  const docs: ScpDocument[] = [];
  let current: ScpDocument = { Version: '2012-10-17', Statement: [] };
  for (const statement of statements) {
    const single: ScpDocument = { Version: '2012-10-17', Statement: [statement] };
    if (size(single) > SCP_MAX_CHARS)
      throw new UsageError(
        `statement ${statement.Sid} alone is ${size(single)} characters, over the SCP limit of ${SCP_MAX_CHARS}; use * patterns in --allowed-csc/--admin-role to shorten it`,
      );
    const next: ScpDocument = { Version: '2012-10-17', Statement: [...current.Statement, statement] };
    if (current.Statement.length && size(next) > SCP_MAX_CHARS) {
      docs.push(current);
      current = single;
    } else current = next;
  }
  docs.push(current);
  return docs;
}

/** What an SCP cannot express, printed beside the policy. */
export const SCP_LIMITS = [
  'UpdateFunctionCode has no code-signing condition key: the CSC itself (in Enforce) blocks unsigned code there.',
  'The CreateFunction deny also blocks container-image functions (they cannot use a CSC); create those from an exempt account or principal.',
  'SCPs do not restrict the management account or service-linked roles.',
];

/** Pretty JSON when it fits the limit, minified otherwise. */
export function renderScp(doc: ScpDocument): string {
  const pretty = JSON.stringify(doc, null, 2);
  return pretty.length <= SCP_MAX_CHARS ? `${pretty}\n` : `${JSON.stringify(doc)}\n`;
}

/** File names for split policies: `scp.json` → `scp-1.json`, `scp-2.json`. */
export function splitFileNames(file: string, count: number): string[] {
  if (count === 1) return [file];
  const dot = file.lastIndexOf('.');
  const base = dot > file.lastIndexOf('/') ? file.slice(0, dot) : file;
  const ext = dot > file.lastIndexOf('/') ? file.slice(dot) : '.json';
  return Array.from({ length: count }, (_, i) => `${base}-${i + 1}${ext}`);
}
