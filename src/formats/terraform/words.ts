/**
 * Terraform's words for a table's settings (src/rule/facts.ts Vocabulary): its messages name attributes
 * as the configuration writes them, per kind of table (WORDS) and per registry module (wordsOf).
 */
import type { Vocabulary } from '../../rule/facts.js';
import type { TfKind } from './detect.js';
import { REGISTRY_MODULES, type RegistryModule } from './registryModules.js';

/** Terraform's words: its messages name attributes as the configuration writes them. */
export const PHRASES: Vocabulary['phrases'] = {
  blockAbsent: 'no {block} block',
  enabledAbsent: '{enabled} is not set',
  enabledFalse: '{enabled} = {source}',
  enabledUnresolved: '{enabled} is the expression `{source}`{why}',
  // A switch set per environment from outside (outsideSwitch.ts): its values, and where each is set, in {source}.
  enabledBranches: '{enabled} = {source}: no value it can take uses a customer-managed key',
  // {source}: what decided that encryption is on, when a variable did (inputSettings.ts).
  keyAbsent: 'no {key}{source}',
  keyAwsManaged: '{keyAttribute} = {source}',
  keyCustomer: 'encrypted with the customer-managed key {source}',
};

export const WORDS: Record<TfKind, Vocabulary> = {
  table: {
    names: {
      block: 'server_side_encryption',
      enabled: 'server_side_encryption.enabled',
      key: 'server_side_encryption.kms_key_arn',
      keyAttribute: 'kms_key_arn',
      replicas: 'replica',
      replicaKey: 'replica {region} kms_key_arn',
    },
    phrases: {
      ...PHRASES,
      replicaKeys:
        'a replica without a kms_key_arn uses the AWS managed key of its Region: create a customer-managed key (or a multi-Region replica key) in {regions} ' +
        "and set each such replica block's kms_key_arn to its ARN (terraform apply re-creates the replica); kmsfix never half-fixes a global table",
    },
  },
  'table-replica': { names: { key: 'kms_key_arn', keyAttribute: 'kms_key_arn' }, phrases: PHRASES },
  module: { names: REGISTRY_MODULES[0].words, phrases: PHRASES },
};

/** Each registry module's words (its inputs' names), made once. */
const moduleWords = new Map<RegistryModule, Vocabulary>();

export function wordsOf(kind: TfKind, m: RegistryModule | undefined): Vocabulary {
  if (!m) return WORDS[kind];
  let w = moduleWords.get(m);
  if (!w) moduleWords.set(m, (w = { names: m.words, phrases: { ...PHRASES, ...m.phrases } }));
  return w;
}
