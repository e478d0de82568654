/**
 * Planning the edits that make tables customer-managed: set SSESpecification on each table
 * (editing what is there, adding what is missing) and add a KMS key and alias beside it, with the
 * map editors shared by the YAML/JSON families (../yaml/mapEdits.ts). Every edit is a text range;
 * nothing is re-serialized.
 */
import { retains, tableNames } from './retention.js';
import { serving } from '../../core/edits.js';
import { uniqueName } from '../../core/lists.js';
import { LineIndex, TEMPLATE_ENGINE_FILE } from '../../core/text.js';
import {
  aliasParts,
  cfnSubLiteral,
  describeKey,
  frameworkVariableIn,
  freeAliasTemplate,
  literalSettings,
  noFrameworkEscape,
} from '../../rule/keySettings.js';
import type { DiskContext, FilePlan, FixOptions, GroupMember, SourceFile } from '../../core/types.js';
import { applySettings, declinedThroughAnchors, insertPairs, joinThroughAnchors, type Ctx, type Setting } from '../yaml/mapEdits.js';
import { boolOf } from '../yaml/scalars.js';
import { detectStyle } from '../yaml/style.js';
import { child, pair, resolveAlias, scalarString, type CMap, type CNode } from '../yaml/tree.js';
import { eofScalarObstacle } from '../yaml/eofScalar.js';
import { Intrinsic, getAtt, ref, sub, type Value } from '../yaml/values.js';
import { type CfnDetection, type CfnTable, type CfnTemplate, typeOnly } from './tableTypes.js';
import { loopChain, namingLoops } from './forEachLoops.js';
import { yaml11 } from './templates.js';
import { freeName, logicalIdsOf, MAX_EXPANDED_IDS, TakenIds } from './loopNames.js';
import { intrinsicArg, intrinsicName } from '../cfn-values/intrinsics.js';
import { aliasResource, keyResource, nameMayHoldDot, strongestRetention } from '../yaml/cfnKeyResources.js';
import { allowedChanges } from './verify.js';
import { resolvedByFramework } from './includes.js';
import { type MergedSet, mergedSet, namesOfOthers, sharedKeyNames } from './mergedSiblings.js';
import { sharedTags, tableTags } from './keyTags.js';
import { keyArnRegion, keyRegionMismatch } from '../../rule/keyArn.js';
import { regionWhere } from '../cfn-values/deployRegions.js';
import { REGION } from '../../rule/keyArn.js';

// ---------------------------------------------------------------- tables and keys

function sseSettings(keyValue: Value | undefined, yaml11: boolean): Setting[] {
  const s: Setting[] = [
    // A `yes` CloudFormation reads as true stays as written.
    { key: 'SSEEnabled', value: true, replace: (n) => boolOf(n, yaml11) !== true },
    { key: 'SSEType', value: 'KMS', replace: (n) => scalarString(n) !== 'KMS' },
  ];
  if (keyValue !== undefined) s.push({ key: 'KMSMasterKeyId', value: keyValue, replace: () => true });
  return s;
}

/** `keyValue` undefined: the table's own key stays (typeOnly). */
function fixTable(ctx: Ctx, table: CfnTable, keyValue: Value | undefined): void {
  const plainBools = yaml11(table.template, ctx.json);
  if (table.kind === 'global') {
    // Insertions at one offset apply in the order given: the replica (nested deeper) goes first.
    // (No key, `keyValue` undefined: the table's own keys stay, the replica's too.)
    if (table.localReplica && keyValue !== undefined) {
      applySettings(ctx, table.localReplica, [
        { key: 'SSESpecification', complete: true, nested: [{ key: 'KMSMasterKeyId', value: keyValue, replace: () => true }] },
      ]);
    }
    applySettings(ctx, table.resource, [
      { key: 'Properties', nested: [{ key: 'SSESpecification', complete: true, nested: sseSettings(undefined, plainBools) }] },
    ]);
    return;
  }
  applySettings(ctx, table.resource, [
    { key: 'Properties', nested: [{ key: 'SSESpecification', complete: true, nested: sseSettings(keyValue, plainBools) }] },
  ]);
}

/**
 * A logical ID's letters and digits (and a loop's `${Name}` placeholders), the only characters
 * CloudFormation takes in one: `recipe_table` names its key `recipetableKey`.
 */
function alphanumeric(id: string): string {
  return id.replace(/\$\{[^}]*\}|[^A-Za-z0-9]/g, (m) => (m.startsWith('${') ? m : '')) || 'Table';
}

