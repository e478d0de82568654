/**
 * A fast parser for the YAML that templates are written in, producing the same node tree as the
 * reference path (`yaml`'s parser, tree.ts) or nothing at all.
 *
 * `yaml` parses real templates at about 3 MB/s on one core (lexer, CST, document), which made
 * YAML the slowest part of a scan. This parser reads one common subset of YAML in one pass, at
 * several times that speed: block mappings and sequences indented with spaces, plain and quoted
 * scalars on one line, flow collections (over several lines too), local tags (`!Ref`, `!Sub`),
 * literal and folded block scalars, comments, `---` at the top, LF or CRLF, anchors on values and
 * aliases to anchors already complete (merge keys `<<: *x` are ordinary keys here, as in the reference
 * tree: tree.ts applies them). As soon as it meets anything else (anchors on keys or on empty values,
 * aliases to unknown or unfinished anchors, names outside `[A-Za-z0-9_.-]`, multi-line plain or quoted scalars, explicit keys, `!!` tags,
 * tabs, several documents, duplicate keys, any syntax error...) it gives up and returns
 * undefined: the caller then parses with `yaml`, which also reports the errors. So this parser
 * never decides what a template means on its own; test/formats/yaml/yaml-fast.test.ts checks that its trees
 * equal the reference ones on every template the tests know, on generated ones and on mutated ones.
 */
import type { CAlias, CMap, CNode, CPair, CScalar, CSeq, ParsedDoc } from './tree.js';
import { attempt, giveUp } from '../../core/fastparse.js';
import { isDuplicate, keySet } from './keys.js';

let s = '';
let n = 0;

const SP = 32;
const LF = 10;
const CR = 13;
const HASH = 35;
const COLON = 58;
const DASH = 45;

// Characters the subset never contains: tabs, control characters, NEL, BOM/specials, lone CR, line separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
const OUTSIDE = /[\t\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u2028\u2029\uFEFF\uFFFE\uFFFF]|\r(?!\n)/;

export function parseYamlFast(text: string): ParsedDoc[] | undefined {
  if (OUTSIDE.test(text)) return undefined;
  s = text;
  n = text.length;
  keyPos = -1;
  aliasStarts = [];
  try {
    return attempt(() => {
      const root = document();
      return [aliasStarts.length > 0 ? { root, aliases: aliasStarts } : { root }];
    });
  } finally {
    s = '';
    anchors.clear();
  }
}

// ---------------------------------------------------------------- lines

/** End of the line's content (before CR LF or LF), from any position in it. */
function eol(p: number): number {
  let e = s.indexOf('\n', p);
  if (e === -1) e = n;
  return e > p && s.charCodeAt(e - 1) === CR ? e - 1 : e;
}

/** Start of the next line after position p (n at the end). */
function nextLine(p: number): number {
  const e = s.indexOf('\n', p);
  return e === -1 ? n : e + 1;
}

function spaces(p: number): number {
  while (p < n && s.charCodeAt(p) === SP) p++;
  return p;
}

function atEol(p: number): boolean {
  if (p >= n) return true;
  const c = s.charCodeAt(p);
  return c === LF || (c === CR && s.charCodeAt(p + 1) === LF);
}

/** Spaces, then a comment or nothing, to the end of the line; else give up. Returns the next line. */
function restOfLine(p: number): number {
  const q = spaces(p);
  if (atEol(q)) return nextLine(q);
  if (s.charCodeAt(q) === HASH && q > p) return nextLine(q);
  return giveUp();
}

/** The next line with content, from a line start: skips blank and comment-only lines. */
let lineIndent = 0;
function contentLine(p: number): number {
  while (p < n) {
    const q = spaces(p);
    if (atEol(q)) {
      p = nextLine(q);
      continue;
    }
    if (s.charCodeAt(q) === HASH) {
      p = nextLine(q);
      continue;
    }
    lineIndent = q - p;
    if (lineIndent === 0) marker(q);
    return q;
  }
  lineIndent = -1;
  return n;
}

