/**
 * The permissions boundaries a module gives roles (EncryptionFacts.cautions `permissions-boundary`):
 * a key policy whose principal is * cannot lift a boundary, so a role whose boundary allows no KMS
 * action loses access to a table once it uses a KMS key. Read for a module with a table a fix would
 * change: `permissions_boundary` on an `aws_iam_role` or `aws_iam_user`, and a module call's input
 * named for one (`role_permissions_boundary`, `role_permissions_boundary_arn`), in the table's file
 * and the module's other files; and, for a child module (no sign of a root module: rootModule.ts), the
 * same in the folders of the local module calls that call it (callers.ts) when such a folder uses the
 * table: it names one of the module's outputs that give the table's attributes (`module.db.table_arn`),
 * or grants DynamoDB actions on `*`. The root that calls a table module is where its app's roles are
 * usually declared (deploy-review pass of session 49: a role granted `module.db.table_arn` in the root
 * had no caution, the same role beside the table had one).
 *
 * A caller's folder is read as a whole, as the module's own files are: the grant that ties a role to the
 * table is usually another block (an `aws_iam_role_policy`, a policy document, a Lambda module's policy
 * statements), and a caution missed is an outage where one too many is a sentence to check.
 */
import { decide, fixWanted } from '../../rule/cmk.js';
import { WAIVABLE } from '../../rule/blockers.js';
import { escapeRegExp, LineIndex } from '../../core/text.js';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { calledModule, callsOf, tableOutputs } from './callers.js';
import type { TfDetection } from './detect.js';
import { isRootModule } from './rootModule.js';
import { holdsWord, moduleBlocksWith, siblingBlocks, summarize, type TopBlock } from './topBlocks.js';

const WORD = 'permissions_boundary';
const ROLE_BOUNDARY = /^\s*permissions_boundary\s*=/m;
const INPUT_BOUNDARY = /^\s*"?\w*permissions_boundary\w*"?\s*[=:]/m;
const BOUNDED = new Set(['aws_iam_role', 'aws_iam_user']);
/** A policy's statement on every resource: `Resource = "*"`, `resources = ["*"]`, `"Resource": "*"`. */
const ANY_RESOURCE = /"?\bResources?"?\s*[=:]\s*\[?\s*"\*"/i;

/** The blocks among some top blocks that give a role a boundary. */
function boundingBlocks(tops: TopBlock[]): TopBlock[] {
  return tops.filter(
    (b) =>
      b.text.includes(WORD) &&
      ((b.type === 'resource' && BOUNDED.has(b.labels[0]) && ROLE_BOUNDARY.test(b.text)) ||
        (b.type === 'module' && INPUT_BOUNDARY.test(b.text))),
  );
}

/** What gives a role a boundary, as the module names it: `aws_iam_role.app`, `module.lambda`. */
const address = (b: TopBlock) => (b.type === 'module' ? `module.${b.labels[0]}` : `${b.labels[0]}.${b.labels[1]}`);

/** What gives a role a boundary among some top blocks: `aws_iam_role.app`, `module.lambda`. */
function bounding(tops: TopBlock[]): string[] {
  return boundingBlocks(tops).map(address);
}

/**
 * The boundaries in the local modules that some files call with a table's attribute (`uses` matches it:
 * `module.db.table_arn`, `aws_dynamodb_table.orders.arn`), one level down: `module "api" { source = "./modules/api",
 * dynamodb_arn = module.db.arn }`, whose `aws_iam_role` has a `permissions_boundary`, is the usual monorepo root's
 * app (deploy review, session 55: kmsfix saw the call use the table and never looked inside it). Named with the
 * module's file and line and the call: `aws_iam_role.role at modules/api/main.tf:4 in module.api`. `except`: the
 * call of the table's own module. A module that gets the table through a module it calls in turn is not read.
 */
async function passedTo(files: SourceFile[], uses: RegExp, context: DiskContext, except?: string): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    if (!holdsWord(f, 'module') || !uses.test(f.text)) continue;
    for (const b of await siblingBlocks([f])) {
      const source = b.attr('source')?.lit;
      if (b.type !== 'module' || b.labels.length !== 1 || b.labels[0] === except || !uses.test(b.text)) continue;
      if (source?.type !== 'string' || typeof source.value !== 'string' || !/^\.\.?\//.test(source.value)) continue;
      const folder = (await context.folder(f, source.value)) ?? [];
      const variables = (await siblingBlocks(folder)).filter((v) => v.type === 'variable' && v.labels.length === 1);
      for (const g of folder.filter((x) => x.text.includes(WORD)))
        for (const r of boundingBlocks(await siblingBlocks([g])))
          if (setBy(r, b, variables))
            out.push(
              `${address(r)} at ${g.path}${r.start === undefined ? '' : `:${LineIndex.of(g.text).lineOf(r.start) + 1}`} in module.${b.labels[0]}`,
            );
    }
  }
  return out;
}

/**
 * Whether a module's role `r` has a boundary when `call` calls the module: a role whose `permissions_boundary` is one
 * of the module's variables (`var.role_permissions_boundary`, as terraform-aws-modules write it) has one only where the
 * call sets that input, or the variable's default is not null (regression corpus, session 55: every example of
 * terraform-aws-modules/eventbridge and /lambda got a caution for a boundary no call passed). Any other value (a
 * literal, a local, an expression): a boundary, as before (a caution too many is a sentence to check).
 */
