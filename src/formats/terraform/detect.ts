import path from 'node:path';
/**
 * Finding DynamoDB tables in Terraform (HCL): `aws_dynamodb_table`, `aws_dynamodb_table_replica`
 * and calls of the terraform-aws-modules/dynamodb-table module, each with its encryption settings
 * as neutral facts (src/rule/facts.ts) for the rule to decide on (src/rule/cmk.ts).
 */
import { jsonCommentObstacle } from '../../core/generatedFile.js';
import { decide, fixWanted, keptKeyOf, switchOnlyFix } from '../../rule/cmk.js';
import { WAIVABLE, replicasIgnored } from '../../rule/blockers.js';
import {
  ABSENT,
  type Caution,
  type Obstacle,
  type Replica as ReplicaFacts,
  type Replicas,
  type Setting,
  type Settings,
  type Vocabulary,
} from '../../rule/facts.js';
import { AWS_MANAGED_ALIAS, isAwsManagedKeyRef } from '../../rule/status.js';
import { LineIndex } from '../../core/text.js';
import { placeholderIn, placeholderSetting } from '../../core/placeholders.js';
import { ParseError, type Detection, type DiskContext, type SourceFile, type TableFacts } from '../../core/types.js';
import type { JsonModel } from './tfjson.js';
import { attr, blocks, dynamicBlocks, parseHcl, type HAttr, type HBlock, type HFile } from './parse.js';
import { isModuleFileName } from './entry.js';
import { isReference, type Raw, type Reference, type TableKind } from '../../rule/peers/facts.js';
import { blockComments, suppressionsOf, type BlockComment } from './suppress.js';
import {
  AWS_KMS_KEY_ARN_SINCE,
  AWS_REPLICA_KEYS_SINCE,
  awsProviderMajor,
  awsProviderPinBelow,
  providersByRegion,
  regionKey,
} from './module.js';
import { passedProvider, placeOf, placementObstacle, type Placement } from './placement.js';
import { calledModule, callerObstacles } from './callers.js';
import { endpointsObstacle } from './endpoints.js';
import { resourcePolicyObstacle, zeroEtlIntegrations } from './resourcePolicy.js';
import { holdsTriggers, type ModuleFile, replaceTriggerObstacle } from './replaceTriggers.js';
import { holdsWord, jsonSyntax, siblingBlocks, summarize, type TopBlock } from './topBlocks.js';
import { boundaryCautions } from './boundaries.js';
import { followItsTable, keyless, withPhrase } from '../../rule/replicaResource.js';
import { backupCautions } from './backupCautions.js';
import { iamRoleCautions } from './iamRoles.js';
import { inputUses, readsInputs } from './inputUses.js';
import { iteratedKey } from './instanceKeys.js';
import { composedKeySettingOf } from './composedKey.js';
import { awsManagedKeyData, templateNamesAwsManaged } from './managedKeyData.js';
import { moduleOutputKeys } from './moduleOutputKeys.js';
import {
  isTableWrapper,
  LOCK_TABLE_MODULES,
  lockTableNote,
  REGISTRY_MODULES,
  registryModuleOf,
  type RegistryModule,
  wrapperNote,
} from './registryModules.js';
import { pinnedBelow } from './moduleVersion.js';
import { asBool, awsManagedChoice, decidedBranch, type Env, undecidedChoice } from './expression.js';
import { applyOverrides } from './overrides.js';
import { callSwitches } from './callSwitches.js';
import { unitsOfTables } from './deployingUnits.js';
import { isRootModule } from './rootModule.js';
import { synthOutputAt } from '../../core/synthOutput.js';
import { synthesizedJson } from './synthesizedJson.js';
import { markUnusableTfKeys } from './keySpec.js';

export type TfKind = 'table' | 'table-replica' | 'module';

/** A table of a local module (`source = "../../"`) as a call of it configures it. */
export interface LocalCall {
  /**
   * The module's variables that feed the table's switch and key, when they are plain `var.x` (or a
   * local of one); no switch variable when the module sets `enabled = true` itself.
   */
  enabledVar?: string;
  keyVar?: string;
  /** The module's output that holds the table's name (`module.x.<output>` in the alias); else `name`: a literal name, or the call's label. */
  nameOutput?: string;
  name: string;
  /** `name` is the table's name as the call makes it (known before plan), not the call's label. */
  nameKnown?: true;
  /** The call's expression for the table's name, when the module names it with a variable the call sets (`name = each.key`). */
  nameInput?: string;
}

export interface TfTable extends TableFacts {
  kind: TfKind;
  /** A call of a local module (kind 'module'). */
  local?: LocalCall;
  /** A call of a registry module (kind 'module'): which one. */
  registry?: RegistryModule;
  /** The resource or module label. */
  label: string;
  block: HBlock;
  /** The table's key attribute as written (verification reads the key a fixed table references). */
  keyRef?: string;
}

export interface TfDetection extends Detection {
  tables: TfTable[];
  /** Set for HCL files. */
  hcl?: HFile;
  /** Set for .tf.json files. */
  json?: JsonModel;
}

/**
 * Is this table fixed by its switch alone (src/rule/cmk.ts switchedOff: off beside a customer-managed key of its
 * own, which the fix keeps and generates none)? Only where the switch is written: a table's server_side_encryption
 * block, a module call's switch input (a registry module's, a local module's variable).
 */
export function switchAlone(t: TfTable): boolean {
  if (!switchOnlyFix(t.encryption)) return false;
  if (t.kind === 'table') return blocks(t.block, 'server_side_encryption').length > 0;
  return t.kind === 'module' && (t.local ? t.local.enabledVar : t.registry?.enabled.input) !== undefined;
}

/** A literal or an expression, as a bool: undefined when it is decided only at deploy time. */
export function boolOf(a: HAttr | undefined): boolean | 'missing' | undefined {
  if (!a) return 'missing';
  if (a.lit?.type === 'bool' || a.lit?.type === 'string') {
    const b = asBool(a.lit.value);
    if (b !== undefined) return b;
  }
  if (a.lit?.type === 'null') return 'missing';
  return undefined;
}

/**
 * The cautions of a table whose key a fix cannot keep as the table's data is kept: its deletion
 * protection is an expression (`var.deletion_protection`; a literal `true` gives the key
 * prevent_destroy, which cannot follow an expression), or it has point-in-time recovery (a destroy
 * leaves a backup under the key, and prevent_destroy on the key would fail every destroy). A registry
 * module call is read from its inputs (`deletion_protection_enabled`, as fix.ts reads it, and the
 * module's point-in-time recovery input, unset or null: the module's default).
 */
function keyCautions(b: HBlock, registry: RegistryModule | undefined): { cautions?: Caution[] } {
  const protection = attr(b, 'deletion_protection_enabled');
  const literal = boolOf(protection);
  if (literal === true || boolOf(attr(blocks(b, 'lifecycle')[0], 'prevent_destroy')) === true) return {};
  const cautions: Caution[] = [];
  if (protection && literal === undefined) cautions.push({ kind: 'unprotected-key', protection: protection.value });
  if (registry) {
    const enabled = boolOf(attr(b, registry.recovery.input));
    if (enabled === 'missing' ? registry.recovery.default : enabled !== false) cautions.push({ kind: 'recovery-key' });
  } else {
    const recovery = blocks(b, 'point_in_time_recovery')[0];
    const enabled = recovery && boolOf(attr(recovery, 'enabled'));
    if (recovery && enabled !== false && enabled !== 'missing') cautions.push({ kind: 'recovery-key' });
  }
  return cautions.length > 0 ? { cautions } : {};
}

/** A key reference that means the AWS managed key (absent, null, empty, alias/aws/dynamodb). */
export function isAwsManagedKeyAttr(a: HAttr | undefined): boolean {
  if (!a || a.lit?.type === 'null') return true;
  return a.lit?.type === 'string' && isAwsManagedKeyRef(a.lit.value);
}

/** A replica block that needs a key of its own (it has no customer-managed key yet), and where its key is created. */
export interface Replica {
  block: HBlock;
  place: Placement;
  /** The region as written (for messages). */
  region: string;
}