/** Document markers and directives at column 0 (a second document, `...`, `%YAML`): give up. */
function marker(q: number): void {
  const c = s.charCodeAt(q);
  if (c === 37 /* % */) giveUp();
  if ((c === DASH || c === 46) /* . */ && s.charCodeAt(q + 1) === c && s.charCodeAt(q + 2) === c) {
    const d = s.charCodeAt(q + 3);
    if (q + 3 >= n || d === SP || d === LF || d === CR) giveUp();
  }
}

// ---------------------------------------------------------------- document

function document(): CNode {
  let p = 0;
  // Leading comments, then an optional `---` line.
  for (;;) {
    const q = spaces(p);
    if (p >= n) return giveUp();
    if (atEol(q) || s.charCodeAt(q) === HASH) {
      p = nextLine(q);
      continue;
    }
    if (q === p && s.startsWith('---', p) && (p + 3 >= n || s.charCodeAt(p + 3) === SP || atEol(p + 3))) {
      p = restOfLine(p + 3);
    }
    break;
  }
  const q = contentLine(p);
  if (q >= n) return giveUp();
  const col = lineIndent;
  if (!isSeqDash(q) && !keyAt(q)) return giveUp();
  const root = blockNode(q, col, -1, undefined);
  if (contentLine(pos) < n) return giveUp();
  return root;
}

/** Where parsing continues after the last node (a line start). */
let pos = 0;

function isSeqDash(q: number): boolean {
  return s.charCodeAt(q) === DASH && (q + 1 >= n || s.charCodeAt(q + 1) === SP || atEol(q + 1));
}

/** A block node that starts at q (column col) on its own line, below an owner at column `owner`. */
function blockNode(q: number, col: number, owner: number, tag: string | undefined): CNode {
  if (isSeqDash(q)) return blockSeq(q, col, tag);
  if (keyAt(q)) return blockMap(q, col, tag);
  // A scalar or flow collection alone on its line.
  const v = inlineValue(q, owner, tag);
  return v;
}

// ---------------------------------------------------------------- keys

let keyText = '';
let keyEnd = 0;
let colonAt = 0;
/** The last position keyAt answered for (it is asked twice for most lines), and its answer. */
let keyPos = -1;
let keyFound = false;

/** Whether an implicit key (`key:` then space or end of line) starts at q; sets keyText, keyEnd, colonAt. */
function keyAt(q: number): boolean {
  if (q === keyPos) return keyFound;
  keyPos = q;
  keyFound = false;
  keyFound = findKey(q);
  return keyFound;
}

function findKey(q: number): boolean {
  const c = s.charCodeAt(q);
  if (c === 34 /* " */ || c === 39 /* ' */) {
    const e = quotedEnd(q);
    if (e < 0) return false;
    if (s.charCodeAt(e) !== COLON || !(s.charCodeAt(e + 1) === SP || atEol(e + 1))) return false;
    keyText = quotedValue(q, e);
    keyEnd = e;
    colonAt = e;
    return true;
  }
  if (!plainStart(q, false)) return false;
  const e = eol(q);
  for (let i = q + 1; i < e; i++) {
    const d = s.charCodeAt(i);
    if (d === COLON) {
      const f = s.charCodeAt(i + 1);
      if (i + 1 === e || f === SP) {
        if (s.charCodeAt(i - 1) === SP) giveUp(); // `key :` — leave it to the reference parser
        if (i - q > 1000) giveUp();
        keyText = String(resolvePlain(s.slice(q, i)));
        keyEnd = i;
        colonAt = i;
        return true;
      }
    } else if (d === HASH && s.charCodeAt(i - 1) === SP) return false;
  }
  return false;
}

// ---------------------------------------------------------------- block collections

