// Turns CloudTrail records into code signing alerts: blocked deployments, Warn-mode deployments of
// unverified code, CSCs detached/downgraded/deleted, signing profiles cancelled or revoked. Pure.
import type { HistoryEvent, HistoryEventKind } from '../history/record.js';

export interface Alert {
  /** The CloudTrail event id: alerts are deduplicated by it. */
  id: string;
  kind: HistoryEventKind;
  severity: 'critical' | 'high' | 'medium';
  /** What happened, one line. */
  title: string;
  accountId: string;
  region: string;
  /** Function, layer, CSC or signing profile concerned. */
  resource: string;
  /** Who: the IAM user or role ARN (assumed-role sessions map to their role), with the session. */
  principal: string;
  session?: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  errorCode?: string;
  errorMessage?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  /** The next step for whoever receives the alert. */
  next: string;
}

/** A LookupEvents result: the fields Signet reads. */
export interface TrailEvent {
  EventId?: string;
  EventName?: string;
  EventTime?: Date | string;
  EventSource?: string;
  CloudTrailEvent?: string;
}

const DEPLOY_PREFIXES = [
  'CreateFunction',
  'UpdateFunctionCode',
  'PublishLayerVersion',
  'UpdateFunctionConfiguration',
];
const VALIDATION_ERRORS = new Set(['CodeVerificationFailedException', 'InvalidCodeSignatureException']);

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

/** CloudTrail keys are lowerCamelCase; be lenient with PascalCase from other recorders. */
function field(obj: Json | undefined, name: string): unknown {
  if (!obj) return undefined;
  if (name in obj) return obj[name];
  const pascal = name.charAt(0).toUpperCase() + name.slice(1);
  return obj[pascal];
}

