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

const WORD = 'replace_triggered_by';

/** Whether a file's text may hold a trigger at all (a word search before any parse). */
export function holdsTriggers(text: string): boolean {
  return text.includes(WORD);
}

/**
 * The obstacle for `aws_dynamodb_table.<label>` when a resource of `files` (the table's own excepted) names it in its
 * replace_triggered_by, whole or through an attribute of `edited` (what the fix changes: server_side_encryption, replica).
 */
export function replaceTriggerObstacle(label: string, edited: string[], files: ModuleFile[]): Obstacle | undefined {
  const table = `aws_dynamodb_table.${label}`;
  const mention = new RegExp(`\\baws_dynamodb_table\\s*\\.\\s*${escapeRegExp(label)}(?![\\w-])`);
  const triggers: ReplaceTrigger[] = [];
  for (const f of files) {
    if (!holdsTriggers(f.text)) continue;
    for (const t of f.tops) {
      if (t.type !== 'resource' || !t.text.includes(WORD) || !mention.test(t.text)) continue;
      if (t.labels[0] === 'aws_dynamodb_table' && t.labels[1] === label) continue;
      for (const entry of triggerEntries(t.text)) {
        const written = entryText(entry);
        if (!mention.test(written)) continue;
        const read = reads(written, label, edited);
        if (read === 'unchanged') continue;
        triggers.push({
          resource: t.labels.join('.'),
          at: `${f.path}:${lineOf(f.text, t)}`,
          entry: written,
          table: t.labels[0] === 'aws_dynamodb_table',
          ...(read === 'unread' ? { unread: true as const } : {}),
        });
      }
    }
  }
  return triggers.length > 0 ? { kind: 'replace-triggers', table, triggers } : undefined;
}

/** The entries of a resource block's `lifecycle` replace_triggered_by lists (HCL blocks, or Terraform JSON objects). */
function triggerEntries(blockText: string): Value[] {
  const body = readBody(blockText);
  if (!isObj(body)) return [];
  return items(body.obj.get('lifecycle')).flatMap((l) => (isObj(l) ? items(l.obj.get(WORD)) : []));
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
 * What a trigger naming the table makes of a fix: `replaced` (the table whole, an instance of it, an attribute the fix
 * edits), `unchanged` (an attribute the fix leaves as it is: arn, id, name...), `unread` (another shape).
 */
function reads(entry: string, label: string, edited: string[]): 'replaced' | 'unchanged' | 'unread' {
  const ref = new RegExp(`^aws_dynamodb_table\\.${escapeRegExp(label)}(?:\\[[^\\]]*\\])?((?:\\.[A-Za-z_][\\w-]*|\\[[^\\]]*\\])*)$`).exec(
    entry.replace(/\s+/g, ''),
  );
  if (!ref) return 'unread';
  const root = /^\.([A-Za-z_][\w-]*)/.exec(ref[1])?.[1];
  return root === undefined || edited.includes(root) ? 'replaced' : 'unchanged';
}

/** The line of the block's replace_triggered_by (1-based). */
function lineOf(text: string, t: TopBlock): number {
  const start = t.start ?? Math.max(0, text.indexOf(t.text));
  return LineIndex.of(text).position(start + Math.max(0, t.text.indexOf(WORD))).line;
}
