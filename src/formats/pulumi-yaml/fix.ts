/**
 * Fixing Pulumi YAML tables: `serverSideEncryption` on the table, an `aws:kms:Key` (rotation) and an
 * `aws:kms:Alias` beside it. The key policy (src/rule/keyPolicy.ts, through fn::toJSON) is a variable of
 * the program that every key names, declared once under `variables:` with the account, partition and
 * Region lookups it needs (those the program has are reused). Uses the map editors and style shared
 * with CloudFormation (../yaml/).
 */
import {
  DEFAULT_KEY_POLICY,
  KEY_SETTINGS,
  holdsKeyPolicy,
  policyDocument,
  splitPlaceholders,
  type KeyPolicyMode,
  type Placeholder,
} from '../../rule/keyPolicy.js';
import { serving } from '../../core/edits.js';
import { aliasParts, aliasSafe, describeKey, freeAliasTemplate, literalSettings, pulumiYamlLiteral } from '../../rule/keySettings.js';
import { keyRegionMismatch, stacksRegionMismatch } from '../../rule/keyArn.js';
import { type PulumiStacks, pulumiStacks, stackRegions } from '../pulumi/stacks.js';
import type { DiskContext, FilePlan, FixOptions, GroupMember, SourceFile } from '../../core/types.js';
import { uniqueName } from '../../core/lists.js';
import { applySettings, declinedThroughAnchors, insertPairs, joinThroughAnchors, type Ctx } from '../yaml/mapEdits.js';
import { boolOf } from '../yaml/scalars.js';
import { detectStyle } from '../yaml/style.js';
import { child, resolveAlias, scalarString, type CMap, type CNode } from '../yaml/tree.js';
import { section, sectionPair } from './casing.js';
import { constant, type Value } from '../yaml/values.js';
import { eofScalarObstacle } from '../yaml/eofScalar.js';
import { SSE_PATH, type Program, type PulumiDetection, type PulumiTable } from './tableTypes.js';
import { allowedChanges } from './verify.js';
import { switchAlone, switchToken } from './switchOnly.js';
import { keyTags, sharedTags, tableTags, type TableTags } from './keyTags.js';

/** The lookups the policy's placeholders need: preferred variable name, function and returned field. */
const LOOKUPS: Record<Placeholder, { name: string; function: string; return: string; accepts: string[] }> = {
  account: { name: 'accountId', function: 'aws:getCallerIdentity', return: 'accountId', accepts: ['accountId'] },
  partition: { name: 'partition', function: 'aws:getPartition', return: 'partition', accepts: ['partition'] },
  region: { name: 'region', function: 'aws:getRegion', return: 'name', accepts: ['name', 'region'] },
};

/**
 * The program's variable that already holds a lookup (`fn::invoke` of the same function and field,
 * through the same provider: `provider` a provider resource's name, '' the default provider).
 */
function existingLookup(variables: CMap | undefined, p: Placeholder, provider: string): string | undefined {
  const want = LOOKUPS[p];
  const through = provider ? '${' + provider + '}' : undefined;
  return variables?.pairs.find((v) => {
    const invoke = child(v.value, 'fn::invoke');
    return (
      scalarString(child(invoke, 'function')) === want.function &&
      want.accepts.includes(scalarString(child(invoke, 'return')) ?? '') &&
      scalarString(child(child(invoke, 'options'), 'provider'))?.trim() === through
    );
  })?.key;
}

/** A lookup's variable: `fn::invoke` of its function, through the provider when the tables have one. */
function lookupValue(p: Placeholder, provider: string): Value {
  const { function: fn, return: field } = LOOKUPS[p];
  return {
    'fn::invoke': provider
      ? { function: fn, options: { provider: '${' + provider + '}' }, return: field }
      : { function: fn, return: field },
  };
}

/**
 * The program's variable that holds the key policy of this mode (written by an earlier fix) with the
 * Region lookup `region`: a policy of another provider's tables names another Region.
 */