function blockMap(q: number, col: number, tag: string | undefined): CMap {
  const pairs: CPair[] = [];
  let keys: Set<string> | undefined;
  let end = q;
  for (;;) {
    if (!keyAt(q)) giveUp();
    const key = keyText;
    if (isDuplicate(pairs, key, keys)) giveUp();
    const keyStart = q;
    const kEnd = keyEnd;
    const value = afterIndicator(colonAt + 1, col, true);
    pairs.push({ key, keyStart, keyEnd: kEnd, value });
    keys = keySet(pairs, keys);
    end = value.end;
    const r = contentLine(pos);
    if (r >= n || lineIndent < col) break;
    if (lineIndent > col || isSeqDash(r)) giveUp();
    q = r;
  }
  return { kind: 'map', start: pairs[0].keyStart, end, tag, flow: false, pairs };
}

function blockSeq(q: number, col: number, tag: string | undefined): CSeq {
  const items: CNode[] = [];
  const start = q;
  for (;;) {
    const p = q + 1;
    const v = spaces(p);
    let item: CNode;
    if (atEol(v) || s.charCodeAt(v) === HASH) {
      if (s.charCodeAt(v) === HASH && v === p) giveUp();
      item = below(nextLine(v), col, false, undefined, v);
    } else if (isSeqDash(v)) {
      item = blockSeq(v, v - (q - col), undefined); // `- - a`, as long-form intrinsics are often written
    } else if (keyAt(v)) {
      item = blockMap(v, v - (q - col), undefined);
    } else {
      item = afterIndicator(p, col, false);
    }
    items.push(item);
    const r = contentLine(pos);
    if (r >= n || lineIndent < col) break;
    if (lineIndent > col) giveUp();
    if (!isSeqDash(r)) break; // a key at the same column ends a sequence that is a mapping's value
    q = r;
  }
  return { kind: 'seq', start, end: items[items.length - 1].end, tag, flow: false, items };
}

/**
 * The value after `key:` or `- ` (p is just after the indicator), owned by a collection at
 * column `owner`. Sets pos to the line after the value.
 */
function afterIndicator(p: number, owner: number, inMap: boolean): CNode {
  let v = spaces(p);
  if (!atEol(v) && v === p) giveUp();
  // Node properties: a tag and an anchor, in either order, each followed by a space or the line's end.
  let tag: string | undefined;
  let anchor: string | undefined;
  for (;;) {
    const c = s.charCodeAt(v);
    let t: number;
    if (c === 33 /* ! */ && tag === undefined) {
      t = tagEnd(v);
      tag = s.slice(v, t);
    } else if (c === AMP && anchor === undefined) {
      t = nameEnd(v + 1);
      anchor = s.slice(v + 1, t);
    } else break;
    v = spaces(t);
    if (!(v > t || atEol(t))) giveUp();
  }
  if (s.charCodeAt(v) === STAR) {
    if (tag !== undefined || anchor !== undefined) giveUp();
    return blockAlias(v, owner);
  }
  const slot = anchor === undefined ? undefined : declare(anchor);
  let node: CNode;
  if (atEol(v) || s.charCodeAt(v) === HASH) {
    if (s.charCodeAt(v) === HASH && s.charCodeAt(v - 1) !== SP) giveUp();
    node = below(nextLine(v), owner, inMap, tag, tag !== undefined || anchor !== undefined ? -1 : v);
  } else node = inlineValue(v, owner, tag);
  if (slot) anchored(node, slot);
  return node;
}

// ---------------------------------------------------------------- anchors and aliases

const AMP = 38;
const STAR = 42;

/**
 * The anchors defined so far: each name's latest definition by position (as YAML resolves an alias),
 * its node null while the node is being read (an alias inside it gives up). A node anchored around
 * a later definition of its own name is complete after it, so its slot is no longer the name's.
 */
interface Slot {
  name: string;
  node: CNode | null;
}
const anchors = new Map<string, Slot>();
/** Where the aliases read so far start (in text order: the parser reads forward). */
let aliasStarts: number[] = [];