/** Where a resource's key goes (placement.ts): its `provider` and `region` arguments. */
export function resourcePlace(b: HBlock): Placement {
  return placeOf(attr(b, 'provider')?.value, attr(b, 'region'));
}

/**
 * Where a table's key goes: a resource's placement; a module call's, the provider it passes as the
 * module's `aws` and, for a registry module with a `region` input, that input.
 */
export function tablePlace(t: TfTable): Placement {
  const b = t.block;
  if (t.kind !== 'module') return resourcePlace(b);
  const region = t.registry?.region ? attr(b, t.registry.region) : undefined;
  return placeOf(passedProvider(attr(b, 'providers')?.value), region);
}

/** Does this table have replica blocks that need a key in their region? */
export function needsReplicaKeys(b: HBlock): boolean {
  return blocks(b, 'replica').some((r) => isAwsManagedKeyAttr(attr(r, 'kms_key_arn')));
}

/**
 * The replica keys a table's fix creates: one per replica region, through the module's aliased
 * `provider "aws"` for that region; or, when a region has no such provider, why the table cannot be
 * fixed (`root`: whether the module is a root module, which the step depends on). A table with a
 * `region` argument of its own (hashicorp/aws 6) gets them the same way: through its provider, with
 * `region` set to the replica's region_name, and so does any table of a module that requires
 * hashicorp/aws 6 or later (`regionArgument`) for a region no provider alias serves. Scan (the table's
 * obstacle) and fix (the keys it plans) both ask this one function.
 */
export function replicaKeys(
  b: HBlock,
  providerByRegion: Map<string, string>,
  root: boolean,
  regionArgument = false,
): { replicas: Replica[] } | { obstacle: Obstacle } {
  const replicas: Replica[] = [];
  const table = resourcePlace(b);
  for (const r of blocks(b, 'replica')) {
    if (!isAwsManagedKeyAttr(attr(r, 'kms_key_arn'))) continue;
    const regionAttr = attr(r, 'region_name');
    const region = regionAttr?.value ?? '(no region_name)';
    if (table.region !== undefined && regionAttr) {
      replicas.push({ block: r, place: { provider: table.provider, region: regionAttr.value.trim() }, region });
      continue;
    }
    const key = regionKey(regionAttr);
    const alias = key ? providerByRegion.get(key) : undefined;
    // hashicorp/aws 6 and later: with no provider of that Region, the key's own `region` argument places it there.
    if (!alias && regionArgument && regionAttr) {
      replicas.push({ block: r, place: { provider: table.provider, region: regionAttr.value.trim() }, region });
      continue;
    }
    if (!alias) {
      const lit = regionAttr?.lit?.type === 'string' ? regionAttr.lit.value : undefined;
      return {
        obstacle: {
          kind: 'replica-provider',
          region,
          alias: lit ? lit.replace(/-/g, '_') : 'replica',
          ...(root ? {} : { child: true as const }),
        },
      };
    }
    replicas.push({ block: r, place: { provider: alias }, region });
  }
  return { replicas };
}

// ---------------------------------------------------------------- settings, as written

/** Terraform's words: its messages name attributes as the configuration writes them. */
export const PHRASES: Vocabulary['phrases'] = {
  blockAbsent: 'no {block} block',
  enabledAbsent: '{enabled} is not set',
  enabledFalse: '{enabled} = {source}',
  enabledUnresolved: '{enabled} is the expression `{source}`{why}',
  // A switch set per environment from outside (outsideSwitch.ts): its values, and where each is set, in {source}.
  enabledBranches: '{enabled} = {source}: no value it can take uses a customer-managed key',
  // {source}: what decided that encryption is on, when a variable did (inputs.ts).
  keyAbsent: 'no {key}{source}',
  keyAwsManaged: '{keyAttribute} = {source}',
  keyCustomer: 'encrypted with the customer-managed key {source}',
};

export const WORDS: Record<TfKind, Vocabulary> = {
  table: {
    names: {
      block: 'server_side_encryption',
      enabled: 'server_side_encryption.enabled',
      key: 'server_side_encryption.kms_key_arn',
      keyAttribute: 'kms_key_arn',
      replicas: 'replica',
      replicaKey: 'replica {region} kms_key_arn',
    },
    phrases: {
      ...PHRASES,
      replicaKeys:
        'a replica without a kms_key_arn uses the AWS managed key of its Region: create a customer-managed key (or a multi-Region replica key) in {regions} ' +
        "and set each such replica block's kms_key_arn to its ARN (terraform apply re-creates the replica); kmsfix never half-fixes a global table",
    },
  },
  'table-replica': { names: { key: 'kms_key_arn', keyAttribute: 'kms_key_arn' }, phrases: PHRASES },
  module: { names: REGISTRY_MODULES[0].words, phrases: PHRASES },
};

/** Each registry module's words (its inputs' names), made once. */
const moduleWords = new Map<RegistryModule, Vocabulary>();

export function wordsOf(kind: TfKind, m: RegistryModule | undefined): Vocabulary {
  if (!m) return WORDS[kind];
  let w = moduleWords.get(m);
  if (!w) moduleWords.set(m, (w = { names: m.words, phrases: { ...PHRASES, ...m.phrases } }));
  return w;
}

/** A registry module call's switch and key inputs as written (peers: a server_side_encryption block in the call, when the input is not set). */
export function moduleInputSettings(b: HBlock, m: RegistryModule): { enabled: Setting; key: Setting } {
  const sse = blocks(b, 'server_side_encryption')[0];
  const enabled = attr(b, m.enabled.input);
  const key = attr(b, m.key);
  return {
    enabled: m.switchIsString ? keySetting(enabled) : enabledSetting(enabled, enabled ?? attr(sse, 'enabled')),
    key: keySetting(key, key ?? attr(sse, 'kms_key_arn')),
  };
}

/** `enabled` as written (`peer`: the attribute peers read, when another). */
export function enabledSetting(a: HAttr | undefined, peer = a): Setting {
  const on = boolOf(a);
  const raw = rawOf(peer);
  if (on === 'missing') return raw === undefined ? ABSENT : { ...ABSENT, raw };
  const setting: Setting = { state: a!.lit ? 'literal' : 'expression', source: a!.value, raw };
  if (on !== undefined) setting.bool = on;
  return setting;
}

/** `kms_key_arn` as written: none, null and an empty string are the same (the AWS managed key, no key named). */
/**
 * A key setting as written. `env`: the module's environment, where a choice's condition may be known
 * (a root module's default: `var.create_key ? aws_kms_key.k[0].arn : null` is the key); none by default.
 */
export function keySetting(a: HAttr | undefined, peer = a, env: Env = NO_ENV): Setting {
  const raw = keyRawOf(peer);
  if (!a || a.lit?.type === 'null' || (a.lit?.type === 'string' && a.lit.value.trim() === '')) {
    return raw === undefined ? ABSENT : { ...ABSENT, raw };
  }
  const placeholder = a.lit?.type === 'string' ? placeholderIn(a.lit.value) : undefined;
  if (placeholder !== undefined) return { state: 'unreadable', source: placeholderSetting('kms_key_arn', placeholder), raw };
  if (a.lit) return { state: 'literal', source: a.value, text: a.lit.type === 'string' ? a.lit.value : String(a.lit.value), raw };
  const choice = awsManagedChoice(a.value, env);
  if (choice !== undefined) return { state: 'unreadable', source: choice, raw };
  // A template of the AWS managed key's alias ARN (`"arn:${...}:alias/aws/dynamodb"`) is that key, as the literal is.
  if (templateNamesAwsManaged(a.value)) return { state: 'expression', source: a.value, text: AWS_MANAGED_ALIAS, raw };
  // Through format/join, or holding the alias in another expression (composedKey.ts); not a choice kmsfix reads as one
  // (`var.use_cmk ? aws_kms_key.t.arn : "alias/aws/dynamodb"`: its other branch does not make the chosen key unknown).
  const branch = decidedBranch(a.value, env);
  const composed = undecidedChoice(branch, env) ? undefined : composedKeySettingOf(branch, raw, env);
  if (composed) return composed;
  return { state: isReference(raw) ? 'reference' : 'expression', source: a.value, raw };
}

