/**
 * Finding DynamoDB tables in TypeScript infrastructure code (AWS CDK v2, CDK for Terraform, Pulumi)
 * and reading each one's encryption settings into neutral facts (src/rule/facts.ts) from the syntax
 * alone: no type checker, nothing is evaluated. The rule decides (src/rule/cmk.ts).
 */
import { decide, fixWanted, typeOnlyFix } from '../../rule/cmk.js';
import { addGlobalTableReplica } from '../../rule/blockers.js';
import { followItsTable } from '../../rule/replicaResource.js';
import { REPLICA_RESOURCE_WORDS } from '../../rule/words.js';
import {
  ABSENT,
  type EncryptionFacts,
  type Obstacle,
  type Placement,
  type Replicas,
  type Setting,
  type Settings,
  type Vocabulary,
  type WrittenBack,
} from '../../rule/facts.js';
import { LineIndex } from '../../core/text.js';
import { MAYBE_SUPPRESSION, commentSuppressions } from '../../core/suppressions.js';
import type { Detection, SourceFile, Suppression, TableFacts } from '../../core/types.js';
import { RELATIVE, throughReexports } from './reexports.js';
import {
  bindAliases,
  bindings,
  boundOf,
  importedModuleOf,
  isCdktn,
  readImports,
  readRequires,
  resolveSymbol,
  type ImportInfo,
} from './imports.js';
import { isCompiledJavaScript, isJavaScriptProgram, javaScriptStep } from './javascript.js';
import { declarationOf, usesOf, type ConstObject } from './consts.js';
import { constObjectHeld } from './mutatedConsts.js';
import { UNREAD_TABLE_PROPS } from './unreadProps.js';
import { asSpread, lookup, snippet } from './lookup.js';
import { changedMemberNote } from './mutatedConsts.js';
import { readOptions, readsExisting, unreadableOptionsStep } from './options.js';
import { callExpressions, isJavaScript, newExpressions, parseTypeScript, rootName, stringValue, ts, isUnset, unwrap } from './parse.js';
import { factorySites, type FactorySite } from './factories.js';
import { solutionsConstructSites } from './solutionsConstructs.js';
import { pulumiCloudSites } from './pulumiCloud.js';
import { functionOf } from './scopes.js';
import { noRegion, stackCreators, stackRegionOf } from './stackRegion.js';
import { escapeHatches } from './overrides.js';
import { ignoredChanges, lifecycleOverrides, replacedOnChanges } from './ignoredChanges.js';
import { replaceTriggeredTables } from './replaceTriggers.js';
import { named } from './defaultChild.js';
import { apiGlobalTableGrants } from './apiGrants.js';
import { conditionalTables } from './conditions.js';
import { adapterMappings } from './adapter.js';
import { metadataSuppressionsOf } from './metadata.js';
import { resourceTables } from './resources.js';
import { sharedTables } from './resourcePolicy.js';
import { typeOnlyBlock } from './typeOnly.js';
import { integrationTables } from './zeroEtl.js';
import { managedKeySetting } from './awsManagedKey.js';
import { noKeyArn } from './fnChoices.js';
import { mayBeUndefined, optionalMemberRead } from './optionalProps.js';
import { guarded, onlyValueOf } from './singleValue.js';
import { stackKeySetting } from './stackConfig.js';
import { type Given, given as givenOf, type ProjectValues, type Wanted } from './projectValues.js';
import type { PulumiKeep } from '../pulumi/retention.js';
import type { FileRef } from '../serverless/fileValues.js';
import { cdktfIteratorObstacle } from './iterators.js';
import { sideEffectIdObstacle } from './sideEffects.js';
import { defaultCdktfProvider, providerEmulator } from './regions.js';
import { sstGlobalStep, sstGlobalSymbol, sstImportsTable, sstStep, sstTableProps, type SstGeneration } from './sst.js';

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

const V1_GLOBAL_TABLE = 'aws-cdk-lib/aws-dynamodb-global#GlobalTable';

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
const TABLE_MODULES = new Set(Object.keys(TABLE_CLASSES).map((k) => k.slice(0, k.indexOf('#'))));

/**
 * CDK for Terraform's AWS tables in layouts kmsfix reads but writes no imports for: @cdktf/provider-aws
 * before its namespaces (`import { DynamodbTable } from '@cdktf/provider-aws'`, every class at the root),
 * and the bindings `cdktf get` generates into `.gen/providers/aws` (flat, namespaced or per resource).
 */
const OTHER_CDKTF_LAYOUT =
  /^(@cdktf\/provider-aws|(?:.*\/)?\.gen\/providers\/aws(?:\/lib)?(?:\/[a-z-]+)?)#(?:[a-zA-Z]+\.)?(DynamodbTable|DynamodbTableReplica)$/;

