/**
 * A terragrunt unit (`terragrunt.hcl`) whose `terraform { source = ... }` is one of the DynamoDB
 * registry modules (registryModules.ts: `tfr:///terraform-aws-modules/dynamodb-table/aws?version=...`,
 * `git::https://github.com/terraform-aws-modules/terraform-aws-dynamodb-table.git//?ref=...`,
 * cloudposse's and mineiros-io's): terragrunt deploys the module as a root module with the unit's
 * `inputs` as its variables, so the unit is a table, read as a call of that module whose arguments
 * are the inputs (settings.ts moduleCallSettings: one reader). Inputs an `include` merges in are read
 * from the included file when its path is `find_in_parent_folders(...)`; an include kmsfix cannot
 * find, or `inputs` that are not an object, leave the switch and the key unknown.
 *
 * Never fixed: a key must be a resource beside the module, and a unit declares none (the step names
 * a key unit and the inputs to set). Terragrunt's own lock tables (`remote_state { config {
 * dynamodb_table = ... } }`) are created by terragrunt, not Terraform, and are not reported.
 */
import path from 'node:path';
import { LineIndex } from '../../core/text.js';
import type { DiskContext, SourceFile } from '../../core/types.js';
import type { Settings, Setting } from '../../rule/facts.js';
import { DYNAMODB_KEY_USE } from '../../rule/keyPolicy.js';
import type { TfDetection } from './detect.js';
import { createsTable, moduleReplicas } from './registryCalls.js';
import { moduleCallSettings } from './settings.js';
import { PHRASES, wordsOf } from './words.js';
import { isExpr, isObj, isStr, type Value } from './hclvalue.js';
import { pinnedBelow } from './moduleVersion.js';
import { attr, parseHcl, type HAttr, type HBlock, type Literal } from './parse.js';
import { isTableWrapper, REGISTRY_MODULES, type RegistryModule, wrapperNote } from './registryModules.js';
import { blockComments, suppressionsOf } from './suppress.js';
import { parentFolderName, terragruntIncludes, terragruntInputs } from './terragruntConfig.js';
import { generatedTables } from './terragruntGenerate.js';
import { inputNames, keyAsTerraform, throughLocals } from './terragruntLocals.js';
import { includeAt, includedSourceText } from './terragruntPaths.js';
import { unitVarFiles } from './terragruntVarFiles.js';

export async function detectTerragruntUnit(file: SourceFile, context?: DiskContext): Promise<TfDetection> {
  const det = await registryUnit(file, context);
  // Tables its generate blocks write into the module (terragruntGenerate.ts): reported, never fixed.
  const generated = det.hcl && file.text.includes('generate') ? await generatedTables(file, det.hcl.blocks, context) : [];
  return generated.length > 0 ? { ...det, tables: [...det.tables, ...generated] } : det;
}

