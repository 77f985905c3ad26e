// AWS Lambda (restJson1): routes requests on the raw path to the operations of this folder, with
// CloudTrail's internal event names, IAM actions and quota buckets.
import { AwsError } from '../../errors.js';
import { renderLambdaError, type SandboxRequest } from '../../http.js';
import { addTaggingProvider } from '../../internals.js';
import type { SandboxOptions } from '../../server.js';
import type {
  HandlerResult,
  Internals,
  OperationContext,
  ResolvedOperation,
  ServiceDefinition,
} from '../../service.js';
import type { World } from '../../world.js';
import { createAlias, deleteAlias, getAlias, listAliases, updateAlias } from './aliases.js';
import {
  createCodeSigningConfig,
  deleteCodeSigningConfig,
  deleteFunctionCodeSigningConfig,
  getCodeSigningConfig,
  getFunctionCodeSigningConfig,
  listCodeSigningConfigs,
  listFunctionsByCodeSigningConfig,
  putFunctionCodeSigningConfig,
  updateCodeSigningConfig,
} from './code-signing.js';
import { unknownOperation } from './errors.js';
import {
  createFunction,
  deleteFunction,
  getFunction,
  getFunctionConfiguration,
  getPolicy,
  listFunctions,
  listVersionsByFunction,
  publishVersion,
  updateFunctionCode,
  updateFunctionConfiguration,
} from './functions.js';
import {
  deleteLayerVersion,
  getLayerVersion,
  getLayerVersionByArn,
  listLayers,
  listLayerVersions,
  publishLayerVersion,
} from './layers.js';
import { listTags, taggedResources, tagResource, untagResource } from './tags.js';
import { trailObject } from './trail-fields.js';

export const LAMBDA_CONTROL_BUCKET = 'lambda:control';

interface Route {
  name: string;
  /** CloudTrail event name: Lambda's internal versioned operation names (spec §4). */
  eventName: string;
  readOnly: boolean;
  quotaBucket?: string;
  /** IAM action when it is not `lambda:<name>`. */
  action?: string;
  handler(ctx: OperationContext): HandlerResult;
}

function op(
  name: string,
  eventName: string,
  readOnly: boolean,
  handler: (ctx: OperationContext) => HandlerResult,
  extra: Partial<Pick<Route, 'quotaBucket' | 'action'>> = {},
): Route {
  return { name, eventName, readOnly, handler, ...extra };
}