const NO_ENV: Env = { vars: new Map(), locals: new Map() };

/** A registry module call's encryption, from its inputs (a terragrunt unit's `inputs` are read as such a call: terragruntUnit.ts). */
export function moduleCallSettings(b: HBlock, m: RegistryModule): Settings {
  // The module's inputs decide the table; the DataDog KICS fork also reads a server_side_encryption block in the call.
  const { enabled, key } = moduleInputSettings(b, m);
  const present = blocks(b, 'server_side_encryption').length > 0 || attr(b, m.enabled.input);
  // terraform-aws-modules' switch defaults to false: unset beside a key, the fix sets it alone (cmk.ts switchedOff).
  const switchDefaultOff = m === REGISTRY_MODULES[0] && !attr(b, m.enabled.input) ? { switchDefaultOff: true as const } : {};
  return { model: 'sse', ...m.settings(enabled, key), peerBlock: present ? 'present' : 'missing', ...switchDefaultOff };
}

function settingsOf(kind: TfKind, b: HBlock, m: RegistryModule | undefined): Settings {
  if (kind === 'table-replica') return { model: 'sse', key: keySetting(attr(b, 'kms_key_arn')) };
  if (m) return moduleCallSettings(b, m);
  if (dynamicBlocks(b, 'server_side_encryption').length > 0)
    return { model: 'sse', block: { state: 'expression', source: 'a dynamic block' } };
  const sse = blocks(b, 'server_side_encryption')[0];
  if (!sse) return { model: 'sse', block: ABSENT };
  return {
    model: 'sse',
    block: { state: 'literal', source: '' },
    enabled: enabledSetting(attr(sse, 'enabled')),
    key: keySetting(attr(sse, 'kms_key_arn')),
    // `enabled` defaults to false: unset beside a key, the fix sets it alone (cmk.ts switchedOff).
    ...(attr(sse, 'enabled') ? {} : { switchDefaultOff: true as const }),
  };
}

/**
 * A table's replicas, whose keys count when the table's own key is customer-managed: a `replica`
 * block without `kms_key_arn` uses the AWS managed key of its Region (`override`). A dynamic block
 * counts as one replica when its content sets a key, else as a list kmsfix cannot read. The fix gives
 * every replica a key with the table's (`all`), as far as its obstacles allow.
 */
function replicasOf(text: string, b: HBlock): { replicas?: Replicas } {
  const dynamic = dynamicBlocks(b, 'replica');
  const plain = blocks(b, 'replica');
  if (plain.length === 0 && dynamic.length === 0) return {};
  const item = (r: HBlock, key: HAttr | undefined, region: HAttr | undefined): ReplicaFacts => ({
    source: text.slice(r.start, r.end),
    readable: true,
    region: { source: unquoted(region) ?? '(no region_name)', local: false },
    key: keySetting(key),
  });
  const items = plain.map((r) => item(r, attr(r, 'kms_key_arn'), attr(r, 'region_name')));
  for (const d of dynamic) {
    const content = blocks(d, 'content')[0];
    const key = attr(content, 'kms_key_arn');
    if (!key || key.lit?.type === 'null')
      return {
        replicas: {
          keys: 'override',
          list: { state: 'expression', source: 'a dynamic block whose content sets no kms_key_arn' },
          items: [],
          fix: 'all',
        },
      };
    const facts = item(d, key, attr(content, 'region_name'));
    items.push({ ...facts, key: iteratedKey(d, key, facts.key) ?? facts.key });
  }
  return { replicas: { keys: 'override', list: { state: 'literal', source: '' }, items, fix: 'all' } };
}

/** What keeps the table from being fixed that its own block shows: replicas or replica Regions kmsfix cannot give keys. */
function ownObstacles(kind: TfKind, b: HBlock, m: RegistryModule | undefined): Obstacle[] {
  if (kind === 'table' && dynamicBlocks(b, 'replica').length > 0) return [{ kind: 'dynamic-replicas' }];
  const replicas = m && moduleReplicas(b, m);
  if (replicas) {
    // Replica Regions from the module's inputs (`replicas = var.replicas`): evaluation may find none (callSwitches.ts).
    const a = attr(b, m!.replicas.input)!;
    if (!a.lit && readsInputs(a.value))
      callSwitches.set(replicas, { kind: 'replicas', expr: a.value.trim(), rest: otherObstacles(kind, b, m) });
    return [replicas];
  }
  return otherObstacles(kind, b, m);
}

/** ownObstacles but the replica Regions of a registry module call. */
function otherObstacles(kind: TfKind, b: HBlock, m: RegistryModule | undefined): Obstacle[] {
  const out: Obstacle[] = [];
  const old = m && olderModule(b, m);
  if (old) out.push(old);
  const region = m && !m.region ? attr(b, 'region') : undefined;
  if (region && region.lit?.type !== 'null')
    out.push({
      kind: 'code-shape',
      step:
        `the call sets region = ${region.value.trim()}, which kmsfix does not know ${m!.name} to create its table in: ` +
        'create a key in the Region of the table by hand and set the key input to it',
    });
  const maybe = m && createdMaybe(b, m);
  if (maybe) out.push(maybe);
  const ignored = ignoredChanges(kind, b);
  if (ignored) out.push(ignored);
  const recreated = recreatedReplicas(kind, b);
  if (recreated) out.push(recreated);
  return out;
}

/**
 * A registry module call whose table exists only when an input the code does not decide says so
 * (`create_table = var.create`): a key and alias beside the call would be created either way, the
 * alias named `alias/dynamodb/` (the module's name output is "" then), which a second such call in the
 * account and Region fails to create.
 */
function createdMaybe(b: HBlock, m: RegistryModule): Obstacle | undefined {
  const on = m.create ? attr(b, m.create) : undefined;
  const context = !on && m.createFromContext ? contextSwitch(b) : undefined;
  const sure = boolOf(on);
  if (!context && (!on || sure === true || sure === 'missing')) return undefined;
  const expr = context ?? on!.value.trim();
  const said = context ? `${context} (its ${m.create}, through context = ${attr(b, 'context')!.value.trim()})` : `${m.create} = ${expr}`;
  const o: Obstacle = {
    kind: 'generated-key',
    step:
      `the call creates its table only when ${said} is true, and a key and alias beside it would be created either way ` +
      `(the alias then named alias/dynamodb/): give the aws_kms_key and aws_kms_alias count = ${expr} ? 1 : 0 by hand, ` +
      `and set ${m.key} = one(aws_kms_key.<name>[*].arn)`,
  };
  // A switch that reads the module's inputs, or the null-label context's: evaluation may decide it (callSwitches.ts).
  if (context || readsInputs(expr)) callSwitches.set(o, { kind: 'create', expr, ...(context ? { through: 'context' as const } : {}) });
  return o;
}

/**
 * The `enabled` a call without one takes from its null-label `context` input: `module.this.enabled` for
 * `context = module.this.context` (cloudposse's components; the label module's `enabled` then decides), the
 * context's own for another expression; undefined for a literal object that does not set `enabled` (the
 * label module's default: true) or sets it true.
 */
function contextSwitch(b: HBlock): string | undefined {
  const c = attr(b, 'context');
  if (!c || c.lit?.type === 'null') return undefined;
  const text = c.value.trim();
  if (text.startsWith('{')) {
    const on = /\benabled\s*=\s*([^\s,}]+)/.exec(text)?.[1];
    return on === undefined || on === 'true' ? undefined : on;
  }
  const m = /^module\.([A-Za-z_][\w-]*)\.context$/.exec(text);
  return m ? `module.${m[1]}.enabled` : `${text}.enabled`;
}

/** A registry module call that sets its replica Regions (its replicas get no key of their own). */
export function moduleReplicas(b: HBlock, m: RegistryModule): Obstacle | undefined {
  const replicas = attr(b, m.replicas.input);
  if (!replicas || /^\[\s*\]$/.test(replicas.value) || replicas.lit?.type === 'null') return undefined;
  return { kind: 'module-replica-regions', ...(m.replicas.step ? { step: m.replicas.step } : {}) };
}