function setBy(r: TopBlock, call: TopBlock, variables: TopBlock[]): boolean {
  if (r.type !== 'resource') return true;
  // Read from the block's text: the sibling blocks are the fast parser's, which keeps no attributes of other blocks.
  const name = /^\s*permissions_boundary\s*=\s*var\.([A-Za-z_][\w-]*)\s*(?:#.*|\/\/.*)?$/m.exec(r.text)?.[1];
  if (!name) return true;
  if (new RegExp(`^\\s*"?${escapeRegExp(name)}"?\\s*[=:]`, 'm').test(call.text)) return true;
  const declared = variables.find((v) => v.labels[0] === name);
  const fallback = declared && /^\s*default\s*=\s*(.*?)\s*(?:#.*|\/\/.*)?$/m.exec(declared.text)?.[1];
  // No default: the input is required, so a call that names no value would not plan; a default: a boundary unless null.
  return !fallback || fallback !== 'null';
}

/**
 * Per table label of the module, the boundaries of its callers' folders that use it (see above), each
 * named with its file and line and the call: `aws_iam_role.app at main.tf:9 through module.db`.
 */
async function callerBoundaries(
  file: SourceFile,
  det: TfDetection,
  labels: string[],
  context: DiskContext,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const siblings = await context.siblings();
  const own = summarize(det, file.text);
  if ((await isRootModule(own, siblings)) && !(await calledModule(file, context))) return out;
  // A caller's folder with a boundary, or with a module call that may pass the table on (passedTo).
  const calls = (await callsOf(file, context)).filter((c) => c.folder.some((f) => f.text.includes(WORD) || /\bmodule\s+"/.test(f.text)));
  if (calls.length === 0) return out;
  const outputs = tableOutputs([
    ...own,
    ...(await siblingBlocks(siblings.filter((f) => f.text.includes('output') && f.text.includes('aws_dynamodb_table.')))),
  ]);
  for (const call of calls) {
    const named = new Map<TopBlock, string>();
    for (const f of call.folder.filter((x) => x.text.includes(WORD)))
      for (const b of boundingBlocks(await siblingBlocks([f])))
        named.set(
          b,
          `${address(b)} at ${f.path}${b.start === undefined ? '' : `:${LineIndex.of(f.text).lineOf(b.start) + 1}`} through module.${call.label}`,
        );
    const anyResource = named.size > 0 && call.folder.some((f) => /\bdynamodb:/.test(f.text) && ANY_RESOURCE.test(f.text));
    for (const label of labels) {
      const outs = [...outputs].filter(([, tables]) => tables.has(label)).map(([name]) => name);
      const through =
        outs.length > 0 &&
        new RegExp(`\\bmodule\\.${escapeRegExp(call.label)}(\\[[^\\]]*\\])?\\.(${outs.map(escapeRegExp).join('|')})(?![\\w-])`);
      const inModules = through ? await passedTo(call.folder, through, context, call.label) : [];
      const here = named.size > 0 && (anyResource || (through && call.folder.some((f) => through.test(f.text)))) ? [...named.values()] : [];
      if (here.length + inModules.length > 0) out.set(label, [...(out.get(label) ?? []), ...here, ...inModules]);
    }
  }
  return out;
}

/** The expression that finds a table's address in a text, made once per address (a scan asks it of each module's files). */
const usesMade = new Map<string, RegExp>();
function usesOf(name: string): RegExp {
  let re = usesMade.get(name);
  if (!re) {
    if (usesMade.size >= 4096) usesMade.clear();
    usesMade.set(name, (re = new RegExp(`\\b${name}(?![\\w-])`)));
  }
  return re;
}

export async function boundaryCautions(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<void> {
  const open = det.tables.filter((t) => fixWanted(decide(t.encryption, WAIVABLE)));
  if (open.length === 0) return;
  const where = bounding(await moduleBlocksWith(WORD, file, det, context));
  // A loop, not filter(...).map(...): the array an optimized map makes has another map than the unoptimized map's, and
  // reading it threw this function's optimized code away (`wrong map`) in a dense Terraform scan.
  const tables: string[] = [];
  for (const t of open) if (t.kind === 'table') tables.push(t.label);
  const callers = context && tables.length > 0 ? await callerBoundaries(file, det, tables, context) : new Map<string, string[]>();
  // The local modules this module passes a table to (`dynamodb_arn = aws_dynamodb_table.orders.arn`, or a table
  // module's output, `module.table.dynamodb_table_arn`): their roles' boundaries (passedTo).
  const files = context ? [file].concat(await context.siblings()).filter((f) => holdsWord(f, 'module')) : [];
  const passed = new Map<string, string[]>();
  if (context && files.length > 0)
    for (const t of open) {
      const name =
        t.kind === 'table'
          ? `aws_dynamodb_table\\.${escapeRegExp(t.label)}`
          : t.kind === 'module'
            ? `module\\.${escapeRegExp(t.label)}(\\[[^\\]]*\\])?\\.[\\w-]+`
            : undefined;
      if (name) passed.set(t.label, await passedTo(files, usesOf(name), context, t.kind === 'module' ? t.label : undefined));
    }
  for (const t of det.tables) {
    const all = [...new Set([...where, ...((t.kind === 'table' && callers.get(t.label)) || []), ...(passed.get(t.label) ?? [])])];
    if (all.length > 0) (t.encryption.cautions ??= []).push({ kind: 'permissions-boundary', where: all });
  }
}