function existingPolicy(
  text: string,
  variables: CMap | undefined,
  mode: KeyPolicyMode,
  region: string,
  denyDirectGrants: boolean,
): string | undefined {
  return variables?.pairs.find((v) => {
    if (!v.value || child(v.value, 'fn::toJSON') === undefined) return false;
    const policyText = text.slice(v.value.start, v.value.end);
    return holdsKeyPolicy(policyText, mode, denyDirectGrants) && policyText.includes('${' + region + '}');
  })?.key;
}

/** The policies built so far, by mode and lookup names; past POLICIES_KEPT, the map starts again. */
const POLICIES = new Map<string, Value>();
const POLICIES_KEPT = 64;

/**
 * The key policy of `mode` with the program's lookup variables `names`: built once for each (the
 * same in almost every program), and a constant, so that render.ts writes it once per place and style.
 */
function policy(mode: KeyPolicyMode, names: Record<Placeholder, string>, denyDirectGrants: boolean): Value {
  // JSON: no two lists of names give the same key, whatever characters a name holds.
  const id = JSON.stringify([mode, denyDirectGrants, ...(Object.keys(LOOKUPS) as Placeholder[]).map((p) => names[p])]);
  let value = POLICIES.get(id);
  if (value === undefined) {
    const interpolate = (template: string) =>
      splitPlaceholders(template)
        .map((p) => (typeof p === 'string' ? p : '${' + names[p.placeholder] + '}'))
        .join('');
    value = constant({ 'fn::toJSON': policyDocument(mode, interpolate, denyDirectGrants) as Value });
    if (POLICIES.size >= POLICIES_KEPT) POLICIES.clear();
    POLICIES.set(id, value);
  }
  return value;
}

function sseSettings(arn: string) {
  return [
    {
      key: SSE_PATH.properties,
      nested: [
        {
          key: SSE_PATH.sse,
          complete: true,
          nested: [
            { key: 'enabled', value: true, replace: (n: Parameters<typeof boolOf>[0]) => boolOf(n) !== true },
            { key: 'kmsKeyArn', value: arn, replace: () => true },
          ],
        },
      ],
    },
  ];
}