/** A registry module call pinned to versions without what a fix writes or reads (registryModules.ts `since`). */
function olderModule(b: HBlock, m: RegistryModule): Obstacle | undefined {
  const source = attr(b, 'source')?.lit;
  const version = attr(b, 'version')?.lit;
  const pin = pinnedBelow(
    source?.type === 'string' ? source.value : '',
    version?.type === 'string' ? version.value : undefined,
    m.since.version,
  );
  if (pin === undefined) return undefined;
  return {
    kind: 'code-shape',
    step:
      `the call pins ${m.name} to ${pin}, a version without ${m.since.lacks}, which a fix would use (terraform plan would fail): ` +
      `upgrade the module to ${m.since.version} or later (read its changelog), then run kmsfix again`,
  };
}

/** The table's attributes a fix changes: server_side_encryption, and replica when its replicas need keys. */
function fixEdits(b: HBlock): string[] {
  return ['server_side_encryption', ...(needsReplicaKeys(b) ? ['replica'] : [])];
}

/**
 * `lifecycle { ignore_changes = [...] }` naming what a fix edits (`all`, `server_side_encryption`,
 * a path under it; `replica` when replicas need keys; a replica resource's `kms_key_arn`): apply
 * would leave the deployed table as it is. `replica` on a table whose replica blocks need no key (none
 * written): its replicas are declared elsewhere (the provider's aws_dynamodb_table_replica page tells
 * users to set it), and the apply would fail on them (rule/blockers.ts replicasIgnored). A module call
 * has no lifecycle.
 */
function ignoredChanges(kind: TfKind, b: HBlock): Obstacle | undefined {
  const a = attr(blocks(b, 'lifecycle')[0], 'ignore_changes');
  if (!a || kind === 'module') return undefined;
  const edited = kind === 'table-replica' ? ['kms_key_arn'] : fixEdits(b);
  const text = a.value.trim();
  const entries = text.startsWith('[') ? text.slice(1, text.endsWith(']') ? -1 : undefined).split(',') : [text];
  for (const raw of entries) {
    const entry = raw.replace(/#.*|\/\/.*/g, '').trim();
    const root = /^"?([A-Za-z_][\w-]*)/.exec(entry)?.[1];
    if (root === 'all' || (root !== undefined && edited.includes(root)))
      return { kind: 'ignored-changes', where: 'lifecycle.ignore_changes', entry, tool: 'terraform apply' };
  }
  // `replica` (or a path under it) on a table whose replicas need no key here: they are declared elsewhere.
  if (kind !== 'table') return undefined;
  const at = /(?:^|[[,\s])("?replica\b(?:\[[^\]]*\]|[.\w"*])*)/.exec(a.value.replace(/#.*|\/\/.*/g, (c) => ' '.repeat(c.length)));
  if (!at) return undefined;
  // The entry's own line: the list may span lines (a.value is the source text, from the attribute's row).
  const line = a.row + 1 + (a.value.slice(0, at.index + at[0].length - at[1].length).match(/\n/g)?.length ?? 0);
  return replicasIgnored('lifecycle.ignore_changes', at[1], line);
}

/**
 * The replicas a fix would have Terraform delete and re-create: a table's replica blocks without a
 * customer-managed key (the fix sets their kms_key_arn), or the replica resource itself.
 */
function recreatedReplicas(kind: TfKind, b: HBlock): Obstacle | undefined {
  if (kind === 'table-replica') {
    const region = attr(b, 'region');
    const where =
      region && region.lit?.type !== 'null' ? `region ${unquoted(region)}` : `provider ${unquoted(attr(b, 'provider')) ?? 'aws'}`;
    return { kind: 'replica-recreation', replicas: [where], resource: true };
  }
  if (kind !== 'table') return undefined;
  const regions = blocks(b, 'replica')
    .filter((r) => isAwsManagedKeyAttr(attr(r, 'kms_key_arn')))
    .map((r) => unquoted(attr(r, 'region_name')) ?? '(no region_name)');
  return regions.length ? { kind: 'replica-recreation', replicas: regions, resource: false } : undefined;
}

/** A string's value, or an expression as written. */
function unquoted(a: HAttr | undefined): string | undefined {
  return a?.lit?.type === 'string' ? a.lit.value : a?.value.trim();
}

const PEER_KIND: Record<TfKind, TableKind> = { table: 'tf-table', 'table-replica': 'tf-replica', module: 'tf-module' };

// ---------------------------------------------------------------- as peer scanners read values

export function rawOf(a: { value: string; lit?: HAttr['lit'] } | undefined): Raw | undefined {
  if (!a) return undefined;
  switch (a.lit?.type) {
    case 'bool':
      return a.lit.value;
    case 'string':
      return a.lit.value;
    case 'null':
      return null;
    case 'number':
      return Number(a.lit.value);
  }
  return { unresolved: a.value };
}

export function keyRawOf(a: { value: string; lit?: HAttr['lit'] } | undefined): Raw | Reference | undefined {
  if (a && !a.lit && /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*|\[[^\]]*\])+$/.test(a.value.trim())) return { ref: a.value.trim() };
  return rawOf(a);
}

/** A resource name holding a template placeholder (EJS `<%= name %>`): a generated key could not refer to the table. */
function labelPlaceholder(label: string | undefined): Obstacle[] {
  const p = placeholderIn(label ?? '');
  return p === undefined ? [] : [{ kind: 'template-placeholder', where: 'resource name', placeholder: p }];
}

/** The registry module a call names, unless the call creates no table (its `enabled = false`, `module_enabled = false`). */
function registryCall(b: HBlock): RegistryModule | undefined {
  const m = registryModuleOf(attr(b, 'source'));
  return m && createsTable(b, m) ? m : undefined;
}

/** Whether a registry module call creates its table (not `enabled = false`, `module_enabled = false`). */
export function createsTable(b: HBlock, m: RegistryModule): boolean {
  const on = m.create ? attr(b, m.create) : undefined;
  if (!on && m.createFromContext) return contextSwitch(b) !== 'false';
  return !(m.create && boolOf(on) === false);
}

/** Evaluation of module inputs (inputs.ts), loaded once (each dynamic import() goes through the module loader). */
let inputsModule: typeof import('./inputs.js') | undefined;

export async function detectTerraform(file: SourceFile, context?: DiskContext): Promise<TfDetection> {
  let det: TfDetection;
  if (jsonSyntax(file.path)) {
    const { jsonModel } = await import('./tfjson.js');
    const json = jsonModel(file.text);
    det = { tables: detectBlocks(file.text, json.blocks, (b) => (b as import('./tfjson.js').JBlock).comments), json };
    // A table block's own `"//"` saying the file is generated (core/generatedFile.ts reads the head's, for every format).
    for (const t of det.tables) {
      const o = jsonCommentObstacle((t.block as Partial<import('./tfjson.js').JBlock>).comments ?? []);
      if (o) t.encryption.obstacles.push(o);
    }
  } else {
    const hcl = await parseHcl(file.text);
    det = { tables: detectBlocks(file.text, hcl.blocks, (b) => blockComments(file.text, hcl.comments, b)), hcl };
  }
  if (det.hcl) {
    const error = duplicateBlock(file.text, det.hcl.blocks);
    if (error) {
      det.error = error;
      for (const t of det.tables)
        t.encryption.obstacles.push({ kind: 'file-error', at: `${error.line}:${error.column}`, message: error.message });
    }
  }
  moduleNotes(file, det);
  const uses = inputUses(det);
  if (uses.own.length > 0 || uses.calls.length > 0)
    await (inputsModule ??= await import('./inputs.js')).evaluateInputs(file, det, context, uses);
  await awsManagedKeyData(file, det, context);
  await moduleOutputKeys(file, det, context);
  await replicasOfTables(det, context);
  await applyOverrides(file, det, context, (b) => settingsOf('table', b, undefined));
  await moduleObstacles(file, det, context);
  await unitsOfTables(file, det, context);
  await boundaryCautions(file, det, context);
  await backupCautions(file, det, context);
  await iamRoleCautions(file, det, context);
  // cdktf synth's output (cdktf.out/stacks/<stack>/cdk.tf.json): reported, never fixed.
  // Or CDKTF's output wherever it is, told by its "//" metadata (Winglang's target/main.tfaws/main.tf.json).
  const synth = synthOutputAt(file.absPath) ?? (det.tables.length > 0 ? await synthesizedJson(file, context) : undefined);
  if (synth) for (const t of det.tables) t.encryption.obstacles.push(synth);
  // The key a table fixed by its switch alone keeps (the commit message names it, and no new key).
  for (const t of det.tables) if (switchAlone(t)) t.keptKey = keptKeyOf(t.encryption);
  return det;
}