function text(obj: Json | undefined, name: string): string | undefined {
  const v = field(obj, name);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The principal as a stable ARN: an assumed-role session becomes its role's ARN. */
export function principalOf(record: Json): { principal: string; session?: string } {
  const identity = asObject(record.userIdentity);
  if (!identity) return { principal: 'unknown' };
  const type = text(identity, 'type');
  if (type === 'AssumedRole') {
    const issuer = asObject(asObject(identity.sessionContext)?.sessionIssuer);
    const arn = text(identity, 'arn') ?? '';
    const session = /assumed-role\/[^/]+\/(.+)$/.exec(arn)?.[1];
    return { principal: text(issuer, 'arn') ?? arn, ...(session ? { session } : {}) };
  }
  if (type === 'AWSService') return { principal: text(identity, 'invokedBy') ?? 'AWS service' };
  return { principal: text(identity, 'arn') ?? text(identity, 'principalId') ?? type ?? 'unknown' };
}

function functionName(params: Json | undefined): string | undefined {
  const name = text(params, 'functionName');
  if (!name) return undefined;
  // Accept names and ARNs; report the name.
  const arn = /^arn:aws[a-z-]*:lambda:[^:]+:\d{12}:function:([^:]+)/.exec(name);
  return arn?.[1] ?? name;
}

function deployResource(eventName: string, params: Json | undefined): string {
  if (eventName.startsWith('PublishLayerVersion')) return `layer ${text(params, 'layerName') ?? '?'}`;
  return functionName(params) ?? '?';
}

function policyOf(params: Json | undefined): string | undefined {
  const policies = asObject(field(params, 'codeSigningPolicies'));
  return text(policies, 'untrustedArtifactOnDeployment');
}

/** `additionalEventData.codeSigningValidation` (the sandbox's field; AWS does not document its own). */
function validationOf(record: Json): Json | undefined {
  return asObject(field(asObject(record.additionalEventData), 'codeSigningValidation'));
}

function iso(time: Date | string | undefined, fallback: unknown): string {
  if (time instanceof Date) return time.toISOString();
  if (typeof time === 'string') return new Date(time).toISOString();
  return typeof fallback === 'string' ? new Date(fallback).toISOString() : new Date(0).toISOString();
}

export function classifyEvent(event: TrailEvent, accountId: string, region: string): Alert | undefined {
  if (!event.CloudTrailEvent || !event.EventId) return undefined;
  let record: Json;
  try {
    record = JSON.parse(event.CloudTrailEvent) as Json;
  } catch {
    return undefined;
  }
  const eventName = String(record.eventName ?? event.EventName ?? '');
  const eventSource = String(record.eventSource ?? event.EventSource ?? '');
  const errorCode = typeof record.errorCode === 'string' ? record.errorCode : undefined;
  const params = asObject(record.requestParameters);
  const { principal, session } = principalOf(record);
  const base = {
    id: event.EventId,
    accountId: typeof record.recipientAccountId === 'string' ? record.recipientAccountId : accountId,
    region: typeof record.awsRegion === 'string' ? record.awsRegion : region,
    principal,
    ...(session ? { session } : {}),
    eventTime: iso(event.EventTime, record.eventTime),
    eventSource,
    eventName,
    ...(errorCode ? { errorCode } : {}),
    ...(typeof record.errorMessage === 'string' && record.errorMessage
      ? { errorMessage: record.errorMessage }
      : {}),
    ...(typeof record.sourceIPAddress === 'string' ? { sourceIPAddress: record.sourceIPAddress } : {}),
    ...(typeof record.userAgent === 'string' ? { userAgent: record.userAgent } : {}),
  };
  if (eventSource === 'lambda.amazonaws.com') {
    const isDeploy = DEPLOY_PREFIXES.some((p) => eventName.startsWith(p));
    if (isDeploy && errorCode && VALIDATION_ERRORS.has(errorCode)) {
      const resource = deployResource(eventName, params);
      return {
        ...base,
        kind: 'deployment-blocked',
        severity: 'high',
        resource,
        title: `Deployment blocked by code signing: ${eventName.replace(/\d{8}(v\d)?$/, '')} on ${resource} (${errorCode})`,
        next:
          errorCode === 'InvalidCodeSignatureException'
            ? 'The package was altered after signing or its signature is malformed: treat it as tampering, find who built it, rebuild and re-sign through the pipeline.'
            : 'Find out why unsigned or untrusted code was deployed: if legitimate, sign it through the pipeline (signet sign / signet deploy); if not, investigate the principal.',
      };
    }
    const validation = validationOf(record);
    if (isDeploy && !errorCode && validation && field(validation, 'outcome') === 'Failed') {
      const resource = deployResource(eventName, params);
      return {
        ...base,
        kind: 'unverified-deployment-allowed',
        severity: 'high',
        resource,
        title: `Unverified code deployed under a Warn code signing policy: ${eventName.replace(/\d{8}(v\d)?$/, '')} on ${resource}`,
        next: "The code runs unverified: redeploy a signed package, then switch the function's CSC to Enforce (signet plan --stage enforce).",
      };
    }
    if (errorCode) return undefined;
    if (eventName.startsWith('DeleteFunctionCodeSigningConfig')) {
      const resource = functionName(params) ?? '?';
      return {
        ...base,
        kind: 'csc-detached',
        severity: 'critical',
        resource,
        title: `Code signing configuration detached from ${resource}`,
        next: 'The function accepts unsigned code now: reattach its CSC (signet plan / signet apply) and ask the principal why.',
      };
    }
    if (eventName.startsWith('UpdateCodeSigningConfig') && policyOf(params) === 'Warn') {
      const resource = text(params, 'codeSigningConfigArn') ?? '?';
      return {
        ...base,
        kind: 'csc-downgraded',
        severity: 'critical',
        resource,
        title: `Code signing configuration downgraded to Warn: ${resource}`,
        next: 'Every function bound to this CSC now accepts unverified code: set it back to Enforce and ask the principal why.',
      };
    }
    if (eventName.startsWith('DeleteCodeSigningConfig')) {
      const resource = text(params, 'codeSigningConfigArn') ?? '?';
      return {
        ...base,
        kind: 'csc-deleted',
        severity: 'medium',
        resource,
        title: `Code signing configuration deleted: ${resource}`,
        next: 'Check that no function relied on it (signet scan) and that the deletion was planned.',
      };
    }
    return undefined;
  }
  if (eventSource === 'signer.amazonaws.com' && !errorCode) {
    const profile = text(params, 'profileName') ?? '?';
    if (eventName === 'CancelSigningProfile') {
      return {
        ...base,
        kind: 'profile-canceled',
        severity: 'medium',
        resource: profile,
        title: `Signing profile cancelled: ${profile}`,
        next: 'Deployments signed with it will fail under Enforce: move pipelines and CSCs to an active profile (signet scan shows which).',
      };
    }
    if (eventName === 'RevokeSigningProfile') {
      return {
        ...base,
        kind: 'profile-revoked',
        severity: 'high',
        resource: profile,
        title: `Signing profile revoked: ${profile}`,
        next: 'Signatures made after the effective time are invalid: re-sign affected code with an active profile and update CSCs (signet scan, signet plan).',
      };
    }
    if (eventName === 'RevokeSignature') {
      const job = text(params, 'jobId') ?? '?';
      return {
        ...base,
        kind: 'signature-revoked',
        severity: 'high',
        resource: `signing job ${job}`,
        title: `Signature revoked: signing job ${job}`,
        next: 'Code signed by this job can no longer be deployed: find the functions running it (signet scan, SGN-005) and redeploy signed code.',
      };
    }
  }
  return undefined;
}

export function alertToHistoryEvent(alert: Alert): HistoryEvent {
  return {
    eventId: alert.id,
    kind: alert.kind,
    eventTime: alert.eventTime,
    accountId: alert.accountId,
    region: alert.region,
    eventName: alert.eventName,
    resource: alert.resource,
    principal: alert.principal,
    ...(alert.errorCode ? { errorCode: alert.errorCode } : {}),
    detail: {
      title: alert.title,
      severity: alert.severity,
      ...(alert.session ? { session: alert.session } : {}),
      ...(alert.sourceIPAddress ? { sourceIPAddress: alert.sourceIPAddress } : {}),
      ...(alert.userAgent ? { userAgent: alert.userAgent } : {}),
    },
  };
}

/** One line for humans (Slack `text`, console, SNS subject source). */
export function alertText(alert: Alert): string {
  const who = alert.session ? `${alert.principal} (session ${alert.session})` : alert.principal;
  return `[${alert.severity.toUpperCase()}] ${alert.title} — account ${alert.accountId} ${alert.region}, by ${who} at ${alert.eventTime}, event ${alert.id}. Next: ${alert.next}`;
}
