/**
 * Finding DynamoDB tables in TypeScript infrastructure code (AWS CDK v2, CDK for Terraform, Pulumi)
 * and reading each one's encryption settings into neutral facts (src/rule/facts.ts) from the syntax
 * alone: no type checker, nothing is evaluated. The rule decides (src/rule/cmk.ts).
 *
 * This file holds the pass over a file (detectTypeScript): its bindings, the tables its `new`s, factories, Solutions
 * Constructs, subclasses and serverless.ts resources create, each one read (tableOf) with the obstacles to a fix the
 * rule would make, then the checks over the file's tables. The parts it reads with: the table classes
 * (tableClasses.ts), what a table holds (tableTypes.ts), the settings readers (settingReaders.ts, cdkChoice.ts,
 * sseSettings.ts) and the facts by class (tableFacts.ts), words.ts, where a key can go (keyPlacement.ts),
 * suppressions.ts, global tables (globalTables.ts), holders.ts and subclasses.ts.
 */
import { decide, fixWanted, typeOnlyFix } from '../../rule/cmk.js';
import type { EncryptionFacts } from '../../rule/facts.js';
import { LineIndex } from '../../core/text.js';
import type { SourceFile } from '../../core/types.js';
import { RELATIVE, throughReexports } from './reexports.js';
import { bindAliases, bindings, boundOf, importedModuleOf, isCdktn, readImports, readRequires, resolveSymbol } from './imports.js';
import { isCompiledJavaScript, isJavaScriptProgram, javaScriptStep } from './javascript.js';
import { declarationOf } from './consts.js';
import { constObjectHeld } from './mutatedConsts.js';
import { UNREAD_TABLE_PROPS } from './unreadProps.js';
import { asSpread, lookup, snippet } from './lookup.js';
import { readOptions, readsExisting, unreadableOptionsStep } from './options.js';
import { callExpressions, isJavaScript, newExpressions, parseTypeScript, rootName, stringValue, ts, unwrap } from './parse.js';
import { factorySites, type FactorySite } from './factories.js';
import { solutionsConstructSites } from './solutionsConstructs.js';
import { pulumiCloudSites } from './pulumiCloud.js';
import { noRegion, stackCreators, stackRegionOf } from './stackRegion.js';
import { escapeHatches } from './overrides.js';
import { ignoredChanges, lifecycleOverrides, replacedOnChanges } from './ignoredChanges.js';
import { replaceTriggeredTables } from './replaceTriggers.js';
import { apiGlobalTableGrants } from './apiGrants.js';
import { conditionalTables } from './conditions.js';
import { adapterMappings } from './adapter.js';
import { metadataSuppressionsOf } from './metadata.js';
import { resourceTables } from './resources.js';
import { sharedTables } from './resourcePolicy.js';
import { typeOnlyBlock } from './typeOnly.js';
import { integrationTables } from './zeroEtl.js';
import { given as givenOf, type ProjectValues } from './projectValues.js';
import type { FileRef } from '../serverless/fileValues.js';
import { cdktfIteratorObstacle } from './iterators.js';
import { sideEffectIdObstacle } from './sideEffects.js';
import { defaultCdktfProvider, providerEmulator } from './regions.js';
import { sstGlobalStep, sstGlobalSymbol, sstImportsTable, sstStep, sstTableProps } from './sst.js';
import {
  CLASS_NAMES,
  generationOf,
  INTEGRATION_CLASSES,
  otherCdktfLayout,
  POLICY_CLASSES,
  TABLE_CLASSES,
  TABLE_MODULES,
  V1_GLOBAL_TABLE,
} from './tableClasses.js';
import type { TsDetection, TsTable } from './tableTypes.js';
import { type Ctx, isNullOrUndefined } from './settingReaders.js';
import { factsOf, parameterDecided, unreadable } from './tableFacts.js';
import { anchorOf, heldProblem, PLAIN_SCOPE } from './keyPlacement.js';
import { suppressionsOf } from './suppressions.js';
import { addedReplicas, globalTableMembers } from './globalTables.js';
import { subclasses } from './subclasses.js';

const PRE_V1 =
  'the file imports @aws-cdk/cdk, the AWS CDK before 1.0, whose Table has no customer-managed encryption ' +
  '(no TableEncryption, no encryptionKey): move the file to @aws-cdk/core (CDK v1) or aws-cdk-lib (v2), then run kmsfix again';

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
      const unshared = held ? heldProblem(sf, lines, c.sym, held, node, anchor.statement, scopeNode) : undefined;
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
