/**
 * Finding DynamoDB tables in Terraform (HCL): `aws_dynamodb_table`, `aws_dynamodb_table_replica`
 * and calls of the terraform-aws-modules/dynamodb-table module, each with its encryption settings
 * as neutral facts (src/rule/facts.ts) for the rule to decide on (src/rule/cmk.ts). The settings as
 * written are read in settings.ts, their words are words.ts's; a table's own obstacles are
 * ownObstacles.ts's, those that depend on the module moduleObstacles.ts's.
 */
import { jsonCommentObstacle } from '../../core/generatedFile.js';
import { keptKeyOf, switchOnlyFix } from '../../rule/cmk.js';
import type { Caution } from '../../rule/facts.js';
import { LineIndex } from '../../core/text.js';
import { ParseError, type Detection, type DiskContext, type SourceFile, type TableFacts } from '../../core/types.js';
import type { JsonModel } from './tfjson.js';
import { attr, blocks, parseHcl, type HBlock, type HFile } from './parse.js';
import type { TableKind } from '../../rule/peers/facts.js';
import { blockComments, suppressionsOf, type BlockComment } from './suppress.js';
import { jsonSyntax } from './topBlocks.js';
import { boundaryCautions } from './boundaries.js';
import { backupCautions } from './backupCautions.js';
import { iamRoleCautions } from './iamRoles.js';
import { inputUses } from './inputUses.js';
import { awsManagedKeyData } from './managedKeyData.js';
import { moduleOutputKeys } from './moduleOutputKeys.js';
import {
  isTableWrapper,
  LOCK_TABLE_MODULES,
  lockTableNote,
  REGISTRY_MODULES,
  type RegistryModule,
  wrapperNote,
} from './registryModules.js';
import { applyOverrides } from './overrides.js';
import { unitsOfTables } from './deployingUnits.js';
import { synthOutputAt } from '../../core/synthOutput.js';
import { synthesizedJson } from './synthesizedJson.js';
import { markUnusableTfKeys } from './keySpec.js';
import { boolOf, replicasOf, settingsOf } from './settings.js';
import { wordsOf } from './words.js';
import { labelPlaceholder, ownObstacles } from './ownObstacles.js';
import { registryCall } from './registryCalls.js';
import { moduleObstacles } from './moduleObstacles.js';
import { replicasOfTables } from './globalTables.js';

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

const PEER_KIND: Record<TfKind, TableKind> = { table: 'tf-table', 'table-replica': 'tf-replica', module: 'tf-module' };

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
    // Written out for its one or two labels, not `labels.map(...).join(' ')`: the array an optimized map makes has
    // another map than the unoptimized map's, and the join threw this function's optimized code away (`wrong map`).
    const key = n === 1 ? `${b.type} "${b.labels[0]}"` : `${b.type} "${b.labels[0]}" "${b.labels[1]}"`;
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
