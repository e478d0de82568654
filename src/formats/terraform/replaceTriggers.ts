/**
 * Resources of the module whose `lifecycle { replace_triggered_by = [...] }` names a table a fix would change.
 * Terraform replaces such a resource when the item it names changes (the lifecycle meta-argument's reference):
 * a resource or one of its instances (`aws_dynamodb_table.a`, `aws_dynamodb_table.a[0]`, `...a["k"]`) on any update
 * of it, an attribute (`aws_dynamodb_table.a.server_side_encryption`) when that attribute changes. A fix updates the
 * table's `server_side_encryption` (and its replicas' keys, when it has replicas), never its `arn`, `id` or `name`:
 * a trigger naming the table whole or an attribute the fix edits would have the fix's `terraform apply` replace the
 * other resource: another table becomes a new, empty one (its items lost), anything else is re-created (an outage).
 * Such a table is not fixed. Only references to managed resources are valid there (no local, no variable: Terraform
 * refuses them), so an entry that mentions the table in any other shape (a `for` expression) is not read and declines
 * the table too.
 */
import { escapeRegExp, LineIndex } from '../../core/text.js';
import type { Obstacle, ReplaceTrigger } from '../../rule/facts.js';
import { isExpr, isObj, isStr, items, readBody, type Value } from './hclvalue.js';
import type { TopBlock } from './topBlocks.js';

/** A file of the module and its top blocks. */
export interface ModuleFile {
  path: string;
  text: string;
  tops: TopBlock[];
}

/** The word every trigger is written with (a module's other files are asked it once each: topBlocks.ts holdsWord). */
export const TRIGGER_WORD = 'replace_triggered_by';

/** Whether a file's text may hold a trigger at all (a word search before any parse). */
export function holdsTriggers(text: string): boolean {
  return text.includes(TRIGGER_WORD);
}

/** A resource of the module as the trigger reader needs it. */
interface Resource {
  address: string;
  path: string;
  text: string;
  top: TopBlock;
  /** Its replace_triggered_by entries, as written. */
  entries: string[];
  /** Its arguments and blocks other than lifecycle and depends_on, as written (what makes it change with another). */
  inputs: string;
}

/** What changes with a fix: the table (only `edited` attributes change) or a resource changed through it (anything may). */
interface Changed {
  edited?: string[];
  /** The resources through which it changes with the table, from the first to itself (the table's: none). */
  chain: string[];
}

/**
 * The obstacle for `aws_dynamodb_table.<label>` when a resource of `files` (the table's own excepted) names it in its
 * replace_triggered_by, whole or through an attribute of `edited` (what the fix changes: server_side_encryption, replica),
 * or names a resource that changes with it: a `terraform_data` whose `input` or `triggers_replace` (a `null_resource`'s
 * `triggers`, any resource's argument) reads the table whole or an edited attribute is updated or replaced by the same
 * apply, and so is replaced whatever names it in turn (Terraform's documented use of terraform_data), to any depth.
 */
export function replaceTriggerObstacle(label: string, edited: string[], files: ModuleFile[]): Obstacle | undefined {
  if (!files.some((f) => holdsTriggers(f.text))) return undefined;
  const table = `aws_dynamodb_table.${label}`;
  const resources = resourcesOf(files).filter((r) => r.address !== table);
  const changed = new Map<string, Changed>([[table, { edited, chain: [] }]]);
  const triggers: ReplaceTrigger[] = [];
  // A resource found changing through an argument may be found replaced later, through a trigger naming another.
  const replaced = new Set<string>();
  for (let grown = true; grown; ) {
    grown = false;
    for (const r of resources) {
      if (replaced.has(r.address)) continue;
      const hit = replacedBy(r, changed, triggers);
      if (hit) replaced.add(r.address);
      const change = hit ?? (changed.has(r.address) ? undefined : changedWith(r, changed));
      if (change) {
        if (!changed.has(r.address)) changed.set(r.address, change);
        grown = true;
      }
    }
  }
  return triggers.length > 0 ? { kind: 'replace-triggers', table, triggers } : undefined;
}

/** The module's resources, read once for every table of a file (the same `files` array). */
const read = new WeakMap<ModuleFile[], Resource[]>();

function resourcesOf(files: ModuleFile[]): Resource[] {
  let out = read.get(files);
  if (!out) {
    out = files.flatMap((f) =>
      f.tops.flatMap((t) =>
        t.type === 'resource' && t.labels.length >= 2 ? [resourceOf(f, t)] : t.type === 'locals' ? localsOf(f, t) : [],
      ),
    );
    read.set(files, out);
  }
  return out;
}

