/**
 * One node tree for YAML and JSON templates, with exact offsets into the text, so that detection
 * and editing are written once. YAML comes from a fast parser for the usual subset of YAML
 * (yamlfast.ts) and, for anything outside it, from `yaml` (short tags kept as `tag`); JSON from a
 * fast strict parser (jsonfast.ts) and, on any error, from `jsonc-parser` (strict: no comments, no
 * trailing commas), which reports it.
 *
 * Offsets: `start` is where a node's own text starts (after its tag); `end` is where it ends:
 * after a scalar's last character (a block scalar's last content line, with its line break), after
 * a flow collection's closing bracket, and for a block collection the `end` of its last item, so
 * that comments and blank lines after a collection are never part of it.
 */
import type * as Yaml from 'yaml';
import type * as Jsonc from 'jsonc-parser';
import type { Node as YNode } from 'yaml';
import type { Node as JNode, ParseError as JParseError } from 'jsonc-parser';
import { lazyRequire } from '../../core/lazy.js';
import { LineIndex, renderedName } from '../../core/text.js';
import { parseYamlFast } from './yamlfast.js';
import { parseJsonFast } from './jsonfast.js';
import { joinUnderIndented } from './underIndented.js';
import { ParseError } from '../../core/types.js';
import { countParse, fastParserOn } from '../../core/fastparse.js';

interface Base {
  start: number;
  end: number;
  tag?: string;
  /** The YAML anchor on this node (`&name`), if any; aliases to it point here. */
  anchor?: string;
  /** A flow collection (`{}` / `[]`), which includes every JSON collection. */
  flow: boolean;
  /**
   * A value computed in code, which kmsfix does not read (a TypeScript expression in a serverless.ts handed to the
   * CloudFormation readers: src/formats/typescript/cfnTree.ts), as a scalar without a value: what it is is not known.
   */
  code?: true;
}
export interface CPair {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: CNode | null;
}
export interface CMap extends Base {
  kind: 'map';
  pairs: CPair[];
}
export interface CSeq extends Base {
  kind: 'seq';
  items: CNode[];
}
export interface CScalar extends Base {
  kind: 'scalar';
  value: unknown;
  quote: 'plain' | 'single' | 'double' | 'block';
}
export interface CAlias extends Base {
  kind: 'alias';
  /** The anchor's name (`*name`). */
  source: string;
  /** The anchored node, or null if it could not be resolved (a circular reference). */
  target: CNode | null;
}
export type CNode = CMap | CSeq | CScalar | CAlias;

export interface ParsedDoc {
  root: CNode | null;
  /**
   * Where the document's YAML aliases start, in text order; absent when it holds none (both parsers
   * read aliases; each points at its anchored node).
   */
  aliases?: number[];
  /**
   * Offsets of keys that repeat an earlier key of their mapping, when the caller asked to read past
   * them (`parseYaml(text, true)`): both pairs are kept in the tree, and the caller must report them.
   */
  duplicates?: number[];
}

/** The node an alias stands for (following chains of aliases); any other node itself. */
export function resolveAlias(node: CNode | null): CNode | null;
export function resolveAlias(node: CNode | null | undefined): CNode | null | undefined;
export function resolveAlias(node: CNode | null | undefined): CNode | null | undefined {
  let n = node;
  for (let depth = 0; n?.kind === 'alias' && depth < 64; depth++) n = n.target;
  return n?.kind === 'alias' ? null : n;
}

/** A YAML merge key (`<<: *defaults`). */
export const MERGE_KEY = '<<';

/** The maps a merge key's value brings in, in priority order (`<<: *a` or `<<: [*a, *b]`). */
export function mergedMaps(value: CNode | null): CMap[] {
  const v = resolveAlias(value);
  const list = v?.kind === 'seq' ? v.items.map((i) => resolveAlias(i)) : [v];
  return list.filter((m): m is CMap => m?.kind === 'map');
}

/**
 * The keys of a mapping as YAML resolves it: its own, then those its merge keys bring in (each mapping read once,
 * 33 merge keys down at most), without the merge keys themselves. `pair` gives each one's value.
 */