/** Maps method + path (segments already percent-decoded once) to an operation. */
function route(req: SandboxRequest, updateReads: number): Route {
  const s = [...req.segments];
  if (s.length > 1 && s[s.length - 1] === '') s.pop();
  const [root, kind, a, sub, b] = s;
  const m = req.method;
  const n = s.length;
  if (root === '2015-03-31' && kind === 'functions') {
    if (n === 2 && m === 'GET') return op('ListFunctions', 'ListFunctions20150331', true, listFunctions);
    if (n === 2 && m === 'POST') return op('CreateFunction', 'CreateFunction20150331', false, createFunction);
    if (n === 3 && m === 'GET') {
      return op('GetFunction', 'GetFunction20150331v2', true, (ctx) => getFunction(ctx, a), {
        quotaBucket: 'lambda:GetFunction',
      });
    }
    if (n === 3 && m === 'DELETE')
      return op('DeleteFunction', 'DeleteFunction20150331', false, (ctx) => deleteFunction(ctx, a));
    if (n === 4 && sub === 'configuration' && m === 'GET') {
      return op('GetFunctionConfiguration', 'GetFunctionConfiguration20150331v2', true, (ctx) =>
        getFunctionConfiguration(ctx, a),
      );
    }
    if (n === 4 && sub === 'configuration' && m === 'PUT') {
      return op('UpdateFunctionConfiguration', 'UpdateFunctionConfiguration20150331v2', false, (ctx) =>
        updateFunctionConfiguration(ctx, a, updateReads),
      );
    }
    if (n === 4 && sub === 'code' && m === 'PUT') {
      return op('UpdateFunctionCode', 'UpdateFunctionCode20150331v2', false, (ctx) =>
        updateFunctionCode(ctx, a, updateReads),
      );
    }
    if (n === 4 && sub === 'versions' && m === 'GET') {
      return op('ListVersionsByFunction', 'ListVersionsByFunction20150331', true, (ctx) =>
        listVersionsByFunction(ctx, a),
      );
    }
    if (n === 4 && sub === 'versions' && m === 'POST') {
      return op('PublishVersion', 'PublishVersion20150331', false, (ctx) => publishVersion(ctx, a));
    }
    if (n === 4 && sub === 'policy' && m === 'GET') {
      return op('GetPolicy', 'GetPolicy20150331v2', true, (ctx) => getPolicy(ctx, a), {
        quotaBucket: 'lambda:GetPolicy',
      });
    }
    if (n === 4 && sub === 'aliases' && m === 'GET')
      return op('ListAliases', 'ListAliases20150331', true, (ctx) => listAliases(ctx, a));
    if (n === 4 && sub === 'aliases' && m === 'POST')
      return op('CreateAlias', 'CreateAlias20150331', false, (ctx) => createAlias(ctx, a));
    if (n === 5 && sub === 'aliases' && m === 'GET')
      return op('GetAlias', 'GetAlias20150331', true, (ctx) => getAlias(ctx, a, b));
    if (n === 5 && sub === 'aliases' && m === 'PUT')
      return op('UpdateAlias', 'UpdateAlias20150331', false, (ctx) => updateAlias(ctx, a, b));
    if (n === 5 && sub === 'aliases' && m === 'DELETE') {
      return op('DeleteAlias', 'DeleteAlias20150331', false, (ctx) => deleteAlias(ctx, a, b));
    }
  }
  if (root === '2018-10-31' && kind === 'layers') {
    if (n === 2 && m === 'GET') {
      if (req.query.get('find') === 'LayerVersion') {
        return op('GetLayerVersionByArn', 'GetLayerVersionByArn20181031', true, getLayerVersionByArn, {
          action: 'lambda:GetLayerVersion',
        });
      }
      return op('ListLayers', 'ListLayers20181031', true, listLayers);
    }
    if (n === 4 && sub === 'versions' && m === 'GET') {
      return op('ListLayerVersions', 'ListLayerVersions20181031', true, (ctx) => listLayerVersions(ctx, a));
    }
    if (n === 4 && sub === 'versions' && m === 'POST') {
      return op('PublishLayerVersion', 'PublishLayerVersion20181031', false, (ctx) =>
        publishLayerVersion(ctx, a),
      );
    }
    if (n === 5 && sub === 'versions' && m === 'GET') {
      return op('GetLayerVersion', 'GetLayerVersion20181031', true, (ctx) => getLayerVersion(ctx, a, b));
    }
    if (n === 5 && sub === 'versions' && m === 'DELETE') {
      return op('DeleteLayerVersion', 'DeleteLayerVersion20181031', false, (ctx) =>
        deleteLayerVersion(ctx, a, b),
      );
    }
  }
  if (root === '2017-03-31' && kind === 'tags' && n === 3) {
    if (m === 'GET') return op('ListTags', 'ListTags20170331', true, (ctx) => listTags(ctx, a));
    if (m === 'POST') return op('TagResource', 'TagResource20170331v2', false, (ctx) => tagResource(ctx, a));
    if (m === 'DELETE')
      return op('UntagResource', 'UntagResource20170331v2', false, (ctx) => untagResource(ctx, a));
  }
  // The code signing operations carry no date suffix in CloudTrail (spec §4, INFERRED).
  if (root === '2020-04-22' && kind === 'code-signing-configs') {
    if (n === 2 && m === 'GET')
      return op('ListCodeSigningConfigs', 'ListCodeSigningConfigs', true, listCodeSigningConfigs);
    if (n === 2 && m === 'POST')
      return op('CreateCodeSigningConfig', 'CreateCodeSigningConfig', false, createCodeSigningConfig);
    if (n === 3 && m === 'GET')
      return op('GetCodeSigningConfig', 'GetCodeSigningConfig', true, (ctx) => getCodeSigningConfig(ctx, a));
    if (n === 3 && m === 'PUT') {
      return op('UpdateCodeSigningConfig', 'UpdateCodeSigningConfig', false, (ctx) =>
        updateCodeSigningConfig(ctx, a),
      );
    }
    if (n === 3 && m === 'DELETE') {
      return op('DeleteCodeSigningConfig', 'DeleteCodeSigningConfig', false, (ctx) =>
        deleteCodeSigningConfig(ctx, a),
      );
    }
    if (n === 4 && sub === 'functions' && m === 'GET') {
      return op('ListFunctionsByCodeSigningConfig', 'ListFunctionsByCodeSigningConfig', true, (ctx) =>
        listFunctionsByCodeSigningConfig(ctx, a),
      );
    }
  }
  if (root === '2020-06-30' && kind === 'functions' && n === 4 && sub === 'code-signing-config') {
    if (m === 'GET') {
      return op('GetFunctionCodeSigningConfig', 'GetFunctionCodeSigningConfig', true, (ctx) =>
        getFunctionCodeSigningConfig(ctx, a),
      );
    }
    if (m === 'PUT') {
      return op('PutFunctionCodeSigningConfig', 'PutFunctionCodeSigningConfig', false, (ctx) =>
        putFunctionCodeSigningConfig(ctx, a),
      );
    }
    if (m === 'DELETE') {
      return op('DeleteFunctionCodeSigningConfig', 'DeleteFunctionCodeSigningConfig', false, (ctx) =>
        deleteFunctionCodeSigningConfig(ctx, a),
      );
    }
  }
  throw unknownOperation(m, req.rawPath);
}