function resourceOf(f: ModuleFile, t: TopBlock): Resource {
  const address = t.labels.slice(0, 2).join('.');
  const body = readBody(t.text);
  const args = isObj(body) ? body.obj : new Map<string, Value>();
  const inputs = [...args].filter(([k]) => k !== 'lifecycle' && k !== 'depends_on').map(([k, v]) => `${k} = ${entryText(v)}`);
  const entries = t.text.includes(TRIGGER_WORD)
    ? items(args.get('lifecycle'))
        .flatMap((l) => (isObj(l) ? items(l.obj.get(TRIGGER_WORD)) : []))
        .map(entryText)
    : [];
  return { address, path: f.path, text: f.text, top: t, entries, inputs: inputs.join('\n') };
}

/**
 * Each local of a `locals` block, as a resource that changes with what it reads (`local.sse =
 * aws_dynamodb_table.orders.server_side_encryption`, read by a terraform_data's `input`: adversarial pass 2 of session
 * 58, F3): no trigger of its own.
 */
function localsOf(f: ModuleFile, t: TopBlock): Resource[] {
  const body = readBody(t.text);
  if (!isObj(body)) return [];
  return [...body.obj].map(([name, v]) => ({
    address: `local.${name}`,
    path: f.path,
    text: f.text,
    top: t,
    entries: [],
    inputs: entryText(v),
  }));
}

/** The first entry of `r`'s replace_triggered_by that names what changes (recorded in `triggers`): `r` is replaced. */
function replacedBy(r: Resource, changed: Map<string, Changed>, triggers: ReplaceTrigger[]): Changed | undefined {
  for (const entry of r.entries) {
    for (const [address, c] of changed) {
      if (!mentions(entry, address)) continue;
      const read = reads(entry, address, c.edited);
      if (read === 'unchanged') continue;
      triggers.push({
        resource: r.address,
        at: `${r.path}:${lineOf(r.text, r.top)}`,
        entry,
        table: r.top.labels[0] === 'aws_dynamodb_table',
        ...(read === 'unread' ? { unread: true as const } : {}),
        ...(c.chain.length > 0 ? { via: c.chain } : {}),
      });
      return { chain: [...c.chain, r.address] };
    }
  }
  return undefined;
}

/** What `r` changes with: an argument reading a changed resource (the table: whole, or an attribute the fix edits). */
function changedWith(r: Resource, changed: Map<string, Changed>): Changed | undefined {
  for (const [address, c] of changed) {
    if (!mentions(r.inputs, address)) continue;
    const re = new RegExp(`${addressPattern(address)}\\s*(?:\\[[^\\]]*\\]\\s*)*(?:\\.\\s*([A-Za-z_][\\w-]*))?`, 'g');
    for (const m of r.inputs.matchAll(re)) {
      if (c.edited === undefined || m[1] === undefined || c.edited.includes(m[1])) return { chain: [...c.chain, r.address] };
    }
  }
  return undefined;
}

/** An address as a regular expression's source (`type.label`, spaces allowed around the dot, not a longer name). */
const addressPattern = (address: string) => `\\b${escapeRegExp(address).replace('\\.', '\\s*\\.\\s*')}(?![\\w-])`;

function mentions(text: string, address: string): boolean {
  return new RegExp(addressPattern(address)).test(text);
}

/**
 * An entry as written: an expression, or a Terraform JSON string (its `${...}` taken off); a tuple or object (what a
 * `for` expression reads as) as its parts, written back well enough to tell whether they mention the table.
 */
function entryText(v: Value): string {
  if (isExpr(v)) return v.expr;
  if (isStr(v)) return /^\$\{([\s\S]*)\}$/.exec(v.str.trim())?.[1].trim() ?? v.str.trim();
  if (Array.isArray(v)) return `[${v.map(entryText).join(', ')}]`;
  return `{${[...v.obj].map(([k, x]) => `${k} = ${entryText(x)}`).join(', ')}}`;
}

/**
 * What a trigger naming a changed resource makes of a fix: `replaced` (it whole, an instance of it, an attribute that
 * changes: for the table, one the fix edits; for a resource changed through it, any), `unchanged` (an attribute of the
 * table the fix leaves as it is: arn, id, name...), `unread` (another shape).
 */
function reads(entry: string, address: string, edited: string[] | undefined): 'replaced' | 'unchanged' | 'unread' {
  const ref = new RegExp(`^${escapeRegExp(address)}(?:\\[[^\\]]*\\])?((?:\\.[A-Za-z_][\\w-]*|\\[[^\\]]*\\])*)$`).exec(
    entry.replace(/\s+/g, ''),
  );
  if (!ref) return 'unread';
  const root = /^\.([A-Za-z_][\w-]*)/.exec(ref[1])?.[1];
  return root === undefined || edited === undefined || edited.includes(root) ? 'replaced' : 'unchanged';
}

/** The line of the block's replace_triggered_by (1-based). */
function lineOf(text: string, t: TopBlock): number {
  const start = t.start ?? Math.max(0, text.indexOf(t.text));
  return LineIndex.of(text).position(start + Math.max(0, t.text.indexOf(TRIGGER_WORD))).line;
}