/**
 * End of an anchor or alias name starting at q. The subset: ASCII letters, digits, `_`, `-`, `.`;
 * the name must end at a space, a line end or (`flow`) a flow indicator, else give up (`*a:`, `&a/b`...).
 */
function nameEnd(q: number, flow = false): number {
  let e = q;
  for (;;) {
    const c = s.charCodeAt(e);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === DASH || c === 46) e++;
    else break;
  }
  if (e === q || e - q > 200) giveUp();
  if (
    !(
      e >= n ||
      s.charCodeAt(e) === SP ||
      atEol(e) ||
      (flow && (s.charCodeAt(e) === 44 || s.charCodeAt(e) === 93 || s.charCodeAt(e) === 125))
    )
  )
    giveUp();
  return e;
}

function declare(name: string): Slot {
  const slot: Slot = { name, node: null };
  anchors.set(name, slot);
  return slot;
}

function anchored(node: CNode, slot: Slot): void {
  node.anchor = slot.name;
  slot.node = node;
}

/** An alias at q (`*name`), to an anchor defined before it and complete; else give up (the reference parser decides). */
function alias(q: number, flow: boolean): CAlias {
  const e = nameEnd(q + 1, flow);
  const source = s.slice(q + 1, e);
  const target = anchors.get(source)?.node;
  if (!target) giveUp();
  aliasStarts.push(q);
  return { kind: 'alias', start: q, end: e, flow: false, source, target };
}

/** An alias as a block value: alone on its line (a comment may follow). Sets pos. */
function blockAlias(v: number, owner: number): CAlias {
  const node = alias(v, false);
  pos = restOfLine(node.end);
  const r = contentLine(pos);
  if (r < n && lineIndent > owner) giveUp();
  return node;
}

/**
 * A value on the lines after its key or dash: a block collection more indented than its owner
 * (or a sequence at the owner's column, for a mapping value), else an empty value at `empty`.
 */
function below(from: number, owner: number, inMap: boolean, tag: string | undefined, empty: number): CNode {
  const r = contentLine(from);
  if (r < n && (lineIndent > owner || (inMap && lineIndent === owner && isSeqDash(r)))) {
    return blockNode(r, lineIndent, owner, tag);
  }
  if (empty < 0 || !inMap) giveUp(); // a tag without a value, an empty sequence item
  pos = from;
  return { kind: 'scalar', start: empty, end: empty, tag, flow: false, value: null, quote: 'plain' };
}

function tagEnd(v: number): number {
  let t = v + 1;
  for (;;) {
    const c = s.charCodeAt(t);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === DASH) t++;
    else break;
  }
  if (t === v + 1) giveUp(); // `!`, `!!str`, `!<...>`
  return t;
}

// ---------------------------------------------------------------- inline values

/** A value that starts at v on its line: quoted, plain, flow or block scalar. Sets pos. */
function inlineValue(v: number, owner: number, tag: string | undefined): CNode {
  const c = s.charCodeAt(v);
  let node: CNode;
  if (c === 124 /* | */ || c === 62 /* > */) return blockScalar(v, owner, tag);
  if (c === 91 /* [ */ || c === 123 /* { */) {
    node = flow(v, owner, tag);
    pos = restOfLine(node.end);
  } else if (c === 34 || c === 39) {
    const e = quotedEnd(v);
    if (e < 0) giveUp();
    node = { kind: 'scalar', start: v, end: e, tag, flow: false, value: quotedValue(v, e), quote: c === 34 ? 'double' : 'single' };
    pos = restOfLine(e);
  } else {
    if (!plainStart(v, false)) giveUp();
    const lineEnd = eol(v);
    let e = v + 1;
    for (; e < lineEnd; e++) {
      const d = s.charCodeAt(e);
      if (d === HASH && s.charCodeAt(e - 1) === SP) break;
      if (d === COLON && (e + 1 === lineEnd || s.charCodeAt(e + 1) === SP)) giveUp();
    }
    while (s.charCodeAt(e - 1) === SP) e--;
    const raw = s.slice(v, e);
    node = { kind: 'scalar', start: v, end: e, tag, flow: false, value: tag ? raw : resolvePlain(raw), quote: 'plain' };
    pos = nextLine(lineEnd);
  }
  // The next line with content must not continue this value (a multi-line scalar, or an error).
  const r = contentLine(pos);
  if (r < n && lineIndent > owner) giveUp();
  return node;
}