export function resolvedKeys(map: CNode | null | undefined): string[] {
  const keys = new Set<string>();
  const seen = new Set<CMap>();
  const visit = (n: CNode | null | undefined, depth: number) => {
    const m = resolveAlias(n);
    if (m?.kind !== 'map' || seen.has(m) || depth > 32) return;
    seen.add(m);
    for (const p of m.pairs) if (p.key !== MERGE_KEY) keys.add(p.key);
    for (const p of m.pairs) if (p.key === MERGE_KEY) for (const source of mergedMaps(p.value)) visit(source, depth + 1);
  };
  visit(map, 0);
  return [...keys];
}

/** The pair written in this mapping itself for `key` (no alias or merge key followed). */
export function ownPair(map: CNode | null | undefined, key: string): CPair | undefined {
  return map?.kind === 'map' ? map.pairs.find((p) => p.key === key) : undefined;
}

/**
 * The pair for `key` as YAML resolves it: in the mapping (an alias followed), else in the maps its
 * merge keys bring in (`<<: *defaults`), the mapping's own keys winning. For reading only: a pair
 * found through an alias or a merge key belongs to the anchored node, which editing would change
 * everywhere it is used.
 */
export function pair(map: CNode | null | undefined, key: string): CPair | undefined {
  return pairAt(map, key, 0, undefined);
}

/**
 * `pair`, `depth` merge keys down (33 at most). `searched`: the mappings searched already in this
 * lookup without finding `key`, each at the least depth it was searched from. Searched again from
 * there or deeper, a mapping would not find it either (a deeper search sees a part of what a
 * shallower one saw), so it is not: one mapping merged by many (`m2: {<<: [*m1, *m0]}`, `m3: {<<:
 * [*m2, *m1]}`, ...) was searched again under each, so that a table's properties merging the last
 * of 36 such mappings took fib(32) searches a key looked up (minutes to scan 2 KB).
 */
function pairAt(map: CNode | null | undefined, key: string, depth: number, searched: Map<CMap, number> | undefined): CPair | undefined {
  const m = resolveAlias(map);
  if (m?.kind !== 'map') return undefined;
  let merges: CPair[] | undefined;
  for (const p of m.pairs) {
    if (p.key === key && key !== MERGE_KEY) return p;
    if (p.key === MERGE_KEY) (merges ??= []).push(p);
  }
  if (key === MERGE_KEY) return merges?.[0];
  if (!merges || depth > 32) return undefined;
  const seen = searched ?? new Map<CMap, number>();
  for (const mp of merges) {
    for (const source of mergedMaps(mp.value)) {
      if ((seen.get(source) ?? 99) <= depth + 1) continue;
      const found = pairAt(source, key, depth + 1, seen);
      if (found) return found;
      seen.set(source, depth + 1);
    }
  }
  return undefined;
}

/** The value of `key` as YAML resolves it (aliases followed, merge keys applied). */
export function child(map: CNode | null | undefined, key: string): CNode | null | undefined {
  const p = pair(map, key);
  return p ? resolveAlias(p.value) : undefined;
}

