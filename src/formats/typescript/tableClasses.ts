/**
 * The table classes of the TypeScript family: which constructor symbol is which table class (TABLE_CLASSES), of
 * which framework, and reported under which type; the CDKTF layouts kmsfix reads but writes no imports for; the
 * classes of a table's resource policy and of a zero-ETL integration; and which generation of its framework's
 * packages a table's file is written against (generationOf). Read by detect.ts; no syntax is read here.
 */
import type { SstGeneration } from './sst.js';

export type Framework = 'cdk' | 'cdktf' | 'pulumi' | 'serverless';
/** Which table class a construct is (not the peer scanners' table kinds, src/rule/peers/facts.ts TableKind). */
export type TableClass =
  | 'Table'
  | 'TableV2'
  | 'CfnTable'
  | 'CfnGlobalTable'
  | 'DynamodbTable'
  | 'PulumiTable'
  | 'NativeTable'
  | 'NativeGlobalTable'
  | 'DynamodbTableReplica'
  | 'PulumiTableReplica'
  | 'TableV2MultiAccountReplica'
  | 'CfnResource';

export const V1_GLOBAL_TABLE = 'aws-cdk-lib/aws-dynamodb-global#GlobalTable';

/** Constructor symbol -> what it is. `type` is the name reported to the user. */
export const TABLE_CLASSES: Record<string, { kind: TableClass; framework: Framework; type: string; sst?: SstGeneration }> = {
  'aws-cdk-lib/aws-dynamodb#Table': { kind: 'Table', framework: 'cdk', type: 'aws-cdk-lib.aws_dynamodb.Table' },
  'aws-cdk-lib/aws-dynamodb#TableV2': { kind: 'TableV2', framework: 'cdk', type: 'aws-cdk-lib.aws_dynamodb.TableV2' },
  'aws-cdk-lib/aws-dynamodb#CfnTable': { kind: 'CfnTable', framework: 'cdk', type: 'aws-cdk-lib.aws_dynamodb.CfnTable' },
  'aws-cdk-lib/aws-dynamodb#CfnGlobalTable': {
    kind: 'CfnGlobalTable',
    framework: 'cdk',
    type: 'aws-cdk-lib.aws_dynamodb.CfnGlobalTable',
  },
  '@cdktf/provider-aws/lib/dynamodb-table#DynamodbTable': {
    kind: 'DynamodbTable',
    framework: 'cdktf',
    type: '@cdktf/provider-aws.dynamodbTable.DynamodbTable',
  },
  // @cdktf/provider-aws before the `lib/<resource>` layout (v9 and earlier): one namespace per service.
  '@cdktf/provider-aws/lib/dynamodb#DynamodbTable': {
    kind: 'DynamodbTable',
    framework: 'cdktf',
    type: '@cdktf/provider-aws.dynamodb.DynamodbTable',
  },
  '@pulumi/aws#dynamodb.Table': { kind: 'PulumiTable', framework: 'pulumi', type: 'aws.dynamodb.Table' },
  // Pulumi's AWS Native provider (generated from the CloudFormation schema): read as CfnTable and
  // CfnGlobalTable are, never fixed (obstacle aws-native).
  '@pulumi/aws-native#dynamodb.Table': { kind: 'NativeTable', framework: 'pulumi', type: 'aws-native.dynamodb.Table' },
  '@pulumi/aws-native#dynamodb.GlobalTable': {
    kind: 'NativeGlobalTable',
    framework: 'pulumi',
    type: 'aws-native.dynamodb.GlobalTable',
  },
  // A replica of a global table in another Region, as its own resource: read, never fixed (obstacle replica-resource).
  '@cdktf/provider-aws/lib/dynamodb-table-replica#DynamodbTableReplica': {
    kind: 'DynamodbTableReplica',
    framework: 'cdktf',
    type: '@cdktf/provider-aws.dynamodbTableReplica.DynamodbTableReplica',
  },
  '@cdktf/provider-aws/lib/dynamodb#DynamodbTableReplica': {
    kind: 'DynamodbTableReplica',
    framework: 'cdktf',
    type: '@cdktf/provider-aws.dynamodb.DynamodbTableReplica',
  },
  '@pulumi/aws#dynamodb.TableReplica': { kind: 'PulumiTableReplica', framework: 'pulumi', type: 'aws.dynamodb.TableReplica' },
  // SST's tables (sst.ts): read where their encryption is written, never fixed.
  'sst#aws.Dynamo': { kind: 'PulumiTable', framework: 'pulumi', type: 'sst.aws.Dynamo', sst: 'v3' },
  'sst/constructs#Table': { kind: 'Table', framework: 'cdk', type: 'sst/constructs.Table', sst: 'v2' },
  '@serverless-stack/resources#Table': { kind: 'Table', framework: 'cdk', type: '@serverless-stack/resources.Table', sst: 'v2' },
  // CDK v1's GlobalTable (@aws-cdk/aws-dynamodb-global, deprecated): a Table of its props in a stack per Region of its
  // `regions`, joined by a custom resource into a global table of version 2017.11.29. Read as a Table, never fixed.
  [V1_GLOBAL_TABLE]: { kind: 'Table', framework: 'cdk', type: '@aws-cdk/aws-dynamodb-global.GlobalTable' },
  // A replica in another account of a TableV2's global table (aws-cdk-lib 2.254): read, never fixed (obstacle multi-account-replication).
  'aws-cdk-lib/aws-dynamodb#TableV2MultiAccountReplica': {
    kind: 'TableV2MultiAccountReplica',
    framework: 'cdk',
    type: 'aws-cdk-lib.aws_dynamodb.TableV2MultiAccountReplica',
  },
};

