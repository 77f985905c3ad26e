// The rule registry: every rule, in id order. A contract test keeps it honest.
import { allowedPublishersTrusted } from './allowed-publishers-trusted.js';
import { codeSigningConfigEnforces } from './code-signing-config-enforces.js';
import { collectionComplete } from './collection-complete.js';
import { deployedCodeSigned } from './deployed-code-signed.js';
import { deployedSignatureTrusted } from './deployed-signature-trusted.js';
import { functionHasCodeSigningConfig } from './function-has-code-signing-config.js';
import { layersSignedByAllowedPublisher } from './layers-signed-by-allowed-publisher.js';
import { publishedVersionsVerified } from './published-versions-verified.js';
import type { Rule } from './rule.js';
import { signingProfileHygiene } from './signing-profile-hygiene.js';

export const RULES: readonly Rule[] = [
  collectionComplete,
  functionHasCodeSigningConfig,
  codeSigningConfigEnforces,
  allowedPublishersTrusted,
  deployedCodeSigned,
  deployedSignatureTrusted,
  layersSignedByAllowedPublisher,
  publishedVersionsVerified,
  signingProfileHygiene,
];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.meta.id);

export type { Rule, RuleContext, RuleMeta, RuleOutcome, RulePolicy } from './rule.js';