/**
 * The names of the template's sections, and its resources' logical IDs with each Fn::ForEach loop's values put in
 * (loopNames.ts: a pattern where a loop's values are not known), which a new key or alias must not take.
 */
function takenNames(template: CfnTemplate): TakenIds {
  const names = new TakenIds();
  // An additional stack's names are its own (its map, or each map of its list: the plugin merges them).
  for (const holder of template.stack?.parts ?? [template.root])
    for (const section of ['Resources', 'Parameters', 'Conditions', 'Mappings', 'Outputs']) {
      const m = child(holder, section);
      if (m?.kind === 'map') for (const p of m.pairs) names.add(p.key);
    }
  const resourceIds = (resources: CMap) => {
    for (const { id, loops, key } of logicalIdsOf(resources)) {
      if (loops.length === 0) {
        names.addId(id);
        continue;
      }
      const where = `the output key ${key} of ${loops.map((l) => l.key).join('/')}`;
      names.addId(
        id,
        loops.every((l) => l.values?.length)
          ? {
              where,
              why: `its loops make more than ${MAX_EXPANDED_IDS} logical IDs, past the 500 resources CloudFormation takes in a template`,
              step: 'split the loops so the template stays within 500 resources',
            }
          : {
              where,
              why: 'its collection is not a list written in the template: a deploy may pass any values',
              step: 'write the collection as a list',
            },
      );
    }
  };
  resourceIds(template.resources);
  // serverless.yml's `resources` list: the Framework merges its items' Resources into one.
  const list = template.stack ? undefined : child(template.root, 'resources');
  if (list?.kind === 'seq')
    for (const item of list.items) {
      const resources = child(resolveAlias(item), 'Resources');
      if (resources?.kind === 'map') resourceIds(resources);
    }
  return names;
}

/** The table's logical ID as the template writes it (a Fn::ForEach output key such as `${Name}Table`; an additional stack's, without the stack's name). */
const logicalId = (t: CfnTable) => t.resourcePair.key;

/** A key's ARN as the table names it: `!GetAtt Key.Arn`, or in a loop body `!GetAtt [!Sub '${Name}TableKey', Arn]`. */
function keyArn(t: CfnTable, keyId: string): Value {
  return t.loop ? new Intrinsic('Fn::GetAtt', [sub(keyId), 'Arn']) : getAtt(keyId, 'Arn');
}

/** The table's TableName as written: a string, or a Sub's template; undefined for anything else. */
function tableNameText(table: CfnTable): string | undefined {
  const n = child(child(table.resource, 'Properties'), 'TableName');
  const fn = intrinsicName(n);
  if (!fn) return scalarString(n);
  if (fn !== 'Fn::Sub' || !n) return undefined;
  // `!Sub 'x'` is its own argument, tag and all.
  const arg = intrinsicArg(n);
  const template = arg?.kind === 'seq' ? arg.items[0] : arg;
  return template?.kind === 'scalar' && typeof template.value === 'string' ? template.value : undefined;
}

/**
 * The table's name as an alias written with it would read (aliasTemplateFor): tableNameText, with the list form of
 * Fn::Sub's own variables put in, `!Sub ['${Prefix}-${suffix}', {suffix: orders}]` -> `${Prefix}-orders`. Tables
 * whose template text is the same and whose variable maps differ (AWS Solutions' `suffix: !FindInMap [...]`) were
 * taken for tables that may share a name, and their aliases numbered `-2`, `-3` (real-world round 37,
 * media2cloud); a variable bound to anything but a literal leaves the name not known (undefined: only the alias
 * naming the table's Ref is compared, and each table's Ref is its own).
 */
function subNameText(table: CfnTable): string | undefined {
  const text = tableNameText(table);
  const n = child(child(table.resource, 'Properties'), 'TableName');
  const arg = intrinsicName(n) === 'Fn::Sub' && n ? resolveAlias(intrinsicArg(n)) : undefined;
  if (text === undefined || arg?.kind !== 'seq' || arg.items.length < 2) return text;
  const vars = resolveAlias(arg.items[1]);
  if (vars?.kind !== 'map') return text;
  let known = true;
  const out = text.replace(/\$\{([^}!][^}]*)\}/g, (whole, name: string) => {
    const p = vars.pairs.find((v) => v.key === name.trim());
    if (!p) return whole;
    const v = resolveAlias(p.value);
    if (v?.kind === 'scalar' && !v.tag && v.value !== null) return String(v.value);
    known = false;
    return whole;
  });
  return known ? out : undefined;
}