/**
 * A note for each call of terraform-aws-modules/dynamodb-table's wrapper (registryModules.ts isTableWrapper), and of a
 * module that creates a state-lock table on the AWS managed key (LOCK_TABLE_MODULES): their tables are not read.
 */
function moduleNotes(file: SourceFile, det: TfDetection): void {
  const all: HBlock[] = det.hcl?.blocks ?? det.json?.blocks ?? [];
  for (const b of all) {
    if (b.type !== 'module' || b.labels.length !== 1) continue;
    const source = attr(b, 'source');
    if (source?.lit?.type !== 'string') continue;
    const where = () => {
      const at = LineIndex.of(file.text).position(b.start);
      return `${file.path}:${at.line}:${at.column}`;
    };
    if (isTableWrapper(source.lit.value)) (det.notes ??= []).push(wrapperNote(where(), `module "${b.labels[0]}" calls`));
    const lock = LOCK_TABLE_MODULES.find((m) => m.source.test((source.lit as { value: string }).value));
    const on = lock?.create ? attr(b, lock.create) : undefined;
    if (lock && boolOf(on) !== false)
      (det.notes ??= []).push(
        lockTableNote(where(), b.labels[0], lock, on && boolOf(on) === undefined ? `${lock.create} = ${on.value}` : undefined),
      );
  }
}

/**
 * A resource, data source or module call declared twice in the file: terraform rejects the module
 * ("Duplicate resource configuration"), so the file is an error at the second one; its tables are
 * reported, never fixed (a fix's re-detection could not tell the two apart).
 */
function duplicateBlock(text: string, all: HBlock[]): ParseError | undefined {
  const first = new Map<string, HBlock>();
  for (const b of all) {
    const n = b.type === 'module' ? 1 : b.type === 'resource' || b.type === 'data' ? 2 : 0;
    if (n === 0 || b.labels.length !== n) continue;
    const key = `${b.type} ${b.labels.map((l) => `"${l}"`).join(' ')}`;
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, b);
      continue;
    }
    const lines = LineIndex.of(text);
    const at = lines.position(b.start);
    return new ParseError(
      `duplicate ${key}: already declared at line ${lines.position(earlier.start).line}; terraform rejects a module that declares one twice`,
      at.line,
      at.column,
    );
  }
  return undefined;
}

/**
 * The module's other files that may hold what an obstacle depends on: provider configurations, `data
 * "aws_region"` through an alias (a replica's Region: also one the callers pass, configuration_aliases),
 * resource policies, replica resources, legacy global tables, zero-ETL integrations.
 */
const PROVIDERS_OR_POLICIES =
  /provider\s*"aws"|"provider"\s*:|data\s+"aws_region"|aws_dynamodb_resource_policy|aws_dynamodb_table_replica|aws_dynamodb_global_table|_integration"/;
/** ...and, once the module has a resource policy, the policy documents, locals, variables and service principals it may read. */
const POLICY_PARTS = /aws_iam_policy_document|locals|aws_service_principal|variable/;

/** Whether a file's text matches PROVIDERS_OR_POLICIES (0), POLICY_PARTS (1): per file object, as each of a module's files asks of all the others. */
const holds = new WeakMap<SourceFile, [boolean, boolean?]>();

function providersOrPolicies(file: SourceFile): boolean {
  let h = holds.get(file);
  // Both forms name `provider`, or the policy's type: a word search first (the regular expression has no fixed start to search for).
  const t = file.text;
  if (!h) holds.set(file, (h = [(t.includes('provider') || t.includes('aws_dynamodb_')) && PROVIDERS_OR_POLICIES.test(t)]));
  return h[0];
}

function policyParts(file: SourceFile): boolean {
  const h = holds.get(file) ?? [providersOrPolicies(file)];
  h[1] ??= POLICY_PARTS.test(file.text);
  holds.set(file, h);
  return h[1];
}