/** The modules table classes are in (a member of one, re-exported by several `export *`s, is taken from it: reexports.ts). */
export const TABLE_MODULES = new Set(Object.keys(TABLE_CLASSES).map((k) => k.slice(0, k.indexOf('#'))));

/**
 * CDK for Terraform's AWS tables in layouts kmsfix reads but writes no imports for: @cdktf/provider-aws
 * before its namespaces (`import { DynamodbTable } from '@cdktf/provider-aws'`, every class at the root),
 * and the bindings `cdktf get` generates into `.gen/providers/aws` (flat, namespaced or per resource).
 */
const OTHER_CDKTF_LAYOUT =
  /^(@cdktf\/provider-aws|(?:.*\/)?\.gen\/providers\/aws(?:\/lib)?(?:\/[a-z-]+)?)#(?:[a-zA-Z]+\.)?(DynamodbTable|DynamodbTableReplica)$/;

/** A table class of another CDKTF layout (OTHER_CDKTF_LAYOUT), with the step a fix would need. */
export function otherCdktfLayout(symbol: string): ((typeof TABLE_CLASSES)[string] & { layout: string }) | undefined {
  const m = OTHER_CDKTF_LAYOUT.exec(symbol);
  if (!m) return undefined;
  const replica = m[2] === 'DynamodbTableReplica';
  return {
    kind: replica ? 'DynamodbTableReplica' : 'DynamodbTable',
    framework: 'cdktf',
    type: `${m[1]}.${m[2]}`,
    layout: m[1],
  };
}

/** Resource policies of a table as resources of their own (Pulumi, CDK for Terraform; resourcePolicy.ts). */
export const POLICY_CLASSES =
  /^(?:@pulumi\/aws#dynamodb\.ResourcePolicy|@cdktf\/provider-aws\/lib\/dynamodb(?:-resource-policy)?#DynamodbResourcePolicy)$/;

/** Zero-ETL integrations: CDK's CfnIntegration of aws-redshift or aws-glue, Pulumi's redshift.Integration, CDKTF's RedshiftIntegration. */
export const INTEGRATION_CLASSES = /(?:redshift|glue)[\w/.#-]*(?:CfnIntegration|\.Integration|#RedshiftIntegration|#GlueIntegration)$/i;

/** The last names of the table classes (`dynamodb.Table` is a Table, whatever `dynamodb` is; a bare name may be an alias). */
export const CLASS_NAMES = new Set(Object.keys(TABLE_CLASSES).map((k) => k.split(/[#.]/).pop()!));

/**
 * Which generation of its framework's packages a table's file is written against: AWS CDK v2
 * (`aws-cdk-lib`) or v1 (`@aws-cdk/aws-dynamodb`, same API); CDKTF's `lib/<resource>` layout or the
 * earlier one namespace per service (`lib/dynamodb`, `dynamodb.DynamodbTable`). New code follows it.
 */
export type Generation = 'cdk-v2' | 'cdk-v1' | 'monocdk' | 'cdktf' | 'cdktf-namespaced' | 'pulumi' | 'serverless';

export function generationOf(cls: (typeof TABLE_CLASSES)[string], module: string | undefined): Generation {
  if (cls.framework === 'cdk')
    return module?.startsWith('@aws-cdk/') ? 'cdk-v1' : module && /^monocdk(\/|$)/.test(module) ? 'monocdk' : 'cdk-v2';
  if (cls.framework === 'cdktf') return cls.type.endsWith('.dynamodb.DynamodbTable') ? 'cdktf-namespaced' : 'cdktf';
  return 'pulumi';
}