export function scalarString(node: CNode | null | undefined): string | undefined {
  return node?.kind === 'scalar' && !node.tag && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

// ---------------------------------------------------------------- YAML

// `yaml` and `jsonc-parser` are loaded only when a template falls outside the fast parsers.
const yaml = lazyRequire<typeof Yaml>('yaml');
const jsonc = lazyRequire<typeof Jsonc>('jsonc-parser');

/** The document being converted, and its nodes converted so far (for aliases to point at). */
interface FromYaml {
  doc: Yaml.Document.Parsed;
  done: Map<YNode, CNode>;
  /** Where the aliases converted so far start. */
  aliases: number[];
  /** The values of quoted scalars read from their own text (underIndented.ts), by their start. */
  values?: Map<number, string>;
}

function fromYaml(node: YNode | null | undefined, cx: FromYaml): CNode | null {
  const converted = convertYaml(node, cx);
  if (node && converted) {
    if (node.anchor) converted.anchor = node.anchor;
    cx.done.set(node, converted);
  }
  return converted;
}

function convertYaml(node: YNode | null | undefined, cx: FromYaml): CNode | null {
  if (!node) return null;
  const { isAlias, isMap, isScalar, isSeq } = yaml();
  const [start, end] = node.range ?? [0, 0];
  const tag = node.tag?.startsWith('!') && !node.tag.startsWith('!!') ? node.tag : undefined;
  if (isMap(node)) {
    const pairs: CPair[] = [];
    for (const p of node.items) {
      const k = p.key as YNode | null;
      const keyText = isScalar(k) ? String(k.value) : '';
      const [ks, ke] = k?.range ?? [start, start];
      pairs.push({ key: keyText, keyStart: ks, keyEnd: ke, value: fromYaml(p.value as YNode | null, cx) });
    }
    const last = pairs[pairs.length - 1];
    const blockEnd = last ? (last.value?.end ?? last.keyEnd) : end;
    return { kind: 'map', start, end: node.flow ? end : blockEnd, tag, flow: !!node.flow, pairs };
  }
  if (isSeq(node)) {
    const items = node.items.map((i) => fromYaml(i as YNode, cx)!).filter(Boolean);
    const blockEnd = items.length > 0 ? items[items.length - 1].end : end;
    return { kind: 'seq', start, end: node.flow ? end : blockEnd, tag, flow: !!node.flow, items };
  }
  if (isAlias(node)) {
    // An anchor is defined before its aliases, so its node is converted already, unless the alias
    // sits inside the node it names (a circular reference): then it resolves to nothing.
    const target = node.resolve(cx.doc) as YNode | undefined;
    cx.aliases.push(start);
    return { kind: 'alias', start, end, flow: false, source: node.source, target: (target && cx.done.get(target)) ?? null };
  }
  if (isScalar(node)) {
    const quote =
      node.type === 'QUOTE_SINGLE' ? 'single' : node.type === 'QUOTE_DOUBLE' ? 'double' : node.type === 'PLAIN' ? 'plain' : 'block';
    // An empty value (`Key:`) is a zero-length null scalar.
    return { kind: 'scalar', start, end, tag, flow: false, value: cx.values?.get(start) ?? node.value, quote };
  }
  return null;
}

function firstLine(message: string): string {
  return message.split(/ at line \d+, column \d+/)[0].split('\n')[0];
}

/** `keepDuplicates`: duplicate keys (`Map keys must be unique`) are returned in ParsedDoc.duplicates rather than thrown. */
export function parseYaml(text: string, keepDuplicates = false): ParsedDoc[] {
  const fast = fastParserOn('yaml') ? parseYamlFast(text) : undefined;
  countParse('yaml', fast ? 'fast' : 'reference');
  return fast ?? parseYamlReference(text, keepDuplicates);
}

/** The reference path: `yaml`'s parser, for every template, including those the fast parser leaves to it. */
export function parseYamlReference(text: string, keepDuplicates = false): ParsedDoc[] {
  // Speed: every warning (e.g. each unresolved `!Ref` tag) is an Error; skip its stack trace and
  // its pretty context, and compute the position of the one error reported here.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let docs: Yaml.Document.Parsed[] | Yaml.EmptyStream;
  let values: Map<number, string> | undefined;
  try {
    docs = yaml().parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true });
    // Lines that continue a value no deeper than its key: CloudFormation reads them; so do we, on the same offsets.
    if (Array.isArray(docs) && docs.some((d) => d.errors.some((e) => e.code !== 'DUPLICATE_KEY'))) {
      const joined = joinUnderIndented(text);
      if (joined !== undefined) {
        const retry = yaml().parseAllDocuments(joined.text, { prettyErrors: false, uniqueKeys: true });
        if (Array.isArray(retry) && retry.every((d) => d.errors.every((e) => e.code === 'DUPLICATE_KEY'))) {
          docs = retry;
          values = joined.values;
        }
      }
    }
  } finally {
    Error.stackTraceLimit = limit;
  }
  const list = Array.isArray(docs) ? docs : [];
  const duplicates = new Map<Yaml.Document.Parsed, number[]>();
  for (const d of list) {
    if (keepDuplicates && d.errors.length > 0 && d.errors.every((e) => e.code === 'DUPLICATE_KEY' && e.pos[0] >= 0)) {
      duplicates.set(
        d,
        d.errors.map((e) => e.pos[0]),
      );
      continue;
    }
    const err = d.errors[0];
    // `yaml` reports running out of stack (flow collections nested thousands deep) as the document's error: nested too deeply
    // (src/engine/pipeline.ts errorOf), at the deepest point, not the parser's stack message at an unrelated column.
    if (err && /call stack/i.test(err.message)) throw new RangeError(err.message);
    if (err) {
      const pos = err.pos[0] >= 0 ? new LineIndex(text).position(err.pos[0]) : undefined;
      throw new ParseError(`YAML: ${firstLine(err.message)}`, pos?.line, pos?.column);
    }
  }
  return list.map((d) => {
    const cx: FromYaml = { doc: d, done: new Map(), aliases: [], values };
    const root = fromYaml(d.contents as YNode | null, cx);
    const doc: ParsedDoc = cx.aliases.length > 0 ? { root, aliases: cx.aliases.sort((a, b) => a - b) } : { root };
    if (duplicates.has(d)) doc.duplicates = duplicates.get(d);
    return doc;
  });
}