/** This file's blocks, and those of the module's other files that obstacles depend on (fix.ts reads them). */
async function moduleTops(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<TopBlock[]> {
  const own = summarize(det, file.text);
  // The engine reads the module's other files (none in memory, where every file is passed).
  const siblings = context ? await context.siblings() : [];
  const first = await siblingBlocks(siblings.filter(providersOrPolicies));
  const all = [...own, ...first];
  if (!all.some((t) => t.type === 'resource' && t.labels[0] === 'aws_dynamodb_resource_policy')) return all;
  return [...all, ...(await siblingBlocks(siblings.filter((f) => policyParts(f) && !providersOrPolicies(f))))];
}

/** The table's file and the module's other files that hold a replace_triggered_by, with their blocks (replaceTriggers.ts). */
async function moduleTriggerFiles(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<ModuleFile[]> {
  // Every file of the module once one holds a trigger: a resource it names may change with a table in another file.
  const siblings = context ? await context.siblings() : [];
  if (!holdsTriggers(file.text) && !siblings.some((f) => holdsTriggers(f.text))) return [];
  const out: ModuleFile[] = [{ path: file.path, text: file.text, tops: summarize(det, file.text) }];
  for (const f of siblings) out.push({ path: f.path, text: f.text, tops: await siblingBlocks([f]) });
  return out;
}

/**
 * A file of the module kmsfix cannot read (git-crypt's `secrets.tf` in a checkout without its key):
 * what it declares (variables, providers, a key of the name a fix would add) is not known, so the
 * module's tables are not fixed. (An unreadable tfvars file makes the variables unknown: evaluate.ts.)
 */
function sealedFile(siblings: SourceFile[]): Obstacle | undefined {
  const f = siblings.find((s) => s.unreadable !== undefined && isModuleFileName(s.path));
  return f
    ? {
        kind: 'code-shape',
        step:
          `${f.path}, a file of the module, cannot be read (${f.unreadable}), so what it declares is not known: ` +
          'decrypt it (git-crypt unlock) or convert it to UTF-8, then run kmsfix again',
      }
    : undefined;
}

/**
 * Obstacles that depend on the module, not only on the table's own block: a replica region with no
 * provider alias to create its key through (replicaKeys, which the fix plans with too), and a
 * resource policy that grants other accounts (resourcePolicy.ts). The module's other files are
 * read only for a table the rule would otherwise fix (or fix with --recreate-replicas).
 */
async function moduleObstacles(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<void> {
  const open = det.tables.filter((t) => fixWanted(decide(t.encryption, WAIVABLE)));
  if (open.length === 0) return;
  let module: Promise<TopBlock[]> | undefined;
  const tops = () => (module ??= moduleTops(file, det, context));
  let required: Promise<TopBlock[]> | undefined;
  const requirements = () => (required ??= requirementTops(file, det, context));
  let oldProvider: Promise<Obstacle | undefined> | undefined;
  let replicaPin: Promise<string | undefined> | undefined;
  const hcl1 = terraform011Block(det) ?? terraform011Tags([file].concat(context ? await context.siblings() : []));
  // What stops every table of the file: an OpenTofu twin, or a file of the module that cannot be read.
  const whole = (await tofuTwin(file, context)) ?? sealedFile(context ? await context.siblings() : []);
  let triggerFiles: Promise<ModuleFile[]> | undefined;
  for (const t of open) {
    // Before any other: a key set by hand (what other obstacles ask for) would replace these resources too.
    if (t.kind === 'table') {
      const triggers = replaceTriggerObstacle(t.label, fixEdits(t.block), await (triggerFiles ??= moduleTriggerFiles(file, det, context)));
      if (triggers) t.encryption.obstacles.push(triggers);
    }
    if (whole) {
      t.encryption.obstacles.push(whole);
      continue;
    }
    const old = t.kind === 'module' ? undefined : (hcl1 ?? (await (oldProvider ??= olderProvider(file, det, context))));
    if (old) {
      t.encryption.obstacles.push(old);
      continue;
    }
    const place = tablePlace(t);
    const misplaced = (await placementObstacle(place, requirements)) ?? endpointsObstacle(place, await tops());
    if (misplaced) {
      t.encryption.obstacles.push(misplaced);
      continue;
    }
    // The module's blocks, read by now (endpointsObstacle above): one await for the table's every question below.
    const all = await tops();
    if (t.kind === 'table' && needsReplicaKeys(t.block)) {
      const pin = await (replicaPin ??= replicaKeysPin(file, det, context));
      if (pin) {
        t.encryption.obstacles.push({ kind: 'replica-keys-version', pin, since: AWS_REPLICA_KEYS_SINCE });
        continue;
      }
      const siblings = context ? await context.siblings() : [];
      const r = replicaKeys(
        t.block,
        providersByRegion(all),
        (await isRootModule(all, siblings)) && !(await calledModule(file, context)),
        // required_providers (any file of the module), else the lock file's version.
        awsProviderMajor([...(await requirements()), ...all]) >= 6,
      );
      // No sign of a root module, nor of a called one (a folder under `modules/`): both steps are given.
      if (
        'obstacle' in r &&
        r.obstacle.kind === 'replica-provider' &&
        r.obstacle.child &&
        !/(^|[\\/])modules[\\/]/.test(file.absPath ?? file.path)
      )
        r.obstacle.child = 'maybe';
      const obstacle =
        'obstacle' in r
          ? r.obstacle
          : await firstObstacle(
              r.replicas.map((x) => x.place),
              requirements,
            );
      if (obstacle) {
        t.encryption.obstacles.push(obstacle);
        continue;
      }
    }
    const members = (await globalTableMembers(t, det, all, context)) ?? legacyGlobalTable(t, all);
    if (members) t.encryption.obstacles.push(members);
    const nameAttr = attr(t.block, 'name');
    const name = t.kind === 'table' && nameAttr?.lit?.type === 'string' ? nameAttr.lit.value : undefined;
    const obstacle = resourcePolicyObstacle({ kind: t.kind, label: t.label, name }, all);
    if (obstacle) t.encryption.obstacles.push(obstacle);
    const integrations = zeroEtlIntegrations({ kind: t.kind, label: t.label, name }, all);
    if (integrations.length > 0) t.encryption.obstacles.push({ kind: 'zero-etl', integrations });
  }
  // A child module's table: what its callers do with it through the module's outputs (callers.ts).
  const still = open.filter((t) => t.kind === 'table' && fixWanted(decide(t.encryption, WAIVABLE)));
  if (!context || still.length === 0) return;
  const siblings = await context.siblings();
  if ((await isRootModule(await tops(), siblings)) && !(await calledModule(file, context))) return;
  const outputs = await siblingBlocks(siblings.filter((f) => f.text.includes('output') && f.text.includes('aws_dynamodb_table.')));
  await callerObstacles(file, still, [...summarize(det, file.text), ...outputs], context);
}

/**
 * An `aws_dynamodb_global_table` of the module (global tables version 2017.11.29, Legacy) that joins
 * the table: its `depends_on` or `name` names the table (`aws_dynamodb_table.<label>`), or its `name`
 * is written as the table's is. A legacy global table takes no customer-managed key.
 */
function legacyGlobalTable(t: TfTable, tops: TopBlock[]): Obstacle | undefined {
  if (t.kind !== 'table') return undefined;
  // Not followed by a name's character: `aws_dynamodb_table.east` is not `aws_dynamodb_table.east-2`.
  const ref = new RegExp(`\\baws_dynamodb_table\\.${t.label.replace(/-/g, '\\-')}(?![\\w-])`);
  const name = attr(t.block, 'name')?.value.trim();
  for (let i = 0; i < tops.length; i++) {
    const b = tops[i];
    if (b.type !== 'resource' || b.labels[0] !== 'aws_dynamodb_global_table') continue;
    const named = b.attr('name')?.value.trim();
    if (!ref.test(b.attr('depends_on')?.value ?? '') && !(named && (named === name || ref.test(named)))) continue;
    return {
      kind: 'api-global-table',
      version: '2017.11.29',
      why: `aws_dynamodb_global_table.${b.labels[1]} joins it into a global table`,
      declare: 'this table with a replica block per Region, in place of the aws_dynamodb_global_table',
    };
  }
  return undefined;
}

/** The first placement a key cannot follow (placementObstacle), if any. */
async function firstObstacle(places: Placement[], tops: () => Promise<TopBlock[]>): Promise<Obstacle | undefined> {
  for (const p of places) {
    const o = await placementObstacle(p, tops);
    if (o) return o;
  }
  return undefined;
}

/**
 * A module that pins hashicorp/aws to versions without `kms_key_arn` (a Terraform 0.11-era root's
 * `provider "aws" { version = "~> 1.60" }`, or its lock file's version), or Terraform to 0.11
 * (`required_version`): terraform plan would reject what a fix writes. Each pin is one block's, so
 * the file's own blocks are read, then each other file of the module that may hold one (mayPin; its
 * answer kept per file: every file of a module asks of all the others).
 */
async function olderProvider(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<Obstacle | undefined> {
  const o = await modulePin(file, det, context, pinsOf, (f) => mayPin(f), pinObstacle);
  return o && { ...o };
}

/**
 * How the module pins hashicorp/aws below AWS_REPLICA_KEYS_SINCE (awsProviderPinBelow), for a table whose
 * fix gives its replica blocks keys. Asked once per file, only for such tables.
 */
function replicaKeysPin(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<string | undefined> {
  return modulePin(
    file,
    det,
    context,
    replicaPinsOf,
    (f) => mayPin(f, AWS_REPLICA_KEYS_SINCE),
    (blocks) => awsProviderPinBelow(blocks, AWS_REPLICA_KEYS_SINCE),
  );
}

const replicaPinsOf = new WeakMap<SourceFile, string | null>();

/**
 * The first pin `of` finds in the module: the file's own blocks, then each other file of the module
 * that `may` hold one (a text test before any parse), each file's answer kept in `memo` for the run:
 * every table file of a module asks of all the others.
 */
async function modulePin<T extends object | string>(
  file: SourceFile,
  det: TfDetection,
  context: DiskContext | undefined,
  memo: WeakMap<SourceFile, T | null>,
  may: (f: SourceFile) => boolean,
  of: (blocks: TopBlock[]) => T | undefined,
): Promise<T | undefined> {
  const own = may(file) ? of(summarize(det, file.text)) : undefined;
  if (own) return own;
  const siblings = context ? await context.siblings() : [];
  for (let i = 0; i < siblings.length; i++) {
    const f = siblings[i];
    let pin = memo.get(f);
    if (pin === undefined) memo.set(f, (pin = may(f) ? (of(await siblingBlocks([f])) ?? null) : null));
    if (pin) return pin;
  }
  return undefined;
}

/**
 * The names of a folder's files, kept per sibling object: the engine hands each file of a folder the same
 * sibling objects (all but the file itself), so the first sibling keys the folder for all of them but one.
 */
const folderNames = new WeakMap<SourceFile, Set<string>>();

async function namesBeside(file: SourceFile, context: DiskContext): Promise<Set<string> | undefined> {
  const siblings = await context.siblings();
  if (siblings.length === 0) return undefined;
  let names = folderNames.get(siblings[0]);
  if (!names) folderNames.set(siblings[0], (names = new Set([file, ...siblings].map((f) => path.posix.basename(f.path)))));
  return names;
}

/**
 * A file with an OpenTofu twin: `x.tf` beside `x.tofu` (or `x.tf.json` beside `x.tofu.json`). OpenTofu
 * reads the `.tofu` file in place of the `.tf` one, Terraform reads only the `.tf` one: a fix of either
 * would not reach the other tool's apply (OpenTofu's "Files and directories": the .tofu file wins).
 */
async function tofuTwin(file: SourceFile, context: DiskContext | undefined): Promise<Obstacle | undefined> {
  const name = path.posix.basename(file.path);
  const m = /^(.*)\.(tf|tofu)(\.json)?$/i.exec(name);
  if (!m || !context) return undefined;
  const isTf = m[2].toLowerCase() === 'tf';
  const other = `${m[1]}.${isTf ? 'tofu' : 'tf'}${m[3] ?? ''}`;
  if (!(await namesBeside(file, context))?.has(other)) return undefined;
  const [tf, tofu] = isTf ? [name, other] : [other, name];
  return {
    kind: 'code-shape',
    step:
      `${tofu} beside ${tf}: OpenTofu reads ${tofu} in place of ${tf}, and Terraform reads only ${tf}, so a fix of one would not ` +
      `reach the other tool's apply: make the change in both by hand (or keep only the file of the tool you use), then run kmsfix again`,
  };
}

/**
 * Code written for Terraform 0.11 that says so in no pin (ONSdigital/eq-terraform-dynamodb): an AWS
 * resource of the file with a block `tags { ... }`, the 0.11 form of the `tags` map, which Terraform 0.12
 * and later reject ("Blocks of type "tags" are not expected here"). Terraform 0.11 cannot read the bare
 * references a fix writes, so the fixed module would load on no version.
 */
function terraform011Block(det: TfDetection): Obstacle | undefined {
  const step = (what: string, upgrade = 'terraform 0.12upgrade') => ({
    kind: 'code-shape' as const,
    step:
      `the module is written for Terraform 0.11 (${what}, which Terraform 0.12 and later reject), and Terraform 0.11 cannot read ` +
      `the 0.12 syntax a fix writes: upgrade the module to 0.12 or later (${upgrade}), then run kmsfix again`,
  });
  for (const b of det.hcl?.blocks ?? []) {
    // `required_providers = { aws = ">= 2.6.0" }`: an argument in 0.11, a block from 0.12 (hyprnz/terraform-aws-dynamodb, pinned ~> 0.11).
    const providers = b.type === 'terraform' ? attr(b, 'required_providers') : undefined;
    if (providers) return step(`its terraform block sets required_providers = { ... } at line ${providers.row + 1}`);
    if (b.type !== 'resource' || !b.labels[0]?.startsWith('aws_')) continue;
    const [tags] = blocks(b, 'tags');
    if (tags) return step(`${b.labels.join('.')} has a block tags { } at line ${tags.row + 1}`, 'terraform 0.12upgrade writes tags = { }');
    // A table's nested blocks assigned as a list (`attribute = [{ ... }]`, `global_secondary_index = ["${var.x}"]`).
    const nested = b.labels[0] === 'aws_dynamodb_table' ? TABLE_BLOCKS.map((n) => attr(b, n)).find(Boolean) : undefined;
    if (nested) return step(`${b.labels.join('.')} assigns its ${nested.name} blocks as an argument at line ${nested.row + 1}`);
  }
  return undefined;
}

/**
 * The same `tags { ... }` block on any AWS resource of the module, of this file or another
 * (shridharMe/terraform-modules: a 0.11 module whose S3 bucket, in a sibling file, has one). The blocks
 * of resources other than tables and keys are not parsed inside: the files' text is cut at each
 * top-level block, and each `resource "aws_..."` looked at.
 */
function terraform011Tags(siblings: SourceFile[]): Obstacle | undefined {
  for (let i = 0; i < siblings.length; i++) {
    const f = siblings[i];
    // A module's files are asked once per file of tables: the answer is kept per file object (the engine
    // hands the same ones to every file of a folder), and most files have no `tags {` at all.
    let found = tags011.get(f);
    if (found === undefined) tags011.set(f, (found = tags011Of(f) ?? null));
    if (found) return found;
  }
  return undefined;
}

/** Each file's `tags { }` block of an AWS resource (null: none), as terraform011Tags asks it. */
const tags011 = new WeakMap<SourceFile, Obstacle | null>();

function tags011Of(f: SourceFile): Obstacle | undefined {
  if (jsonSyntax(f.path) || !/\btags[ \t]*\{/.test(f.text) || !f.text.includes('resource')) return undefined;
  // Comments out (a `tags {` in a commented-out block says nothing); strings are left, as 0.11 code rarely quotes braces.
  const code = f.text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/^[ \t]*(?:#|\/\/).*$/gm, '');
  for (const top of code.split(/^(?=[a-z_]+[ \t]*(?:"|\{))/m)) {
    const label = /^resource[ \t]+"(aws_[\w-]+)"[ \t]+"([\w-]+)"/.exec(top);
    if (label && /\n[ \t]+tags[ \t]*\{/.test(top))
      return {
        kind: 'code-shape',
        step:
          `the module is written for Terraform 0.11 (${label[1]}.${label[2]} in ${path.basename(f.path)} has a block tags { }, which ` +
          'Terraform 0.12 and later reject), and Terraform 0.11 cannot read the 0.12 syntax a fix writes: upgrade the module to 0.12 ' +
          'or later (terraform 0.12upgrade writes tags = { }), then run kmsfix again',
      };
  }
  return undefined;
}

/** The nested blocks of aws_dynamodb_table, which Terraform 0.11 let a configuration assign as a list of maps. */
const TABLE_BLOCKS = [
  'attribute',
  'global_secondary_index',
  'local_secondary_index',
  'ttl',
  'point_in_time_recovery',
  'replica',
  'server_side_encryption',
];

/**
 * Whether a file may hold an old pin (olderProvider): the lock file, or a version string written in it
 * (`version = "~> 1.60"`, `required_version = "~> 0.11.0"`, `aws = "<= 2.40"`) that allows only versions
 * older than a fix needs. A text test before any parse: most files pin nothing, or pin recent versions.
 */
function mayPin(f: SourceFile, minimum = AWS_KMS_KEY_ARN_SINCE): boolean {
  // Asked of each table file and its siblings once per table file: the answer is kept per file object and minimum.
  let answers = mayPins.get(f);
  if (!answers) mayPins.set(f, (answers = new Map()));
  let may = answers.get(minimum);
  if (may === undefined) answers.set(minimum, (may = mayPinOf(f, minimum)));
  return may;
}

const mayPins = new WeakMap<SourceFile, Map<string, boolean>>();

function mayPinOf(f: SourceFile, minimum: string): boolean {
  const t = f.text;
  if (/(^|[\\/])\.terraform\.lock\.hcl$/.test(f.path)) return true;
  if (!t.includes('version') && !t.includes('required_providers')) return false;
  for (const m of t.matchAll(/"((?:[<>=!~]+\s*)?v?\d+(?:\.\d+){0,2}(?:\s*,\s*(?:[<>=!~]+\s*)?v?\d+(?:\.\d+){0,2})*)"/g))
    if (pinnedBelow('', m[1], minimum) || pinnedBelow('', m[1], '0.12.0')) return true;
  return false;
}

/** Per other file of a module: the obstacle its blocks' pins give (null: none). */
const pinsOf = new WeakMap<SourceFile, Obstacle | null>();

function pinObstacle(blocks: TopBlock[]): Obstacle | undefined {
  const shape = (step: string) => ({ kind: 'code-shape' as const, step });
  const pin = awsProviderPinBelow(blocks);
  if (pin)
    return shape(
      `the module pins hashicorp/aws with ${pin}, a version without kms_key_arn in server_side_encryption, which a fix would ` +
        `use (terraform plan would fail): upgrade the provider to ${AWS_KMS_KEY_ARN_SINCE} or later, then run kmsfix again`,
    );
  for (const t of blocks) {
    const v = t.type === 'terraform' ? t.attr('required_version')?.lit : undefined;
    const below = v?.type === 'string' ? pinnedBelow('', v.value, '0.12.0') : undefined;
    if (below)
      return shape(
        `the module requires Terraform 0.11 (required_version ${below.replace(/^version /, '')}), which cannot read the 0.12 ` +
          'syntax a fix writes (terraform plan would fail): upgrade Terraform to 0.12 or later, then run kmsfix again',
      );
  }
  return undefined;
}

/** This file's blocks, and those of the module's other files that may declare required_providers (placement.ts reads them). */
async function requirementTops(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<TopBlock[]> {
  const siblings = context ? await context.siblings() : [];
  return [...summarize(det, file.text), ...(await siblingBlocks(siblings.filter((f) => holdsWord(f, 'required_providers'))))];
}

/** The table a replica resource's `global_table_arn` names (`aws_dynamodb_table.<label>[...].arn`), by label. */
function globalTableOf(arn: { value: string } | undefined): string | undefined {
  return /^\s*aws_dynamodb_table\.([A-Za-z_][\w-]*)(\[[^\]]*\])?\.arn\s*$/.exec(arn?.value ?? '')?.[1];
}

/**
 * A global table and its replica resources are fixed together or not at all: a table that replica
 * resources of the module name, or a replica resource whose table (in this file, or another file of
 * the module) is not customer-managed, has the obstacle. So has a replica resource whose table is
 * not one of the module's (`global_table_arn = var.x`, an ARN built from variables: another stack's
 * table): it is read as encrypted with the AWS managed key (elsewhere), and a replica's key must be of
 * its table's kind ("All replica keys must either be Customer Managed CMK or AWS Managed CMK"), so a
 * key for the replica alone would fail at apply. (A replica without a key of a table that has a
 * customer-managed one would not have deployed: such a table is never the case here.)
 */
async function globalTableMembers(
  t: TfTable,
  det: TfDetection,
  tops: TopBlock[],
  context: DiskContext | undefined,
): Promise<Obstacle | undefined> {
  if (t.kind === 'table') {
    const replicas = tops
      .filter(
        (b) =>
          b.type === 'resource' && b.labels[0] === 'aws_dynamodb_table_replica' && globalTableOf(b.attr('global_table_arn')) === t.label,
      )
      .map((b) => `aws_dynamodb_table_replica.${b.labels[1]}`);
    return replicas.length ? { kind: 'global-table-members', replicas } : undefined;
  }
  if (t.kind !== 'table-replica') return undefined;
  const table = await globalTable(t, det, context);
  if (!table) {
    const arn = attr(t.block, 'global_table_arn')?.value.trim();
    return arn ? { kind: 'global-table-members', replicas: [t.address], outside: arn } : undefined;
  }
  return decide(table.encryption).status !== 'customer-managed'
    ? { kind: 'global-table-members', replicas: [t.address], table: table.address }
    : undefined;
}

/** Each replica resource's table, looked for once (replicasOfTables and globalTableMembers both ask). */
const tableOfReplica = new WeakMap<TfTable, Promise<TfTable | undefined>>();

/** The table of a replica resource (`global_table_arn`): in its file, else in another file of the module (read as found; its own siblings not consulted). */
function globalTable(t: TfTable, det: TfDetection, context: DiskContext | undefined): Promise<TfTable | undefined> {
  let found = tableOfReplica.get(t);
  if (!found) tableOfReplica.set(t, (found = findGlobalTable(t, det, context)));
  return found;
}

async function findGlobalTable(t: TfTable, det: TfDetection, context: DiskContext | undefined): Promise<TfTable | undefined> {
  const arn = attr(t.block, 'global_table_arn');
  const call = /^\s*module\.([A-Za-z_][\w-]*)(\[[^\]]*\])?\.[A-Za-z_][\w-]*\s*$/.exec(arn?.value ?? '')?.[1];
  if (call !== undefined) return moduleTableOf(call, det);
  const label = globalTableOf(arn);
  if (label === undefined) return undefined;
  let table = det.tables.find((x) => x.kind === 'table' && x.label === label);
  for (const f of table || !context ? [] : await context.siblings()) {
    if (!f.text.includes(label) || !f.text.includes('aws_dynamodb_table')) continue;
    // A file that does not parse is the run's error, and keeps its module from being fixed.
    const other = await detectTerraform(f).catch(() => undefined);
    table = other?.tables.find((x) => x.kind === 'table' && x.label === label);
    if (table) break;
  }
  return table;
}

/**
 * The table of a local module's call (`global_table_arn = module.orders.table_arn`), as the call
 * configures it (inputs.ts: the call's row), when the call is written in the replica's file and its
 * module declares one table. A call in another file is not looked for (its row comes from that file's
 * detection, which may name this one's replicas in turn).
 */
function moduleTableOf(call: string, det: TfDetection): TfTable | undefined {
  const rows = det.tables.filter((x) => x.kind === 'module' && x.local && x.label === call);
  return rows.length === 1 ? rows[0] : undefined;
}

/**
 * A replica resource without a key of its own (no kms_key_arn, null, "") uses its table's kind of
 * encryption: the AWS owned key when the table uses it (then aws-owned, not aws-managed), the AWS
 * managed key when the table uses KMS (as it reads by default). A table decided at plan time
 * leaves the replica so too.
 */
async function replicasOfTables(det: TfDetection, context: DiskContext | undefined): Promise<void> {
  for (const t of det.tables) {
    const s = t.encryption.settings;
    if (t.kind !== 'table-replica' || s.model !== 'sse' || !keyless(s)) continue;
    const table = await globalTable(t, det, context);
    if (!table) {
      const arn = attr(t.block, 'global_table_arn')?.value.trim();
      if (s.key?.state === 'absent' && arn) t.encryption.words = withPhrase(t.encryption.words, 'keyAbsent', elsewhere(arn));
      continue;
    }
    followItsTable(t.encryption, table.encryption, table.address, 'kms_key_arn');
  }
}

/**
 * A replica resource whose table is declared elsewhere (`global_table_arn = var.x`, a module's output,
 * a data source): read as a table encrypted with KMS, as the provider documents a replica without a
 * key; the reason says so, and what the replica uses when that table uses the AWS owned key.
 */
function elsewhere(arn: string): string {
  return (
    `no {key}, and its table (\`${arn}\`) is not declared in this module: read as a table encrypted with KMS, ` +
    'whose replicas use the AWS managed key (if that table uses the AWS owned key, so does this replica)'
  );
}

function detectBlocks(text: string, all: HBlock[], commentsOf: (b: HBlock) => (string | BlockComment)[]): TfTable[] {
  const lines = LineIndex.of(text);
  const tables: TfTable[] = [];
  for (const b of all) {
    let kind: TfKind | undefined;
    let type = '';
    let address = '';
    let registry: RegistryModule | undefined;
    if (
      b.type === 'resource' &&
      b.labels.length === 2 &&
      (b.labels[0] === 'aws_dynamodb_table' || b.labels[0] === 'aws_dynamodb_table_replica')
    ) {
      kind = b.labels[0] === 'aws_dynamodb_table' ? 'table' : 'table-replica';
      type = b.labels[0];
      address = `${b.labels[0]}.${b.labels[1]}`;
    } else if (b.type === 'module' && b.labels.length === 1 && (registry = registryCall(b))) {
      kind = 'module';
      type = 'module';
      address = `module.${b.labels[0]}`;
    }
    if (!kind) continue;
    const pos = lines.position(b.start);
    const key =
      kind === 'table' ? attr(blocks(b, 'server_side_encryption')[0], 'kms_key_arn') : attr(b, registry ? registry.key : 'kms_key_arn');
    tables.push({
      line: pos.line,
      column: pos.column,
      format: 'terraform',
      type,
      address,
      kind,
      label: b.labels[b.labels.length - 1],
      block: b,
      ...(registry ? { registry } : {}),
      encryption: {
        // Peers model only terraform-aws-modules calls (the DataDog KICS fork); other registry modules: none.
        peerKind: registry && registry !== REGISTRY_MODULES[0] ? 'code' : PEER_KIND[kind],
        words: wordsOf(kind, registry),
        settings: settingsOf(kind, b, registry),
        ...(kind === 'table' ? replicasOf(text, b) : {}),
        obstacles: [...ownObstacles(kind, b, registry), ...labelPlaceholder(b.labels[b.labels.length - 1])],
        ...(kind === 'table' || kind === 'module' ? keyCautions(b, registry) : {}),
      },
      suppressions: suppressionsOf(commentsOf(b)),
      keyRef: key?.value,
    });
    // A key of the file DynamoDB cannot use (an asymmetric or HMAC customer_master_key_spec, a key_usage other than ENCRYPT_DECRYPT).
    markUnusableTfKeys(tables[tables.length - 1].encryption, all);
  }
  return tables;
}
