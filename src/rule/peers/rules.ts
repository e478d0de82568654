/**
 * Peer scanners' verdicts, reproduced from their own rule semantics and test fixtures (see
 * ../shared/peer-cases/MANIFEST.md), quirks included. One function per tool: given a table's
 * facts, the rule IDs of that tool that fire. A tool that does not scan a kind of table is absent.
 */
import { isReference, isUnresolved, type Raw, type Reference, type SseFacts, type TableKind } from './facts.js';

export const TOOLS = ['checkov', 'trivy', 'kics', 'cfn-nag', 'cfn-guard', 'aws-config'] as const;
export type Tool = (typeof TOOLS)[number];
export type PeerVerdicts = Partial<Record<Tool, string[]>>;

export const RULE_IDS = {
  checkovTable: 'CKV_AWS_119',
  checkovReplica: 'CKV_AWS_271',
  trivy: 'AVD-AWS-0025',
  kicsTerraform: 'ce089fd4-1406-47bd-8aad-c259772bb294',
  kicsCfnAwsOwnedCmk: 'c8dee387-a2e6-4a73-a942-183c975549ac',
  kicsCfnNotEncrypted: '4bd21e68-38c1-4d58-acdc-6a14b203237f',
  kicsPulumi: 'b6a7e0ae-aed8-4a19-a993-a95760bf8836',
  cfnNag: 'W74',
  guardKms: 'DYNAMODB_TABLE_ENCRYPTED_KMS',
  guardEncrypted: 'DYNAMODB_TABLE_MUST_BE_ENCRYPTED',
  awsConfig: 'DYNAMODB_TABLE_ENCRYPTED_KMS',
} as const;

const TRIVY_DEFAULT_KEY = 'alias/aws/dynamodb';

/** Literal true: a boolean, or the string "true" in any case (what YAML-to-JSON and HCL tools convert). */
function isTrue(v: Raw | undefined): boolean {
  return v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');
}

function isFalse(v: Raw | undefined): boolean {
  return v === false || (typeof v === 'string' && v.trim().toLowerCase() === 'false');
}

/** Python truthiness (Checkov reads the parsed template): "false" is a non-empty string, so truthy. */
function pythonTruthy(v: Raw | undefined): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  return true;
}

type Rule = (f: SseFacts) => boolean;

/** Checkov CKV_AWS_119 (CloudFormation): passes only if SSEEnabled is truthy and KMSMasterKeyId is not None. */
const checkovCfn: Rule = (f) => !(f.block === 'present' && pythonTruthy(f.enabled as Raw) && f.key !== undefined && f.key !== null);

/** Checkov CKV_AWS_119 (Terraform): passes only if enabled == [True] and kms_key_arn has any value. */
const checkovTf: Rule = (f) => !(f.block === 'present' && f.enabled === true && f.key !== undefined && f.key !== null);

/** Checkov CKV_AWS_271 (aws_dynamodb_table_replica): passes when kms_key_arn has any value. */
const checkovReplica: Rule = (f) => f.key === undefined || f.key === null;

/**
 * Trivy AVD-AWS-0025. Denies when SSE is not enabled, or when it is enabled and the key is empty,
 * missing or exactly "alias/aws/dynamodb" (a missing key defaults to that alias). Unresolvable
 * values never match; a reference resolves to the referenced resource's name.
 */
const trivy: Rule = (f) => {
  if (f.block === 'unresolved') return false;
  if (isUnresolved(f.enabled)) return false;
  if (!isTrue(f.enabled as Raw)) return true;
  const key: Raw | Reference | undefined = f.key === undefined || f.key === null ? TRIVY_DEFAULT_KEY : f.key;
  if (isUnresolved(key) || isReference(key)) return false;
  return key === '' || key === TRIVY_DEFAULT_KEY;
};

/** KICS ce089fd4 (Terraform) and b6a7e0ae (Pulumi): a missing block, or enabled == false. Never reads the key. */
const kicsBlockDisabled: Rule = (f) => f.block === 'missing' || f.enabled === false;

/**
 * KICS c8dee387 "DynamoDB With Aws Owned CMK": SSEType KMS with SSEEnabled false (or "false"), or no
 * SSESpecification, or no SSEEnabled. SSEEnabled false without SSEType KMS is not flagged (since #5210).
 */
const kicsCfnOwnedCmk: Rule = (f) =>
  f.block === 'missing' || (f.block === 'present' && (f.enabled === undefined || (f.sseType === 'KMS' && isFalse(f.enabled))));

/** KICS 4bd21e68 "DynamoDB Table Not Encrypted" (CloudFormation): SSEEnabled false (or "false"), or missing. */
const kicsCfnNotEncrypted: Rule = (f) =>
  f.block === 'missing' || (f.block === 'present' && (f.enabled === undefined || isFalse(f.enabled)));

