/**
 * What the modules that call a child module do with its table, through the module's outputs: the
 * caller's `aws_dynamodb_table_replica` (`global_table_arn = module.orders.table_arn`), its
 * `aws_dynamodb_resource_policy` (`resource_arn = module.orders.table_arn`), its legacy
 * `aws_dynamodb_global_table` (`depends_on = [module.orders]`, or a `name` from the module's output).
 * Each makes a fix of the module's table fail at apply (a replica's table fixed alone), or lock a
 * granted account out, as the same resources beside the table do (moduleObstacles.ts).
 *
 * Read only for a table a fix would change, in the folders above it (up to three: `./table`,
 * `./modules/table`, `../modules/table` called from the folder above) and below it (up to three: a
 * published module's `examples/complete` calling `../../`, `test/fixtures/x` calling `../../..`),
 * where a module's callers are written. A caller elsewhere (`../../modules/x` from a sibling tree) is
 * not looked for.
 *
 * A folder one of these calls is a child module (calledModule), whatever its lock file, tfvars or
 * provider block say (Terraform takes a called folder for a child module, and ignores its lock file):
 * a published module commits `.terraform.lock.hcl` for its CI (tfstack/terraform-aws-dynamodb-table,
 * called by its examples/standard), and a key written into its table would override the one each
 * caller passes (round 36: the fix dropped callers' `kms_key_arn` input, and, with the call fixed in
 * the same run, made two aliases of one name).
 */
import path from 'node:path';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { addGlobalTableReplica } from '../../rule/blockers.js';
import type { Obstacle } from '../../rule/facts.js';
import type { TfTable } from './detect.js';
import { escapeRegExp, LineIndex } from '../../core/text.js';
import { resourcePolicyObstacle, zeroEtlIntegrations } from './resourcePolicy.js';
import { siblingBlocks, type TopBlock } from './topBlocks.js';
import { mayName, templateSource } from './templateSources.js';

/** How many folders above and below a module its callers are looked for in. */
const LEVELS = 3;

/** A `module` block that calls the module, and the files of its folder. */
export interface Call {
  label: string;
  file: SourceFile;
  folder: SourceFile[];
  /** Where the module block starts in `file` (an offset). */
  at?: number;
}

/** The module's outputs that give a table's attribute: output name -> the table labels its value references. */
export function tableOutputs(tops: TopBlock[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const t of tops) {
    if (t.type !== 'output' || t.labels.length !== 1) continue;
    const labels = [...(t.attr('value')?.value ?? '').matchAll(/\baws_dynamodb_table\.([A-Za-z_][\w-]*)/g)].map((m) => m[1]);
    if (labels.length > 0) out.set(t.labels[0], new Set(labels));
  }
  return out;
}

/**
 * The calls of a module folder (callsOf), per folder and DiskContext.folderAnswers (a scan's), else per context: asked by
 * detection, inputs and boundaries alike, and by a call of the folder.
 */
const knownCalls = new WeakMap<object, Map<string, Promise<Call[]>>>();

/**
 * The `module` blocks of the folders above and below `file` whose literal `source` is the module's
 * folder, or whose template source may name it (templateSources.ts) (also boundaries.ts, and calledModule).
 */
export function callsOf(file: SourceFile, context: DiskContext): Promise<Call[]> {
  const owner = context.folderAnswers ?? context;
  let folders = knownCalls.get(owner);
  if (!folders) knownCalls.set(owner, (folders = new Map()));
  const dir = path.dirname(path.resolve(file.absPath));
  let calls = folders.get(dir);
  if (!calls) {
    calls = readCalls(file, context);
    folders.set(dir, calls);
  }
  return calls;
}

/** Is the folder of `file` called by a module block of the folders around it (callsOf)? Then it is a child module, whatever its lock file says. */
export async function calledModule(file: SourceFile, context: DiskContext | undefined): Promise<boolean> {
  return !!context && (await callsOf(file, context)).length > 0;
}

/**
 * The first call of a folder that has a sign of a root module (its lock file, tfvars...) and is called
 * all the same, as a message names it: `module.db of examples/standard/main.tf:5:1`.
 */
export async function calledBy(file: SourceFile, context: DiskContext | undefined): Promise<string | undefined> {
  const call = context ? (await callsOf(file, context))[0] : undefined;
  if (!call) return undefined;
  const at = call.at === undefined ? undefined : LineIndex.of(call.file.text).position(call.at);
  return `module.${call.label} of ${call.file.path}${at ? `:${at.line}:${at.column}` : ''}`;
}