const PLAIN_FIRST = new Set([...'[]{},#&*!|>\'"%@`'].map((ch) => ch.charCodeAt(0)));

function plainStart(q: number, inFlow: boolean): boolean {
  const c = s.charCodeAt(q);
  if (q >= n || c === SP || c === LF || c === CR || PLAIN_FIRST.has(c)) return false;
  if (c === DASH || c === 63 /* ? */ || c === COLON) {
    const d = s.charCodeAt(q + 1);
    if (q + 1 >= n || d === SP || d === LF || d === CR) return false;
    // A `-` before a flow indicator is the scalar "-" (`!Split [-, ...]`, AWS's own templates): PyYAML, cfn-lint and
    // CloudFormation read it so (its check_plain takes `-` before any non-space); YAML 1.2 and `yaml` do not.
    if (inFlow && c !== DASH && (d === 44 || d === 91 || d === 93 || d === 123 || d === 125)) return false;
  }
  return true;
}

// ---------------------------------------------------------------- quoted scalars

/** The position just after the closing quote of a one-line quoted scalar at q, or -1. */
function quotedEnd(q: number): number {
  const quote = s.charCodeAt(q);
  let i = q + 1;
  for (;;) {
    if (i >= n) return -1;
    const c = s.charCodeAt(i);
    if (c === LF || c === CR) return -1;
    if (c === quote) {
      if (quote === 39 && s.charCodeAt(i + 1) === 39) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    if (c === 92 /* \ */ && quote === 34) i += 2;
    else i++;
  }
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  '\t': '\t',
};

function quotedValue(q: number, e: number): string {
  const body = s.slice(q + 1, e - 1);
  if (s.charCodeAt(q) === 39) return body.includes("''") ? body.replace(/''/g, "'") : body;
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const x = body[++i];
    const simple = ESCAPES[x];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const len = x === 'x' ? 2 : x === 'u' ? 4 : x === 'U' ? 8 : 0;
    const hex = body.slice(i + 1, i + 1 + len);
    if (len === 0 || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) giveUp();
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) giveUp();
    out += String.fromCodePoint(cp);
    i += len;
  }
  return out;
}

// ---------------------------------------------------------------- block scalars