async function registryUnit(file: SourceFile, context?: DiskContext): Promise<TfDetection> {
  // The prefilter took the file for any mention of a module kmsfix reads, of a local source, or for an include. A unit
  // in terragrunt's JSON form is read only for the module folder it deploys (varSources.ts; docs/limitations.md).
  if (file.path.endsWith('.json')) return { tables: [] };
  if (!file.text.includes('dynamodb') && !(context && file.text.includes('include'))) return { tables: [] };
  // A unit taken for its include alone names no table: one that does not parse (a boilerplate template's
  // terragrunt.hcl, `{{- if .requiredVariables }}`) is not this reader's to report (regression corpus, session 55:
  // gruntwork-io/terragrunt's catalog fixture made a scan exit 2 once include-only units were read).
  const hcl = file.text.includes('dynamodb') ? await parseHcl(file.text) : await parseHcl(file.text).catch(() => undefined);
  if (!hcl) return { tables: [] };
  let tf = hcl.blocks.find((b) => b.type === 'terraform');
  const source = attr(tf, 'source');
  // A source with interpolations (`?ref=${local.version}`) still names its module.
  let sourceText = source?.lit?.type === 'string' ? source.lit.value : (source?.value ?? '');
  // None of its own: the one an included file sets (`_envcommon/dynamodb.hcl`; session 55), reported at that include.
  const included = !source && context && file.text.includes('include') ? await includedSourceText(file, context) : undefined;
  if (included) {
    sourceText = included.source;
    tf =
      hcl.blocks.find((b) => b.type === 'include' && (b.labels[0] ?? '') === (/^include "(.*)"$/.exec(included.include)?.[1] ?? '')) ?? tf;
  }
  if (tf && isTableWrapper(sourceText)) {
    const at = LineIndex.of(file.text).position(tf.start);
    return { tables: [], hcl, notes: [wrapperNote(`${file.path}:${at.line}:${at.column}`, 'the terragrunt unit deploys')] };
  }
  const m = REGISTRY_MODULES.find((r) => r.source.test(sourceText));
  if (!tf || !m) return { tables: [], hcl };
  const call = await unitCall(file, context, tf, m);
  if (!createsTable(call.block, m)) return { tables: [], hcl };
  const folder = path.posix.basename(path.posix.dirname(file.absPath.replace(/\\/g, '/')));
  const pos = LineIndex.of(file.text).position(tf.start);
  const replicas = moduleReplicas(call.block, m);
  return {
    hcl,
    tables: [
      {
        line: pos.line,
        column: pos.column,
        format: 'terraform',
        type: 'terragrunt unit',
        address: `terragrunt unit ${folder}`,
        kind: 'module',
        label: folder,
        block: call.block,
        registry: m,
        encryption: {
          // No peer scanner reads terragrunt units.
          peerKind: 'code',
          words: unitWords(m),
          settings: call.settings,
          obstacles: [replicas ?? { kind: 'code-shape', step: unitStep(m, sourceText) }],
        },
        suppressions: suppressionsOf(blockComments(file.text, hcl.comments, tf)),
        keyRef: attr(call.block, m.key)?.value,
      },
    ],
  };
}

/** The module's words, where a unit says `inputs` for a call's arguments. */
function unitWords(m: RegistryModule) {
  const w = wordsOf('module', m);
  return { ...w, phrases: { ...PHRASES, enabledAbsent: '{enabled} is not set in inputs', ...m.phrases } };
}

/**
 * The unit as a call of its module: a block whose arguments are the inputs that decide its table
 * (those an include sets, then the unit's own over them, as terragrunt merges them), and its
 * settings; unknown when the unit's `inputs` are not an object, or when an include kmsfix cannot
 * read may set the switch or the key the unit does not set itself.
 */
