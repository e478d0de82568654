/**
 * What of a Terraform file needs its module's inputs evaluated (inputs.ts, evaluate.ts): the tables
 * whose encryption switch or key reads a variable or a local (or a registry call's creation switch or
 * replica Regions: callSwitches.ts), and the calls of local modules.
 * Cheap and loaded with detection: a file with neither (most files) loads and reads no evaluation.
 */
import { quotedEnd } from '../../core/hclStrings.js';
import type { TfDetection, TfTable } from './detect.js';
import { attr, blocks, dynamicBlocks, type HAttr, type HBlock } from './parse.js';
import { switchObstacles } from './callSwitches.js';
import { isObj, readValue } from './hclvalue.js';
import { templateSource } from './templateSources.js';

/** Does the expression read a variable or a local (so that evaluating it says more than its text)? */
export function readsInputs(expr: string): boolean {
  return /\b(var|local)\.[A-Za-z_]/.test(expr);
}

/**
 * The expression inside a template that is one interpolation and nothing else (`"${var.enc}"`,
 * Terraform 0.11's way to write `var.enc`): Terraform 0.12 and later give such a template the
 * value of that expression, unconverted. undefined for any other expression (`"${a}-x"`,
 * `"${a}${b}"`, `"%{if ...}"`). Strings inside the interpolation are skipped; one whose own
 * templates hold quotes may not be read (then undefined: left as the expression it is).
 */
export function soleInterpolation(expr: string): string | undefined {
  const s = expr.trim();
  if (!s.startsWith('"${') || !s.endsWith('}"')) return undefined;
  let depth = 1;
  for (let i = 3; i < s.length; i++) {
    const c = s[i];
    if (c === '"') i = quotedEnd(s, i) - 1;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i === s.length - 2 ? s.slice(3, i).trim() || undefined : undefined;
  }
  return undefined;
}

const NAME = String.raw`aws_kms_key\.([A-Za-z_][\w-]*)`;
const SPLAT = String.raw`${NAME}(?:\[\*\]|\.\*)\.arn`;
const EMPTY = String.raw`(?:""|null)`;
const EMPTY_LIST = String.raw`(?:\[\s*""\s*\]|list\(\s*""\s*\))`;

/** Each form, and what it gives when the key has no instance. */
const FORMS: { re: RegExp; empty: (m: RegExpExecArray) => null | '' }[] = [
  { re: new RegExp(String.raw`^one\(\s*${SPLAT}\s*\)$`), empty: () => null },
  { re: new RegExp(String.raw`^join\(\s*"[^"\\]*"\s*,\s*${SPLAT}\s*\)$`), empty: () => '' },
  { re: new RegExp(String.raw`^element\(\s*concat\(\s*${SPLAT}\s*,\s*${EMPTY_LIST}\s*\)\s*,\s*0\s*\)$`), empty: () => '' },
  { re: new RegExp(String.raw`^concat\(\s*${SPLAT}\s*,\s*${EMPTY_LIST}\s*\)\[0\]$`), empty: () => '' },
  { re: new RegExp(String.raw`^try\(\s*${NAME}\[0\]\.arn\s*,\s*(${EMPTY})\s*\)$`), empty: (m) => (m[2] === 'null' ? null : '') },
];

/**
 * A key reached through a function that gives null or "" when a counted aws_kms_key has no instance
 * (countedKeys.ts reads its count). The key resource an expression reaches through one of the forms, and what the
 * expression is without an instance.
 */
export function countedKeyForm(expr: string): { name: string; empty: null | '' } | undefined {
  let s = soleInterpolation(expr) ?? expr.trim();
  // `(one(aws_kms_key.k[*].arn))`: the parentheses around it change nothing.
  while (s.startsWith('(') && s.endsWith(')') && balanced(s.slice(1, -1))) s = s.slice(1, -1).trim();
  if (!s.includes('aws_kms_key.')) return undefined;
  for (const f of FORMS) {
    const m = f.re.exec(s);
    if (m) return { name: m[1], empty: f.empty(m) };
  }
  return undefined;
}