function blockScalar(v: number, owner: number, tag: string | undefined): CScalar {
  const folded = s.charCodeAt(v) === 62;
  let h = v + 1;
  const chomp = s.charCodeAt(h);
  let strip = false;
  if (chomp === DASH) {
    strip = true;
    h++;
  } else if (chomp === 43 /* + */ || (chomp >= 48 && chomp <= 57)) giveUp();
  if (!(atEol(h) || s.charCodeAt(h) === SP)) giveUp();
  const first = restOfLine(h);
  if (first >= n || s.charCodeAt(first - 1) !== LF) giveUp();
  // Content lines: blank, or indented at least as much as the first non-blank one.
  let indent = -1;
  const lines: string[] = [];
  let p = first;
  let end = first;
  let lead = 0;
  while (p < n) {
    const q = spaces(p);
    const e = eol(q);
    if (q === e) {
      // A blank line: more spaces than the content's indentation carry content; leave that to `yaml`.
      if (indent >= 0 ? q - p > indent : false) giveUp();
      if (indent < 0) lead++;
      else lines.push('');
      p = nextLine(e);
      continue;
    }
    const ind = q - p;
    if (indent < 0) {
      if (ind <= owner) break;
      indent = ind;
    } else if (ind < indent) break;
    if (ind > indent && folded) giveUp();
    lines.push(s.slice(p + indent, e));
    const next = nextLine(e);
    if (next === n && s.charCodeAt(n - 1) !== LF) giveUp();
    p = next;
    end = next;
  }
  if (indent < 0) giveUp();
  // Leading blank lines with more spaces than the content also carry content.
  if (lead > 0) {
    let b = first;
    for (let i = 0; i < lead; i++) {
      const q = spaces(b);
      if (q - b > indent) giveUp();
      b = nextLine(q);
    }
  }
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let value = '\n'.repeat(lead);
  if (!folded) value += lines.join('\n');
  else {
    let sep = '';
    for (const line of lines) {
      if (line === '') {
        if (sep === '\n') value += '\n';
        else sep = '\n';
      } else {
        value += sep + line;
        sep = ' ';
      }
    }
  }
  if (!strip) value += '\n';
  pos = end;
  const r = contentLine(pos);
  if (r < n && lineIndent > owner) giveUp();
  return { kind: 'scalar', start: v, end, tag, flow: false, value, quote: 'block' };
}

// ---------------------------------------------------------------- flow collections

let fp = 0;

/** Skip spaces, line breaks and comments inside a flow collection; lines must stay indented past `owner`. */
function flowSpace(owner: number): void {
  for (;;) {
    const c = s.charCodeAt(fp);
    if (c === SP) fp++;
    else if (c === LF || (c === CR && s.charCodeAt(fp + 1) === LF)) {
      fp = nextLine(fp);
      const q = spaces(fp);
      if (!atEol(q) && q - fp <= owner) giveUp();
      fp = q;
    } else if (c === HASH) {
      const prev = s.charCodeAt(fp - 1);
      if (prev !== SP && prev !== LF) giveUp();
      fp = eol(fp);
    } else return;
  }
}

function flow(v: number, owner: number, tag: string | undefined): CNode {
  fp = v;
  return flowCollection(owner, tag);
}

function flowCollection(owner: number, tag: string | undefined): CNode {
  const start = fp;
  const isMap = s.charCodeAt(fp) === 123;
  const close = isMap ? 125 : 93;
  fp++;
  const pairs: CPair[] = [];
  const items: CNode[] = [];
  let keys: Set<string> | undefined;
  for (;;) {
    flowSpace(owner);
    if (fp >= n) giveUp();
    if (s.charCodeAt(fp) === close) break;
    if (isMap) {
      const keyStart = fp;
      const c = s.charCodeAt(fp);
      let key: string;
      if (c === 34 || c === 39) {
        const e = quotedEnd(fp);
        if (e < 0) giveUp();
        key = quotedValue(fp, e);
        fp = e;
      } else {
        const e = flowPlainEnd(fp);
        key = String(resolvePlain(s.slice(fp, e)));
        fp = e;
      }
      if (isDuplicate(pairs, key, keys)) giveUp();
      const keyEnd = fp;
      if (s.charCodeAt(fp) !== COLON) giveUp();
      fp++;
      flowSpace(owner);
      const d = s.charCodeAt(fp);
      if (d === 44 || d === close) giveUp(); // an empty value
      const value = flowValue(owner);
      pairs.push({ key, keyStart, keyEnd, value });
      keys = keySet(pairs, keys);
    } else {
      items.push(flowValue(owner));
      flowSpace(owner);
      if (s.charCodeAt(fp) === COLON) giveUp(); // a pair inside a sequence
    }
    flowSpace(owner);
    const d = s.charCodeAt(fp);
    if (d === 44 /* , */) {
      fp++;
      continue;
    }
    if (d !== close) giveUp();
    break;
  }
  fp++;
  return isMap ? { kind: 'map', start, end: fp, tag, flow: true, pairs } : { kind: 'seq', start, end: fp, tag, flow: true, items };
}