/** A table class of another CDKTF layout (OTHER_CDKTF_LAYOUT), with the step a fix would need. */
function otherCdktfLayout(symbol: string): ((typeof TABLE_CLASSES)[string] & { layout: string }) | undefined {
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
const POLICY_CLASSES =
  /^(?:@pulumi\/aws#dynamodb\.ResourcePolicy|@cdktf\/provider-aws\/lib\/dynamodb(?:-resource-policy)?#DynamodbResourcePolicy)$/;

/** Zero-ETL integrations: CDK's CfnIntegration of aws-redshift or aws-glue, Pulumi's redshift.Integration, CDKTF's RedshiftIntegration. */
const INTEGRATION_CLASSES = /(?:redshift|glue)[\w/.#-]*(?:CfnIntegration|\.Integration|#RedshiftIntegration|#GlueIntegration)$/i;

/** The last names of the table classes (`dynamodb.Table` is a Table, whatever `dynamodb` is; a bare name may be an alias). */
const CLASS_NAMES = new Set(Object.keys(TABLE_CLASSES).map((k) => k.split(/[#.]/).pop()!));

/**
 * Which generation of its framework's packages a table's file is written against: AWS CDK v2
 * (`aws-cdk-lib`) or v1 (`@aws-cdk/aws-dynamodb`, same API); CDKTF's `lib/<resource>` layout or the
 * earlier one namespace per service (`lib/dynamodb`, `dynamodb.DynamodbTable`). New code follows it.
 */
export type Generation = 'cdk-v2' | 'cdk-v1' | 'monocdk' | 'cdktf' | 'cdktf-namespaced' | 'pulumi' | 'serverless';

export interface TsTable extends TableFacts {
  kind: TableClass;
  framework: Framework;
  generation: Generation;
  /**
   * The `new` expression, or for a subclass of a table class the `super(...)` call in its constructor;
   * for a CloudFormation resource written as an object literal (`serverless.ts`), that literal.
   */
  node: ts.NewExpression | ts.CallExpression | ts.ObjectLiteralExpression;
  /** The props / config / args object literal, when the table has one. */
  props?: ts.ObjectLiteralExpression;
  /** The construct id (CDK, CDKTF) or resource name (Pulumi) expression. */
  idNode?: ts.Expression;
  /** CDK, CDKTF: the scope argument, as written. */
  scopeText?: string;
  /** The statement that creates the table (its alias goes after it). */
  statement?: ts.Statement;
  /** The statement the key is declared before, when not `statement`: the `const` that holds the props. */
  keyStatement?: ts.Statement;
  /**
   * The name of the `const` that holds the props, when that const cannot change for this table alone
   * (shared with other tables, used elsewhere, or declared where the key cannot precede it): a fix
   * gives the table its own props there, `{ ...name, <settings> }`, and leaves the const as it is.
   */
  spreadOf?: ts.Identifier;
  /**
   * CDK TableV2: the stack classes it is created in (directly, or through the Construct classes of the file
   * that hold it), when the file exports them and never creates them: the app's entry decides whether the
   * stack has a Region (src/formats/typescript/cdkApp.ts).
   */
  stackClasses?: ts.ClassDeclaration[];
  /**
   * CDK TableV2 in a Construct class the file exports (its own, or one holding its own): the stacks of the
   * files that import and create it decide (src/formats/typescript/cdkApp.ts).
   */
  constructClasses?: ts.ClassDeclaration[];
  /**
   * CDK TableV2 whose stack's Region the file does not show (nor, through stackClasses, the app's entry):
   * Region-agnostic when the app gives no stack an env (src/formats/typescript/appEnv.ts).
   */
  regionOpen?: boolean;
  /**
   * CDKTF: the table sets its own `region`, which its key and alias can repeat (options.ts): its
   * `resource-region` obstacle is lifted when the project's @cdktf/provider-aws has `region` (cdktfRegion.ts).
   */
  regionMovable?: boolean;
  /**
   * Pulumi: what keeps the table past a destroy beside its own options, read from its app: an SST v3 app's
   * `removal` (sstRemoval.ts), which SST applies as retainOnDelete. retention.ts destroyKeeps adds it.
   */
  appKeeps?: PulumiKeep[];
}

/** The construct call of a table created by code (every table a fix changes): its `new` or `super(...)`. */
export function constructOf(t: TsTable): ts.NewExpression | ts.CallExpression {
  if (ts.isObjectLiteralExpression(t.node)) throw new Error(`${t.address} is a resource object, not a construct`);
  return t.node;
}

export interface TsDetection extends Detection {
  tables: TsTable[];
  sf: ts.SourceFile;
  imports: ImportInfo[];
  binds: ReturnType<typeof bindings>;
  /** The files a serverless.ts's keys read (`${file(...)}`: serverless/fileValues.ts), when a table's key reads one. */
  fileRefs?: FileRef[];
  /** The project's values a key met needs and the detection was not given (projectValues.ts Wanted), for a second detection (index.ts). */
  wants?: Wanted[];
  /** The project's modules (as the file imports them) a `new` or a class's `extends` reaches a name of, for a second detection with what they re-export (reexports.ts). */
  reexporting?: string[];
}

// ---------------------------------------------------------------- object literals

export { lookup, snippet, type Lookup } from './lookup.js';

function boolOf(e: ts.Expression): boolean | undefined {
  const u = unwrap(e);
  if (u.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (u.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}

// ---------------------------------------------------------------- settings, as written

/** A detection's file, its symbols, and the project's values it was given (projectValues.ts), for its key readers. */
type Ctx = { sf: ts.SourceFile; sym: (e: ts.Expression) => string | undefined; given: Given };

/** A property as a setting: absent, unreadable (a spread or computed property may set it), or its value as `read` reads it. */
export function settingOf(
  sf: ts.SourceFile,
  o: ts.ObjectLiteralExpression,
  name: string,
  read: (value: ts.Expression) => Setting,
): Setting {
  const l = lookup(sf, o, name);
  if (l.kind === 'absent') return ABSENT;
  if (l.kind === 'unknown') return { state: 'unreadable', source: l.why };
  return read(l.value);
}

/** A switch: `true` or `false` as written; anything else is decided at run time. */
export const switchOf =
  (sf: ts.SourceFile) =>
  (e: ts.Expression): Setting => {
    const b = boolOf(e);
    return b === undefined ? { state: 'expression', source: snippet(sf, e) } : { state: 'literal', source: snippet(sf, e), bool: b };
  };

/**
 * A key left out as written (`kmsKeyArn: undefined`, "Use AWS managed key"): absent; an optional prop (`props.key`,
 * `key?: IKey`) no guard proves set, or a value that may be undefined when the program runs (optionalProps.ts: one a
 * condition may leave out, `prod ? key : undefined`, written here or in the `const` the key names; `tryGetContext`,
 * `config.get`, a map without every stage...): decided at run time; undefined for any other value.
 */
function unsetKey(sf: ts.SourceFile, e: ts.Expression): Setting | undefined {
  if (isUnset(e)) return { ...ABSENT, source: snippet(sf, e) };
  // A prop the file's types declare optional (`key?: kms.IKey`): a caller may leave it out (optionalProps.ts).
  const optional = optionalMemberRead(e);
  if (optional && !guarded(unwrap(e))) return { state: 'unreadable', source: `the key may be left out (${snippet(sf, e)}: ${optional})` };
  const unset = mayBeUndefined(e);
  if (unset) return { state: 'unreadable', source: `the key may be left out (${unset})` };
  return undefined;
}

/** A key read from a member of a const the file changes after its declaration (`keys.orders`, mutatedConsts.ts): not known. */
function changedKey(sf: ts.SourceFile, e: ts.Expression): Setting | undefined {
  const note = changedMemberNote(sf, e);
  return note ? { state: 'unreadable', source: `the key ${note}` } : undefined;
}

/** A key: a string literal as such, anything else an expression naming a key (with the project's values `given` the detection). */
export const keyOf =
  (sf: ts.SourceFile, given: Given) =>
  (e: ts.Expression): Setting => {
    // A Pulumi table's key from the stack's config: what the stacks set (stackConfig.ts).
    const stacked = stackKeySetting(sf, given, e);
    if (stacked) return stacked;
    const changed = changedKey(sf, e);
    if (changed) return changed;
    const unset = unsetKey(sf, e);
    if (unset) return unset;
    const s = stringValue(unwrap(e));
    if (s !== undefined) return { state: 'literal', source: snippet(sf, e), text: s };
    // A lookup of the AWS managed key (awsManagedKey.ts) is that key, as its literal alias is; an input's default
    // that is that key, too; a fallback that is, where the value may be unset: not known.
    return managedKeySetting(sf, given, e, 'expression') ?? { state: 'expression', source: snippet(sf, e) };
  };

/** A nested object literal (a block): literal when it is one, an expression otherwise. */
export const blockOf =
  (sf: ts.SourceFile) =>
  (e: ts.Expression): Setting =>
    ts.isObjectLiteralExpression(unwrap(e))
      ? { state: 'literal', source: snippet(sf, e) }
      : { state: 'expression', source: snippet(sf, e) };

/** The object literal a property holds, if it holds one. */
export function objectAt(sf: ts.SourceFile, o: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralExpression | undefined {
  const l = lookup(sf, o, name);
  const v = l.kind === 'value' ? unwrap(l.value) : undefined;
  return v && ts.isObjectLiteralExpression(v) ? v : undefined;
}

/** Is the property absent, or an empty array literal? */
/** `null` or `undefined`, as written. */
function isNullOrUndefined(e: ts.Expression): boolean {
  return e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === 'undefined');
}

/**
 * A TableV2 whose replicas the file adds after it (`table.addReplica({ region })`, often in a loop over Regions): as
 * with a `replicas` prop, a customer-managed key needs a key ARN for each replica Region (CDK refuses it at synth,
 * "KMS key for <region> was not found in 'replicaKeyArns'").
 */
function addedReplicas(sf: ts.SourceFile, lines: LineIndex, tables: TsTable[]): void {
  const v2 = tables.filter((t) => t.kind === 'TableV2');
  if (v2.length === 0 || !sf.text.includes('.addReplica(')) return;
  for (const call of callExpressions(sf)) {
    const callee = unwrap(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'addReplica') continue;
    const t = named(callee.expression, v2);
    if (t && !t.encryption.obstacles.some((o) => o.kind === 'table-v2-replicas'))
      t.encryption.obstacles.push({
        kind: 'table-v2-replicas',
        maybe: `its replicas are added by ${callee.getText(sf)}(...) at line ${lines.position(call.getStart(sf)).line}`,
      });
  }
}

/** `{ maybe: why }` when the property is not written and may come from a spread of the props (lookup's reason), else nothing. */
function maybeFrom(sf: ts.SourceFile, o: ts.ObjectLiteralExpression, name: string): { maybe?: string } {
  const l = lookup(sf, o, name);
  return l.kind === 'unknown' ? { maybe: l.why } : {};
}

function noneOrEmpty(sf: ts.SourceFile, o: ts.ObjectLiteralExpression, name: string): boolean {
  const l = lookup(sf, o, name);
  if (l.kind === 'absent') return true;
  const v = l.kind === 'value' ? unwrap(l.value) : undefined;
  return !!v && ts.isArrayLiteralExpression(v) && v.elements.length === 0;
}

/** The key class CDK's `encryption` value selects (TableEncryption members, TableEncryptionV2 calls). */
const MEANS: Record<string, Setting['means']> = {
  'aws-cdk-lib/aws-dynamodb#TableEncryption.DEFAULT': 'aws-owned',
  'aws-cdk-lib/aws-dynamodb#TableEncryption.AWS_MANAGED': 'aws-managed',
  'aws-cdk-lib/aws-dynamodb#TableEncryption.CUSTOMER_MANAGED': 'customer-managed',
  'aws-cdk-lib/aws-dynamodb#TableEncryptionV2.dynamoOwnedKey': 'aws-owned',
  'aws-cdk-lib/aws-dynamodb#TableEncryptionV2.awsManagedKey': 'aws-managed',
  'aws-cdk-lib/aws-dynamodb#TableEncryptionV2.customerManagedKey': 'customer-managed',
};

/** CDK's `encryption`: a TableEncryption member (Table) or a TableEncryptionV2 call (TableV2). */
function choiceOf(c: Ctx, props: ts.ObjectLiteralExpression, v2: boolean): Setting {
  return settingOf(c.sf, props, 'encryption', choiceValue(c, v2, v2 && replicated(c.sf, props)));
}

/**
 * Does a TableV2 have replicas (its `replicas`, one a spread may give, or a `.addReplica(...)` of the file)? CDK reads
 * replicaKeyArns for those only: an entry for a Region with none is not used.
 */
const replicated = (sf: ts.SourceFile, props: ts.ObjectLiteralExpression) =>
  !noneOrEmpty(sf, props, 'replicas') || sf.text.includes('.addReplica(');

const choiceValue =
  (c: Ctx, v2: boolean, replicas = false) =>
  (e: ts.Expression): Setting => {
    const u = unwrap(e);
    const s = v2 ? (ts.isCallExpression(u) ? c.sym(u.expression) : undefined) : c.sym(u);
    let means = s === undefined ? undefined : MEANS[s];
    // `TableEncryptionV2.customerManagedKey(<a lookup of alias/aws/dynamodb>)`: the AWS managed key (awsManagedKey.ts);
    // through a CfnParameter's default, said with it; one that may be that key: not known.
    const managed =
      means === 'customer-managed' && ts.isCallExpression(u) && u.arguments[0]
        ? managedKeySetting(c.sf, c.given, u.arguments[0], 'reference')
        : undefined;
    if (managed?.state === 'unreadable') return managed;
    if (managed) means = 'aws-managed';
    // `customerManagedKey(Key.fromKeyArn(this, 'K', Fn.conditionIf(c, arn, Aws.NO_VALUE).toString()))`: may be no key (fnChoices.ts).
    const noKey =
      means === 'customer-managed' && ts.isCallExpression(u) && u.arguments[0]
        ? noKeyArn(u.arguments[0], snippet(c.sf, u.arguments[0]))
        : undefined;
    if (noKey) return { state: 'unreadable', source: `the key may be left out (${noKey})` };
    // Its replica key ARNs (`customerManagedKey(key, { 'eu-west-1': <a key> })`): each replica's key, read the same way.
    const replica =
      replicas && means === 'customer-managed' && ts.isCallExpression(u) && u.arguments[1]
        ? managedReplicaKey(c, u.arguments[1])
        : undefined;
    if (replica?.setting.state === 'unreadable') return replica.setting;
    if (replica) means = 'aws-managed';
    const source = replica ? `${snippet(c.sf, e)}, whose replica key for ${replica.region} is ${replica.setting.source}` : snippet(c.sf, e);
    const via = managed?.via ?? replica?.setting.via;
    return means ? { state: 'reference', source, means, ...(via ? { via } : {}) } : { state: 'expression', source: snippet(c.sf, e) };
  };

/**
 * The first entry of TableV2's replica key ARNs (`TableEncryptionV2.customerManagedKey(key, replicaKeyArns)`, written
 * there or in a const of the file) that is, or may be, the AWS managed key, with its Region as written: CDK sets that
 * replica's KMSMasterKeyId from it, as a CfnGlobalTable replica's own (adversarial pass s61 F1). Undefined for a map
 * whose entries name other keys, and for one kmsfix cannot list (a spread, a value of another file).
 */
function managedReplicaKey(c: Ctx, map: ts.Expression, depth = 0): { region: string; setting: Setting } | undefined {
  const u = unwrap(map);
  if (depth > 4) return undefined;
  if (ts.isIdentifier(u)) {
    const init = onlyValueOf(declarationOf(u));
    return init && managedReplicaKey(c, init, depth + 1);
  }
  if (!ts.isObjectLiteralExpression(u)) return undefined;
  for (const p of u.properties) {
    const value = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
    const setting = value && managedKeySetting(c.sf, c.given, value, 'reference');
    if (setting) return { region: p.name ? p.name.getText(c.sf) : '?', setting };
  }
  return undefined;
}

/**
 * CDK's `encryption` chosen by a condition (`isProd ? TableEncryption.AWS_MANAGED : TableEncryption.DEFAULT`, or
 * `: undefined`): the settings as each value would make them (Settings.branches). When none is customer-managed the
 * table is not, whichever the condition picks (as CloudFormation's Fn::If): real-world round 30.
 */
function withChoiceBranches(c: Ctx, props: ts.ObjectLiteralExpression, v2: boolean, settings: Settings): Settings {
  const l = lookup(c.sf, props, 'encryption');
  const e = l.kind === 'value' ? unwrap(l.value) : undefined;
  if (settings.model !== 'choice' || !e || !ts.isConditionalExpression(e)) return settings;
  const value = choiceValue(c, v2, v2 && replicated(c.sf, props));
  const branches = [e.whenTrue, e.whenFalse].map((b) => ({ ...settings, choice: isUnset(b) ? ABSENT : value(b) }));
  return {
    ...settings,
    branches: { name: 'choice', source: settings.choice.source, condition: e.condition.getText(c.sf), settings: branches },
  };
}

/** The CloudFormation SSE names: CDK's L1 props (camelCase), or the resource's own (PascalCase). */
export const CFN_NAMES = { block: 'sseSpecification', enabled: 'sseEnabled', sseType: 'sseType', key: 'kmsMasterKeyId' };

/**
 * CloudFormation-shaped SSE (CfnTable, CfnGlobalTable, aws-native's tables): sseSpecification
 * { sseEnabled, sseType, kmsMasterKeyId }. sseType matters only when it is not a string (KMS is its one value).
 */
export function cfnSettings(
  sf: ts.SourceFile,
  given: Given,
  props: ts.ObjectLiteralExpression,
  withKey: boolean,
  names = CFN_NAMES,
  /** How the key is read: as the TypeScript family reads a key (keyOf), or as a serverless.ts's (resources.ts). */
  readKey = keyOf(sf, given),
): Settings {
  const block = settingOf(sf, props, names.block, blockOf(sf));
  const o = objectAt(sf, props, names.block);
  if (block.state !== 'literal' || !o) return { model: 'sse', block };
  const settings: Settings = {
    model: 'sse',
    block,
    enabled: settingOf(sf, o, names.enabled, switchOf(sf)),
    sseType: settingOf(sf, o, names.sseType, keyOf(sf, given)),
  };
  if (withKey) settings.key = settingOf(sf, o, names.key, readKey);
  return settings;
}

/** Terraform-shaped SSE (CDKTF DynamodbTable, Pulumi aws.dynamodb.Table): serverSideEncryption { enabled, kmsKeyArn }. */
function tfSettings(sf: ts.SourceFile, given: Given, props: ts.ObjectLiteralExpression): Settings {
  const block = settingOf(sf, props, 'serverSideEncryption', blockOf(sf));
  const o = objectAt(sf, props, 'serverSideEncryption');
  if (block.state !== 'literal' || !o) return { model: 'sse', block };
  return { model: 'sse', block, enabled: settingOf(sf, o, 'enabled', switchOf(sf)), key: settingOf(sf, o, 'kmsKeyArn', keyOf(sf, given)) };
}

/**
 * The object literal every element of `xs.map(cb)` is, when `cb` is a function that returns one:
 * `(r) => ({...})`, or a body whose only return (at its top level, its last statement) returns one.
 */
function mappedObject(e: ts.Expression): ts.ObjectLiteralExpression | undefined {
  if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression) || e.expression.name.text !== 'map') return undefined;
  const cb = e.arguments.length === 1 ? unwrap(e.arguments[0]) : undefined;
  if (!cb || !(ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) return undefined;
  let returned: ts.Expression | undefined;
  if (!ts.isBlock(cb.body)) returned = cb.body;
  else {
    const last = cb.body.statements[cb.body.statements.length - 1];
    const returns = (n: ts.Node): boolean =>
      ts.isReturnStatement(n) || (!ts.isFunctionLike(n) && !ts.isClassLike(n) && (ts.forEachChild(n, returns) ?? false));
    const earlier = cb.body.statements.slice(0, -1).some(returns);
    if (last && ts.isReturnStatement(last) && !earlier) returned = last.expression;
  }
  const o = returned && unwrap(returned);
  return o && ts.isObjectLiteralExpression(o) ? o : undefined;
}

/** A list of replicas, each object literal's key read by `keyOf`. */
export function replicasOf(
  sf: ts.SourceFile,
  props: ts.ObjectLiteralExpression,
  name: string,
  keys: Replicas['keys'],
  keyOfReplica: (o: ts.ObjectLiteralExpression) => Setting,
): Replicas {
  const l = lookup(sf, props, name);
  const replicas: Replicas = { keys, list: ABSENT, items: [], fix: 'none' };
  if (l.kind === 'absent') {
    // A global table needs its replicas; another table may have none.
    if (keys === 'own') replicas.list = { state: 'absent', source: 'missing' };
    return replicas;
  }
  if (l.kind === 'unknown') {
    replicas.list = keys === 'own' ? { state: 'unreadable', source: l.why } : { state: 'expression', source: snippet(sf, l.node) };
    return replicas;
  }
  const list = unwrap(l.value);
  // `regions.map((region) => ({ region, sseSpecification: { kmsMasterKeyId: ... } }))`: every replica has the
  // callback's object's key (read as one replica; never fixed: a key set there would serve every Region).
  const template = mappedObject(list);
  if (template) {
    replicas.list = { state: 'literal', source: snippet(sf, list) };
    replicas.items = [{ source: snippet(sf, template), readable: true, key: keyOfReplica(template) }];
    replicas.fix = 'none';
    return replicas;
  }
  if (!ts.isArrayLiteralExpression(list)) {
    replicas.list = { state: 'expression', source: snippet(sf, keys === 'own' ? list : l.value) };
    return replicas;
  }
  replicas.list = { state: 'literal', source: snippet(sf, list) };
  replicas.items = list.elements.map((el) => {
    const e = unwrap(el as ts.Expression);
    if (!ts.isObjectLiteralExpression(e)) return { source: snippet(sf, el), readable: false, key: ABSENT };
    return { source: snippet(sf, el), readable: true, key: keyOfReplica(e) };
  });
  return replicas;
}

/** A CfnGlobalTable replica's key: sseSpecification.kmsMasterKeyId. */
function cfnReplicaKey(sf: ts.SourceFile, given: Given, replica: ts.ObjectLiteralExpression): Setting {
  const spec = lookup(sf, replica, 'sseSpecification');
  if (spec.kind === 'unknown') return { state: 'unreadable', source: spec.why };
  const o = objectAt(sf, replica, 'sseSpecification');
  return o ? settingOf(sf, o, 'kmsMasterKeyId', keyOf(sf, given)) : ABSENT;
}

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

/** The encryption facts of a table whose props are an object literal. */
function factsOf(c: Ctx, kind: TableClass, props: ts.ObjectLiteralExpression): EncryptionFacts {
  const { sf, given } = c;
  const facts: EncryptionFacts = { peerKind: 'code', words: WORDS[kind], settings: { model: 'sse' }, obstacles: [] };
  switch (kind) {
    case 'Table': {
      let maybeManaged: Setting | undefined;
      const settings: Extract<Settings, { model: 'choice' }> = {
        model: 'choice',
        choice: choiceOf(c, props, false),
        key: settingOf(sf, props, 'encryptionKey', (e) => {
          // A member of a const the file changes may be any key, the AWS managed key too: as one that may be, below.
          const changed = changedKey(sf, e);
          if (changed) return (maybeManaged = changed);
          // A key imported by an ARN that may be no key (`Key.fromKeyArn(..., Fn.conditionIf(c, arn, Aws.NO_VALUE))`):
          // CDK creates none for it, and the table may get the AWS managed key (fnChoices.ts).
          const noKey = noKeyArn(e, snippet(sf, e));
          if (noKey) return (maybeManaged = { state: 'unreadable', source: `the key may be left out (${noKey})` });
          const unset = unsetKey(sf, e);
          if (unset) return unset;
          const managed = managedKeySetting(sf, given, e, 'reference');
          if (managed?.state === 'unreadable') maybeManaged = managed;
          return managed ?? { state: 'reference', source: snippet(sf, e) };
        }),
        enabled: settingOf(sf, props, 'serverSideEncryption', switchOf(sf)),
      };
      // CUSTOMER_MANAGED with a key that may be the AWS managed key (`Key.fromKeyArn(this, 'K', context ?? <its alias
      // ARN>)`): not known. (A key that may be left out is not: CDK then creates one for the table.)
      if (maybeManaged && settings.choice.means === 'customer-managed') settings.choice = maybeManaged;
      facts.settings = withChoiceBranches(c, props, false, settings);
      // CDK refuses CUSTOMER_MANAGED beside any replicationRegions, `[]` too (a truthy array).
      if (!noneOrEmpty(sf, props, 'replicationRegions'))
        facts.obstacles.push({ kind: 'replication-regions', ...maybeFrom(sf, props, 'replicationRegions') });
      else if (lookup(sf, props, 'replicationRegions').kind !== 'absent')
        facts.obstacles.push({ kind: 'replication-regions', empty: true });
      break;
    }
    case 'TableV2':
      facts.settings = withChoiceBranches(c, props, true, { model: 'choice', choice: choiceOf(c, props, true) });
      if (!noneOrEmpty(sf, props, 'replicas')) facts.obstacles.push({ kind: 'table-v2-replicas', ...maybeFrom(sf, props, 'replicas') });
      // Settings replicated with no replica of its own: the source of a multi-account global table.
      else if (lookup(sf, props, 'globalTableSettingsReplicationMode').kind !== 'absent')
        facts.obstacles.push({
          kind: 'multi-account-replication',
          why: 'it sets globalTableSettingsReplicationMode with no replicas of its own, as the source of a multi-account global table does',
          replicas: [],
        });
      break;
    case 'TableV2MultiAccountReplica':
      facts.settings = { model: 'choice', choice: choiceOf(c, props, true) };
      facts.obstacles.push({
        kind: 'multi-account-replication',
        why: "it is a replica, in another account, of replicaSourceTable's global table",
        replicas: [],
      });
      break;
    case 'CfnTable':
    case 'NativeTable':
      facts.settings = cfnSettings(sf, given, props, true);
      // CDK synthesizes sseSpecification as given: CloudFormation rejects a key without sseType (src/rule/cmk.ts
      // untypedKey). (aws-native's tables are never fixed, and a fix's step would not be this one.)
      if (kind === 'CfnTable' && facts.settings.model === 'sse') facts.settings.keyNeedsType = true;
      break;
    case 'CfnGlobalTable':
    case 'NativeGlobalTable':
      facts.settings = cfnSettings(sf, given, props, false);
      facts.replicas = replicasOf(sf, props, 'replicas', 'own', (o) => cfnReplicaKey(sf, given, o));
      break;
    case 'DynamodbTableReplica':
    case 'PulumiTableReplica':
      facts.settings = { model: 'sse', key: settingOf(sf, props, 'kmsKeyArn', keyOf(sf, given)) };
      facts.obstacles.push({ kind: 'replica-resource' });
      break;
    case 'DynamodbTable':
    case 'PulumiTable': {
      facts.settings = tfSettings(sf, given, props);
      const name = kind === 'DynamodbTable' ? 'replica' : 'replicas';
      facts.replicas = replicasOf(sf, props, name, 'override', (o) => settingOf(sf, o, 'kmsKeyArn', keyOf(sf, given)));
      break;
    }
  }
  return facts;
}

// ---------------------------------------------------------------- where a key can go

const PLAIN_SCOPE = /^(this|[A-Za-z_$][\w$]*)(\.[A-Za-z_$][\w$]*)*$/;

const SHORT_CIRCUIT = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.QuestionQuestionToken,
  ts.SyntaxKind.BarBarToken,
  ts.SyntaxKind.AmpersandAmpersandToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
]);

/** The statement to declare the key before, or why there is none. */
function anchorOf(node: ts.Node): { statement?: ts.Statement; where?: Placement } {
  let cur: ts.Node = node;
  while (cur.parent) {
    const p: ts.Node = cur.parent;
    if (ts.isBlock(p) || ts.isSourceFile(p) || ts.isModuleBlock(p) || ts.isCaseClause(p) || ts.isDefaultClause(p)) {
      return { statement: cur as ts.Statement };
    }
    if (ts.isIfStatement(p) || ts.isIterationStatement(p, false) || ts.isLabeledStatement(p)) {
      return { where: 'unbraced-body' };
    }
    if (ts.isConditionalExpression(p) && cur !== p.condition) {
      return { where: 'conditional' };
    }
    // The right of `??`, `||`, `&&` (and `??=`, `||=`, `&&=`) runs only as the left decides: `props.table ?? new Table(...)`
    // creates no table when the caller gives one (guiyom-e/cdk-dynamodb-migration), and a key before the statement would stay unused.
    if (ts.isBinaryExpression(p) && cur === p.right && SHORT_CIRCUIT.has(p.operatorToken.kind)) {
      return { where: 'conditional' };
    }
    if (ts.isFunctionLike(p)) return { where: 'expression-body' };
    if (ts.isPropertyDeclaration(p) || ts.isClassLike(p)) {
      return { where: 'class-field' };
    }
    cur = p;
  }
  return { where: 'nowhere' };
}

// ---------------------------------------------------------------- suppressions

/**
 * Suppression comments (`// kmsfix:ignore reason`, `// checkov:skip=CKV_AWS_119:reason`, and the other
 * tools' syntaxes) in the comments just above the table's `new` expression, up to its statement.
 */
export function suppressionsOf(sf: ts.SourceFile, node: ts.Node): Suppression[] {
  const text = sf.text;
  const out: Suppression[] = [];
  for (let cur: ts.Node | undefined = node; cur && !ts.isSourceFile(cur); cur = cur.parent) {
    for (const r of ts.getLeadingCommentRanges(text, cur.pos) ?? []) {
      const comment = text.slice(r.pos, r.end);
      // Every syntax commentSuppressions reads has one of these (most comments have none).
      if (!MAYBE_SUPPRESSION.test(comment)) continue;
      for (const line of comment.split('\n')) {
        for (const s of commentSuppressions(line.replace(/\*\/\s*$/, ''))) if (!out.some((o) => o.text === s.text)) out.push(s);
      }
    }
    if (ts.isStatement(cur) && (ts.isBlock(cur.parent) || ts.isSourceFile(cur.parent))) break;
  }
  return out;
}

// ---------------------------------------------------------------- detection

/** A table whose props kmsfix cannot read. */
export function unreadable(why: string): EncryptionFacts {
  return {
    peerKind: 'code',
    words: { names: {} },
    settings: { model: 'unreadable', container: { state: 'unreadable', source: why } },
    obstacles: [],
  };
}

const PRE_V1 =
  'the file imports @aws-cdk/cdk, the AWS CDK before 1.0, whose Table has no customer-managed encryption ' +
  '(no TableEncryption, no encryptionKey): move the file to @aws-cdk/core (CDK v1) or aws-cdk-lib (v2), then run kmsfix again';

function generationOf(cls: (typeof TABLE_CLASSES)[string], module: string | undefined): Generation {
  if (cls.framework === 'cdk')
    return module?.startsWith('@aws-cdk/') ? 'cdk-v1' : module && /^monocdk(\/|$)/.test(module) ? 'monocdk' : 'cdk-v2';
  if (cls.framework === 'cdktf') return cls.type.endsWith('.dynamodb.DynamodbTable') ? 'cdktf-namespaced' : 'cdktf';
  return 'pulumi';
}

/**
 * A status a parameter's default decides (a CfnParameter's: awsManagedKey.ts; a serverless.ts's resources.Parameters):
 * left to the parameter unless --fix-parameterised, as a template's `!Ref` is.
 */
export function parameterDecided(encryption: EncryptionFacts, back?: () => WrittenBack | undefined): void {
  const decided = decide(encryption);
  const parameters = (decided.via ?? []).filter((v) => /^parameter \S+'s default\b/.test(v));
  if (parameters.length > 0 && (decided.status === 'aws-managed' || decided.status === 'aws-owned')) {
    const o: Obstacle = {
      kind: 'parameter',
      decidedBy: parameters,
      inputs: [...new Set(parameters.map((v) => /^parameter (\S+)'s/.exec(v)![1]))],
    };
    // The settings as written, for the roll back (a serverless.ts's SSESpecification); none from AWS CDK (or where kmsfix
    // cannot tell), whose roll back names the code before the fix.
    o.back = back?.() ?? {};
    encryption.obstacles.push(o);
  }
}

/**
 * `values`: the project's values a first detection showed the file reads (projectValues.ts: the Pulumi project's
 * stacks, the files a serverless.ts's keys read, the CDK app's context), read by index.ts before a second detection.
 */
export function detectTypeScript(file: SourceFile, values: ProjectValues = {}): TsDetection {
  const sf = parseTypeScript(file.path, file.text);
  // The project's values, down to every key's reading, and what a key met needs without them.
  const given = givenOf(values);
  const imports = readImports(sf);
  // A CDK, CDKTF, Pulumi or SST program in JavaScript (src/formats/typescript/javascript.ts): its constructs
  // are read, never fixed; one a compiler wrote is read at its source; a serverless.js for its resources alone.
  const program = isJavaScriptProgram(file.path);
  const compiled = program && isCompiledJavaScript(file.text);
  const js = isJavaScript(file.path) && !(program && !compiled);
  // `require` in a TypeScript file too (`const dynamodb = require('aws-cdk-lib/aws-dynamodb')`), and names
  // destructured from a bound module: read, and a table through them not fixed (`unimported`).
  const required = sf.text.includes('require') ? readRequires(sf) : [];
  const binds = bindings([...imports, ...required]);
  const requiredNames = new Set(required.flatMap((b) => [...(b.namespace ? [b.namespace] : []), ...b.named.map((n) => n.local)]));
  // Names imported from a module of the project that re-exports table classes (`import { MyTable } from './tables'`).
  if (values.reexports) throughReexports(binds, values.reexports, (id) => TABLE_MODULES.has(id.slice(0, id.indexOf('#'))));
  /** The project's modules a `new` or an `extends` reaches a name of, read only when no re-exports were given. */
  const reexporting = new Set<string>();
  const reaches = (callee: ts.Expression) => {
    const root = rootName(callee);
    const b = root && !values.reexports ? binds.at(root, callee) : undefined;
    if (b && RELATIVE.test(b.module)) reexporting.add(b.module);
  };
  // Aliases (`const dynamodb = cdk.aws_dynamodb`, also in a function) and names destructured from a bound module.
  bindAliases(sf, binds, requiredNames);
  /** How the name a table's class is reached through is bound, when a fix could not import through it. */
  const unimported = (root: string, at: ts.Node) => {
    const how = binds.at(root, at)?.how;
    return how === 'destructured'
      ? 'destructuring a module'
      : how === 'alias'
        ? 'an alias of a name bound by require(...) or by destructuring a module'
        : requiredNames.has(root)
          ? 'require(...)'
          : undefined;
  };
  const c: Ctx = { sf, sym: (e) => resolveSymbol(e, binds), given };
  const lines = LineIndex.of(file.text);
  const tables: TsTable[] = [];
  const seen = new Map<string, number>();
  // AWS CDK before 1.0 (`@aws-cdk/cdk`): its Table had no TableEncryption.
  const preV1 = imports.some((i) => i.module === '@aws-cdk/cdk');
  // CDKTF's provider without an alias, looked for once per file (null: none), by the first table on it.
  let cdktfDefault: ts.NewExpression | null | undefined;

  /** The table class `new <callee>(...)` creates, if any (most `new`s of a stack are other constructs: told by their last name first). */
  const classOf = (callee: ts.Expression) => {
    if (ts.isPropertyAccessExpression(callee) ? !CLASS_NAMES.has(callee.name.text) : !ts.isIdentifier(callee)) return undefined;
    const symbol = c.sym(callee) ?? sstGlobalSymbol(callee) ?? '';
    return TABLE_CLASSES[symbol] ?? otherCdktfLayout(symbol);
  };

  /** `via`: a table a call creates from the class it is given (factories.ts), with the arguments it passes, if known. */
  const tableOf = (node: ts.NewExpression | ts.CallExpression, cls: (typeof TABLE_CLASSES)[string], via?: FactorySite): TsTable => {
    const args: readonly (ts.Expression | undefined)[] = via ? (via.args ?? []) : (node.arguments ?? []);
    const pulumi = cls.framework === 'pulumi';
    // `new Table(...makeArgs(name, {...}))`: the arguments from a spread on are not seen.
    const spreadAt = args.findIndex((a) => a !== undefined && ts.isSpreadElement(a));
    const argAt = (i: number) => (spreadAt === -1 || i < spreadAt ? args[i] : undefined);
    const idNode = argAt(pulumi ? 0 : 1);
    const propsNode = argAt(pulumi ? 1 : 2);
    const scopeNode = pulumi ? undefined : argAt(0);
    const spread = spreadAt === -1 ? undefined : spreadText(sf, args[spreadAt] as ts.SpreadElement);
    const idText = via?.address ?? (idNode ? (stringValue(idNode) ?? idNode.getText(sf)) : (spread ?? '(no id)'));
    const n = (seen.get(idText) ?? 0) + 1;
    seen.set(idText, n);
    const address = n === 1 ? idText : `${idText}#${n}`;
    const pos = lines.position(node.getStart(sf));
    const module = importedModuleOf(node.expression, binds);
    const generation = generationOf(cls, module);
    const written = propsNode ? unwrap(propsNode) : undefined;
    // `new Table(this, 'T', props)` with `const props = {...}` in the file: the table's props are that literal, unless
    // the file changes the const after its declaration (`props.encryption = ...`, mutatedConsts.ts), other than in
    // props kmsfix does not read (`props.billingMode = ...`, unreadProps.ts): then not read.
    const constHeld = written && ts.isIdentifier(written) ? constObjectHeld(sf, written, UNREAD_TABLE_PROPS) : undefined;
    const changed = constHeld && 'changed' in constHeld ? constHeld.changed : undefined;
    const held = constHeld && 'changed' in constHeld ? undefined : constHeld;
    // `new Table(scope, id, props)` in a helper whose calls all give `props` literals, or with `const props =
    // custom || {...}`: read as `{ ...props }`, fixed so (`spreadOf`) when that reading decides the table
    // (CDK only: CDKTF's and Pulumi's options would be read from the props too).
    let passed =
      !held && !changed && written && ts.isIdentifier(written) && cls.framework === 'cdk' && !cls.sst && !via
        ? asSpread(written)
        : undefined;
    const mixed = passed !== undefined && decide(factsOf(c, cls.kind, passed)).status === 'unknown';
    if (mixed) passed = undefined;
    const props = held ? held.literal : (passed ?? written);
    let encryption: EncryptionFacts;
    const sst = cls.sst ? sstTableProps(sf, cls.sst, propsNode) : undefined;
    if (sst === 'absent') encryption = factsOf(c, cls.kind, ts.factory.createObjectLiteralExpression());
    else if (sst && 'unreadable' in sst) encryption = unreadable(`${cls.type}: ${sst.unreadable}, so kmsfix cannot see its encryption`);
    else if (sst) encryption = factsOf(c, cls.kind, sst);
    else if (changed) {
      encryption = unreadable(`${via?.propsName ?? 'props'} are ${changed}, so kmsfix cannot see their encryption`);
      encryption.obstacles.push({ kind: 'unreadable-props' });
    } else if (!props && spread) {
      encryption = unreadable(`${cls.type}'s props come from the spread ${spread}, so kmsfix cannot see their encryption`);
      encryption.obstacles.push({ kind: 'unreadable-props' });
    } else if (!props && (via?.defaultChoice || via?.noEncryption)) {
      // The creating code's defaults alone (a Solutions Construct given no dynamoTableProps, @pulumi/cloud's Table).
      encryption = factsOf(c, cls.kind, ts.factory.createObjectLiteralExpression());
    } else if (!props && via?.unreadable) {
      encryption = unreadable(`${cls.type}: ${via.unreadable}, so kmsfix cannot see its table's encryption`);
    } else if (!props && via) {
      encryption = unreadable(`${cls.type} is created through ${snippet(sf, via.call.expression)}(), whose arguments kmsfix does not read`);
    } else if (!props) {
      encryption = unreadable(`${cls.type} has no props`);
    } else if (!ts.isObjectLiteralExpression(props)) {
      const what = ts.isIdentifier(props)
        ? `the variable ${props.text}, not a const object literal of this file${
            declarationOf(props) === 'other' ? ' (nor a parameter of a helper of this file, not exported, that every call gives one)' : ''
          }, so kmsfix cannot see their encryption`
        : `${snippet(sf, props)}, not an object literal, so kmsfix cannot see their encryption`;
      const name = via?.propsName ?? 'props';
      encryption = unreadable(
        mixed
          ? `${name} are the variable ${snippet(sf, props)}, whose values (object literals) do not all leave the encryption unset: kmsfix reads such ${name} only when none sets it`
          : `${name} are ${what}`,
      );
      encryption.obstacles.push({ kind: 'unreadable-props' });
    } else encryption = factsOf(c, cls.kind, props);
    // Props that choose no key get the creating code's choice (the caller's props win over its defaults).
    const settings = encryption.settings;
    if (via?.defaultChoice && settings.model === 'choice' && settings.choice.state === 'absent') settings.choice = via.defaultChoice;
    const anchor = anchorOf(node);
    // Where the key would go, looked at only for a table the rule would fix.
    let spreadOf: ts.Identifier | undefined;
    let creators: ReturnType<typeof stackCreators> | undefined;
    let regionOpen = false;
    let regionMovable = false;
    const jsStep = program ? javaScriptStep(cls.kind) : undefined;
    // The name the table's class is reached through (`dynamodb` of `dynamodb.Table`), when it is one.
    const root = rootName(node.expression);
    // A class reached through a module of the project that re-exports it (reexports.ts).
    const reexported = via ? undefined : boundOf(node.expression, binds)?.from;
    if (via) encryption.obstacles.push({ kind: 'factory', step: via.step });
    else if (cls.sst) encryption.obstacles.push({ kind: 'code-shape', step: sstStep(sf, cls.sst, propsNode) });
    else if (jsStep) encryption.obstacles.push({ kind: 'code-shape', step: jsStep });
    else if (reexported)
      encryption.obstacles.push({
        kind: 'code-shape',
        step:
          `${root} is imported from the project's module ${reexported}, which re-exports ${cls.type}, ` +
          `and kmsfix writes no imports through a module of the project: import the table's class from ${module} itself, then run kmsfix again, ` +
          'or give the table a customer-managed KMS key with rotation in its props by hand',
      });
    else if (root && unimported(root, node.expression))
      encryption.obstacles.push({
        kind: 'code-shape',
        step:
          `${root} is bound by ${unimported(root, node.expression)}, ` +
          "and kmsfix writes its imports beside import declarations: import the table's module (import * as dynamodb from ...), then run kmsfix again",
      });
    else if (cls === TABLE_CLASSES[V1_GLOBAL_TABLE])
      encryption.obstacles.push({
        kind: 'api-global-table',
        version: '2017.11.29',
        why: "@aws-cdk/aws-dynamodb-global's GlobalTable creates this table in each Region of its regions and joins them into a global table",
        declare: 'a Table with replicationRegions, in place of the GlobalTable',
      });
    // Never fixed: its options, provider and Region are aws-native's, which the fix below does not read.
    else if (cls.kind === 'NativeTable' || cls.kind === 'NativeGlobalTable')
      encryption.obstacles.push({ kind: 'aws-native', where: 'args', keyArn: 'key.arn' });
    else if (fixWanted(decide(encryption))) {
      // A choice a condition makes, none of whose values is customer-managed: the condition is the code's (withChoiceBranches).
      const chosenBy = decide(encryption).condition;
      if (chosenBy !== undefined)
        encryption.obstacles.push({
          kind: 'code-shape',
          step: `the setting is chosen by \`${chosenBy}\`: kmsfix leaves the choice to the code; give each value you want compliant a customer-managed key by hand (TableEncryption.CUSTOMER_MANAGED with an encryptionKey, TableEncryptionV2.customerManagedKey(key))`,
        });
      // A const that cannot change for this table alone: the table gets its own props where it is
      // created, a spread of the const and the settings, and its key goes before its own statement.
      const unshared = held ? heldProblem(held, node, anchor.statement, scopeNode) : undefined;
      if (unshared !== undefined || passed) spreadOf = written as ts.Identifier;
      // A key without sseType gets sseType alone, in the settings the table holds itself (typeOnly.ts).
      const typed = typeOnlyFix(encryption) && props && ts.isObjectLiteralExpression(props) ? { kind: cls.kind, node, props } : undefined;
      const untyped = typed && typeOnlyBlock(sf, lines, typed, spreadOf);
      if (untyped && 'step' in untyped) encryption.obstacles.push({ kind: 'code-shape', step: untyped.step });
      const legacy =
        props && ts.isObjectLiteralExpression(props) && cls.kind === 'Table' ? lookup(sf, props, 'serverSideEncryption') : undefined;
      const legacyLine = legacy?.kind === 'value' ? lines.position(legacy.prop.getStart(sf)).line : 0;
      // Pulumi's replaceOnChanges naming the encryption: pulumi up would replace the table, not change its key in place.
      const replaced = cls.framework === 'pulumi' ? replacedOnChanges(sf, lines, args[2]) : undefined;
      if (replaced) encryption.obstacles.push(replaced);
      const ignored = ignoredChanges(sf, lines, cls.framework, props, args[2]);
      if (ignored) encryption.obstacles.push(ignored);
      // CDKTF forEach or count: the alias cannot name the table's instances (iterators.ts).
      const iterated =
        cls.framework === 'cdktf' && props && ts.isObjectLiteralExpression(props) ? cdktfIteratorObstacle(sf, props) : undefined;
      if (iterated) encryption.obstacles.push(iterated);
      // An id with a side effect (`Shard${n++}`): each copy the fix writes would run it again (sideEffects.ts).
      const effect = idNode && !typed ? sideEffectIdObstacle(sf, idNode, cls.framework === 'pulumi') : undefined;
      if (effect) encryption.obstacles.push(effect);
      // The key, alias and lookups share the table's provider (its Region), parent and protection.
      const options =
        cls.framework === 'pulumi' || cls.framework === 'cdktf'
          ? readOptions(sf, cls.framework, props && ts.isObjectLiteralExpression(props) ? props : undefined, args[2])
          : undefined;
      if (options && 'unreadable' in options)
        encryption.obstacles.push({ kind: 'code-shape', step: unreadableOptionsStep(cls.framework, options) });
      // Pulumi AWS 7 and CDKTF on hashicorp/aws 6: a table in a Region of its own, which the key would not follow.
      const ownRegion = options && props && ts.isObjectLiteralExpression(props) ? lookup(sf, props, 'region') : undefined;
      const regionValue = ownRegion?.kind === 'value' ? unwrap(ownRegion.value) : undefined;
      if (ownRegion?.kind === 'value' && regionValue && !isNullOrUndefined(regionValue)) {
        encryption.obstacles.push({ kind: 'resource-region', region: snippet(sf, ownRegion.value) });
        // CDKTF: lifted when the project's provider gives the key and alias `region` too (cdktfRegion.ts).
        regionMovable = cls.framework === 'cdktf' && !!options && !('unreadable' in options) && options.region !== undefined;
      }
      // A provider of the file that sends DynamoDB to an emulator, and not the services a generated key calls.
      const provider = options && 'keptBy' in options ? options.provider : undefined;
      const byDefault =
        !provider && options && cls.framework === 'cdktf' ? (cdktfDefault ??= defaultCdktfProvider(sf, c.sym) ?? null) : null;
      const emulator = provider
        ? providerEmulator(sf, c.sym, node, provider.value)
        : byDefault && providerEmulator(sf, c.sym, node, byDefault, "aws (the stack's AwsProvider without an alias)");
      if (emulator) encryption.obstacles.push(emulator);
      const region = cls.kind === 'TableV2' ? stackRegionOf(sf, c.sym, node) : undefined;
      if (generation === 'cdk-v1' && preV1) encryption.obstacles.push({ kind: 'code-shape', step: PRE_V1 });
      else if (legacy?.kind === 'value' && legacy.prop.parent !== props)
        encryption.obstacles.push({
          kind: 'code-shape',
          step:
            `serverSideEncryption comes from a spread object (line ${legacyLine}), and CDK refuses it ` +
            'beside encryption: remove it there (or give the table its own props), then run kmsfix again',
        });
      else if (legacy?.kind === 'value' && held && unshared !== undefined)
        encryption.obstacles.push({
          kind: 'code-shape',
          step:
            `serverSideEncryption is set in the const ${held.name} (line ${legacyLine}), which kmsfix leaves as it is (${unshared}), ` +
            'and CDK refuses it beside encryption: remove it there (or give the table its own props), then run kmsfix again',
        });
      else if (!idNode) encryption.obstacles.push({ kind: 'no-id' });
      else if (region && noRegion(region))
        encryption.obstacles.push({
          kind: 'region-agnostic-stack',
          by: region === 'amplify' || region === 'pulumi-cdk' || region === 'stage' || region === 'nested' ? region : undefined,
        });
      else {
        // Its stack class is created in another file: the app's entry may show it Region-agnostic (cdkApp.ts).
        if (region === 'unknown') {
          creators = stackCreators(sf, c.sym, node);
          regionOpen = true;
        }
        if (scopeNode && !PLAIN_SCOPE.test(scopeNode.getText(sf)))
          encryption.obstacles.push({ kind: 'scope', source: snippet(sf, scopeNode) });
        else if (anchor.where) encryption.obstacles.push({ kind: 'placement', where: anchor.where });
      }
    }
    // A status a CfnParameter's default decides (awsManagedKey.ts): left to the parameter unless --fix-parameterised,
    // as the synthesized template's `!Ref` is (after the checks above, which a waived obstacle still needs).
    parameterDecided(encryption);
    // One object literal: built as a spread of another object holding its first ten fields, it was
    // copied through V8's slow path, once per table.
    return {
      line: pos.line,
      column: pos.column,
      format: cls.framework,
      type:
        generation === 'cdk-v1'
          ? cls.type.replace(/^aws-cdk-lib\.aws_dynamodb/, '@aws-cdk/aws-dynamodb')
          : generation === 'monocdk'
            ? cls.type.replace(/^aws-cdk-lib/, 'monocdk')
            : module && isCdktn(module)
              ? cls.type.replace(/^@cdktf\//, '@cdktn/')
              : cls.type,
      generation,
      address,
      kind: cls.kind,
      framework: cls.framework,
      node,
      idNode,
      encryption,
      suppressions: suppressionsOf(sf, node),
      props: props && ts.isObjectLiteralExpression(props) && !cls.sst ? props : undefined,
      scopeText: scopeNode?.getText(sf),
      statement: anchor.statement,
      keyStatement: spreadOf ? undefined : held?.statement,
      spreadOf,
      stackClasses: creators?.stacks,
      constructClasses: creators?.constructs,
      regionOpen,
      ...(regionMovable ? { regionMovable } : {}),
    };
  };

  /** Is this use of a const the props argument of the table `node`? */
  const isPropsOf = (u: ts.Identifier, node: ts.NewExpression | ts.CallExpression) => (node.arguments ?? []).some((a) => unwrap(a) === u);
  /** Is this use of a const the props argument of some table? */
  const isTableProps = (u: ts.Identifier) => {
    let cur: ts.Node = u;
    while (cur.parent && ts.isExpression(cur.parent) && unwrap(cur.parent as ts.Expression) === u) cur = cur.parent;
    const p = cur.parent;
    return !!p && ts.isNewExpression(p) && !!TABLE_CLASSES[c.sym(p.expression) ?? ''];
  };

  /**
   * Why the `const` that holds a table's props cannot change for this table alone, or undefined when
   * it can: other uses would see the change, or the key cannot be declared before the const (the
   * props refer to the key, so it must exist when the const is evaluated).
   */
  const heldProblem = (
    held: ConstObject,
    node: ts.NewExpression | ts.CallExpression,
    statement: ts.Statement | undefined,
    scope: ts.Expression | undefined,
  ): string | undefined => {
    const at = (n: ts.Node) => `line ${lines.position(n.getStart(sf)).line}`;
    const others = usesOf(held).filter((u) => !isPropsOf(u, node));
    if (others.length > 0) {
      const tables = others.filter((u) => isTableProps(u)).length;
      const where = others.map(at).join(', ');
      return tables === others.length
        ? `shared with ${tables === 1 ? 'another table' : `${tables} other tables`} (${where})`
        : `also used elsewhere (${where})`;
    }
    if (!statement || functionOf(held.statement) !== functionOf(statement))
      return `declared at ${at(held.statement)}, outside the function that creates the table`;
    for (let cur: ts.Node | undefined = statement.parent; cur && cur !== held.statement.parent; cur = cur.parent) {
      if (ts.isIterationStatement(cur, false)) return `declared at ${at(held.statement)}, outside the loop that creates the table`;
    }
    // The scope argument must exist where the key goes: before the const.
    const scopeDecl = scope && ts.isIdentifier(scope) ? declarationOf(scope) : undefined;
    if (scope && ts.isIdentifier(scope) && scopeDecl && scopeDecl !== 'other' && held.statement.pos < scopeDecl.pos) {
      return `declared at ${at(held.statement)}, before the table's scope ${scope.text}`;
    }
    return undefined;
  };

  for (const node of js ? [] : newExpressions(sf)) {
    const cls = classOf(node.expression);
    if (!cls) {
      reaches(node.expression);
      continue;
    }
    // `new aws.dynamodb.Table(name, {}, { id })` reads an existing table (as `Table.get()` does): not the program's.
    if (cls.framework === 'pulumi' && !cls.sst && readsExisting(sf, node.arguments?.[2])) continue;
    // SST v2's `Table` given an existing table construct as `cdk.table` (SST's IMPORTED table) creates none.
    if (cls.sst === 'v2' && sstImportsTable(sf, node.arguments?.[2], (callee) => classOf(callee) !== undefined)) continue;
    const t = tableOf(node, cls);
    if (cls.framework === 'pulumi' && !cls.sst && !c.sym(node.expression))
      t.encryption.obstacles.push({ kind: 'code-shape', step: sstGlobalStep(file.path) });
    if ('layout' in cls)
      t.encryption.obstacles.push({
        kind: 'code-shape',
        step:
          `the file imports CDK for Terraform's AWS provider from ${cls.layout}, a layout kmsfix writes no imports for ` +
          "(it writes @cdktf/provider-aws's lib/<resource> and namespaced ones): give the table serverSideEncryption with the ARN " +
          'of a customer-managed KMS key by hand (a KmsKey with enableKeyRotation, from the same provider bindings)',
      });
    tables.push(t);
  }
  // A table class given to a call that creates the table (Webiny's `app.addResource(aws.dynamodb.Table, {...})`): never fixed.
  for (const site of js ? [] : factorySites(sf, lines, callExpressions(sf), CLASS_NAMES, binds, classOf))
    tables.push(tableOf(site.call, site.cls, site));
  // A Solutions Construct that creates a table (`new LambdaToDynamoDB(this, 'Feed', { dynamoTableProps })`): never fixed.
  if (!js && sf.text.includes('@aws-solutions-constructs/'))
    for (const site of solutionsConstructSites(sf, newExpressions(sf), c.sym)) tables.push(tableOf(site.call, site.cls, site));
  // @pulumi/cloud's Table, which creates an aws.dynamodb.Table with the AWS owned key: never fixed.
  if (!js && sf.text.includes('@pulumi/cloud'))
    for (const site of pulumiCloudSites(sf, newExpressions(sf), c.sym)) tables.push(tableOf(site.call, site.cls, site));
  // A subclass of a table class (`class AuditTable extends Table { constructor(...) { super(scope, id, {...}) } }`),
  // wherever it is created: its table is read at the super call, named after the class, never fixed. One without a
  // constructor (`const Anon = class extends Table {}` too) is read at each of its `new`s in the file, never fixed.
  if (!js && /\bextends\b/.test(sf.text)) {
    const found = subclasses(sf);
    // A subclass of such a subclass of the file (`AuditTable extends BaseTable extends Table`): a table too,
    // whose props go through its base's constructor, which may change them (unknown).
    const through = new Map<string, NonNullable<ReturnType<typeof classOf>>>();
    // The subclasses whose `new`s give their props to the table class itself: no constructor on the way.
    const ctorless = new Set<string>();
    for (let changed = true, round = 0; changed && round < 8; round++) {
      changed = false;
      for (const { name, base, call } of found) {
        if (through.has(name)) continue;
        const u = unwrap(base);
        const direct = classOf(base);
        const inherited = !direct && ts.isIdentifier(u) ? through.get(u.text) : undefined;
        const cls = direct ?? inherited;
        if (!cls) {
          reaches(base);
          continue;
        }
        through.set(name, cls);
        if (!call && (direct || ctorless.has(u.getText(sf)))) ctorless.add(name);
        changed = true;
        // A class without a constructor: each `new` of it in the file is a table, whose props are that `new`'s.
        const sites = call ? [call] : newExpressions(sf).filter((n) => ts.isIdentifier(n.expression) && n.expression.text === name);
        for (const site of sites) {
          const t = tableOf(site, cls);
          if (call) t.address = name;
          t.type = `${name} (${t.type})`;
          // Props that go through a constructor of the file's subclass in between may be changed there.
          if (inherited && (call || !ctorless.has(u.getText(sf))))
            t.encryption = {
              ...unreadable(
                `the table is created through ${u.getText(sf)}, a subclass of ${cls.type} of this file, whose constructor may change the props ${name} passes it`,
              ),
              obstacles: t.encryption.obstacles,
            };
          t.encryption.obstacles.push({
            kind: 'code-shape',
            step:
              `the table is created through the class ${name}, a subclass of ${inherited ? `${u.getText(sf)} (${cls.type})` : cls.type}, which kmsfix does not rewrite: ` +
              (call
                ? 'set the encryption in its super(...) props (or let its callers pass one) by hand'
                : `set the encryption in the props this new ${name}(...) passes by hand`),
          });
          tables.push(t);
        }
      }
    }
  }
  // CloudFormation resources written as object literals (a Serverless Framework serverless.ts or serverless.js,
  // a file of Resources it includes); in another JavaScript file, never fixed.
  const fileRefs: FileRef[] = [];
  // A file without the type may still call a function for a table in its Resources (`Orders: createTable({...})`).
  if (!compiled && (sf.text.includes('AWS::DynamoDB::') || /\bResources\s*:/.test(sf.text))) {
    for (const t of resourceTables(sf, lines, file.test === true, given, fileRefs)) {
      const jsStep = program ? javaScriptStep(t.kind) : undefined;
      if (jsStep && !t.encryption.obstacles.some((o) => o.kind === 'code-shape'))
        t.encryption.obstacles.push({ kind: 'code-shape', step: jsStep });
      tables.push(t);
    }
  }
  globalTableMembers(sf, tables);
  addedReplicas(sf, lines, tables);
  escapeHatches(sf, lines, tables);
  lifecycleOverrides(sf, lines, tables);
  replaceTriggeredTables(sf, lines, file.path, tables);
  conditionalTables(sf, lines, tables);
  sharedTables(sf, lines, tables, (callee) => POLICY_CLASSES.test(c.sym(callee) ?? ''));
  integrationTables(sf, lines, tables, (callee) => INTEGRATION_CLASSES.test(c.sym(callee) ?? ''));
  adapterMappings(sf, lines, tables);
  metadataSuppressionsOf(sf, lines, tables);
  apiGlobalTableGrants(sf, lines, tables);
  return {
    tables,
    sf,
    imports,
    binds,
    ...(fileRefs.length > 0 ? { fileRefs } : {}),
    ...(given.wants.size > 0 ? { wants: [...given.wants] } : {}),
    ...(reexporting.size > 0 ? { reexporting: [...reexporting] } : {}),
  };
}

/** A spread argument, short: `...transform(...)` for a call, else its text cut as `snippet` cuts it. */
function spreadText(sf: ts.SourceFile, a: ts.SpreadElement): string {
  const e = unwrap(a.expression);
  return ts.isCallExpression(e) ? `...${snippet(sf, e.expression)}(...)` : snippet(sf, a);
}

/**
 * The file's top-level classes that extend another class (`class X extends Table`, or a class expression a `const`
 * holds: `const X = class extends Table {}`), with their constructor's `super(...)` call, or none for a class without
 * a constructor (its `new`s give their arguments to the base's).
 */
function subclasses(sf: ts.SourceFile): { name: string; base: ts.Expression; call?: ts.CallExpression }[] {
  const out: { name: string; base: ts.Expression; call?: ts.CallExpression }[] = [];
  const classes = sf.statements.flatMap((n): { name: string; cls: ts.ClassDeclaration | ts.ClassExpression }[] => {
    if (ts.isClassDeclaration(n)) return n.name ? [{ name: n.name.text, cls: n }] : [];
    if (!ts.isVariableStatement(n)) return [];
    return n.declarationList.declarations.flatMap((d) => {
      const init = d.initializer && unwrap(d.initializer);
      return ts.isIdentifier(d.name) && init?.kind === ts.SyntaxKind.ClassExpression
        ? [{ name: d.name.text, cls: init as ts.ClassExpression }]
        : [];
    });
  });
  for (const { name, cls } of classes) {
    const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    if (!base) continue;
    const ctor = cls.members.find(ts.isConstructorDeclaration);
    if (!ctor) {
      out.push({ name, base });
      continue;
    }
    const call = ctor.body?.statements
      .map((st) => (ts.isExpressionStatement(st) ? unwrap(st.expression) : undefined))
      .find((e): e is ts.CallExpression => !!e && ts.isCallExpression(e) && e.expression.kind === ts.SyntaxKind.SuperKeyword);
    if (call) out.push({ name, base, call });
  }
  return out;
}

/**
 * What holds the table a `new` expression creates: the variable it initializes (`const orders = new
 * Table(...)`: `orders`) or the property of `this` it is assigned to (`this.orders = new ...`: `this.orders`).
 */
export function declaredName(node: ts.Node): string | undefined {
  let cur = node.parent;
  while (cur && (ts.isParenthesizedExpression(cur) || ts.isAsExpression(cur) || ts.isSatisfiesExpression(cur))) cur = cur.parent;
  if (cur && ts.isVariableDeclaration(cur) && ts.isIdentifier(cur.name)) return cur.name.text;
  if (cur && ts.isBinaryExpression(cur) && cur.operatorToken.kind === ts.SyntaxKind.EqualsToken) return holderName(cur.left);
  return undefined;
}

/** `orders` or `this.orders` as written, else undefined. */
function holderName(e: ts.Expression): string | undefined {
  const u = unwrap(e);
  if (ts.isIdentifier(u)) return u.text;
  if (ts.isPropertyAccessExpression(u) && u.expression.kind === ts.SyntaxKind.ThisKeyword) return `this.${u.name.text}`;
  return undefined;
}

/**
 * A global table whose replicas are resources of their own is fixed with them or not at all, and
 * kmsfix does not fix replica resources: the table gets the obstacle (`globalTableArn: orders.arn`).
 * The source of a CDK multi-account global table is not fixed either: its replica names it
 * (`replicaSourceTable: orders`), or, declared in another file, the table grants it replication
 * (`orders.grants.multiAccountReplicationTo(arn)`).
 */
function globalTableMembers(sf: ts.SourceFile, tables: TsTable[]): void {
  const named = (name: string, kinds: TableClass[]) => tables.find((t) => kinds.includes(t.kind) && declaredName(t.node) === name);
  const multiAccount = (table: TsTable | undefined, replica: string) => {
    const obstacles = table?.encryption.obstacles;
    const had = obstacles?.find((o) => o.kind === 'multi-account-replication');
    if (had?.kind === 'multi-account-replication') had.replicas.push(replica);
    else
      obstacles?.push({ kind: 'multi-account-replication', why: 'it is the source of a multi-account global table', replicas: [replica] });
  };
  for (const r of tables) {
    if (!r.props) continue;
    if (r.kind === 'DynamodbTableReplica' || r.kind === 'PulumiTableReplica') {
      const v = propValue(sf, r.props, 'globalTableArn');
      const table =
        v && ts.isPropertyAccessExpression(v) && v.name.text === 'arn' && ts.isIdentifier(v.expression)
          ? named(v.expression.text, ['DynamodbTable', 'PulumiTable'])
          : undefined;
      if (table) {
        addGlobalTableReplica(table.encryption.obstacles, r.address);
        followItsTable(r.encryption, table.encryption, table.address, 'kmsKeyArn');
      }
    } else if (r.kind === 'TableV2MultiAccountReplica') {
      const v = propValue(sf, r.props, 'replicaSourceTable');
      const source = v && holderName(v);
      if (source) multiAccount(named(source, ['TableV2']), r.address);
    }
  }
  if (sf.text.includes('GlobalTable')) legacyGlobalTables(sf, tables);
  if (!sf.text.includes('multiAccountReplicationTo')) return;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const callee = n.expression;
      const grants =
        ts.isPropertyAccessExpression(callee) && callee.name.text === 'multiAccountReplicationTo' ? callee.expression : undefined;
      const source =
        grants && ts.isPropertyAccessExpression(grants) && grants.name.text === 'grants' ? holderName(grants.expression) : undefined;
      if (source) {
        const arg = n.arguments[0];
        multiAccount(named(source, ['TableV2']), arg ? snippet(sf, arg) : 'a replica');
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}

/**
 * Pulumi's `aws.dynamodb.GlobalTable` and CDK for Terraform's `DynamodbGlobalTable` (Terraform's
 * aws_dynamodb_global_table): a global table of version 2017.11.29 (Legacy), which takes no
 * customer-managed key, joining the tables its `dependsOn` names or whose `name` it repeats. A fix
 * of those would fail at deploy, as in Terraform (src/formats/terraform/globalTables.ts legacyGlobalTable).
 */
function legacyGlobalTables(sf: ts.SourceFile, tables: TsTable[]): void {
  const members = tables.filter((t) => t.kind === 'PulumiTable' || t.kind === 'DynamodbTable');
  if (members.length === 0) return;
  const literal = (o: ts.ObjectLiteralExpression | undefined, name: string) => stringValue(o && propValue(sf, o, name));
  const visit = (n: ts.Node): void => {
    ts.forEachChild(n, visit);
    if (!ts.isNewExpression(n)) return;
    const callee = n.expression.getText(sf);
    const pulumi = /(^|\.)dynamodb\.GlobalTable$/.test(callee) && sf.text.includes('@pulumi/aws');
    if (!pulumi && !/(^|\.)DynamodbGlobalTable$/.test(callee)) return;
    // Pulumi: (name, args, opts); CDK for Terraform: (scope, id, config), dependsOn among the config.
    const arg = (i: number) => {
      const a = n.arguments?.[i];
      const u = a && unwrap(a);
      return u && ts.isObjectLiteralExpression(u) ? u : undefined;
    };
    const config = arg(pulumi ? 1 : 2);
    const options = pulumi ? arg(2) : config;
    const depends = options && propValue(sf, options, 'dependsOn');
    const joined = new Set(depends && ts.isArrayLiteralExpression(depends) ? depends.elements.map((e) => holderName(e)) : []);
    const name = literal(config, 'name');
    const kind = pulumi ? 'aws.dynamodb.GlobalTable' : 'DynamodbGlobalTable';
    const where = `${kind} ${declaredName(n) ?? `of line ${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`}`;
    for (const t of members) {
      const declared = declaredName(t.node);
      const sameName = name !== undefined && t.props !== undefined && literal(t.props, 'name') === name;
      if (!(declared && joined.has(declared)) && !sameName) continue;
      if (t.encryption.obstacles.some((o) => o.kind === 'api-global-table')) continue;
      t.encryption.obstacles.push({
        kind: 'api-global-table',
        version: '2017.11.29',
        why: `${where} joins it into a global table`,
        declare: `this table with ${pulumi ? 'replicas' : 'a replica block'} per Region, in place of the ${kind}`,
      });
    }
  };
  visit(sf);
}

/** The value of a property of an object literal, unwrapped, when it is written there. */
function propValue(sf: ts.SourceFile, o: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  const l = lookup(sf, o, name);
  return l.kind === 'value' ? unwrap(l.value) : undefined;
}
