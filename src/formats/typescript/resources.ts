/**
 * CloudFormation resources written as TypeScript object literals: a Serverless Framework service file
 * (`serverless.ts`, the aws-nodejs-typescript template) declares `resources: { Resources: { Orders: {
 * Type: 'AWS::DynamoDB::Table', Properties: {...} } } }`. Each DynamoDB table there is read as
 * CloudFormation reads it (`SSESpecification`: `SSEEnabled`, `KMSMasterKeyId`; a global table's
 * replica keys) and reported; fixResources.ts fixes a table (a global table is left to the user).
 */
import {
  ABSENT,
  GLOBAL_TABLES_PLUGIN,
  LOCAL_MIGRATION_PLUGIN,
  type EncryptionFacts,
  type Setting,
  type WrittenBack,
} from '../../rule/facts.js';
import { globalTablesPlugin } from '../../rule/blockers.js';
import type { LineIndex } from '../../core/text.js';
import { cfnSettings, replicasOf } from './sseSettings.js';
import { keyOf, objectAt, settingOf } from './settingReaders.js';
import { lookup } from './lookup.js';
import { parameterDecided, unreadable } from './tableFacts.js';
import { suppressionsOf } from './suppressions.js';
import { WORDS } from './words.js';
import type { TsTable } from './tableTypes.js';
import { intrinsicName } from '../cfn-values/intrinsics.js';
import { type Defaults, keySetting, serviceDefaults, serviceSseSettings } from '../cfn-values/settings.js';
import type { FileRef } from '../serverless/fileValues.js';
import type { Given } from './projectValues.js';
import { cfnNode, serviceRoot } from './cfnTree.js';
import { oneLine } from '../cfn-values/writtenBack.js';
import type { CMap } from '../yaml/tree.js';
import { holderOf, propertyName, stringValue, ts, unwrap } from './parse.js';
import { initializerOf } from './stackRegion.js';
import { applyServiceIfElse } from './ifElse.js';
import { FN_TRANSFORM, transformReason } from '../yaml/cfnTransform.js';
import { typeOnlyFix } from '../../rule/cmk.js';
import { keyArnKinds } from '../../rule/keyArn.js';
import { typeOnlyBlock } from './typeOnly.js';
import { spreadOverride } from './spreadOverrides.js';
import { changeNote, changeReaching } from './mutatedConsts.js';
import { constObjectOf, usesOf } from './consts.js';

const TYPES = new Set(['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable']);

/**
 * A type written as `AWS::DynamoDB::${x}` (`x` chosen at deploy time: `LAUNCH_MODE === 'deploy' ?
 * 'GlobalTable' : 'Table'`): a table either way. Read as a global table, never fixed, when `x` may be
 * `GlobalTable` or is not known; as a table when each value it can take is `Table`.
 */
function chosenType(e: ts.Expression): string | undefined {
  if (
    !ts.isTemplateExpression(e) ||
    e.head.text !== 'AWS::DynamoDB::' ||
    e.templateSpans.length !== 1 ||
    e.templateSpans[0].literal.text !== ''
  )
    return undefined;
  let x = unwrap(e.templateSpans[0].expression);
  if (ts.isIdentifier(x)) x = initializerOf(x, x.text) ?? x;
  const values = ts.isConditionalExpression(x) ? [x.whenTrue, x.whenFalse].map((b) => stringValue(unwrap(b))) : [stringValue(x)];
  return values.every((v) => v === 'Table') ? 'AWS::DynamoDB::Table' : 'AWS::DynamoDB::GlobalTable';
}

/**
 * Calls whose arguments describe a template instead of declaring one: CDK's assertions
 * (`template.hasResource('AWS::DynamoDB::Table', { Type: ..., Condition: ... })`, `Match.objectLike`,
 * `Template.fromJSON`), CDKTF's and jest's matchers. An object there is a pattern, never a resource.
 */
const ASSERTIONS = new Set([
  'hasResource',
  'hasResourceProperties',
  'findResources',
  'allResources',
  'allResourcesProperties',
  'resourceCountIs',
  'resourcePropertiesCountIs',
  'templateMatches',
  'fromJSON',
  'objectLike',
  'objectEquals',
  'exact',
  'arrayWith',
  'toEqual',
  'toStrictEqual',
  'toMatchObject',
  'toHaveProperty',
  'toContainEqual',
  'toMatchInlineSnapshot',
  // CDK for Terraform's matchers (cdktf Testing, CDK Terrain's): `expect(synth).toHaveResourceWithProperties(DynamodbTable, {...})`.
  'toHaveResource',
  'toHaveResourceWithProperties',
  'toHaveDataSource',
  'toHaveDataSourceWithProperties',
]);

/** The names the file passes whole to an assertion (`templateMatches(expected)`): their objects are patterns too. */
function assertionArguments(sf: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (isAssertion(n))
      for (const a of (n as ts.CallExpression).arguments) if (ts.isIdentifier(unwrap(a))) out.add((unwrap(a) as ts.Identifier).text);
    ts.forEachChild(n, visit);
  };
  if (ASSERTION_CALL.test(sf.text)) visit(sf);
  return out;
}