/**
 * May the table's deployed name hold a `.` (its alias then splits it at each `.` and joins with `-`)?
 * A name CloudFormation generates (stack name, logical ID, suffix) holds none; a literal or Sub
 * template is read (nameMayHoldDot); a parameter holds none when its AllowedValues or AllowedPattern
 * leave none out; any other function may.
 */
function tableNameMayHoldDot(table: CfnTable, template: CfnTemplate): boolean {
  const n = child(child(table.resource, 'Properties'), 'TableName');
  if (!n) return false;
  // A Fn::ForEach identifier: its values when written without `.`, or any value when the table's logical ID
  // (alphanumeric, a CloudFormation rule) is made of it.
  const loops = table.loop ? loopChain(table.loop) : [];
  const loopDotless = (name: string) =>
    loops.some(
      (l) =>
        l.identifier === name &&
        ((l.values?.length && l.values.every((v) => !v.includes('.'))) || new RegExp(`[$&]\\{${name}\\}`).test(table.resourcePair.key)),
    );
  const dotless = (name: string) => loopDotless(name) || parameterDotless(template, name);
  const fn = intrinsicName(n);
  if (fn === 'Ref') {
    const arg = intrinsicArg(n);
    const p = arg?.kind === 'scalar' && typeof arg.value === 'string' ? arg.value : undefined;
    return p === undefined || !dotless(p);
  }
  const text = tableNameText(table);
  if (text === undefined) return true;
  // `!Sub [template, { Var: ... }]`: its own variables are not known.
  return nameMayHoldDot(text, fn === 'Fn::Sub' && intrinsicArg(n)?.kind === 'seq' ? () => false : dotless);
}

/** Does a template parameter allow only values without a `.` (AllowedValues, or an AllowedPattern that writes none)? */
function parameterDotless(template: CfnTemplate, name: string): boolean {
  const p = child(child(template.root, 'Parameters'), name);
  if (p?.kind !== 'map') return false;
  const allowed = child(p, 'AllowedValues');
  if (allowed?.kind === 'seq' && allowed.items.length > 0)
    return allowed.items.every((i) => {
      const v = scalarString(i);
      return v !== undefined && !v.includes('.');
    });
  const pattern = scalarString(child(p, 'AllowedPattern'));
  return pattern !== undefined && !pattern.includes('.');
}

function conditionOf(table: CfnTable): string | undefined {
  return scalarString(child(table.resource, 'Condition'));
}

/**
 * Where the Resources of one resource learn their blank-line convention: `resources:` (serverless.yml)
 * or the additional stack's map that holds them, then the root.
 */
function separationFallbacks(template: CfnTemplate): CMap[] {
  const parent = template.stack
    ? template.stack.parts.find((m) => child(m, 'Resources') === template.resources)
    : template.flavor === 'serverless'
      ? child(template.root, 'resources')
      : undefined;
  return parent?.kind === 'map' ? [parent, template.root] : [template.root];
}

/**
 * --kms-key-arn as the template writes it (src/rule/keyArn.ts): `!Ref P`, `!GetAtt R.A`,
 * `!ImportValue E` and `!Sub '...'` become those functions (in the file's own form; a Sub as a Join in
 * serverless.yml), `${...}` a Sub (in serverless.yml the Framework's variable, kept as a string);
 * anything else a string.
 */