function planProgram(ctx: Ctx, program: Program, chosen: PulumiTable[], options: FixOptions): void {
  const variablesNode = section(program.root, 'variables');
  const variables = variablesNode?.kind === 'map' ? variablesNode : undefined;
  // Config keys, resources and variables share one namespace in Pulumi YAML (pulumi-yaml's sort.go
  // checkUniqueNode): a new variable named as a `config:` (or older `configuration:`) key breaks `pulumi up`.
  const configKeys = (['config', 'configuration'] as const).flatMap((k) => {
    const c = section(program.root, k);
    return c?.kind === 'map' ? c.pairs.map((p) => p.key) : [];
  });
  const taken = new Set([...program.resources.pairs.map((p) => p.key), ...(variables?.pairs.map((p) => p.key) ?? []), ...configKeys]);
  // Each table's edits serve it alone, a shared key and the policy variable every table of the
  // program (Edit.tables).
  const own = (tableList: PulumiTable[], plan: () => void) => {
    const from = ctx.edits.length;
    plan();
    serving(
      ctx.edits,
      from,
      tableList.map((t) => t.address),
    );
  };
  // A table switched off beside a key of its own: the switch's `false` made `true`, that key kept, none generated (switchOnly.ts).
  for (const t of chosen.filter(switchAlone)) {
    const token = switchToken(t)!;
    own([t], () => ctx.edits.push({ start: token.start, end: token.end, text: 'true' }));
  }
  const tables = chosen.filter((t) => !switchAlone(t));
  if (tables.length === 0) return;
  if (options.kmsKeyArn) {
    for (const t of tables) own([t], () => applySettings(ctx, t.resource, sseSettings(options.kmsKeyArn!)));
    return;
  }
  // One policy per program and provider, in a variable every key of those tables names (reused when
  // a run before wrote it), and the lookups it needs: those the program has, else new variables.
  const mode = options.keyPolicy ?? DEFAULT_KEY_POLICY;
  const deny = options.key?.denyDirectGrants === true;
  const missing: [string, Value][] = [];
  // The names of a provider's lookups, policy and shared key end in its name (`regionEu`).
  const suffixOf = (provider: string) => (provider ? provider[0].toUpperCase() + provider.slice(1) : '');
  const policyFor = (provider: string): string => {
    const suffix = suffixOf(provider);
    const region = existingLookup(variables, 'region', provider);
    const have = region ? existingPolicy(ctx.text, variables, mode, region, deny) : undefined;
    if (have) return have;
    const names = {} as Record<Placeholder, string>;
    for (const p of Object.keys(LOOKUPS) as Placeholder[]) {
      const found = existingLookup(variables, p, provider);
      names[p] = found ?? uniqueName(LOOKUPS[p].name + suffix, taken);
      if (!found) missing.push([names[p], lookupValue(p, provider)]);
    }
    const name = uniqueName(`dynamodbKeyPolicy${suffix}`, taken);
    missing.push([name, policy(mode, names, deny)]);
    return name;
  };
  // The key settings (src/rule/keySettings.ts): Pulumi YAML writes the deletion window always, tags as a map.
  // Its texts as Pulumi YAML's literal text: a `${` of a description or tag is no reference (pulumiYamlLiteral).
  const settings = literalSettings(options.key, pulumiYamlLiteral) ?? {};
  // The key and alias go through the tables' provider; a key of protected tables is kept when the
  // program is destroyed (a table whose key is deleted cannot be read).
  const optionsOf = (provider: string, retain = false): { options?: Value } => {
    const o: { [key: string]: Value } = {};
    if (provider) o.provider = '${' + provider + '}';
    if (retain) o.retainOnDelete = true;
    return Object.keys(o).length ? { options: o } : {};
  };
  const keyOf = (description: string[], policyName: string, provider: string, retain: boolean, own?: TableTags): Value => {
    const properties: { [key: string]: Value } = {
      description: describeKey(description, settings.description),
      enableKeyRotation: KEY_SETTINGS.enableKeyRotation,
    };
    if (settings.multiRegion) properties.multiRegion = true;
    properties.deletionWindowInDays = settings.deletionWindowDays ?? KEY_SETTINGS.pendingWindowInDays;
    properties.policy = '${' + policyName + '}';
    // The table's own tags (keyTags.ts), then the settings', which win on a tag key both name.
    const tags = keyTags(own, settings.tags ?? {});
    if (tags !== undefined) properties.tags = tags;
    // `key: retain: always` keeps every key (src/rule/keySettings.ts).
    return { type: 'aws:kms:Key', properties, ...optionsOf(provider, retain || settings.retain === 'always') };
  };
  // The program's alias names (a key a roll back kept has the name a fix would give): a fix names its own apart.
  const aliases = new Set<string>();
  for (const p of program.resources.pairs) {
    const r = resolveAlias(p.value);
    if (scalarString(resolveAlias(child(r, 'type') ?? null) ?? null) !== 'aws:kms:Alias') continue;
    const name = aliasNameOf(resolveAlias(child(resolveAlias(child(r, 'properties') ?? null), 'name') ?? null));
    if (name !== undefined) aliases.add(name.trim());
  }
  const aliasOf = (t: PulumiTable, keyName: string, provider: string, shared = false): Value => {
    // A literal name holding a character a KMS alias may not (`orders.v1`): that name, each such character `-`.
    const written = child(resolveAlias(child(t.resource, SSE_PATH.properties)), 'name');
    const literal = scalarString(resolveAlias(written));
    const name = literal !== undefined && !literal.includes('${') && aliasSafe(literal) !== literal ? aliasSafe(literal) : undefined;
    const nameWith = (template: string) => {
      const { before, after } = aliasParts(template, shared);
      if (name !== undefined) return [`${before}${name}${after}`];
      // The kept alias may write the table's literal name.
      const forms = [`${before}\${${t.address}.name}${after}`];
      if (literal !== undefined && !literal.includes('${')) forms.push(`${before}${literal}${after}`);
      return forms;
    };
    const { before, after } = aliasParts(freeAliasTemplate(settings.alias, nameWith, aliases), shared);
    // A name the program computes (`${pulumi.stack}.orders`) may hold a `.` when deployed: written `-` there
    // (fn::split, fn::join). One Pulumi makes of the logical name holds none (a logical name with a `.`
    // cannot be referenced as `${name.arn}`: such a fix fails verification and is not written).
    const computed = !!written && (literal === undefined || literal.includes('${'));
    const deployed = `${before}\${${t.address}.name}${after}`;
    return {
      type: 'aws:kms:Alias',
      properties: {
        name:
          name !== undefined ? `${before}${name}${after}` : computed ? { 'fn::join': ['-', { 'fn::split': ['.', deployed] }] } : deployed,
        targetKeyId: '${' + keyName + '.keyId}',
      },
      ...optionsOf(provider),
    };
  };
  const placement = (t: PulumiTable) => ({ after: t.pair, separatedLike: [program.root] });
  // The tables of each provider ('' the default one), in the program's order.
  const groups = new Map<string, PulumiTable[]>();
  for (const t of tables) {
    const group = groups.get(t.provider ?? '');
    if (group) group.push(t);
    else groups.set(t.provider ?? '', [t]);
  }
  for (const [provider, group] of groups) {
    const policyName = policyFor(provider);
    if (options.keyStrategy === 'shared') {
      const keyName = uniqueName(`dynamodbTablesKey${suffixOf(provider)}`, taken);
      const aliasName = uniqueName(`${keyName}Alias`, taken);
      const key = keyOf(
        group.map((x) => x.address),
        policyName,
        provider,
        group.some((x) => x.retain),
        sharedTags(group),
      );
      group.forEach((t, i) => {
        own([t], () => applySettings(ctx, t.resource, sseSettings('${' + keyName + '.arn}')));
        if (i === 0)
          own(group, () =>
            insertPairs(
              ctx,
              program.resources,
              [
                [keyName, key],
                [aliasName, aliasOf(t, keyName, provider, true)],
              ],
              placement(t),
            ),
          );
      });
      continue;
    }
    for (const t of group) {
      const keyName = uniqueName(`${t.address}Key`, taken);
      const aliasName = uniqueName(`${keyName}Alias`, taken);
      own([t], () => {
        applySettings(ctx, t.resource, sseSettings('${' + keyName + '.arn}'));
        insertPairs(
          ctx,
          program.resources,
          [
            [keyName, keyOf([t.address], policyName, provider, t.retain, tableTags(t))],
            [aliasName, aliasOf(t, keyName, provider)],
          ],
          placement(t),
        );
      });
    }
  }
  // The policy variable and its lookups serve the program's tables.
  if (missing.length > 0) own(tables, () => declareVariables(ctx, program, variables, missing));
}