async function unitCall(
  file: SourceFile,
  context: DiskContext | undefined,
  tf: HBlock,
  m: RegistryModule,
): Promise<{ block: HBlock; settings: Settings }> {
  const wanted = [m.enabled.input, m.key, m.replicas.input, ...(m.create ? [m.create] : [])];
  const args = new Map<string, HAttr>();
  // Why the key input's value may be the AWS managed key, where kmsfix cannot tell (keyAsTerraform), by input.
  const unsure = new Map<string, string>();
  const unread: string[] = [];
  const dir = path.posix.dirname(file.path);
  for (const inc of terragruntIncludes(file.text)) {
    const label = inc.label ? `include "${inc.label}"` : 'include';
    const name = parentFolderName(inc.path);
    // A path kmsfix resolves (find_in_parent_folders, a path function, a relative path: terragruntPaths.ts includeAt).
    const at = context ? await includeAt(file, inc.path, context) : undefined;
    const found = at && 'text' in at ? at : undefined;
    if (!found) {
      unread.push(name ? `${label} (no ${name} in a folder above)` : `${label} (path = ${inc.path ? written(inc.path) : 'not set'})`);
      continue;
    }
    const where = path.posix.relative(dir, found.path);
    const inputs = terragruntInputs(found.text);
    if (inputs.kind === 'expression') {
      // Inputs whose every name kmsfix can list (the locals of read_terragrunt_config files, merged): read when they name
      // none of the module's encryption inputs (round 47, F1); otherwise they may set them.
      const names = context ? await inputNames(inputs.expr, found, file, context) : undefined;
      if (!names || wanted.some((n) => names.has(n))) unread.push(`${label} (the inputs of ${where}: ${inputs.source})`);
    }
    if (inputs.kind !== 'object') continue;
    for (const n of wanted) {
      const v = inputs.inputs.get(n);
      if (v !== undefined) args.set(n, argument(n, v, tf, ` (inputs of ${where})`, await evaluated(v, found, file, context, n, unsure)));
    }
  }
  const own = terragruntInputs(file.text);
  const block: HBlock = { ...tf, type: 'module', labels: [], items: [] };
  // `inputs = merge(local.common, { ... })`: read when its last literal objects set both the switch and the key (later arguments win).
  let merged = own.kind === 'expression' && own.known?.has(m.enabled.input) && own.known.has(m.key) ? own.known : undefined;
  // A merge whose every name kmsfix can list (read_terragrunt_config locals, literal objects): what its last literal
  // objects set, when no other argument names an encryption input (round 47, F1).
  if (own.kind === 'expression' && !merged && context) {
    const names = await inputNames(own.expr, file, file, context);
    if (names && !wanted.some((n) => names.has(n) && !own.known?.has(n))) merged = own.known ?? new Map<string, Value>();
  }
  if (own.kind === 'expression' && !merged) {
    const why = `inputs = ${own.source}, which terragrunt evaluates (kmsfix reads an inputs object, or a merge whose last object sets ${m.enabled.input} and ${m.key})`;
    return { block, settings: { model: 'sse', enabled: unreadable(why) } };
  }
  const mine = merged ?? (own.kind === 'object' ? own.inputs : new Map<string, Value>());
  for (const n of wanted) {
    const v = mine.get(n);
    if (v !== undefined) args.set(n, argument(n, v, tf, '', await evaluated(v, file, file, context, n, unsure)));
  }
  block.items = [...args.values()];
  // Var-files its extra_arguments pass (terragruntVarFiles.ts) come after the inputs (terragrunt passes inputs as
  // TF_VAR_ variables, which a -var-file overrides): one that sets the switch or the key, or one kmsfix cannot read.
  const files = context && /extra_arguments|include/.test(file.text) ? await unitVarFiles(file, context) : undefined;
  const byFiles = files ? files.read.filter((r) => r.names.includes(m.enabled.input) || r.names.includes(m.key)) : [];
  if (byFiles.length > 0 || (files?.unread.length ?? 0) > 0) {
    const where = byFiles.map((r) => `${r.what ? `${r.what} ` : ''}${path.posix.relative(dir, r.where) || path.posix.basename(r.where)}`);
    const set = [m.enabled.input, m.key].filter((n) => byFiles.some((r) => r.names.includes(n)));
    const why = byFiles.length
      ? `${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set by ${where.join(', ')}, passed in the unit's extra_arguments (over its inputs)`
      : `${m.enabled.input} and ${m.key} may be set by ${files?.unread.join('; ')}`;
    return { block, settings: { model: 'sse', enabled: unreadable(why) } };
  }
  const open = [m.enabled.input, m.key].filter((n) => !mine.has(n));
  if (unread.length > 0 && open.length > 0) {
    const why = `${open.join(' and ')} may be set by ${unread.join(', ')}, which kmsfix cannot read`;
    return { block, settings: { model: 'sse', enabled: unreadable(why) } };
  }
  const settings = moduleCallSettings(block, m);
  const why = unsure.get(m.key);
  if (why !== undefined && settings.model === 'sse' && settings.key && settings.key.state !== 'absent')
    return { block, settings: { ...settings, key: unreadable(why) } };
  return { block, settings };
}

const unreadable = (source: string): Setting => ({ state: 'unreadable', source });

/**
 * An input read through the locals of the file that writes it (terragruntLocals.ts: a literal local, or one
 * of a `read_terragrunt_config` file), with the file's path as the unit's folder names it; undefined when it
 * reads none, or not down to a literal.
 */