/** cfn_nag W74: SSESpecification nil, or SSEEnabled.to_s not case-insensitively "true". Never reads the key. */
const cfnNag: Rule = (f) =>
  f.block !== 'present' || !(f.enabled === true || (typeof f.enabled === 'string' && f.enabled.toLowerCase() === 'true'));

/** cfn-guard DYNAMODB_TABLE_ENCRYPTED_KMS: SSESpecification, SSEEnabled == true, KMSMasterKeyId exists, SSEType in [KMS]. */
const guardKms: Rule = (f) => !(f.block === 'present' && f.enabled === true && f.key !== undefined && f.sseType === 'KMS');

/** cfn-guard DYNAMODB_TABLE_MUST_BE_ENCRYPTED: SSESpecification exists and SSEEnabled == true. */
const guardEncrypted: Rule = (f) => !(f.block === 'present' && f.enabled === true);

/** AWS Config DYNAMODB_TABLE_ENCRYPTED_KMS (deployed tables): non-compliant unless encrypted with KMS (AWS managed or CMK). */
const awsConfig: Rule = (f) => {
  if (f.block === 'unresolved' || isUnresolved(f.enabled)) return false;
  return f.block === 'missing' || !isTrue(f.enabled as Raw);
};

/** Which rules each tool runs on each kind of table. */
const MATRIX: Record<TableKind, Partial<Record<Tool, [string, Rule][]>>> = {
  'cfn-table': {
    checkov: [[RULE_IDS.checkovTable, checkovCfn]],
    trivy: [[RULE_IDS.trivy, trivy]],
    kics: [
      [RULE_IDS.kicsCfnAwsOwnedCmk, kicsCfnOwnedCmk],
      [RULE_IDS.kicsCfnNotEncrypted, kicsCfnNotEncrypted],
    ],
    'cfn-nag': [[RULE_IDS.cfnNag, cfnNag]],
    'cfn-guard': [
      [RULE_IDS.guardKms, guardKms],
      [RULE_IDS.guardEncrypted, guardEncrypted],
    ],
    'aws-config': [[RULE_IDS.awsConfig, awsConfig]],
  },
  // Peers check AWS::DynamoDB::Table only; a GlobalTable or SimpleTable is seen by AWS Config once deployed.
  'cfn-global-table': { 'aws-config': [[RULE_IDS.awsConfig, awsConfig]] },
  'sam-simple-table': { 'aws-config': [[RULE_IDS.awsConfig, awsConfig]] },
  'sls-table': { checkov: [[RULE_IDS.checkovTable, checkovCfn]], 'aws-config': [[RULE_IDS.awsConfig, awsConfig]] },
  'tf-table': {
    checkov: [[RULE_IDS.checkovTable, checkovTf]],
    trivy: [[RULE_IDS.trivy, trivy]],
    kics: [[RULE_IDS.kicsTerraform, kicsBlockDisabled]],
    'aws-config': [[RULE_IDS.awsConfig, awsConfig]],
  },
  'tf-replica': { checkov: [[RULE_IDS.checkovReplica, checkovReplica]] },
  // The DataDog KICS fork reads a server_side_encryption block in a terraform-aws-modules/dynamodb-table call.
  'tf-module': { kics: [[RULE_IDS.kicsTerraform, kicsBlockDisabled]], 'aws-config': [[RULE_IDS.awsConfig, awsConfig]] },
  'pulumi-yaml-table': { kics: [[RULE_IDS.kicsPulumi, kicsBlockDisabled]], 'aws-config': [[RULE_IDS.awsConfig, awsConfig]] },
  code: {},
};

/** MATRIX as lists, once. */
const ENTRIES = Object.fromEntries(Object.entries(MATRIX).map(([kind, tools]) => [kind, Object.entries(tools)])) as Record<
  TableKind,
  [Tool, [string, Rule][]][]
>;

export function peerVerdicts(facts: SseFacts | undefined): PeerVerdicts {
  if (!facts) return {};
  const out: PeerVerdicts = {};
  for (const [tool, rules] of ENTRIES[facts.kind]) {
    const fired: string[] = [];
    for (const [id, rule] of rules) if (rule(facts)) fired.push(id);
    out[tool] = fired;
  }
  return out;
}

/** Every rule ID a tool may report for a kind of table (for SARIF rule metadata and the table of docs/scanner-parity.md). */
export function rulesFor(kind: TableKind): Partial<Record<Tool, string[]>> {
  return Object.fromEntries(Object.entries(MATRIX[kind]).map(([t, rules]) => [t, rules.map(([id]) => id)]));
}

export const ALL_KINDS = Object.keys(MATRIX) as TableKind[];