/** A quick test that the file calls an assertion that takes a pattern (`.templateMatches(expected)`). */
const ASSERTION_CALL = /\.(?:hasResource\w*|templateMatches|objectLike|objectEquals|toEqual|toStrictEqual|toMatchObject)\(/;

export const isAssertion = (n: ts.Node) =>
  ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ASSERTIONS.has(n.expression.name.text);
const NAMES = { block: 'SSESpecification', enabled: 'SSEEnabled', sseType: 'SSEType', key: 'KMSMasterKeyId' };

const STEP =
  "a global table written in TypeScript (a serverless.ts): give each replica's SSESpecification a KMSMasterKeyId of a key in its " +
  'Region by hand; kmsfix never half-fixes a global table';

/** A global table replica's key: SSESpecification.KMSMasterKeyId. */
function replicaKey(sf: ts.SourceFile, replica: ts.ObjectLiteralExpression, readKey: (e: ts.Expression) => Setting): Setting {
  const spec = lookup(sf, replica, NAMES.block);
  if (spec.kind === 'unknown') return { state: 'unreadable', source: spec.why };
  const o = objectAt(sf, replica, NAMES.block);
  return o ? settingOf(sf, o, NAMES.key, readKey) : ABSENT;
}

/**
 * A serverless.ts's inputs for its keys, as a serverless.yml's (cfn-values/settings.ts serviceDefaults, whose service
 * part is serverless/inputs.ts): its service
 * configuration as a node tree (cfnTree.ts), the files its keys read once read (`files`), and the reads met.
 */
export interface ServiceInputs {
  defaults: Defaults;
  fileRefs: FileRef[];
  /** The project's values the detection was given (projectValues.ts), for a key the TypeScript family reads (keyOf). */
  given: Given;
}

/** An empty service (a file of resources the service loads: its variables are the service file's, not read here). */
const NO_SERVICE: CMap = { kind: 'map', start: 0, end: 0, flow: true, pairs: [] };

function serviceInputs(sf: ts.SourceFile, given: Given): ServiceInputs {
  const fileRefs: FileRef[] = [];
  const defaults = serviceDefaults(serviceRoot(sf) ?? NO_SERVICE);
  defaults.fileRefs = fileRefs;
  if (given.values.files) defaults.files = given.values.files;
  return { defaults, fileRefs, given };
}

/**
 * A serverless.ts table's KMSMasterKeyId, read as a serverless.yml's (cfn-values/settings.ts keySetting: Framework
 * variables and a `${file(...)}` through serverless/serviceKey.ts, a `Ref` to a parameter's Default, Fn::If, Fn::FindInMap...), its TypeScript handed over as
 * a node tree (cfnTree.ts; a value computed in code: not known). A key left out, or one the TypeScript family knows
 * may be (`prod ? key : undefined`): as that family reads it (keyOf).
 */
const serviceKeyOf =
  (sf: ts.SourceFile, inputs: ServiceInputs) =>
  (e: ts.Expression): Setting => {
    const own = keyOf(sf, inputs.given)(e);
    if (own.state === 'absent' || own.state === 'unreadable') return own;
    const node = cfnNode(sf, e);
    // A property chain (`process.env.TABLE_KEY_ARN`, `props.keyArn`) names a key the code holds, as the TypeScript
    // family reads one and as `--kms-key-arn` writes one here (src/rule/keyArn.ts): a key, as before. Any other value
    // computed in code (a call, a template literal with substitutions, a condition) is not known (keySetting).
    if (node.code && keyArnKinds(unwrap(e).getText(sf)).includes('typescript')) return own;
    // Peer scanners do not read code (peerKind 'code'): no raw value.
    const { raw: _, ...setting } = keySetting(sf.text, node, inputs.defaults);
    return setting;
  };

/** The reason when the object has a `'Fn::Transform'` property (AWS::Include, a macro: what it inserts is not known), else undefined. */
function transformOf(sf: ts.SourceFile, o: ts.ObjectLiteralExpression, where: string): string | undefined {
  // Present as written: a spread (`...addlProperties`) makes the lookup unknown, and is read as such where the settings are.
  if (lookup(sf, o, FN_TRANSFORM).kind !== 'value') return undefined;
  const t = objectAt(sf, o, FN_TRANSFORM);
  const text = (x: ts.ObjectLiteralExpression | undefined, name: string) => {
    const l = x ? lookup(sf, x, name) : undefined;
    return l?.kind === 'value' ? stringValue(l.value) : undefined;
  };
  return transformReason(where, text(t, 'Name'), text(t && objectAt(sf, t, 'Parameters'), 'Location'));
}

function factsOf(sf: ts.SourceFile, resource: ts.ObjectLiteralExpression, global: boolean, inputs: ServiceInputs): EncryptionFacts {
  const props = lookup(sf, resource, 'Properties');
  if (props.kind === 'unknown') return unreadable(props.why);
  const value = props.kind === 'value' ? unwrap(props.value) : undefined;
  if (value && !ts.isObjectLiteralExpression(value)) return unreadable(`Properties is ${value.getText(sf)}, not an object literal`);
  const transform = transformOf(sf, resource, 'the resource includes') ?? (value && transformOf(sf, value, 'Properties include'));
  if (transform) return unreadable(transform);
  const facts: EncryptionFacts = { peerKind: 'code', words: WORDS.CfnResource, settings: { model: 'sse', block: ABSENT }, obstacles: [] };
  const readKey = serviceKeyOf(sf, inputs);
  if (value) facts.settings = cfnSettings(sf, inputs.given, value, !global, NAMES, readKey);
  // An SSESpecification that is an intrinsic function (`{ 'Fn::If': ['IsProd', {...}, { Ref: 'AWS::NoValue' }] }`): read as a
  // serverless.yml's, each choice's settings (it was read as a block without SSEEnabled: aws-owned, and fixed inside the Fn::If).
  const sse = value ? lookup(sf, value, NAMES.block) : undefined;
  const sseNode = sse?.kind === 'value' ? cfnNode(sf, sse.value) : undefined;
  if (sseNode && intrinsicName(sseNode)) {
    facts.settings = serviceSseSettings(sf.text, sseNode, global, inputs.defaults);
    // fixResources.ts writes into an SSESpecification object, not into each choice of an intrinsic.
    facts.obstacles.push({
      kind: 'code-shape',
      step:
        `its SSESpecification is chosen by ${intrinsicName(sseNode)}, which kmsfix does not rewrite in a serverless.ts: give each ` +
        "choice SSEEnabled: true, SSEType: 'KMS' and a KMSMasterKeyId of a customer-managed key (an AWS::KMS::Key of the Resources) by hand",
    });
  }
  // Deployed as written: CloudFormation rejects a table's key without SSEType (src/rule/cmk.ts untypedKey).
  if (value && !global && facts.settings.model === 'sse') facts.settings.keyNeedsType = true;
  if (global)
    facts.replicas = replicasOf(sf, value ?? ts.factory.createObjectLiteralExpression(), 'Replicas', 'own', (o) =>
      replicaKey(sf, o, readKey),
    );
  // kmsfix fixes a table resource (fixResources.ts), not a global table's replicas.
  if (global) facts.obstacles.push({ kind: 'code-shape', step: STEP });
  return facts;
}

/**
 * A resource's SSESpecification as written, on one line (`SSESpecification: { SSEEnabled: { Ref: 'EnableSSE' } }`, its
 * consts followed), or '' where it has none: what the roll back of a fix through a parameter gives back
 * (src/rule/facts.ts WrittenBack); undefined where kmsfix cannot tell (a spread, a computed name).
 */
function writtenSse(sf: ts.SourceFile, resource: ts.ObjectLiteralExpression): WrittenBack | undefined {
  const props = lookup(sf, resource, 'Properties');
  const value = props.kind === 'value' ? unwrap(props.value) : undefined;
  if (props.kind === 'absent') return { block: '' };
  if (!value || !ts.isObjectLiteralExpression(value)) return undefined;
  const sse = lookup(sf, value, NAMES.block);
  if (sse.kind === 'absent') return { block: '' };
  return sse.kind === 'value' ? { block: `${NAMES.block}: ${oneLine(sf.text, cfnNode(sf, sse.value))}` } : undefined;
}

/** The name a call is made by: `make` of `make(...)` and of `helpers.make(...)`. */
function calleeName(call: ts.CallExpression): string | undefined {
  const e = unwrap(call.expression);
  if (ts.isIdentifier(e)) return e.text;
  return ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
}

/** A function of the file named `name` (a declaration, or a const holding an arrow or function expression), if one is at its top level. */
function functionOfFile(sf: ts.SourceFile, name: string): ts.Node | undefined {
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name?.text === name) return st;
    if (ts.isVariableStatement(st))
      for (const d of st.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer) {
          const init = unwrap(d.initializer);
          if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
        }
  }
  return undefined;
}

