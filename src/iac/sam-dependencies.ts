// Which references of a SAM resource become CloudFormation dependencies after SAM's transform. SAM
// resources expand into several CloudFormation resources: the one that keeps the logical id (what
// `Ref`/`GetAtt` of it reach) and generated ones nobody else references (permissions, event source
// mappings, stages, deployments, resolvers). Only references that land on the first kind, or that SAM
// writes into another resource (an S3 bucket's notifications, an API's definition), can close a cycle.
// Sources: the SAM specification (docs.aws.amazon.com/serverless-application-model, resource and event
// source pages) and SAM's translator tests (input vs output), which `npm run corpus` checks against.

type Obj = Record<string, unknown>;

export interface SamDependencyView {
  /** Values whose references become dependencies of the resource that keeps the logical id. */
  own: unknown[];
  /**
   * References written into another resource of the template, which then depends on this one:
   * `{ value, needsInlineDefinition }` where the target only changes when it has no DefinitionUri.
   */
  reverse: { value: unknown; onlyInlineDefinition: boolean }[];
}

/** Properties whose references go only to resources SAM generates beside the resource. */
const GENERATED: Record<string, ReadonlySet<string>> = {
  'AWS::Serverless::Function': new Set([
    'Events',
    'DeploymentPreference',
    'AutoPublishAlias',
    'AutoPublishCodeSha256',
    'AutoPublishAliasAllProperties',
    'VersionDescription',
    'VersionDeletionPolicy',
    'ProvisionedConcurrencyConfig',
    'EventInvokeConfig',
    'FunctionUrlConfig',
  ]),
  'AWS::Serverless::StateMachine': new Set([
    'Events',
    'AutoPublishAlias',
    'DeploymentPreference',
    'UseAliasAsEventTarget',
  ]),
  // RestApi keeps the id; the stage, deployment, domain and usage plan are generated.
  'AWS::Serverless::Api': new Set([
    'StageName',
    'Variables',
    'AccessLogSetting',
    'MethodSettings',
    'CacheClusterEnabled',
    'CacheClusterSize',
    'CanarySetting',
    'TracingEnabled',
    'Domain',
  ]),
  'AWS::Serverless::HttpApi': new Set([
    'StageName',
    'StageVariables',
    'AccessLogSettings',
    'DefaultRouteSettings',
    'RouteSettings',
    'Domain',
  ]),
  // The GraphQL API keeps the id; schema, data sources, functions, resolvers, keys and domain are generated.
  'AWS::Serverless::GraphQLApi': new Set([
    'SchemaInline',
    'SchemaUri',
    'DataSources',
    'Functions',
    'Resolvers',
    'ApiKeys',
    'DomainName',
    'Cache',
  ]),
};

/** SAM types whose properties all land on the resource that keeps the id. */
const ALL_OWN = new Set([
  'AWS::Serverless::SimpleTable',
  'AWS::Serverless::LayerVersion',
  'AWS::Serverless::Application',
]);

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The dependency view of one SAM resource, or undefined for a type that is not SAM's. An unknown
 * `AWS::Serverless::*` type contributes no dependencies: a cycle SAM may not create is not reported.
 */
export function samDependencyView(type: string, props: Obj, globals: Obj): SamDependencyView | undefined {
  if (!type.startsWith('AWS::Serverless::')) return undefined;
  const section = type.slice('AWS::Serverless::'.length);
  const merged: Obj = isObj(globals[section]) ? { ...(globals[section] as Obj), ...props } : props;
  if (ALL_OWN.has(type)) return { own: [merged], reverse: [] };
  const generated = GENERATED[type];
  if (!generated) return { own: [], reverse: [] };
  const own: unknown[] = [];
  for (const [key, value] of Object.entries(merged)) {
    if (generated.has(key)) continue;
    if (type === 'AWS::Serverless::Api' && key === 'Auth' && isObj(value)) {
      // The usage plan and its API keys are generated resources.
      const { UsagePlan: _plan, ...rest } = value;
      own.push(rest);
    } else if (type === 'AWS::Serverless::Api' && key === 'EndpointConfiguration' && isObj(value)) {
      // SAM keeps only the type and the VPC endpoint ids; other keys are dropped.
      own.push(value.Type, value.VPCEndpointIds);
    } else own.push(value);
  }
  const reverse: SamDependencyView['reverse'] = [];
  const events = isObj(props.Events) ? props.Events : {};
  for (const event of Object.values(events)) {
    if (!isObj(event) || !isObj(event.Properties)) continue;
    const p = event.Properties;
    // S3 events add a NotificationConfiguration naming the function to the bucket.
    if (event.Type === 'S3' && type === 'AWS::Serverless::Function')
      reverse.push({ value: p.Bucket, onlyInlineDefinition: false });
    // API events add a path whose integration names the function (or state machine) to the API's
    // definition, when SAM owns that definition (not a DefinitionUri file).
    if (event.Type === 'Api') reverse.push({ value: p.RestApiId, onlyInlineDefinition: true });
    if (event.Type === 'HttpApi') reverse.push({ value: p.ApiId, onlyInlineDefinition: true });
  }
  return { own, reverse };
}

/**
 * Whether SAM writes event paths into an API's definition: it does for the definition it generates
 * and for an inline Swagger/OpenAPI document; a DefinitionUri file or an included (`Fn::Transform`)
 * or otherwise computed body is left as it is.
 */
export function samEditsDefinition(apiProps: Obj): boolean {
  if ('DefinitionUri' in apiProps) return false;
  const body = apiProps.DefinitionBody;
  if (body === undefined) return true;
  return isObj(body) && ('swagger' in body || 'openapi' in body);
}

/** True when a template is SAM: a Serverless transform, or SAM resource types without one. */
export function isSamTemplate(template: Obj): boolean {
  const transform = template.Transform;
  if (
    (Array.isArray(transform) ? transform : [transform]).some(
      (t) => typeof t === 'string' && t.startsWith('AWS::Serverless'),
    )
  )
    return true;
  const resources = isObj(template.Resources) ? template.Resources : {};
  return Object.values(resources).some(
    (r) => isObj(r) && typeof r.Type === 'string' && r.Type.startsWith('AWS::Serverless::'),
  );
}
