/** Pulumi YAML's names of a table's settings, for the rule's messages (`WORDS`). */
import type { Vocabulary } from '../../rule/facts.js';
import { SSE_PATH } from './tableTypes.js';

/** Pulumi YAML's words for the settings, where its messages differ from CloudFormation's. */
export const WORDS: Vocabulary = {
  names: {
    container: SSE_PATH.properties,
    block: SSE_PATH.sse,
    enabled: 'enabled',
    key: 'kmsKeyArn',
    replicas: 'replicas',
    replicaKey: 'replica {region} kmsKeyArn',
  },
  phrases: {
    enabledAbsent: '{block} is not enabled',
    enabledFalse: '{block} is not enabled',
    replicaKeys:
      'a KMS key serves one Region: deploy a customer-managed key (or a multi-Region replica key) in {regions} and set ' +
      "each such replica's kmsKeyArn to its ARN; kmsfix never half-fixes a global table",
  },
};
