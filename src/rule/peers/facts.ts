/**
 * What peer scanners look at, as raw as they see it: the SSE settings of one table before any
 * kmsfix interpretation. Formats (src/formats/) fill these in; src/rule/peers/rules.ts applies each tool's semantics.
 */

/** A value that is not a literal (an intrinsic function, a reference, a variable, an expression). */
export interface Unresolved {
  unresolved: string;
}

/** A reference to another resource or input (Ref, GetAtt, aws_kms_key.x.arn, var.key). */
export interface Reference {
  ref: string;
}

export type Raw = boolean | number | string | null | Unresolved;

export type TableKind =
  | 'cfn-table' // AWS::DynamoDB::Table
  | 'cfn-global-table' // AWS::DynamoDB::GlobalTable
  | 'sam-simple-table' // AWS::Serverless::SimpleTable
  | 'sls-table' // AWS::DynamoDB::Table in serverless.yml resources (Checkov's Serverless runner reads it)
  | 'tf-table' // resource "aws_dynamodb_table"
  | 'tf-replica' // resource "aws_dynamodb_table_replica"
  | 'tf-module' // module "x" { source = "terraform-aws-modules/dynamodb-table/aws" }
  | 'pulumi-yaml-table' // Pulumi YAML aws:dynamodb:Table
  | 'code'; // CDK / CDKTF / Pulumi TypeScript: no peer scanner reads source code

export interface SseFacts {
  kind: TableKind;
  /** SSESpecification / server_side_encryption / serverSideEncryption: present, absent, or not a literal mapping. */
  block: 'present' | 'missing' | 'unresolved';
  /** SSEEnabled / enabled; undefined when the key is absent. */
  enabled?: Raw;
  /** SSEType (CloudFormation); undefined when absent. */
  sseType?: Raw;
  /** KMSMasterKeyId / kms_key_arn; undefined when absent. */
  key?: Raw | Reference;
}

export function isUnresolved(v: unknown): v is Unresolved {
  return typeof v === 'object' && v !== null && 'unresolved' in v;
}

export function isReference(v: unknown): v is Reference {
  return typeof v === 'object' && v !== null && 'ref' in v;
}

/** The SSE settings of a table as peer scanners read them: the raw side of its encryption facts. */
export function peerFactsOf(e: import('../facts.js').EncryptionFacts): SseFacts {
  const s = e.settings;
  // What holds the settings cannot be read (an intrinsic function): scanners find no block in it.
  if (s.model !== 'sse') return { kind: e.peerKind, block: 'missing' };
  const b = s.block;
  const block = s.peerBlock ?? (!b || b.state === 'literal' ? 'present' : b.state === 'absent' ? 'missing' : 'unresolved');
  const facts: SseFacts = { kind: e.peerKind, block };
  if (s.enabled?.raw !== undefined) facts.enabled = s.enabled.raw as Raw;
  if (s.sseType?.raw !== undefined) facts.sseType = s.sseType.raw as Raw;
  if (s.key?.raw !== undefined) facts.key = s.key.raw;
  return facts;
}