/** The path labels of a request, named as CloudTrail records them. */
function labelsOf(req: SandboxRequest): Record<string, unknown> {
  const [root, kind, a, , b] = req.segments;
  if (a === undefined || a === '') return {};
  if (kind === 'functions') return { functionName: a, ...(b !== undefined ? { name: b } : {}) };
  if (kind === 'layers') return { layerName: a, ...(b !== undefined ? { versionNumber: Number(b) } : {}) };
  if (kind === 'tags') return { resource: a };
  if (root === '2020-04-22') return { codeSigningConfigArn: a };
  return {};
}

/** What a failed call records: labels, query and body in CloudTrail's casing, never package bytes. */
function failedParameters(req: SandboxRequest): Record<string, unknown> | null {
  const params: Record<string, unknown> = { ...labelsOf(req) };
  for (const key of new Set(req.query.keys())) {
    const values = req.query.getAll(key);
    params[key.charAt(0).toLowerCase() + key.slice(1)] = values.length > 1 ? values : values[0];
  }
  try {
    const body = req.body.length > 0 ? (JSON.parse(req.body.toString('utf8')) as unknown) : undefined;
    if (body && typeof body === 'object' && !Array.isArray(body)) Object.assign(params, trailObject(body));
  } catch {
    // Malformed JSON: the labels and query are all there is to record.
  }
  return Object.keys(params).length > 0 ? params : null;
}

export function lambdaService(
  internals: Internals,
  options: SandboxOptions,
  world: World,
): ServiceDefinition {
  const updateReads = Math.max(0, Math.floor(options.lambdaUpdateReads ?? 0));
  addTaggingProvider(internals, (accountId, region) => taggedResources(world, accountId, region));
  return {
    signingName: 'lambda',
    eventSource: 'lambda.amazonaws.com',
    protocol: 'restJson1',
    defaultBucket: LAMBDA_CONTROL_BUCKET,
    renderError: (error, req) => renderLambdaError(error, req.requestId),
    throttleError: (retryAfterSeconds) =>
      new AwsError('TooManyRequestsException', 429, 'Rate exceeded', {
        messageKey: 'message',
        fields: { Reason: 'CallerRateLimitExceeded' },
        headers: { 'Retry-After': String(retryAfterSeconds) },
      }),
    accessDenied: (message) => new AwsError('AccessDeniedException', 403, message, { messageKey: 'Message' }),
    unrecognizedClient: () =>
      new AwsError(
        'UnrecognizedClientException',
        403,
        'The security token included in the request is invalid.',
        {
          messageKey: 'message',
        },
      ),
    resolve(req): ResolvedOperation {
      const r = route(req, updateReads);
      return {
        name: r.name,
        eventName: r.eventName,
        action: r.action ?? `lambda:${r.name}`,
        readOnly: r.readOnly,
        ...(r.quotaBucket ? { quotaBucket: r.quotaBucket } : {}),
        failedRequestParameters: () => failedParameters(req),
        handler: r.handler,
      };
    },
  };
}
