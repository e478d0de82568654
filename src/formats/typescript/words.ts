/** How each table class's settings are named in messages (WORDS: the family's Vocabulary, src/rule/facts.ts). */
import type { Vocabulary } from '../../rule/facts.js';
import { REPLICA_RESOURCE_WORDS } from '../../rule/words.js';
import type { TableClass } from './tableClasses.js';

const REPLICA_KEYS =
  'a KMS key serves one Region: deploy a customer-managed key (or a multi-Region replica key) in {regions} and set ' +
  "each such replica's key ARN by hand; kmsfix never half-fixes a global table";

/** CloudFormation's SSE in camelCase: CDK's CfnTable and CfnGlobalTable, and aws-native's tables. */
const CFN_TABLE_WORDS: Vocabulary = {
  names: { block: 'sseSpecification', enabled: 'sseEnabled', sseType: 'sseType', key: 'kmsMasterKeyId' },
  phrases: { keyAbsent: 'encryption is enabled with no {key}' },
};
const CFN_GLOBAL_WORDS: Vocabulary = {
  names: {
    block: 'sseSpecification',
    enabled: 'sseEnabled',
    sseType: 'sseType',
    key: 'kmsMasterKeyId',
    replicas: 'replicas',
    replicaKey: 'replica kmsMasterKeyId',
  },
  phrases: { keyAbsent: 'encryption is enabled with no {key}', replicaKeys: REPLICA_KEYS },
};

/** How each table class's settings are named in messages. */
export const WORDS: Record<TableClass, Vocabulary> = {
  Table: {
    names: { choice: 'encryption', key: 'encryptionKey', enabled: 'serverSideEncryption' },
    phrases: {
      choiceAbsent: 'No encryption (TableEncryption.DEFAULT)',
      choiceCustomer: '{choice} is {source}: CDK creates a customer-managed key for the table',
    },
  },
  TableV2: {
    names: { choice: 'encryption' },
    phrases: {
      choiceAbsent: 'No encryption (TableEncryptionV2.dynamoOwnedKey())',
      choiceCustomer: 'Encrypted with customer-managed key ({choice} is {source})',
    },
  },
  CfnTable: CFN_TABLE_WORDS,
  CfnGlobalTable: CFN_GLOBAL_WORDS,
  NativeTable: CFN_TABLE_WORDS,
  NativeGlobalTable: CFN_GLOBAL_WORDS,
  DynamodbTable: tfWords('replica'),
  PulumiTable: tfWords('replicas'),
  DynamodbTableReplica: REPLICA_RESOURCE_WORDS,
  PulumiTableReplica: REPLICA_RESOURCE_WORDS,
  CfnResource: {
    names: {
      block: 'SSESpecification',
      enabled: 'SSEEnabled',
      sseType: 'SSEType',
      key: 'KMSMasterKeyId',
      replicas: 'Replicas',
      replicaKey: 'replica KMSMasterKeyId',
    },
  },
  TableV2MultiAccountReplica: {
    names: { choice: 'encryption' },
    phrases: {
      choiceAbsent: 'No encryption (an AWS owned key)',
      choiceCustomer: 'Encrypted with customer-managed key ({choice} is {source})',
    },
  },
};

function tfWords(replicas: string): Vocabulary {
  return {
    names: {
      block: 'serverSideEncryption',
      enabled: 'serverSideEncryption.enabled',
      key: 'kmsKeyArn',
      replicas,
      replicaKey: 'replica kmsKeyArn',
    },
    phrases: {
      enabledAbsent: '{enabled} is not true',
      enabledFalse: '{enabled} is not true',
      keyAbsent: 'encryption is enabled with no {key}',
      replicaKeys: REPLICA_KEYS,
    },
  };
}