// ---------------------------------------------------------------- JSON

/** `duplicates`: the offset of each key its object already has (JSON allows it; a template means nothing by it). */
function fromJson(node: JNode | undefined, duplicates: number[]): CNode | null {
  if (!node) return null;
  const start = node.offset;
  const end = node.offset + node.length;
  if (node.type === 'object') {
    const keys = new Set<string>();
    const pairs: CPair[] = (node.children ?? []).map((prop) => {
      const [k, v] = prop.children ?? [];
      const key = String(k?.value ?? '');
      if (keys.has(key)) duplicates.push(k.offset);
      keys.add(key);
      return { key, keyStart: k.offset, keyEnd: k.offset + k.length, value: fromJson(v, duplicates) };
    });
    return { kind: 'map', start, end, flow: true, pairs };
  }
  if (node.type === 'array') {
    return { kind: 'seq', start, end, flow: true, items: (node.children ?? []).map((c) => fromJson(c, duplicates)!).filter(Boolean) };
  }
  return { kind: 'scalar', start, end, flow: false, value: node.value, quote: node.type === 'string' ? 'double' : 'plain' };
}

/**
 * JSON. `trailingCommas`: a comma before a closing `}` or `]` is read, as a reader that falls back to YAML on invalid
 * JSON reads it (CloudFormation: the template is YAML then, a flow mapping with the same values); elsewhere an error.
 */
export function parseJson(text: string, trailingCommas = false): ParsedDoc[] {
  const fast = fastParserOn('json') ? parseJsonFast(text) : undefined;
  countParse('json', fast ? 'fast' : 'reference');
  return fast ? [{ root: fast }] : parseJsonReference(text, trailingCommas);
}

/** The reference path: `jsonc-parser`, for what the fast parser leaves to it (its error messages, repeated keys). */
export function parseJsonReference(text: string, trailingCommas = false): ParsedDoc[] {
  const errors: JParseError[] = [];
  const tree = jsonc().parseTree(text, errors, { disallowComments: true, allowTrailingComma: trailingCommas, allowEmptyContent: false });
  if (errors.length > 0) {
    const e = errors[0];
    const pos = new LineIndex(text).position(e.offset);
    throw new ParseError(`JSON: ${describeJsonError(jsonc().printParseErrorCode(e.error))}`, pos.line, pos.column);
  }
  const duplicates: number[] = [];
  const root = fromJson(tree, duplicates);
  return [duplicates.length > 0 ? { root, duplicates } : { root }];
}

function describeJsonError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'property name expected',
    ValueExpected: 'value expected',
    ColonExpected: "':' expected",
    CommaExpected: "',' expected",
    CloseBraceExpected: "'}' expected (truncated file?)",
    CloseBracketExpected: "']' expected (truncated file?)",
    EndOfFileExpected: 'unexpected content after the end of the document',
    InvalidCommentToken: 'comments are not allowed in JSON',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string (truncated file?)',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in string',
  };
  return words[code] ?? code;
}

/** A `.template` file is JSON when its first significant character is `{`. */
export function looksLikeJson(path: string, text: string): boolean {
  // A template engine's file (`x.yml.j2`, `x.json.tmpl`) by the name it renders to.
  const rendered = renderedName(path);
  if (/\.json$/i.test(rendered)) return true;
  if (/\.ya?ml$/i.test(rendered)) return false;
  return text.trimStart().startsWith('{');
}

/** Every string written in a node (its keys and scalars), at most a few levels down: what a reader may search for a word. */
export function writtenStrings(node: CNode | null | undefined, depth = 0): string[] {
  const n = resolveAlias(node ?? null);
  if (!n || depth > 8) return [];
  if (n.kind === 'scalar') return [scalarString(n) ?? ''];
  if (n.kind === 'seq') return n.items.flatMap((i) => writtenStrings(i, depth + 1));
  if (n.kind === 'map') return n.pairs.flatMap((p) => [p.key, ...writtenStrings(p.value, depth + 1)]);
  return [];
}