function flowValue(owner: number): CNode {
  let tag: string | undefined;
  let anchor: string | undefined;
  for (;;) {
    const c = s.charCodeAt(fp);
    if (c === 33 && tag === undefined) {
      const t = tagEnd(fp);
      tag = s.slice(fp, t);
      fp = t;
    } else if (c === AMP && anchor === undefined) {
      const t = nameEnd(fp + 1);
      anchor = s.slice(fp + 1, t);
      fp = t;
    } else break;
    if (s.charCodeAt(fp) !== SP) giveUp();
    flowSpace(owner);
  }
  if (s.charCodeAt(fp) === STAR) {
    if (tag !== undefined || anchor !== undefined) giveUp();
    const node = alias(fp, true);
    fp = node.end;
    return node;
  }
  if (anchor === undefined) return flowNode(owner, tag);
  const slot = declare(anchor);
  const node = flowNode(owner, tag);
  anchored(node, slot);
  return node;
}

function flowNode(owner: number, tag: string | undefined): CNode {
  const c = s.charCodeAt(fp);
  if (c === 91 || c === 123) return flowCollection(owner, tag);
  if (c === 34 || c === 39) {
    const e = quotedEnd(fp);
    if (e < 0) giveUp();
    const node: CScalar = {
      kind: 'scalar',
      start: fp,
      end: e,
      tag,
      flow: false,
      value: quotedValue(fp, e),
      quote: c === 34 ? 'double' : 'single',
    };
    fp = e;
    return node;
  }
  const start = fp;
  const e = flowPlainEnd(fp);
  fp = e;
  const raw = s.slice(start, e);
  return { kind: 'scalar', start, end: e, tag, flow: false, value: tag ? raw : resolvePlain(raw), quote: 'plain' };
}

/** End of a one-line plain scalar inside a flow collection (trailing spaces excluded). */
function flowPlainEnd(q: number): number {
  if (!plainStart(q, true)) giveUp();
  let e = q + 1;
  for (;;) {
    if (e >= n) break;
    const c = s.charCodeAt(e);
    if (c === 44 || c === 91 || c === 93 || c === 123 || c === 125 || c === LF || c === CR) break;
    if (c === HASH && s.charCodeAt(e - 1) === SP) break;
    if (c === COLON) {
      const d = s.charCodeAt(e + 1);
      if (e + 1 >= n || d === SP || d === LF || d === CR || d === 44 || d === 91 || d === 93 || d === 123 || d === 125) break;
    }
    e++;
  }
  while (s.charCodeAt(e - 1) === SP) e--;
  return e;
}

// ---------------------------------------------------------------- plain scalar values (YAML 1.2 core schema, as `yaml` resolves them)

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

export function resolvePlain(str: string): unknown {
  const c = str.charCodeAt(0);
  // Most plain scalars are words: only strings starting like a number, `.`, `~`, n/N, t/T, f/F can be anything else.
  if (
    str.length > 0 &&
    !(
      (c >= 48 && c <= 57) ||
      c === 43 ||
      c === DASH ||
      c === 46 ||
      c === 126 ||
      c === 110 ||
      c === 78 ||
      c === 116 ||
      c === 84 ||
      c === 102 ||
      c === 70
    )
  )
    return str;
  if (NULL.test(str)) return null;
  if (BOOL.test(str)) return str[0] === 't' || str[0] === 'T';
  if (INT_OCT.test(str)) return parseInt(str.substring(2), 8);
  if (INT.test(str)) return parseInt(str, 10);
  if (INT_HEX.test(str)) return parseInt(str.substring(2), 16);
  if (FLOAT_NAN.test(str))
    return str.slice(-3).toLowerCase() === 'nan' ? NaN : str[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP.test(str) || FLOAT.test(str)) return parseFloat(str);
  return str;
}