/** Whether a text's parentheses pair up (so `(a)` around it can be dropped, and not those of `(a) + (b)`). */
function balanced(s: string): boolean {
  let depth = 0;
  for (const c of s) {
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** A module source that is a folder of this repository (`./modules/x`, `../../`). */
export const LOCAL_SOURCE = /^\.\.?(\/|$)/;

export interface InputUses {
  /** The file's tables (and replica resources) whose switch or key reads inputs. */
  own: TfTable[];
  /** Its calls of local modules (not a local copy of the registry module, which is a table of `det`). */
  calls: HBlock[];
}

/** The attributes that hold a table's encryption switch and key, as its kind writes them. */
export function encryptionAttrs(t: TfTable): { enabled?: HAttr; key?: HAttr } {
  if (t.kind === 'module') {
    const m = t.registry;
    return m ? { enabled: attr(t.block, m.enabled.input), key: attr(t.block, m.key) } : {};
  }
  if (t.kind === 'table-replica') return { key: attr(t.block, 'kms_key_arn') };
  const sse = blocks(t.block, 'server_side_encryption')[0];
  return { enabled: attr(sse, 'enabled'), key: attr(sse, 'kms_key_arn') };
}

/**
 * The collection a `for_each` repeats over, where kmsfix can list it. `base`: what `each.value` is an entry of (read by
 * an index kmsfix does not know): `var.tables`, `local.tables`, the one a `for` expression keys by an attribute (`{ for t
 * in var.tables : t.name => t }`, a filter taken as none: every entry counts), a map written in place (`{ a = {...} }`),
 * a set (`toset([...])`, `toset(var.names)`: its items), or a list written in place (a `dynamic` block's, whose
 * `<iterator>.value` is an item). `keys`: what `each.key` is an entry of, where kmsfix reads it: a set's own items, the
 * keys of a map written in place, those of a map variable or local (`keys(var.tables)`: a set's items where it is one).
 */
export interface EachCollection {
  base: string;
  keys?: string;
}

export function collectionOf(e: HAttr | undefined): EachCollection | undefined {
  if (!e || e.lit) return undefined;
  const s = (soleInterpolation(e.value) ?? e.value).trim();
  // A map (or set) variable or local: its keys are `keys(var.tables)`, read as such (structured.ts valuesOf).
  if (NAMED.test(s)) return { base: s, keys: `keys(${s})` };
  const set = /^toset\s*\(([\s\S]*)\)$/.exec(s)?.[1].trim();
  if (set !== undefined && (NAMED.test(set) || (set.startsWith('[') && set.endsWith(']')))) return { base: set, keys: set };
  const m =
    /^\{\s*for\s+(?:[A-Za-z_]\w*\s*,\s*)?([A-Za-z_]\w*)\s+in\s+((?:var|local)\.[A-Za-z_][\w-]*)\s*:[\s\S]*?=>\s*([A-Za-z_]\w*)\s*(?:if\s[\s\S]*)?\}$/.exec(
      s,
    );
  if (m) return m[3] === m[1] ? { base: m[2] } : undefined;
  if (s.startsWith('[') && s.endsWith(']')) return { base: s };
  if (!s.startsWith('{') || !s.endsWith('}') || /^\{\s*for\s/.test(s)) return undefined;
  const v = readValue(s);
  return isObj(v) ? { base: s, keys: JSON.stringify([...v.obj.keys()]) } : undefined;
}

const NAMED = /^(?:var|local)\.[A-Za-z_][\w-]*$/;

/** The collection a table (or call) repeated by `for_each` is repeated over, where kmsfix can list it (collectionOf). */
export const eachCollection = (b: HBlock): EachCollection | undefined => collectionOf(attr(b, 'for_each'));

/**
 * What `each.value` of a table repeated by `for_each` is an entry of, where kmsfix can list the collection
 * (collectionOf). A key read from it (`each.value.kms_key_arn`) is read as `var.tables[each.key]...`.
 */
export const eachValueBase = (b: HBlock): string | undefined => eachCollection(b)?.base;

/** A key read from `each.value` (or `each.key`, where kmsfix reads it) of a collection kmsfix can list (collectionOf). */
export function readsEachValue(key: HAttr | undefined, b: HBlock): boolean {
  if (!key || key.lit) return false;
  const each = eachCollection(b);
  return !!each && (/\beach\.value\b/.test(key.value) || (each.keys !== undefined && /\beach\.key\b/.test(keyReads(key.value))));
}

/**
 * A key's text without the instances of resources, data sources and modules it picks by `each.key` (`aws_kms_key.k[each.key].arn`:
 * a key of each instance whatever the collection holds), so that only `each.key` read as a value, or as a map's key, is left.
 */
const keyReads = (v: string) => v.replace(/\b(?!(?:var|local|each)\.)[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*\[\s*each\.key\s*\]/g, '');

/**
 * A dynamic block's `kms_key_arn` that is its iterator's entry (`replica.value.kms_key_arn`, `replica.key`; `iterator = r`:
 * `r.value`), not a read it indexes (`var.keys[replica.key]`: a map read as written): that expression, and the `each.`
 * reference it is read as over the block's `for_each` (instanceKeys.ts iteratedKey). undefined otherwise.
 */
export function iteratorEntry(d: HBlock, key: HAttr): { expr: string; asEach: string } | undefined {
  const it = (attr(d, 'iterator')?.value.trim() || d.labels[0]).replace(/[^\w-]/g, '');
  const expr = (soleInterpolation(key.value) ?? key.value).trim();
  const m = new RegExp(String.raw`^${it}\.(value(?:\.[A-Za-z_][\w-]*)*|key)$`).exec(expr);
  return m ? { expr, asEach: `each.${m[1]}` } : undefined;
}

/** A table's dynamic replicas whose key is the iterator's entry of a `for_each` that reads the module's inputs (`var.replicas`). */
export function iteratedReplicas(t: TfTable): { d: HBlock; key: HAttr; forEach: HAttr }[] {
  if (t.kind !== 'table') return [];
  return dynamicBlocks(t.block, 'replica').flatMap((d) => {
    const key = attr(blocks(d, 'content')[0], 'kms_key_arn');
    const forEach = attr(d, 'for_each');
    return key && !key.lit && forEach && !forEach.lit && readsInputs(forEach.value) && iteratorEntry(d, key) ? [{ d, key, forEach }] : [];
  });
}

export function inputUses(det: TfDetection): InputUses {
  const reads = (a: HAttr | undefined) => !!a && !a.lit && readsInputs(a.value);
  const own = det.tables.filter((t) => {
    const { enabled, key } = encryptionAttrs(t);
    // A key through a counted aws_kms_key (`one(aws_kms_key.k[*].arn)`): its count may read inputs (countedKeys.ts).
    if (reads(enabled) || reads(key) || (!!key && !key.lit && countedKeyForm(key.value) !== undefined)) return true;
    // A registry call's creation switch or replica Regions from the module's inputs (callSwitches.ts).
    if (switchObstacles(t.encryption.obstacles).length > 0) return true;
    // A dynamic replica's key read from its iterator over the module's inputs (`for_each = var.replicas`).
    if (iteratedReplicas(t).length > 0) return true;
    return (t.kind !== 'module' || t.registry !== undefined) && readsEachValue(key, t.block);
  });
  const all = det.hcl?.blocks ?? det.json?.blocks ?? [];
  // A local copy of the registry module (`../terraform-aws-modules/terraform-aws-dynamodb-table`) is read as the registry module.
  const registry = new Set(det.tables.map((t) => t.block));
  const calls = all.filter((b) => {
    const source = attr(b, 'source');
    const src = source?.lit;
    // A template source (OpenTofu's `"../modules/${var.flavor}"`) too: inputs.ts evaluates it (templateSources.ts).
    const local = src ? src.type === 'string' && LOCAL_SOURCE.test(src.value) : templateSource(source?.value) !== undefined;
    return b.type === 'module' && b.labels.length === 1 && local && !registry.has(b);
  });
  return { own, calls };
}