/** Words that say a call makes a DynamoDB table: in its function's name, or in its arguments (a table's properties). */
const TABLE_NAME = /dynamo|table/i;
/** A name that says the function makes something else about a table (`createTableAlarm`, `dynamoDbAccessRole`). */
const OTHER_NAME =
  /role|polic|alarm|alert|metric|dashboard|permission|grant|access|topic|queue|bucket|function|lambda|subscription|mapping|output|param|stable/i;
const TABLE_ARGUMENTS = /AWS::DynamoDB::|\bKeySchema\b|\bAttributeDefinitions\b|\bStreamSpecification\b/;

/**
 * A `Resources` entry whose value is a call that may make a table (rw42 F1, F2: `UsersTable: createTable({ Properties:
 * {...} })`): a function of the file whose text names a DynamoDB table type, or a function elsewhere (imported: kmsfix
 * does not read its file) whose name or arguments say it makes one. Reported under the entry's logical ID, `unknown`,
 * never fixed; undefined for any other property.
 */
function calledTable(
  sf: ts.SourceFile,
  lines: LineIndex,
  entry: ts.PropertyAssignment,
): TsTable | { entry: ts.PropertyAssignment; name: string } | undefined {
  const call = unwrap(entry.initializer);
  if (!ts.isCallExpression(call) || isAssertion(call) || !ts.isObjectLiteralExpression(entry.parent)) return undefined;
  const holder = holderOf(entry.parent);
  if (!ts.isPropertyAssignment(holder) || propertyName(holder.name) !== 'Resources') return undefined;
  const id = propertyName(entry.name);
  const name = calleeName(call);
  if (id === undefined || name === undefined) return undefined;
  const own = ts.isIdentifier(unwrap(call.expression)) ? functionOfFile(sf, name) : undefined;
  const inFile = own !== undefined && /AWS::DynamoDB::(Global)?Table\b/.test(own.getText(sf));
  const args = call.arguments.map((a) => a.getText(sf)).join(' ');
  // The file's own function: its table is read where it is built (resourceTables), then given to each entry (perEntry).
  if (inFile) return { entry, name };
  if (own !== undefined || !((TABLE_NAME.test(name) && !OTHER_NAME.test(name)) || TABLE_ARGUMENTS.test(args))) return undefined;
  const encryption = unreadable(
    `the resource is what ${name}(...) returns, a function of another file, which kmsfix does not read as a table's resource`,
  );
  encryption.obstacles.push({
    kind: 'code-shape',
    step:
      `give the resource ${name}(...) returns SSESpecification (SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId of a customer-managed key, ` +
      'an AWS::KMS::Key of the Resources) by hand, or write the resource in its Resources as an object literal, which kmsfix fixes',
  });
  const pos = lines.position(entry.getStart(sf));
  return {
    line: pos.line,
    column: pos.column,
    format: 'serverless',
    type: 'AWS::DynamoDB::Table',
    generation: 'serverless',
    address: id,
    kind: 'CfnResource',
    framework: 'serverless',
    node: call,
    encryption,
    suppressions: suppressionsOf(sf, entry),
  };
}

