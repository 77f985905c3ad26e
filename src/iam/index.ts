// Signet's IAM policy evaluator: a pure library (no AWS calls) used by the governance rules.
export {
  and,
  type ConditionKeys,
  type ContextValue,
  evaluateCondition,
  evaluateConditions,
  not,
  or,
  type Tri,
} from './conditions.js';
export {
  accountOf,
  type Citation,
  canPerform,
  type Decision,
  type Evaluation,
  evaluateRequest,
  type PolicySet,
  principalRoleArn,
  type Request,
  statementApplies,
} from './evaluate.js';
export { arnMatch, globMatch } from './glob.js';
export {
  type ConditionBlock,
  type Effect,
  type Policy,
  PolicyParseError,
  type PrincipalBlock,
  parsePolicy,
  type Statement,
  statementLabel,
} from './policy.js';