function declareVariables(ctx: Ctx, program: Program, variables: CMap | undefined, missing: [string, Value][]): void {
  if (variables) insertPairs(ctx, variables, missing);
  else if (sectionPair(program.root, 'variables')) {
    // `variables:` with nothing under it.
    applySettings(ctx, program.root, [
      {
        key: sectionPair(program.root, 'variables')!.key,
        complete: true,
        nested: missing.map(([key, value]) => ({ key, value, replace: () => true })),
      },
    ]);
  } else {
    // A program declares its variables before its resources.
    const resourcesPair = sectionPair(program.root, 'resources');
    insertPairs(
      ctx,
      program.root,
      [['variables', Object.fromEntries(missing)]],
      resourcesPair && !program.root.flow ? { before: resourcesPair } : {},
    );
  }
}

function planFile(file: SourceFile, detection: PulumiDetection, chosen: PulumiTable[], options: FixOptions): FilePlan {
  const ctx: Ctx = { text: file.text, json: false, style: detectStyle(file.text, detection.roots, 'pulumi-yaml', false), edits: [] };
  for (const program of detection.programs) {
    const mine = chosen.filter((t) => t.program === program);
    if (mine.length > 0) planProgram(ctx, program, mine, options);
  }
  joinThroughAnchors(
    ctx.edits,
    chosen.map((t) => ({ address: t.address, doc: t.program.doc, path: `resources.${t.address}`, shared: t.shared })),
  );
  return { edits: ctx.edits, fixed: chosen.map((t) => t.address) };
}