async function evaluated(
  v: Value,
  file: SourceFile,
  unit: SourceFile,
  context: DiskContext | undefined,
  name: string,
  open: Map<string, string>,
) {
  // A later setter (the unit over an include) replaces what an earlier one left open.
  open.delete(name);
  const rel = (p: string) => path.posix.relative(path.posix.dirname(unit.path), p);
  const found = context ? await throughLocals(v, file, unit, context) : undefined;
  if (found) return { value: found.value, where: rel(found.file) };
  // Not down to a literal: read as kmsfix's Terraform reader reads the same forms (conditionals, map indexes, get_env).
  const read = context && !literalOf(v) ? await keyAsTerraform(v, file, unit, context) : undefined;
  if (read?.kind === 'literal') return { value: read.value, where: rel(read.file) };
  if (read?.kind === 'unknown') open.set(name, read.why);
  return undefined;
}

/**
 * An input as a call's argument: its value as written and, for a literal (or an input its locals make one,
 * `local.table_key (= "alias/aws/dynamodb" in the locals of ../env.hcl)`), the literal (at the unit's terraform
 * block: a unit is never edited).
 */
function argument(name: string, v: Value, at: HBlock, from: string, through?: { value: Value; where: string }): HAttr {
  const lit = literalOf(through?.value ?? v);
  const shown = through ? `${written(v)} (= ${written(through.value)} in the locals of ${through.where})` : written(v);
  return {
    kind: 'attr',
    name,
    start: at.start,
    end: at.start,
    nameEnd: at.start,
    eq: at.start,
    valueStart: at.start,
    valueEnd: at.start,
    value: shown + from,
    ...(lit ? { lit } : {}),
    row: at.row,
    endRow: at.row,
  };
}

function literalOf(v: Value): Literal | undefined {
  if (isStr(v)) return /[$%]\{/.test(v.str) ? undefined : { type: 'string', value: v.str };
  if (!isExpr(v)) return undefined;
  if (v.expr === 'true' || v.expr === 'false') return { type: 'bool', value: v.expr === 'true' };
  if (v.expr === 'null') return { type: 'null' };
  return /^-?\d+(\.\d+)?$/.test(v.expr) ? { type: 'number', value: v.expr } : undefined;
}

/** A value as HCL writes it (for messages; a list's emptiness for the replicas input). */
function written(v: Value): string {
  // Escapes are decoded (a message shows the value), interpolations kept as written.
  if (isStr(v)) return `"${v.str}"`;
  if (isExpr(v)) return v.expr;
  if (Array.isArray(v)) return `[${v.map(written).join(', ')}]`;
  return isObj(v) ? `{ ${[...v.obj].map(([k, x]) => `${k} = ${written(x)}`).join(', ')} }` : '';
}

/**
 * The manual step: a key unit (rotation on, the key policy of every kmsfix fix) and the unit's
 * inputs that use it, in the module's words; first the upgrade when the unit pins a version
 * without the key input.
 */
function unitStep(m: RegistryModule, source: string): string {
  const version = /[?&]version=([^&]+)/.exec(source)?.[1];
  const pin = m.since.input ? pinnedBelow(source, version, m.since.version) : undefined;
  const upgrade = pin
    ? `upgrade ${m.name} to ${m.since.version} or later (the unit pins ${pin}, a version without ${m.since.lacks}), then `
    : '';
  return (
    `a terragrunt unit deploys the module alone, so kmsfix cannot declare a key beside it: ${upgrade}create a KMS key with rotation on ` +
    '(a unit of its own, for example of terraform-aws-modules/kms/aws) whose key policy lets the account administer it and use it through DynamoDB ' +
    `(the statement kmsfix writes: ${DYNAMODB_KEY_USE.join(', ')} ` +
    'for any principal with kms:CallerAccount = the account and kms:ViaService = dynamodb.<region>.amazonaws.com), ' +
    `add dependency "kms" { config_path = "<that unit's folder>" } to this unit, and set ${m.enabled.input} = ${m.enabled.fixed} and ` +
    `${m.key} = dependency.kms.outputs.key_arn in its inputs`
  );
}
