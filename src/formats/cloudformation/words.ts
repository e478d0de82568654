/** CloudFormation's names of a table's settings, for the rule's messages (`WORDS`). */
import type { Vocabulary } from '../../rule/facts.js';

/** CloudFormation's words for its settings (the rule's default wording is CloudFormation's). */
export const WORDS: Vocabulary = {
  names: {
    container: 'Properties',
    block: 'SSESpecification',
    enabled: 'SSEEnabled',
    sseType: 'SSEType',
    key: 'KMSMasterKeyId',
    replicas: 'Replicas',
    replicaKey: 'replica {region} KMSMasterKeyId',
  },
};