async function readCalls(file: SourceFile, context: DiskContext): Promise<Call[]> {
  const own = path.dirname(path.resolve(file.absPath));
  const calls: Call[] = [];
  const callsIn = async (folder: SourceFile[]) => {
    for (const f of folder) {
      if (!f.text.includes('module') || !/\bsource\b/.test(f.text)) continue;
      for (const b of await siblingBlocks([f])) {
        if (b.type !== 'module' || b.labels.length !== 1) continue;
        const dir = path.dirname(path.resolve(f.absPath));
        const source = b.attr('source');
        const lit = source?.lit;
        // A template source (OpenTofu's `"../modules/${var.flavor}"`): each folder it may name is called (templateSources.ts).
        const template = lit ? undefined : templateSource(source?.value);
        const names = template
          ? mayName(template, path.relative(dir, own).split(path.sep).join('/'))
          : lit?.type === 'string' && typeof lit.value === 'string' && /^\.\.?\//.test(lit.value) && path.resolve(dir, lit.value) === own;
        if (names) calls.push({ label: b.labels[0], file: f, folder, at: b.start });
      }
    }
  };
  for (let level = 1; level <= LEVELS; level++) {
    const folder = await context.folder(file, Array(level).fill('..').join('/'));
    if (!folder) break;
    await callsIn(folder);
  }
  // The folders below, level by level (not a dot folder: `.terraform/modules` holds downloaded copies; not node_modules).
  let level: string[] = ['.'];
  for (let depth = 1; depth <= LEVELS && level.length > 0; depth++) {
    const next: string[] = [];
    for (const rel of level)
      for (const name of await context.subfolders(file, rel))
        if (!name.startsWith('.') && name !== 'node_modules') next.push(rel === '.' ? name : `${rel}/${name}`);
    for (const rel of next) {
      const folder = await context.folder(file, rel);
      if (folder) await callsIn(folder);
    }
    level = next;
  }
  return calls;
}

/**
 * The obstacles of each open table (`aws_dynamodb_table`s: moduleObstacles.ts picks them) of a child module that
 * its callers give it (see above); `moduleTops`: the blocks of every file of the module (its outputs).
 */
export async function callerObstacles(file: SourceFile, open: TfTable[], moduleTops: TopBlock[], context: DiskContext): Promise<void> {
  const outputs = tableOutputs(moduleTops);
  for (const call of await callsOf(file, context))
    for (const t of open) await obstaclesThrough(call, outputs, t.label, t.encryption.obstacles);
}

/**
 * What one call's folder does with the module's table `table` (its label) through the call and the
 * module's `outputs`: the obstacles it adds to `obstacles` (the module's table's, or the call's own row's:
 * inputs.ts, so that both say why).
 */
export async function obstaclesThrough(
  call: Call,
  outputs: Map<string, Set<string>>,
  table: string,
  obstacles: Obstacle[],
  own?: { file: SourceFile; tops: TopBlock[] },
): Promise<void> {
  const ref = new RegExp(`\\bmodule\\.${escapeRegExp(call.label)}(?![\\w-])`);
  const files = call.folder.filter((f) => ref.test(f.text));
  // The file at hand's blocks as its detection has them (`own`), not parsed again.
  const tops = [...(own && files.includes(own.file) ? own.tops : []), ...(await siblingBlocks(files.filter((f) => f !== own?.file)))];
  const where = (b: TopBlock) => `${b.labels[0]}.${b.labels[1]} of ${callerPath(call, b)}`;
  const outs = [...outputs].filter(([, labels]) => labels.has(table)).map(([name]) => name);
  const through = outs.length
    ? new RegExp(`\\bmodule\\.${escapeRegExp(call.label)}(\\[[^\\]]*\\])?\\.(${outs.map(escapeRegExp).join('|')})(?![\\w-])`)
    : undefined;
  for (const b of tops) {
    if (b.type !== 'resource' || b.labels.length !== 2) continue;
    if (b.labels[0] === 'aws_dynamodb_table_replica' && through?.test(b.attr('global_table_arn')?.value ?? ''))
      addGlobalTableReplica(obstacles, `${where(b)} (through module.${call.label})`);
    if (b.labels[0] === 'aws_dynamodb_global_table' && !obstacles.some((o) => o.kind === 'api-global-table')) {
      const joins = ref.test(b.attr('depends_on')?.value ?? '') || !!through?.test(b.attr('name')?.value ?? '');
      if (joins) obstacles.push(legacy(`${where(b)} joins it into a global table (through module.${call.label})`));
    }
  }
  if (through && !obstacles.some((o) => o.kind === 'resource-policy')) {
    const policy = resourcePolicyObstacle({ kind: 'module', label: call.label, outputs: outs }, tops);
    if (policy?.kind === 'resource-policy') policy.policy = `${policy.policy} of ${call.file.path} (through module.${call.label})`;
    if (policy) obstacles.push(policy);
  }
  // A zero-ETL integration of the caller reading the module's table (`source_arn = module.db.table_arn`).
  const integrations =
    through && !obstacles.some((o) => o.kind === 'zero-etl')
      ? zeroEtlIntegrations({ kind: 'module', label: call.label, outputs: outs }, tops)
      : [];
  if (integrations.length > 0)
    obstacles.push({ kind: 'zero-etl', integrations: integrations.map((i) => `${i} of ${call.file.path} (through module.${call.label})`) });
}

/** The caller's file that holds a block (the call's folder's files), for the message. */
function callerPath(call: Call, b: TopBlock): string {
  return call.folder.find((f) => f.text.includes(b.text))?.path ?? call.file.path;
}

function legacy(why: string): Obstacle {
  return {
    kind: 'api-global-table',
    version: '2017.11.29',
    why,
    declare: "the module's table with a replica block per Region, in place of the aws_dynamodb_global_table",
  };
}
