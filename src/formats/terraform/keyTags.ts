/**
 * The tags a table's generated key takes from the table (docs/terraform.md, "What a fix writes"): its `tags` expression as
 * written (`var.tags`, a literal map, `merge(...)`), so that an SCP requiring `aws:RequestTag/...` on kms:CreateKey,
 * cost allocation and ABAC see the key as they see the table. fix.ts merges it with `key: tags`.
 */
import { attr, type HBlock } from './parse.js';

/** What a target tells of its table's tags. */
export interface TaggedTable {
  table: { kind: string; block: HBlock };
  /** The table's file is Terraform JSON (its tags, a JSON value there, are not copied). */
  json: boolean;
  /** The table's own count/for_each, which its own key repeats. */
  repeat?: unknown;
}

/** Names only one instance of a repeated block has (`each.value.tags`, `count.index`). */
const PER_INSTANCE = /\b(?:each|count)\s*\./;

/** Roots of references that are no managed resource. */
const NOT_RESOURCES = new Set(['var', 'local', 'data', 'module', 'each', 'count', 'path', 'terraform', 'self']);

/** Whether an expression reads `<type>.<name>` of a managed resource (string literals' text left aside). */
function readsResource(expression: string): boolean {
  const code = expression.replace(/"(?:[^"\\$]|\\.|\$(?!\{))*"/g, '""');
  for (const m of code.matchAll(/(?<![\w.])([a-z][a-z0-9_]*)\.[A-Za-z_]/g)) if (!NOT_RESOURCES.has(m[1])) return true;
  return false;
}

/** A table resource's `tags` expression as written, trimmed; undefined where it has none or it cannot be copied. */
function tagsOf(t: TaggedTable): string | undefined {
  if (t.json || (t.table.kind !== 'table' && t.table.kind !== 'table-replica')) return undefined;
  const v = attr(t.table.block, 'tags')?.value.trim();
  // A heredoc's lines would be indented again in a merge() (render.ts mapLines): not copied. Nor one that reads a
  // managed resource (`aws_iam_role.app.name`): the key would depend on it, which may depend on the table, which
  // depends on the key (a cycle).
  return v && v !== 'null' && v !== '{}' && !/<<-?\s*[A-Za-z_]/.test(v) && !readsResource(v) ? v : undefined;
}

/**
 * The `tags` expression of the key for `tables` (one table, or all those a shared key serves): the table's own; for
 * a shared key, theirs when every table writes the same expression. An expression that reads `each.` or `count.`
 * only on a key that repeats as its table does (a table's own key; never a shared key). Undefined: none.
 */
export function keyTagsExpression(tables: TaggedTable[], shared: boolean): string | undefined {
  const all = tables.map(tagsOf);
  const first = all[0];
  if (first === undefined || all.some((x) => x === undefined || x.replace(/\s+/g, ' ') !== first.replace(/\s+/g, ' '))) return undefined;
  if (PER_INSTANCE.test(first) && (shared || tables[0].repeat === undefined)) return undefined;
  return first;
}
