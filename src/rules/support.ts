// Shared pieces of rule logic. The trust judgement itself lives in src/model/trust.ts (one source for
// rules and collectors); UNKNOWN for missing data is the engine's job (src/engine/run-rule.ts).
import { functionRef } from '../model/refs.js';
import type { LambdaFunction } from '../model/snapshot.js';
import type { RuleOutcome } from './rule.js';

export {
  allowedVersionArns,
  attachedCsc,
  judgeProfileVersionArn,
  judgePublisher,
  judgeSignature,
  type PublisherVerdict,
  type SignatureVerdict,
} from '../model/trust.js';
export { wildcard } from '../model/wildcard.js';

export function isImage(fn: LambdaFunction): boolean {
  return fn.packageType === 'Image';
}

export function imageNotApplicable(fn: LambdaFunction): RuleOutcome {
  return {
    status: 'NOT_APPLICABLE',
    resource: functionRef(fn),
    message:
      'Container-image functions do not support Lambda code signing; verify images with ECR image signing instead.',
    requires: ['functions'],
  };
}