/**
 * A table built by a function of the file (`buildTable()`) that `Resources` entries call: one row per entry, named by
 * its logical ID at its line, each with the function's reading (rw42 F2: two tables were one row); any other table as it is.
 */
function perEntry(sf: ts.SourceFile, lines: LineIndex, t: TsTable, makers: Map<string, ts.PropertyAssignment[]>): TsTable[] {
  const entries = t.address.endsWith('()') ? makers.get(t.address.slice(0, -2)) : undefined;
  if (!entries) return [t];
  return entries.map((entry) => {
    const pos = lines.position(entry.getStart(sf));
    const encryption = { ...t.encryption, obstacles: [...t.encryption.obstacles] };
    return {
      ...t,
      line: pos.line,
      column: pos.column,
      address: propertyName(entry.name) ?? t.address,
      encryption,
      suppressions: suppressionsOf(sf, entry),
    };
  });
}

/** The name of the declaration around a node (a function, method or variable), for a resource built there. */
function enclosingName(node: ts.Node): string | undefined {
  for (let cur: ts.Node | undefined = node.parent; cur; cur = cur.parent) {
    if ((ts.isFunctionDeclaration(cur) || ts.isMethodDeclaration(cur)) && cur.name) return cur.name.getText();
    if (ts.isVariableDeclaration(cur) && ts.isIdentifier(cur.name)) return cur.name.text;
  }
  return undefined;
}

/**
 * A Serverless instance's `service: { resources: ... }`, as a plugin's code or its unit test builds one (a mock handed
 * to the plugin: Imran99/serverless-create-dynamodb-global-tables-for-cf-stack): in a service file, `service` is the
 * service's name, never an object holding its resources. What it holds is not deployed from this file.
 */
function serverlessInstance(n: ts.Node): boolean {
  return (
    ts.isPropertyAssignment(n) &&
    propertyName(n.name) === 'service' &&
    ts.isObjectLiteralExpression(unwrap(n.initializer)) &&
    /\bresources\b/.test(n.initializer.getText())
  );
}

/**
 * The DynamoDB tables written as CloudFormation resource objects in the file: `{ Type:
 * 'AWS::DynamoDB::Table', Properties: {...} }`. One that is a property of a map (`Resources: {
 * Orders: {...} }`, or a const of resources the service spreads into its Resources) is named by
 * that property and fixed there; one held in a const of its own, or built by a function, is
 * reported under that name and not fixed (kmsfix does not follow it to the Resources that name it).
 * The arguments of a test's assertions (`ASSERTIONS`) are patterns, not read.
 */
