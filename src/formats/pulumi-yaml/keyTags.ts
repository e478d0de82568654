/**
 * The tags a Pulumi YAML table's generated key takes from the table (docs/formats/pulumi-yaml.md): its `properties.tags`
 * as written, so that an SCP requiring `aws:RequestTag/...` on kms:CreateKey, cost allocation and ABAC see the key as
 * they see the table (cloudformation/keyTags.ts, terraform/keyTags.ts and typescript/keyTags.ts do the same for their
 * families). Pulumi YAML resolves a `${name}` anywhere in the program, so a value reads the same on the key; one
 * that names a resource of the program (`${queue.arn}`, the table itself, or a variable computed from one) is left
 * out: the key would depend on that resource, which may depend on the table, which depends on the key (a cycle
 * `pulumi up` rejects). fix.ts merges them with `key: tags` (keyTags), which win on a tag key both name.
 */
import { child, resolveAlias, type CNode } from '../yaml/tree.js';
import type { Value } from '../yaml/values.js';
import { section } from './casing.js';
import { SSE_PATH, type Program, type PulumiTable } from './tableTypes.js';

/** A table's tags as its key takes them: a map's entries one by one, or an expression (`${tags}`, `fn::...`) whole. */
export type TableTags = { entries: [string, Value][] } | { whole: Value };

/**
 * A value of the program as a value to write again on the key: plain data, YAML aliases followed. Undefined for what
 * is not (a null, a `!` tag, a merge key, a code value).
 */
function copiedValue(node0: CNode | null | undefined, depth = 0): Value | undefined {
  const node = resolveAlias(node0);
  if (!node || node.code || node.tag || depth > 32) return undefined;
  if (node.kind === 'scalar') {
    const v = node.value;
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
  }
  if (node.kind === 'seq') {
    const items = node.items.map((item) => copiedValue(item, depth + 1));
    return items.every((v) => v !== undefined) ? (items as Value[]) : undefined;
  }
  if (node.kind !== 'map') return undefined;
  const out: { [key: string]: Value } = {};
  for (const p of node.pairs) {
    const v = p.key === '<<' ? undefined : copiedValue(p.value, depth + 1);
    if (v === undefined) return undefined;
    out[p.key] = v;
  }
  return out;
}

/** The names a value's interpolations start with (`${queue.arn}`: queue; `$${x}` is a literal). */
function referencedNames(node: CNode | null | undefined, out: Set<string>, depth = 0): Set<string> {
  const n = resolveAlias(node);
  if (!n || depth > 32) return out;
  if (n.kind === 'scalar') {
    if (typeof n.value === 'string') for (const m of n.value.matchAll(/(\$*)\$\{\s*([^.[}\s]+)/g)) if (m[1].length % 2 === 0) out.add(m[2]);
  } else if (n.kind === 'seq') for (const item of n.items) referencedNames(item, out, depth + 1);
  else if (n.kind === 'map') for (const p of n.pairs) referencedNames(p.value, out, depth + 1);
  return out;
}

/** Whether a value names a resource of the program, itself or through the program's variables. */
function namesResource(node: CNode | null | undefined, program: Program, seen = new Set<string>()): boolean {
  const variables = section(program.root, 'variables');
  for (const name of referencedNames(node, new Set())) {
    if (child(program.resources, name) !== undefined) return true;
    const variable = child(variables, name);
    if (variable === undefined || seen.has(name)) continue;
    seen.add(name);
    if (namesResource(variable, program, seen)) return true;
  }
  return false;
}

/** A Pulumi YAML function call (`fn::invoke: ...`), a mapping of one `fn::` key. */
const isCall = (n: CNode) => n.kind === 'map' && n.pairs.length === 1 && n.pairs[0].key.startsWith('fn::');

/**
 * A table's own tags: a map's entries (each value as written, one naming a resource left out), or a `${...}` or
 * `fn::` expression whole (none when it names a resource). Undefined: none, or what cannot be copied (a merge key, a
 * null, a `!` tag).
 */
export function tableTags(t: PulumiTable): TableTags | undefined {
  const tags = resolveAlias(child(resolveAlias(child(t.resource, SSE_PATH.properties)), 'tags'));
  if (!tags) return undefined;
  if (tags.kind === 'scalar' || isCall(tags)) {
    if (tags.kind === 'scalar' && !(typeof tags.value === 'string' && tags.value.includes('${'))) return undefined;
    const whole = copiedValue(tags);
    return whole === undefined || namesResource(tags, t.program) ? undefined : { whole };
  }
  if (tags.kind !== 'map') return undefined;
  const entries: [string, Value][] = [];
  for (const p of tags.pairs) {
    const v = p.key === '<<' ? undefined : copiedValue(p.value, 1);
    if (v === undefined) return undefined;
    if (!namesResource(p.value, t.program)) entries.push([p.key, v]);
  }
  return entries.length > 0 ? { entries } : undefined;
}

/** The tags of a key shared by `tables`: theirs when every table has the same (none otherwise). */
export function sharedTags(tables: PulumiTable[]): TableTags | undefined {
  const all = tables.map(tableTags);
  const first = JSON.stringify(all[0]);
  return all[0] !== undefined && all.every((x) => JSON.stringify(x) === first) ? all[0] : undefined;
}

/**
 * A key's `tags` map: the table's own entries, then `key: tags`, which win on a tag key both name (the table's entry
 * left out). A table's tags given by an expression whole are kept where `key: tags` is empty, and give way to them
 * otherwise (Pulumi YAML has no function to merge two maps). Undefined: no tags.
 */
export function keyTags(table: TableTags | undefined, settings: Record<string, string>): Value | undefined {
  const own = Object.entries(settings);
  if (table && 'whole' in table) return own.length > 0 ? Object.fromEntries(own) : table.whole;
  const kept = (table?.entries ?? []).filter(([k]) => !Object.hasOwn(settings, k));
  const tags = [...kept, ...own];
  return tags.length > 0 ? Object.fromEntries(tags) : undefined;
}