export function keyValueOf(arn: string, serverless: boolean): Value {
  const v = arn.trim();
  const tag = /^!(Ref|GetAtt|ImportValue|Sub)\s+(\S.*)$/.exec(v);
  if (tag) {
    const arg = tag[2].replace(/^(['"])(.*)\1$/, '$2');
    if (tag[1] === 'Ref') return ref(arg);
    if (tag[1] === 'GetAtt') return getAtt(arg.slice(0, arg.indexOf('.')), arg.slice(arg.indexOf('.') + 1));
    if (tag[1] === 'ImportValue') return new Intrinsic('Fn::ImportValue', arg);
    return sub(arg);
  }
  if (/^\$\{[^{}]+\}$/.test(v) && !serverless) return sub(v);
  return v;
}

/** `${...}` that a Sub cannot resolve (`${ssm:/x}`, `${self:custom.k}`, `${param:k}`), outside serverless.yml. */
function frameworkVariable(arn: string, serverless: boolean): boolean {
  const v = arn.trim();
  return !serverless && /^\$\{[^{}]+\}$/.test(v) && !/^\$\{(AWS::[A-Za-z]+|[A-Za-z0-9]+(\.[A-Za-z0-9.]+)?)\}$/.test(v);
}

/**
 * The logical IDs a --kms-key-arn names in its template (`!Ref P`, `!GetAtt R.Arn`, `${P}` and `${R.Arn}` in
 * a Sub), pseudo parameters (`AWS::Region`) left out; [] for an ARN, an alias or `!ImportValue`.
 */
function namedIds(arn: string): string[] {
  const v = arn.trim();
  const tag = /^!(Ref|GetAtt|Sub)\s+(\S.*)$/.exec(v);
  const arg = tag?.[2].replace(/^(['"])(.*)\1$/, '$2');
  if (tag && tag[1] !== 'Sub') return [arg!.split('.')[0]];
  const text = tag ? arg! : /^\$\{[^{}]+\}$/.test(v) ? v : '';
  return [...text.matchAll(/\$\{([^}!]+)\}/g)].map((m) => m[1].trim().split('.')[0]).filter((id) => !id.startsWith('AWS::'));
}

/**
 * Why a template cannot take this --kms-key-arn: it names a parameter or resource the template does not
 * declare (CloudFormation would reject it: unresolved dependency). Undefined when it can, or when the
 * template's names are not all known (a Fn::ForEach loop, a Fn::Transform or a macro of its own makes
 * some; serverless.yml and the files it includes make theirs from functions and other files).
 */
function undeclaredKeyArn(arn: string, template: CfnTemplate, serverless: boolean): string | undefined {
  if (serverless) return undefined;
  const ids = namedIds(arn);
  if (ids.length === 0) return undefined;
  const declared = new Set<string>();
  for (const section of ['Parameters', 'Resources']) {
    const map = resolveAlias(child(template.root, section));
    if (map?.kind === 'map') for (const p of map.pairs) declared.add(p.key);
  }
  if ([...declared].some((k) => k.startsWith('Fn::ForEach::') || k === 'Fn::Transform')) return undefined;
  // A macro of the template's own (a Transform other than SAM's and the language extensions) may declare more.
  const transform = child(template.root, 'Transform');
  const macros = transform?.kind === 'seq' ? transform.items.map((i) => scalarString(i)) : [scalarString(transform)];
  if (transform && macros.some((m) => m !== 'AWS::Serverless-2016-10-31' && m !== 'AWS::LanguageExtensions')) return undefined;
  const missing = ids.find((id) => !declared.has(id));
  return (
    missing &&
    `--kms-key-arn ${arn.trim()} names ${missing}, which this template declares neither as a parameter nor as a resource ` +
      `(CloudFormation would reject it): declare it (a parameter, Parameters: ${missing}: Type: String, or the key's resource) and run kmsfix again`
  );
}

/**
 * The names the template's aliases (AWS::KMS::Alias) give, each as `sub:` and its Fn::Sub string (a plain
 * string too), the form `subName` writes a fix's alias name in.
 */
function aliasNamesOf(template: CfnTemplate): Set<string> {
  const out = new Set<string>();
  for (const p of template.resources.pairs) {
    const r = resolveAlias(p.value);
    if (scalarString(resolveAlias(child(r, 'Type') ?? null) ?? null) !== 'AWS::KMS::Alias') continue;
    const name = subStringOf(resolveAlias(child(resolveAlias(child(r, 'Properties') ?? null), 'AliasName') ?? null));
    if (name !== undefined) out.add(subName(name));
  }
  return out;
}

/**
 * The string of an alias name: a plain string, Fn::Sub's, or, for a table name that may hold a `.`,
 * the one inside `Fn::Join ['-', Fn::Split ['.', ...]]` (how a fix writes it).
 */
function subStringOf(node: CNode | null | undefined): string | undefined {
  const plain = scalarString(node ?? null);
  if (plain !== undefined || !node) return plain;
  const fn = intrinsicName(node);
  const arg = resolveAlias(intrinsicArg(node));
  const item = (i: number) => (arg?.kind === 'seq' ? resolveAlias(arg.items[i] ?? null) : undefined);
  if (fn === 'Fn::Sub') {
    const text = arg?.kind === 'scalar' ? arg.value : item(0)?.kind === 'scalar' ? (item(0) as { value: unknown }).value : undefined;
    return text === undefined || text === null ? undefined : String(text);
  }
  return fn === 'Fn::Join' || fn === 'Fn::Split' ? subStringOf(item(1)) : undefined;
}

const subName = (s: string) => `sub:${s}`;

/**
 * The alias template for the key named after `id` (a table's logical ID, or AWS::StackName): the settings', unless
 * the template already has that alias name, written with the Ref or with the table's TableName as written (a
 * literal or a Sub string: `alias/dynamodb/orders`, `alias/dynamodb/orders-${Stage}`).
 */
function aliasTemplateFor(
  id: string,
  table: CfnTable | undefined,
  shared: boolean,
  options: FixOptions,
  aliases: Set<string>,
): string | undefined {
  const name = table && subNameText(table);
  return freeAliasTemplate(
    options.key?.alias,
    (t) => {
      const { before, after } = aliasParts(t, shared);
      const names = [subName(`${before}\${${id}}${after}`)];
      if (name !== undefined) names.push(subName(`${before}${name}${after}`));
      return names;
    },
    aliases,
  );
}

/** `serverless`: the Framework resolves the file's `${...}` (a serverless.yml, or a file a service includes whole). */
/** `set`: the files a deployer merges with this one into one template (mergedSiblings.ts): new names are new across them. */
function planTemplate(
  ctx: Ctx,
  template: CfnTemplate,
  all: CfnTable[],
  options: FixOptions,
  serverless: boolean,
  set?: MergedSet,
): string[] {
  // A table whose own key lacks only SSEType gets SSEType: KMS beside it, and no key (src/rule/cmk.ts untypedKey).
  for (const t of all.filter(typeOnly)) {
    const from = ctx.edits.length;
    fixTable(ctx, t, undefined);
    serving(ctx.edits, from, [t.address]);
  }
  const tables = all.filter((t) => !typeOnly(t));
  if (tables.length === 0) return all.map((t) => t.address);
  // Each table's edits serve it alone; a shared key serves every table that names it (Edit.tables).
  if (options.kmsKeyArn) {
    for (const t of tables) {
      const from = ctx.edits.length;
      fixTable(ctx, t, keyValueOf(options.kmsKeyArn, serverless));
      serving(ctx.edits, from, [t.address]);
    }
    return all.map((t) => t.address);
  }
  const taken = takenNames(template);
  const aliases = aliasNamesOf(template);
  if (set) for (const n of namesOfOthers(set)) taken.add(n);
  if (options.keyStrategy === 'shared') {
    // In a set of merged files, one key for the set where one file holds tables; else one per such file, named apart.
    const names = set ? sharedKeyNames(set, taken) : undefined;
    const keyId = names?.keyId ?? uniqueName('DynamoDBTablesKey', taken);
    const aliasId = names?.aliasId ?? uniqueName(`${keyId}Alias`, taken);
    const conditions = new Set(tables.map(conditionOf));
    const condition = conditions.size === 1 ? [...conditions][0] : undefined;
    // The alias is named after a table that exists whenever the key does (same Condition); when
    // the tables' conditions differ and none is unconditional, after the stack.
    // A loop's table is no single logical ID to name the alias after.
    const named = tables.find((t) => conditionOf(t) === condition && !t.loop);
    for (const t of tables) {
      const from = ctx.edits.length;
      fixTable(ctx, t, getAtt(keyId, 'Arn'));
      serving(ctx.edits, from, [t.address]);
    }
    // After the first table (its loop's pair, the outermost when loops are nested); inserted after
    // the tables' edits, which may end where that pair does (a table later in the same loop body).
    const first = tables[0];
    const keyFrom = ctx.edits.length;
    const key = keyResource({
      description: apartDescription(describeKey(tables.flatMap(tableNames), options.key?.description), set, names?.apart, options),
      settings: options.key,
      tableTags: sharedTags(tables),
      retain: strongestRetention(tables.map((t) => retains(t, ctx.text))),
      condition,
      policy: options.keyPolicy,
      serverless,
    });
    const aliasNamed = named ? logicalId(named) : 'AWS::StackName';
    const alias = aliasResource(
      aliasNamed,
      keyId,
      condition,
      true,
      aliasTemplateFor(aliasNamed, named, true, options, aliases),
      undefined,
      !!named && tableNameMayHoldDot(named, template),
    );
    insertPairs(
      ctx,
      template.resources,
      [
        [keyId, key],
        [aliasId, alias],
      ],
      { after: first.loop ? loopChain(first.loop)[0].pair : first.resourcePair, separatedLike: separationFallbacks(template) },
    );
    serving(
      ctx.edits,
      keyFrom,
      tables.map((x) => x.address),
    );
    return all.map((t) => t.address);
  }
  for (const t of tables) {
    const from = ctx.edits.length;
    // A table of a Fn::ForEach body gets its key and alias in the same body, one per generated table.
    const id = logicalId(t);
    // Named apart from every ID the loops make (in a loop body, each of its own IDs too).
    const loops = namingLoops(t.loop);
    const keyId = named(freeName(`${alphanumeric(id)}Key`, loops, taken), t);
    const aliasId = named(freeName(`${keyId}Alias`, loops, taken), t);
    fixTable(ctx, t, keyArn(t, keyId));
    // In a Fn::ForEach body the description is a Fn::Sub (the loop's `${Name}` in the table's ID): a `${` of the key
    // settings' is written `${!` there (cfnSubLiteral); a plain string is CloudFormation's as it is.
    const description = t.loop
      ? sub(describeKey([id], literalSettings(options.key, cfnSubLiteral)?.description))
      : describeKey([id], options.key?.description);
    const key = keyResource({
      description,
      retain: retains(t, ctx.text),
      condition: conditionOf(t),
      policy: options.keyPolicy,
      serverless,
      settings: options.key,
      tableTags: tableTags(t),
    });
    const alias = aliasResource(
      id,
      keyId,
      conditionOf(t),
      false,
      aliasTemplateFor(id, t, false, options, aliases),
      t.loop ? keyArn(t, keyId) : undefined,
      tableNameMayHoldDot(t, template),
    );
    insertPairs(
      ctx,
      t.loop?.body ?? template.resources,
      [
        [keyId, key],
        [aliasId, alias],
      ],
      { after: t.resourcePair, separatedLike: t.loop ? [t.loop.body, ...separationFallbacks(template)] : separationFallbacks(template) },
    );
    serving(ctx.edits, from, [t.address]);
  }
  return all.map((t) => t.address);
}

/** A name freeName found; none only past the patterns openEndedLoops declines for (each a thousand names apart). */
function named(name: string | undefined, t: CfnTable): string {
  if (name === undefined)
    throw new Error(`no logical ID is free for the key of ${t.address}: the template's Fn::ForEach loops may make each`);
  return name;
}

/**
 * Tables whose template has a Fn::ForEach output key ending with the placeholder of a loop whose values are not
 * known (`${Name}` over `!Ref Names`): it may make any logical ID, the key or alias a fix adds among them.
 */
function openEndedLoops(tables: CfnTable[], options: FixOptions): { address: string; reason: string }[] {
  if (options.kmsKeyArn) return [];
  const out: { address: string; reason: string }[] = [];
  for (const template of new Set(tables.map((t) => t.template))) {
    const open = takenNames(template).openEnded();
    if (open === undefined) continue;
    const reason =
      `${open.where} may be any logical ID (${open.why}), ` +
      `so no name of a key or alias a fix adds is sure to be free: ${open.step}, or use --kms-key-arn with an existing key (adds none)`;
    out.push(...tables.filter((t) => t.template === template && !typeOnly(t)).map((t) => ({ address: t.address, reason })));
  }
  return out;
}

/**
 * A shared key's description where each file of a merged set gets its own (the default description only): which
 * files, and why, for the reader of the diff.
 */
function apartDescription(description: string, set: MergedSet | undefined, apart: string[] | undefined, options: FixOptions): string {
  if (!set || !apart || options.key?.description !== undefined) return description;
  return `${description} (one key per file of ${apart.join(', ')}: ${set.by})`;
}

/** `includedWhole`: a service file includes this file of Resources whole, so the Framework resolves its `${...}` too. */
function planFile(
  file: SourceFile,
  detection: CfnDetection,
  chosen: CfnTable[],
  options: FixOptions,
  includedWhole: boolean,
  set?: MergedSet,
): FilePlan {
  const ctx: Ctx = {
    text: file.text,
    json: detection.json,
    style: detectStyle(
      file.text,
      detection.templates.map((t) => t.root),
      // A template engine's file (`stack.json.tpl`, `storage.tmpl`) may read `${...}` as its own (Terraform's
      // templatefile() does, and fails on `${AWS::Region}`): no Fn::Sub there either, as in a Serverless file.
      includedWhole || TEMPLATE_ENGINE_FILE.test(file.path) ? 'serverless' : chosen[0].template.flavor,
      detection.json,
      // A file of resources no service file includes whole may be an AWS::Include snippet.
      !includedWhole && detection.templates.every((t) => t.resourcesPath.length === 0),
    ),
    edits: [],
  };
  const fixed: string[] = [];
  for (const template of detection.templates) {
    const mine = chosen.filter((t) => t.template === template);
    if (mine.length > 0) fixed.push(...planTemplate(ctx, template, mine, options, includedWhole || template.flavor === 'serverless', set));
  }
  joinThroughAnchors(
    ctx.edits,
    chosen.map((t) => ({
      address: t.address,
      doc: t.template.doc,
      path: [...t.template.resourcesPath, t.loop ? t.address : logicalId(t)].join('.'),
      shared: t.shared,
    })),
  );
  return { edits: ctx.edits, fixed };
}

/** Could the file be one of a set merged into one template (mergedSiblings.ts)? A path and text test, no read. */
function mayBeMerged(file: SourceFile, detection: CfnDetection): boolean {
  return /(?:^|\/)copilot\/[^/]+\/addons\//.test(file.path) || detection.includes?.whole !== undefined || file.text.includes('${file(');
}

/** CloudFormation's limit on the resources of one template (stack). */
export const MAX_RESOURCES = 500;

/**
 * The fewest resources the SAM transform adds to a template: a role for each function or state
 * machine that names none, one resource at least for each event source (a permission, a mapping, a
 * rule), and the implicit API with its deployment and stage when an Api event names no RestApiId.
 */
function samTransformAdds(template: CfnTemplate): number {
  if (template.flavor !== 'sam') return 0;
  let added = 0;
  let implicitApi = false;
  for (const p of template.resources.pairs) {
    const type = scalarString(child(p.value, 'Type'));
    if (type !== 'AWS::Serverless::Function' && type !== 'AWS::Serverless::StateMachine') continue;
    const props = child(p.value, 'Properties');
    if (!pair(props, 'Role')) added++;
    const events = child(props, 'Events');
    if (events?.kind !== 'map') continue;
    added += events.pairs.length;
    for (const e of events.pairs)
      if (scalarString(child(e.value, 'Type')) === 'Api' && !pair(child(e.value, 'Properties'), 'RestApiId')) implicitApi = true;
  }
  return added + (implicitApi ? 3 : 0);
}

/**
 * The tables of templates that a fix would take past CloudFormation's 500 resources (a key and an
 * alias per table, or one pair for a shared key): the stack would not deploy. Counted as written,
 * with the fewest a SAM transform adds (samTransformAdds; a Serverless deploy adds more, a
 * Fn::ForEach counts once), so only a sure failure.
 */
function beyondResourceLimit(tables: CfnTable[], options: FixOptions): { address: string; reason: string }[] {
  const out: { address: string; reason: string }[] = [];
  for (const template of new Set(tables.map((t) => t.template))) {
    // A table that gets SSEType alone adds no resource.
    const mine = tables.filter((t) => t.template === template && !typeOnly(t));
    if (mine.length === 0) continue;
    const transformed = samTransformAdds(template);
    const now = template.resources.pairs.length + transformed;
    const added = options.keyStrategy === 'shared' ? 2 : 2 * mine.length;
    if (now + added <= MAX_RESOURCES) continue;
    const reason =
      `the template holds ${now} resources${transformed > 0 ? ` once the SAM transform has added its own (${transformed} at least)` : ''}, and the ${added} a fix adds (a key and an alias ${options.keyStrategy === 'shared' ? 'for its tables' : 'per table'}) ` +
      `would take it past CloudFormation's ${MAX_RESOURCES}: the stack would not deploy. ` +
      (options.keyStrategy === 'shared' ? '' : 'Use --key-strategy shared (one key for the template), ') +
      'use --kms-key-arn with an existing key (adds none), or move resources to a nested stack';
    out.push(...mine.map((t) => ({ address: t.address, reason })));
  }
  return out;
}

/**
 * Why --kms-key-arn cannot serve this table, when its key is in another Region than the one its stack deploys to
 * (session 64, F3): the Regions the project names (TableFacts.deployRegions: serverless.yml's provider.region, a SAM
 * configuration's region per environment), and a global table's only replica's literal Region (CloudFormation requires
 * a replica in the stack's own Region). undefined: no known mismatch (the commit message then names the key's Region).
 */
function otherStackRegion(arn: string, t: CfnTable, file: SourceFile): string | undefined {
  const keyRegion = keyArnRegion(arn);
  if (!keyRegion) return undefined;
  const known = (t.deployRegions ?? []).map((r) => ({ region: r.region, where: regionWhere(r) }));
  const replicas = resolveAlias(child(child(t.resource, 'Properties'), 'Replicas') ?? null);
  if (t.kind === 'global' && replicas?.kind === 'seq' && replicas.items.length === 1) {
    const region = resolveAlias(child(replicas.items[0], 'Region') ?? null);
    const value = region?.kind === 'scalar' && !region.tag ? scalarString(region) : undefined;
    if (value !== undefined && REGION.test(value))
      known.push({
        region: value,
        where: `${file.path}:${LineIndex.of(file.text).position(region!.start).line}, its only replica's Region, the stack's`,
      });
  }
  const others = known.filter((r) => r.region !== keyRegion);
  if (others.length === 0) return undefined;
  const mismatch = keyRegionMismatch(arn, [...new Set(others.map((r) => r.region))], others.map((r) => r.where).join('; '));
  return (
    mismatch &&
    `${mismatch}. The deploy would fail and CloudFormation would roll the stack back: give a key of that Region (a multi-Region key's replica there)` +
      // A Region the Framework takes where no --region is given: a service always deployed with one says so in its file.
      (others.some((r) => r.where.includes('where the deploy gives no --region'))
        ? `, or, where every deploy passes --region ${keyRegion}, write provider.region: \${opt:region, '${keyRegion}'}`
        : '')
  );
}

export async function fixCloudFormation(
  group: GroupMember<CfnDetection>[],
  options: FixOptions,
  context?: DiskContext,
): Promise<Map<string, FilePlan>> {
  const plans = new Map<string, FilePlan>();
  for (const { file, detection, targets } of group) {
    let chosen = detection.tables.filter((t) => targets.includes(t.address));
    if (chosen.length === 0) continue;
    // The files merged with this one into one template (a Copilot addons folder, a Serverless resources list).
    const set = context && !options.kmsKeyArn && mayBeMerged(file, detection) ? await mergedSet(file, context) : undefined;
    // A file of Resources a service file includes whole (or a template's whole Resources): the Framework resolves its
    // `${...}`, so no Fn::Sub is written there (detect read the includes: a table a service file includes by its key
    // alone is no target, but with --kms-key-arn).
    const includedWhole = resolvedByFramework(detection);
    // --kms-key-arn '${ssm:...}' is a Serverless Framework variable: a plain template has no such thing.
    const notHere = chosen.filter(
      (t) => options.kmsKeyArn !== undefined && frameworkVariable(options.kmsKeyArn, includedWhole || t.template.flavor === 'serverless'),
    );
    const unwritable = notHere.map((t) => ({
      address: t.address,
      reason: `--kms-key-arn ${options.kmsKeyArn!.trim()} is a Serverless Framework variable, which only serverless.yml resolves: this template takes an ARN, !Ref, !GetAtt, !ImportValue or \${Parameter}`,
    }));
    chosen = chosen.filter((t) => !notHere.includes(t));
    for (const t of chosen) {
      const reason =
        options.kmsKeyArn &&
        (undeclaredKeyArn(options.kmsKeyArn, t.template, includedWhole || t.template.flavor === 'serverless') ??
          otherStackRegion(options.kmsKeyArn, t, file));
      if (reason) unwritable.push({ address: t.address, reason });
    }
    // A description or tag holding `${`, which the Serverless Framework would resolve here and cannot escape (noFrameworkEscape).
    const variable = options.kmsKeyArn ? undefined : frameworkVariableIn(options.key);
    if (variable)
      for (const t of chosen)
        if (includedWhole || t.template.flavor === 'serverless')
          unwritable.push({ address: t.address, reason: noFrameworkEscape(variable, file.path) });
    chosen = chosen.filter((t) => !unwritable.some((d) => d.address === t.address));
    const overLimit = options.kmsKeyArn ? [] : beyondResourceLimit(chosen, options);
    unwritable.push(...overLimit);
    chosen = chosen.filter((t) => !overLimit.some((d) => d.address === t.address));
    const unnamed = openEndedLoops(chosen, options);
    unwritable.push(...unnamed);
    chosen = chosen.filter((t) => !unnamed.some((d) => d.address === t.address));
    let plan = chosen.length > 0 ? planFile(file, detection, chosen, options, includedWhole, set) : { edits: [], fixed: [] };
    const declined = [
      ...unwritable,
      ...(detection.aliases.length > 0 && chosen.length > 0
        ? declinedThroughAnchors(detection, plan, allowedChanges(detection, plan.fixed), chosen, 'SSESpecification')
        : []),
    ];
    if (declined.length > 0) {
      if (declined.length > unwritable.length) {
        chosen = chosen.filter((t) => !declined.some((d) => d.address === t.address));
        plan = chosen.length > 0 ? planFile(file, detection, chosen, options, includedWhole, set) : { edits: [], fixed: [] };
      }
      plan.declined = declined;
    }
    const eof = detection.json ? undefined : eofScalarObstacle(file.text, detection.roots, plan.edits);
    if (eof)
      plan = { edits: [], fixed: [], declined: [...(plan.declined ?? []), ...chosen.map((t) => ({ address: t.address, reason: eof }))] };
    plans.set(file.path, plan);
  }
  return plans;
}
