/**
 * How the rule's reasons read. Each reason has a default wording (CloudFormation's); a format's
 * vocabulary (src/rule/facts.ts Vocabulary) names its settings and may word a reason its own way,
 * so that a Terraform user reads `server_side_encryption.enabled = false` and a CloudFormation user
 * `SSEEnabled is false`. `{name}` is a setting's name from the vocabulary, or a value the rule gives
 * (`{source}`, `{region}`, `{regions}`).
 */
import type { Vocabulary } from './facts.js';

/** Why a key DynamoDB cannot use (src/rule/keySpec.ts) leaves a table where it was. */
const UNUSABLE =
  'a key DynamoDB cannot use ({written}): DynamoDB takes only symmetric encryption KMS keys, so the deploy fails ' +
  '(a new table is not created, an update rolls back) and the table keeps the key it had, read as the AWS managed key';

const DEFAULTS = {
  // What holds the settings cannot be read.
  containerUnresolved: '{container} is {source}',
  // The block (SSESpecification...).
  blockAbsent: 'No {block}',
  blockUnresolved: '{block} is {source}',
  // The switch (SSEEnabled...).
  enabledAbsent: '{block} has no {enabled} (false by default)',
  enabledFalse: '{enabled} is false',
  enabledTrue: '{enabled} is true',
  enabledUnresolved: '{enabled} is {source}{why}',
  sseTypeUnresolved: '{sseType} is {source}',
  // A setting a condition chooses, none of whose values uses a customer-managed key.
  blockBranches: '{block} is {source}: no value it can take uses a customer-managed key',
  enabledBranches: '{enabled} is {source}: no value it can take uses a customer-managed key',
  keyBranches: '{key} is {source}: no value it can take uses a customer-managed key',
  choiceBranches: '{choice} is {source}: no value it can take uses a customer-managed key',
  // The key (`{key}` is the replica's key name for a replica).
  keyAbsent: 'SSE is enabled with no {key}',
  keyAwsManaged: '{key} is {source}',
  keyCustomer: 'Encrypted with customer-managed key {source}',
  keyWithoutType:
    '{key} {source} is not used: {block} has no {sseType}, and CloudFormation rejects a {key} without {sseType}: KMS ' +
    '(cfn-lint E3021), so the stack fails and the table keeps the key it had, AWS managed under {enabled}: true alone; ' +
    'add {sseType}: KMS beside it (kmsfix fix does, keeping this key)',
  keyWrongType:
    '{key} {source} is not used: {sseType} is {type}, and CloudFormation rejects any {sseType} but KMS ' +
    '(cfn-lint E3030), so the stack fails and the table keeps the key it had, AWS managed under {enabled}: true alone; ' +
    'set {sseType} to KMS (kmsfix fix does, keeping this key)',
  // A key DynamoDB cannot use (src/rule/keySpec.ts), and the manual step.
  keyUnusable: `{key} {source} is {keyName}, ${UNUSABLE}`,
  choiceUnusable: `{choice} {source} names {keyName}, ${UNUSABLE}`,
  keyUnusableStep:
    "use a symmetric encryption key: remove {names} from {keyName} (or set {symmetric}); a KMS key's spec and usage " +
    'cannot change, so this replaces the key (or name another key); kmsfix does not change a key you wrote',
  // A choice of key (CDK).
  choiceAbsent: 'No {choice}',
  choiceIs: '{choice} is {source}',
  choiceCustomer: '{choice} is {source}',
  // Replicas.
  replicasUnresolved: '{replicas} is {source}',
  replicaUnreadable: 'replica {source}',
  everyReplica: 'Every replica is encrypted with a customer-managed key',
  // Manual steps for replicas (blockers).
  replicasNotPlain: '{replicas} is not a plain list: set each replica key by hand',
  replicaKeys:
    'a KMS key serves one Region: deploy a customer-managed key (or a multi-Region replica key) in {regions} ' +
    "and set each such replica's {block}.{key} to its ARN; kmsfix never half-fixes a global table",
} as const;

export type Reason = keyof typeof DEFAULTS;

/** A replica declared as a resource of its own in CDKTF or Pulumi (TypeScript, YAML): its one setting. */
export const REPLICA_RESOURCE_WORDS: Vocabulary = {
  names: { key: 'kmsKeyArn', keyAttribute: 'kmsKeyArn' },
  phrases: { keyAbsent: 'no {key}' },
};

/** A template split at its placeholders: text, name, text, name, ..., text. */
const compiled = new Map<string, string[]>();

function partsOf(template: string): string[] {
  let parts = compiled.get(template);
  if (!parts) compiled.set(template, (parts = template.split(/\{(\w+)\}/)));
  return parts;
}

/** The reason in the format's words, its placeholders filled in. */
export function say(words: Vocabulary, reason: Reason, values: Record<string, string> = {}): string {
  const parts = partsOf(words.phrases?.[reason] ?? DEFAULTS[reason]);
  const names = words.names as Record<string, string | undefined>;
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) out += (values[parts[i]] ?? names[parts[i]] ?? `{${parts[i]}}`) + parts[i + 1];
  return out;
}