export function resourceTables(
  sf: ts.SourceFile,
  lines: LineIndex,
  testCode: boolean,
  /** The project's values the detection was given (the files the keys read, once read); `fileRefs`: where the reads met are recorded (ServiceInputs). */
  given: Given,
  fileRefs?: FileRef[],
): TsTable[] {
  const out: TsTable[] = [];
  let inputs: ServiceInputs | undefined;
  // In test code, only a service or resources file deploys its maps: the file is named so, or exports its configuration
  // or Resources. Anything else there is a fixture or a mock (a Serverless plugin's unit test: `serverless.service.resources = {...}`).
  if (testCode && !readServiceFile(sf, true)) return out;
  let patterns: Set<string> | undefined;
  // The functions of the file `Resources` entries call to make their tables (calledTable): the entries, by function.
  const makers = new Map<string, ts.PropertyAssignment[]>();
  const visit = (n: ts.Node): void => {
    // A const the file passes to an assertion (`const expected = { Resources: ... }; template.templateMatches(expected)`).
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && (patterns ??= assertionArguments(sf)).has(n.name.text)) return;
    const called = ts.isPropertyAssignment(n) ? calledTable(sf, lines, n) : undefined;
    if (called && 'entry' in called) makers.set(called.name, [...(makers.get(called.name) ?? []), called.entry]);
    else if (called) {
      out.push(called);
      return;
    }
    if (ts.isObjectLiteralExpression(n)) {
      const typeOf = lookup(sf, n, 'Type');
      const value = typeOf.kind === 'value' ? unwrap(typeOf.value) : undefined;
      const type = value && (stringValue(value) ?? chosenType(value));
      if (type && TYPES.has(type)) {
        if (!spreadOnly(sf, n)) out.push(tableOf(sf, lines, n, type, (inputs ??= serviceInputs(sf, given)), given));
        return;
      }
    }
    if (isAssertion(n) || serverlessInstance(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(sf);
  // A function of the file that builds a table for `Resources` entries: its table is each of those entries, read as
  // the function's table is (through its calls), reported at the entry under its logical ID.
  if (makers.size > 0) out.splice(0, out.length, ...out.flatMap((t) => perEntry(sf, lines, t, makers)));
  out.splice(
    0,
    out.length,
    ...out.filter((t) => !(t.kind === 'CfnResource' && makers.has(t.address.replace(/\(\)$/, '')) && t.address.endsWith('()'))),
  );
  if (inputs && fileRefs) fileRefs.push(...inputs.fileRefs);
  const local = out.length > 0 ? localMigrationsOf(sf) : undefined;
  // The plugins migrate AWS::DynamoDB::Table resources only.
  if (local)
    for (const t of out)
      if (t.type === 'AWS::DynamoDB::Table') (t.encryption.cautions ??= []).push({ kind: 'local-migrations', plugin: local });
  const joined = out.length > 0 ? globalTablesPluginOf(sf) : undefined;
  // The plugin joins the stack's AWS::DynamoDB::Table resources into global tables.
  if (joined) for (const t of out) if (t.type === 'AWS::DynamoDB::Table') t.encryption.obstacles.push(globalTablesPlugin(joined.v2));
  // serverless-plugin-ifelse: what its entries remove or set per stage.
  if (out.length > 0 && sf.text.includes('serverlessIfElse')) applyServiceIfElse(sf, out, pluginLists(sf), (t) => t.address);
  // Two maps of one file may hold the same logical ID: each table's address stays its own (`Orders#2`).
  const seen = new Map<string, number>();
  for (const t of out) {
    const n = (seen.get(t.address) ?? 0) + 1;
    seen.set(t.address, n);
    if (n > 1) t.address = `${t.address}#${n}`;
  }
  return out;
}

/**
 * A resource held in a const that is no resource of its own: each use of the const spreads it into an object literal
 * that is a table resource (`OrdersTable: { ...baseTable, Properties: { ...baseTable.Properties, TableName } }`), or
 * reads a part of it (`baseTable.Properties`). Those tables are the resources, each read with what the spread gives
 * (and fixed in its own object, the const left as it is: objects.ts applySettings); the const is not reported.
 */
function spreadOnly(sf: ts.SourceFile, o: ts.ObjectLiteralExpression): boolean {
  const holder = holderOf(o);
  const c = ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) ? constObjectOf(holder.name) : undefined;
  if (!c || c.decl !== holder || c.literal !== o) return false;
  let spread = false;
  for (const use of usesOf(c)) {
    const p = use.parent;
    if (ts.isPropertyAccessExpression(p) && p.expression === use) continue;
    if (!ts.isSpreadAssignment(p) || !ts.isObjectLiteralExpression(p.parent)) return false;
    const typeOf = lookup(sf, p.parent, 'Type');
    const value = typeOf.kind === 'value' ? unwrap(typeOf.value) : undefined;
    const type = value && (stringValue(value) ?? chosenType(value));
    if (!type || !TYPES.has(type)) return false;
    spread = true;
  }
  return spread;
}

/** The names each `plugins: [...]` array of a serverless.ts lists, array by array, in the file's order. */
function pluginLists(sf: ts.SourceFile): string[][] {
  const lists: string[][] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAssignment(n) && propertyName(n.name) === 'plugins' && ts.isArrayLiteralExpression(unwrap(n.initializer))) {
      const names = (unwrap(n.initializer) as ts.ArrayLiteralExpression).elements.map((e) => stringValue(unwrap(e))?.trim());
      lists.push(names.filter((name): name is string => !!name));
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return lists;
}

/** A serverless.ts's plugin (`plugins: ['serverless-dynamodb-local']`) that migrates its tables into DynamoDB Local (EncryptionFacts.localMigrations). */
function localMigrationsOf(sf: ts.SourceFile): string | undefined {
  if (!sf.text.includes('serverless-dynamodb')) return undefined;
  // The first list that names one; the last it names.
  for (const names of pluginLists(sf)) {
    const found = names.filter((name) => LOCAL_MIGRATION_PLUGIN.test(name)).at(-1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * A serverless.ts's plugin serverless-create-global-dynamodb-table with its `custom.globalTables`
 * (without it the plugin does nothing): every table of the service joined into a global table
 * (`v2`: `version: 'v2'`), src/formats/cloudformation/apiGlobalTables.ts for serverless.yml.
 */
function globalTablesPluginOf(sf: ts.SourceFile): { v2: boolean } | undefined {
  if (!sf.text.includes(GLOBAL_TABLES_PLUGIN) || !sf.text.includes('globalTables')) return undefined;
  if (!pluginLists(sf).some((names) => names.includes(GLOBAL_TABLES_PLUGIN))) return undefined;
  let v2 = false;
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAssignment(n) && propertyName(n.name) === 'globalTables') {
      const config = unwrap(n.initializer);
      if (ts.isObjectLiteralExpression(config))
        for (const p of config.properties)
          if (
            ts.isPropertyAssignment(p) &&
            propertyName(p.name) === 'version' &&
            stringValue(unwrap(p.initializer))?.trim().toLowerCase() === 'v2'
          )
            v2 = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { v2 };
}

/**
 * Is this map of resources deployed as it is, so that a key added to it is deployed too: the value of
 * a `Resources` property, or a const the file spreads (`...name`) or names as `Resources: name`, or
 * declared with a type that names Resources (`AWS['resources']['Resources']`)?
 */
function deployedMap(sf: ts.SourceFile, map: ts.ObjectLiteralExpression): boolean {
  let known = DEPLOYED.get(map);
  if (known === undefined) DEPLOYED.set(map, (known = readDeployedMap(sf, map)));
  return known;
}

/** Each map's answer, asked once for all the tables it holds. */
const DEPLOYED = new WeakMap<ts.ObjectLiteralExpression, boolean>();

function readDeployedMap(sf: ts.SourceFile, map: ts.ObjectLiteralExpression): boolean {
  if (!serviceFile(sf)) return false;
  const holder = holderOf(map);
  if (ts.isPropertyAssignment(holder)) return propertyName(holder.name) === 'Resources';
  if (!ts.isVariableDeclaration(holder) || !ts.isIdentifier(holder.name)) return false;
  if (holder.type && /\bResources\b/.test(holder.type.getText(sf))) return true;
  const name = holder.name.text.replace(/[$]/g, '\\$');
  return new RegExp(`\\.\\.\\.\\s*${name}\\b|\\bResources\\s*:\\s*${name}\\b`).test(sf.text);
}

/**
 * Is this map an export of the file (its default: `export default {...}`, `module.exports = {...}`, a const so exported;
 * or `export const tables = {...}`) that a serverless.ts, or a file of resources beside or above, imports and spreads into
 * its Resources (serviceImports.ts)? Deployed then, as a typed resources file's map is. Asked of the project once the
 * first detection meets such a map (`wants`).
 */
function importedMap(sf: ts.SourceFile, map: ts.ObjectLiteralExpression, given: Given): boolean {
  const name = exportOf(sf, map);
  if (name === undefined) return false;
  if (given.values.resourcesImport) return given.values.resourcesImport.names.includes(name);
  given.wants.add('resourcesImport');
  return false;
}

/** The export the map is: `default`, or the name of an exported const that holds it; undefined when none. */
function exportOf(sf: ts.SourceFile, map: ts.ObjectLiteralExpression): string | undefined {
  const h = holderOf(map);
  if (h.kind === ts.SyntaxKind.ExportAssignment) return 'default';
  if (ts.isBinaryExpression(h) && h.operatorToken.kind === ts.SyntaxKind.EqualsToken)
    return /^(module\.)?exports(\.default)?$/.test(h.left.getText(sf)) ? 'default' : undefined;
  if (!ts.isVariableDeclaration(h) || !ts.isIdentifier(h.name)) return undefined;
  const statement = h.parent?.parent;
  if (statement && ts.isVariableStatement(statement) && statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
    return h.name.text;
  const n = h.name.text.replace(/[$]/g, '\\$');
  return new RegExp(`export\\s+default\\s+${n}\\b|export\\s*=\\s*${n}\\b|exports(\\.default)?\\s*=\\s*${n}\\b`).test(sf.text)
    ? 'default'
    : undefined;
}

/** Each file's answer (serviceFile). */
const SERVICE = new WeakMap<ts.SourceFile, boolean>();

/**
 * Is the file a Serverless Framework service or resources file, whose `Resources` maps are deployed:
 * named serverless.ts (or .js, .cjs, .mjs), importing `@serverless/typescript`, or holding a `Resources`
 * map as a service does (`resources: { Resources }`, `resources: [{ Resources }]`) or as a file of
 * resources the service loads (its default export, `module.exports`, `export =`, directly or through a
 * const)? A CloudFormation-shaped object anywhere else (a library's example template, a unit test's
 * input: go-to-k/cdkd) is data, not a stack: its tables are reported, never fixed.
 */
function serviceFile(sf: ts.SourceFile): boolean {
  let known = SERVICE.get(sf);
  if (known === undefined) SERVICE.set(sf, (known = readServiceFile(sf)));
  return known;
}

function readServiceFile(sf: ts.SourceFile, strict = false): boolean {
  if (/(^|[\\/])serverless\.[cm]?[jt]s$/.test(sf.fileName) || sf.text.includes('@serverless/typescript')) return true;
  if (strict && /(^|[\\/])serverless[\w.-]*\.[cm]?[jt]s$/.test(sf.fileName)) return true;
  const exported = (n: ts.Node): boolean => {
    const p = holderOf(n);
    if (p.kind === ts.SyntaxKind.ExportAssignment) return true;
    // A function the file exports that returns it (`module.exports = () => ({ Resources })`, as the Framework runs it).
    if (ts.isArrowFunction(p)) return exported(p);
    if (ts.isReturnStatement(p)) {
      let fn: ts.Node = p;
      while (fn.parent && !ts.isFunctionLike(fn)) fn = fn.parent;
      if (ts.isFunctionDeclaration(fn))
        return (
          (fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) ?? false) ||
          (fn.name !== undefined && exportedName(fn.name.text))
        );
      return ts.isFunctionLike(fn) && exported(fn);
    }
    if (
      ts.isBinaryExpression(p) &&
      p.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      /^(module\.)?exports(\.default)?$/.test(p.left.getText(sf))
    )
      return true;
    return ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) && exportedName(p.name.text, true);
  };
  // A name the file exports as its default (or gives a service's `resources`, with `resources`).
  const exportedName = (name: string, resources = false): boolean => {
    const n = name.replace(/[$]/g, '\\$');
    const service = resources ? `|\\bresources\\s*:\\s*\\[?\\s*${n}\\b` : '';
    return new RegExp(`export\\s+default\\s+${n}\\b|export\\s*=\\s*${n}\\b|exports(\\.default)?\\s*=\\s*${n}\\b${service}`).test(sf.text);
  };
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || isAssertion(n)) return;
    if (ts.isPropertyAssignment(n) && propertyName(n.name) === 'Resources' && ts.isObjectLiteralExpression(n.parent)) {
      const h = holderOf(n.parent);
      const p = ts.isArrayLiteralExpression(h) ? holderOf(h) : h;
      // Strict (test code): a `resources` of an object the file exports, as a service's configuration is (not a mock's).
      const resources = ts.isPropertyAssignment(p) && propertyName(p.name) === 'resources' && (!strict || exported(p.parent));
      if (resources || exported(n.parent)) {
        found = true;
        return;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/**
 * The const that holds a resource, as its initializer or deeper (`const ordersTable = { Type, Properties }`, `const
 * resources = { Orders: {...} }`, the service's configuration), when the file changes it after its declaration where
 * the resource may be (mutatedConsts.ts changeReaching: `ordersTable.Properties.SSESpecification = {...}`,
 * `Object.assign(resources.Orders, ...)`, not `config.provider.stage = ...`): a message part naming the change.
 */
function changedHolder(sf: ts.SourceFile, resource: ts.ObjectLiteralExpression): string | undefined {
  const path: string[] = [];
  for (let cur: ts.Node = resource; ; ) {
    const h = holderOf(cur);
    if (ts.isVariableDeclaration(h)) {
      const at = ts.isIdentifier(h.name) ? changeReaching(h, path) : undefined;
      return at && changeNote(sf, (h.name as ts.Identifier).text, at);
    }
    let name: string | undefined;
    if (ts.isPropertyAssignment(h) && ts.isObjectLiteralExpression(h.parent)) name = propertyName(h.name);
    else if (ts.isArrayLiteralExpression(h)) name = String(h.elements.findIndex((e) => e.pos <= cur.pos && cur.end <= e.end));
    if (name === undefined) return undefined;
    path.unshift(name);
    cur = ts.isPropertyAssignment(h) ? h.parent : h;
  }
}

function tableOf(
  sf: ts.SourceFile,
  lines: LineIndex,
  resource: ts.ObjectLiteralExpression,
  type: string,
  inputs: ServiceInputs,
  given: Given,
): TsTable {
  const holder = holderOf(resource);
  const id = ts.isPropertyAssignment(holder) ? propertyName(holder.name) : undefined;
  const spread = spreadOverride(sf, resource);
  const changed = spread ? undefined : changedHolder(sf, resource);
  const encryption = spread
    ? unreadable(
        `the resource is spread at line ${lines.position(spread.getStart(sf)).line} (${spread.getText(sf)}) into an object that ` +
          'overrides what it gives: what is deployed is that object, which kmsfix does not merge',
      )
    : changed
      ? unreadable(`the table's resource is held in ${changed}, so kmsfix cannot see its encryption`)
      : factsOf(sf, resource, type === 'AWS::DynamoDB::GlobalTable', inputs);
  let address = id;
  const step = (what: string) =>
    `${what}, and kmsfix does not follow it to the Resources it is deployed from: give the table SSESpecification and an ` +
    'AWS::KMS::Key by hand, or write it in its Resources (or in a const of resources spread into them), which kmsfix fixes';
  if (id === undefined) {
    const own = ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) ? holder.name.text : undefined;
    const by = own ? undefined : enclosingName(resource);
    address = own ?? (by ? `${by}()` : `resource at line ${lines.position(resource.getStart(sf)).line}`);
    const what = own
      ? `the table's resource is the const ${own}`
      : by
        ? `the table's resource is built by ${by}()`
        : "the table's resource is an expression";
    encryption.obstacles.push({ kind: 'code-shape', step: step(what) });
  } else if (
    !deployedMap(sf, holder.parent as ts.ObjectLiteralExpression) &&
    !importedMap(sf, holder.parent as ts.ObjectLiteralExpression, given)
  ) {
    const exported = exportOf(sf, holder.parent as ts.ObjectLiteralExpression);
    encryption.obstacles.push({
      kind: 'code-shape',
      step: serviceFile(sf)
        ? step(`the map that holds ${id} is not one the file deploys as Resources`)
        : `the map that holds ${id} is in a file that is not a Serverless service or resources file (not a serverless.ts, no ` +
          (exported
            ? `\`resources: { Resources }\`; the map is its ${exported === 'default' ? 'default export' : `export ${exported}`}, but neither ` +
              'a serverless.ts of its folder or a folder above nor a file of its folder or the one above imports it by a relative path ' +
              'and spreads it into its Resources): '
            : '`resources: { Resources }`, no default export of one): ') +
          'kmsfix reads it as a CloudFormation template kept as data, and does not know how it is deployed: ' +
          // A TypeScript file can be typed as a resources file (real-world round 44, F3); a JavaScript one cannot.
          (/\.[cm]?tsx?$/.test(sf.fileName)
            ? "if a serverless.ts spreads it into its Resources, type the map AWS['resources']['Resources'] " +
              "(`const tables: AWS['resources']['Resources'] = {...}; export default tables`, AWS from @serverless/typescript), " +
              'which kmsfix reads as a resources file and fixes; otherwise give'
            : 'give') +
          ' the table SSESpecification and an AWS::KMS::Key by hand where it is deployed',
    });
  }
  // A status a parameter's Default decides (resources.Parameters): left to the parameter unless --fix-parameterised,
  // which the roll back undoes with the SSESpecification as written.
  parameterDecided(encryption, () => writtenSse(sf, resource));
  // A key without SSEType gets SSEType alone, in the settings the resource holds itself (typeOnly.ts).
  const untyped = typeOnlyFix(encryption) ? typeOnlyBlock(sf, lines, { kind: 'CfnResource', node: resource, props: undefined }) : undefined;
  if (untyped && 'step' in untyped) encryption.obstacles.push({ kind: 'code-shape', step: untyped.step });
  const at = ts.isPropertyAssignment(holder) || ts.isVariableDeclaration(holder) ? holder : resource;
  const pos = lines.position(at.getStart(sf));
  return {
    line: pos.line,
    column: pos.column,
    format: 'serverless',
    type,
    generation: 'serverless',
    address: address!,
    kind: 'CfnResource',
    framework: 'serverless',
    node: resource,
    encryption,
    suppressions: suppressionsOf(sf, at),
  };
}

/** A property's string value, as written. */
export const stringAt = (sf: ts.SourceFile, o: ts.ObjectLiteralExpression, key: string): string | undefined => {
  const l = lookup(sf, o, key);
  return l.kind === 'value' ? stringValue(unwrap(l.value)) : undefined;
};

export const isTrue = (e: ts.Expression) => unwrap(e).kind === ts.SyntaxKind.TrueKeyword;

/** The property that holds a table's resource in its map of resources (a fixed table has one). */
function propertyOf(t: TsTable): ts.PropertyAssignment {
  let cur: ts.Node = t.node;
  while (!ts.isPropertyAssignment(cur)) cur = cur.parent;
  return cur;
}

/** The `Resources` object literal a table's resource is a property of. */
export function resourcesOf(t: TsTable): ts.ObjectLiteralExpression {
  return propertyOf(t).parent as ts.ObjectLiteralExpression;
}

/** The table's logical ID: its property's name (its address may carry `#2`, when two maps of the file share it). */
export const logicalId = (t: TsTable) => propertyName(propertyOf(t).name) ?? t.address;

/**
 * Verification of a fixed resource (re-detected): its KMSMasterKeyId is `{ 'Fn::GetAtt': [<id>, 'Arn'] }`
 * naming an AWS::KMS::Key of the same Resources with rotation on. A problem, or undefined.
 */
export function resourceKeyProblem(sf: ts.SourceFile, t: TsTable): string | undefined {
  const at = (o: ts.Expression | undefined, key: string) => {
    const u = o && unwrap(o);
    if (!u || !ts.isObjectLiteralExpression(u)) return undefined;
    const l = lookup(sf, u, key);
    return l.kind === 'value' ? unwrap(l.value) : undefined;
  };
  const ref = at(at(at(t.node, 'Properties'), 'SSESpecification'), 'KMSMasterKeyId');
  const getAttArgs = at(ref, 'Fn::GetAtt');
  const id = getAttArgs && ts.isArrayLiteralExpression(getAttArgs) ? stringValue(getAttArgs.elements[0]) : undefined;
  const key = id === undefined ? undefined : at(resourcesOf(t), id);
  if (!key || stringAt(sf, key as ts.ObjectLiteralExpression, 'Type') !== 'AWS::KMS::Key')
    return `table ${t.address} does not reference an AWS::KMS::Key of its Resources`;
  const rotation = at(at(key, 'Properties'), 'EnableKeyRotation');
  if (!rotation || !isTrue(rotation)) return `the key of table ${t.address} does not enable rotation`;
  return undefined;
}