export async function fixPulumiYaml(
  group: GroupMember<PulumiDetection>[],
  options: FixOptions,
  context?: DiskContext,
): Promise<Map<string, FilePlan>> {
  const plans = new Map<string, FilePlan>();
  for (const { file, detection, targets } of group) {
    let chosen = detection.tables.filter((t) => targets.includes(t.address));
    const elsewhere = options.kmsKeyArn ? await otherRegions(file, chosen, options.kmsKeyArn, context) : [];
    if (elsewhere.length > 0) chosen = chosen.filter((t) => !elsewhere.some((d) => d.address === t.address));
    if (chosen.length === 0) {
      if (elsewhere.length > 0) plans.set(file.path, { edits: [], fixed: [], declined: elsewhere });
      continue;
    }
    let plan = planFile(file, detection, chosen, options);
    const declined =
      detection.aliases.length > 0
        ? declinedThroughAnchors(detection, plan, allowedChanges(detection, plan.fixed), chosen, SSE_PATH.sse)
        : [];
    if (declined.length > 0) {
      chosen = chosen.filter((t) => !declined.some((d) => d.address === t.address));
      plan = chosen.length > 0 ? planFile(file, detection, chosen, options) : { edits: [], fixed: [] };
      plan.declined = declined;
    }
    if (elsewhere.length > 0) plan.declined = [...(plan.declined ?? []), ...elsewhere];
    const eof = eofScalarObstacle(file.text, detection.roots, plan.edits);
    if (eof)
      plan = { edits: [], fixed: [], declined: [...(plan.declined ?? []), ...chosen.map((t) => ({ address: t.address, reason: eof }))] };
    plans.set(file.path, plan);
  }
  return plans;
}

/**
 * Tables --kms-key-arn cannot serve: created through a provider of the program (`options.provider:
 * ${west}`) whose `region` is another literal than the ARN's (a table's key must be in its Region); or, on the
 * default provider, in a project whose stacks set `aws:region` to another (session 65,
 * region2: pulumi/stacks.ts stackRegions).
 */
async function otherRegions(
  file: SourceFile,
  chosen: PulumiTable[],
  arn: string,
  context: DiskContext | undefined,
): Promise<{ address: string; reason: string }[]> {
  const out: { address: string; reason: string }[] = [];
  let stacks: PulumiStacks | undefined | null = null;
  for (const t of chosen) {
    if (!t.provider) {
      // A table with `parent` or `providers` is not fixable at all (resourceOptions.ts): this one is on the default provider.
      if (!context) continue;
      stacks ??= (await pulumiStacks(file, context)) ?? undefined;
      const reason = stacksRegionMismatch(arn, stacks ? stackRegions(stacks) : [], '`pulumi up` would stop at the table on that stack');
      if (reason) out.push({ address: t.address, reason });
      continue;
    }
    const provider = resolveAlias(child(t.program.resources, t.provider));
    const type = scalarString(resolveAlias(child(provider, 'type')) ?? null);
    if (type !== 'pulumi:providers:aws') continue;
    const region = scalarString(resolveAlias(child(resolveAlias(child(provider, 'properties')), 'region')) ?? null);
    const reason = keyRegionMismatch(arn, region === undefined ? undefined : [region], `provider \${${t.provider}}`);
    if (reason) out.push({ address: t.address, reason });
  }
  return out;
}

/** An alias name as a fix writes it: a string, or the one in `fn::join: ['-', {fn::split: ['.', ...]}]`. */
function aliasNameOf(n: CNode | null | undefined): string | undefined {
  const plain = scalarString(n ?? null);
  if (plain !== undefined) return plain;
  const fn = n?.kind === 'map' ? n.pairs.find((p) => p.key === 'fn::join' || p.key === 'fn::split') : undefined;
  const args = resolveAlias(fn?.value ?? null);
  return args?.kind === 'seq' ? aliasNameOf(resolveAlias(args.items[1] ?? null)) : undefined;
}
