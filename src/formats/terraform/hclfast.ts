/**
 * A fast parser for HCL as Terraform is written, producing the same model as the tree-sitter path
 * (parse.ts) or nothing at all.
 *
 * tree-sitter (WASM) parses these files at 1 to 2 MB/s here, and every fixed file is parsed again
 * to verify it. This parser reads HCL native syntax in one pass: blocks (one-line ones too),
 * attributes, every expression form (literals, quoted templates with interpolations, heredocs,
 * tuples, objects, function calls, traversals, splats, operators, conditionals, for expressions)
 * and comments; it validates them as strictly as HCL does (an attribute ends at its line's end
 * unless inside brackets). As soon as it meets anything else (template directives `%{`, provider
 * functions, non-ASCII identifiers, an error...) it returns undefined and the caller parses with
 * tree-sitter, which also reports errors. test/formats/terraform/hcl-fast.test.ts checks that the models are equal
 * on every Terraform file the tests know, on generated and on mutated files.
 */
import { LineIndex } from '../../core/text.js';
import type { HAttr, HBlock, HComment, HFile, Literal } from './parse.js';
import { attempt, giveUp } from '../../core/fastparse.js';

let s = '';
let n = 0;
let p = 0;
let lines = new LineIndex('');
let comments: HComment[] = [];

/*
 * The model's nodes are made by constructors, not object literals. V8 keeps an allocation site for each object and
 * array literal, and decides per site whether its objects are allocated where long-lived ones go ("pretenuring"):
 * every compiled function that allocates from a site is thrown away when that decision changes. A scan keeps the
 * models of a module's files, so the literals' sites here changed their decision twice in a dense Terraform scan
 * (once when the young generation first reached its largest size, once when they were decided "tenure"), and
 * bodyItem, simpleValue and their callers were compiled three times each. A `new` has no allocation site.
 * The objects have the same own properties, in the same order, as the literals had (test/formats/terraform/hcl-fast.test.ts).
 */
class AttrNode implements HAttr {
  declare readonly kind: 'attr';
  declare name: string;
  declare start: number;
  declare end: number;
  declare nameEnd: number;
  declare eq: number;
  declare valueStart: number;
  declare valueEnd: number;
  declare value: string;
  declare lit: Literal | undefined;
  declare row: number;
  declare endRow: number;
  constructor(
    name: string,
    start: number,
    end: number,
    nameEnd: number,
    eq: number,
    valueStart: number,
    valueEnd: number,
    value: string,
    lit: Literal | undefined,
    row: number,
    endRow: number,
  ) {
    this.kind = 'attr';
    this.name = name;
    this.start = start;
    this.end = end;
    this.nameEnd = nameEnd;
    this.eq = eq;
    this.valueStart = valueStart;
    this.valueEnd = valueEnd;
    this.value = value;
    this.lit = lit;
    this.row = row;
    this.endRow = endRow;
  }
}

class BlockNode implements HBlock {
  declare readonly kind: 'block';
  declare type: string;
  declare labels: string[];
  declare start: number;
  declare end: number;
  declare open: number;
  declare close: number;
  declare items: (HAttr | HBlock)[];
  declare row: number;
  declare endRow: number;
  constructor(
    type: string,
    labels: string[],
    start: number,
    end: number,
    open: number,
    close: number,
    items: (HAttr | HBlock)[],
    row: number,
    endRow: number,
  ) {
    this.kind = 'block';
    this.type = type;
    this.labels = labels;
    this.start = start;
    this.end = end;
    this.open = open;
    this.close = close;
    this.items = items;
    this.row = row;
    this.endRow = endRow;
  }
}

class CommentNode implements HComment {
  declare start: number;
  declare end: number;
  declare row: number;
  declare text: string;
  constructor(start: number, end: number, row: number, text: string) {
    this.start = start;
    this.end = end;
    this.row = row;
    this.text = text;
  }
}

class StringLit {
  declare readonly type: 'string';
  declare value: string;
  constructor(value: string) {
    this.type = 'string';
    this.value = value;
  }
}

class NumberLit {
  declare readonly type: 'number';
  declare value: string;
  constructor(value: string) {
    this.type = 'number';
    this.value = value;
  }
}

class BoolLit {
  declare readonly type: 'bool';
  declare value: boolean;
  constructor(value: boolean) {
    this.type = 'bool';
    this.value = value;
  }
}

class NullLit {
  declare readonly type: 'null';
  constructor() {
    this.type = 'null';
  }
}

/**
 * A new empty list for objects or strings, made without an allocation site as the nodes are (above): a copy of an
 * empty list whose elements are already of the kind that holds objects. (`Array.of()` makes a list of small
 * integers, which the first push turns into that kind, and the push's optimized code was thrown away for it.)
 */
const OBJECTS: never[] = ([null] as never[]).slice(1);

function list<T>(): T[] {
  return OBJECTS.slice();
}

const SP = 32;
const TAB = 9;
const LF = 10;
const CR = 13;

export function parseHclFast(text: string, deep: Deep): HFile | undefined {
  if (/\r(?!\n)/.test(text)) return undefined;
  s = text;
  n = text.length;
  p = 0;
  comments = list<HComment>();
  lines = LineIndex.of(text);
  try {
    return attempt(() => file(deep));
  } finally {
    s = '';
    lines = new LineIndex('');
    comments = [];
  }
}

function file(deep: Deep): HFile {
  const blocks = list<HBlock>();
  for (;;) {
    anySpace();
    if (p >= n) break;
    const item = bodyItem(deep);
    if (item?.kind === 'block') blocks.push(item);
  }
  // Comments matter inside the blocks kmsfix reads (as parse.ts keeps them).
  const ranges = blocks.filter((b) => deep(b.type, b.labels));
  const kept: HComment[] = [];
  let k = 0;
  for (const c of comments) {
    while (k < ranges.length && ranges[k].end <= c.start) k++;
    if (k < ranges.length && ranges[k].start <= c.start) kept.push(c);
  }
  return { blocks, comments: kept };
}

function rowOf(o: number): number {
  return lines.lineOf(o);
}

// ---------------------------------------------------------------- whitespace and comments

function code(i: number): number {
  return i < n ? s.charCodeAt(i) : -1;
}

function atNewline(i: number): boolean {
  const c = code(i);
  return c === LF || (c === CR && code(i + 1) === LF);
}

/** A comment at p (`#`, `//`, `/* *\/`); returns false if none. Line comments end before the LF (a CR is part of them, as in tree-sitter). */
function comment(allowMultiline: boolean): boolean {
  const c = code(p);
  if (c === 35 /* # */ || (c === 47 /* / */ && code(p + 1) === 47)) {
    let e = s.indexOf('\n', p);
    if (e === -1) e = n;
    comments.push(new CommentNode(p, e, rowOf(p), s.slice(p, e)));
    p = e;
    return true;
  }
  if (c === 47 && code(p + 1) === 42 /* * */) {
    const e = s.indexOf('*/', p + 2);
    if (e === -1) giveUp();
    if (!allowMultiline && s.slice(p, e).includes('\n')) giveUp();
    comments.push(new CommentNode(p, e + 2, rowOf(p), s.slice(p, e + 2)));
    p = e + 2;
    return true;
  }
  return false;
}

// The scanning loops below run over every byte of every file read, mostly before V8 has optimized
// them (a run is short): runs of plain characters are skipped by sticky regular expressions, which
// run as native code, instead of a loop of calls per character.
const SPACES = /[ \t]*/y;
const ANY_SPACES = /(?:[ \t\n]|\r\n)*/y;

/** Spaces, tabs and comments on the current line (a block comment may not span lines). */
function inlineSpace(): void {
  for (;;) {
    SPACES.lastIndex = p;
    SPACES.test(s);
    p = SPACES.lastIndex;
    const c = s.charCodeAt(p);
    if ((c !== 35 && c !== 47) || !comment(false)) return;
  }
}

/** Whitespace, line breaks and comments (inside brackets, between items). */
function anySpace(): void {
  for (;;) {
    ANY_SPACES.lastIndex = p;
    ANY_SPACES.test(s);
    p = ANY_SPACES.lastIndex;
    const c = s.charCodeAt(p);
    if ((c !== 35 && c !== 47) || !comment(true)) return;
  }
}

/** The end of an item: spaces, an optional comment, then a line break or the end of the file. */
function endOfLine(): void {
  inlineSpace();
  if (p >= n) return;
  if (!atNewline(p)) giveUp();
  p += code(p) === CR ? 2 : 1;
}

// ---------------------------------------------------------------- identifiers

function isIdStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isIdPart(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57) || c === 45;
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_-]*/y;

function identifier(): string {
  const start = p;
  IDENTIFIER.lastIndex = p;
  if (!IDENTIFIER.test(s)) giveUp();
  p = IDENTIFIER.lastIndex;
  const c = code(p);
  // A non-ASCII identifier character, or `::` (a provider function): left to tree-sitter.
  if (c >= 128 || (c === 58 && code(p + 1) === 58)) giveUp();
  return s.slice(start, p);
}

// ---------------------------------------------------------------- body

type Deep = (type: string, labels: string[]) => boolean;

/**
 * An attribute or a block at p. `deep` (top level only) says whether a block's items are kept;
 * `oneLine`: the single attribute of a one-line block (no line break after it); `build` false: an
 * item of a block that is not kept, read (and checked) all the same, but not built.
 */
function bodyItem(deep: Deep | undefined, oneLine = false, build = true): HAttr | HBlock | undefined {
  const start = p;
  const name = identifier();
  const nameEnd = p;
  inlineSpace();
  if (code(p) === 61 /* = */ && code(p + 1) !== 61) {
    const eq = p;
    p++;
    inlineSpace();
    const valueStart = p;
    const simple = oneLine ? undefined : simpleValue();
    const lit = simple !== undefined ? simple : expression(false);
    const valueEnd = p;
    if (!oneLine) endOfLine();
    if (!build) return undefined;
    return new AttrNode(
      name,
      start,
      valueEnd,
      nameEnd,
      eq,
      valueStart,
      valueEnd,
      s.slice(valueStart, valueEnd),
      lit ?? undefined,
      rowOf(start),
      rowOf(valueEnd),
    );
  }
  if (oneLine) giveUp();
  const labels = list<string>();
  for (;;) {
    const c = code(p);
    if (c === 123 /* { */) break;
    if (c === 34 /* " */) {
      const ls = p;
      p++;
      for (;;) {
        const d = code(p);
        if (d === -1 || d === LF || d === CR || d === 92 /* \ */) giveUp();
        if ((d === 36 || d === 37) && code(p + 1) === 123) giveUp(); // `${` `%{` in a label
        p++;
        if (d === 34) break;
      }
      labels.push(s.slice(ls + 1, p - 1));
    } else if (isIdStart(c)) labels.push(identifier());
    else giveUp();
    inlineSpace();
  }
  const keep = build && (deep ? deep(name, labels) : true);
  const open = p;
  p++;
  inlineSpace();
  const items = list<HAttr | HBlock>();
  let close: number;
  if (code(p) === 125 /* } */) {
    close = p;
  } else if (p >= n || atNewline(p)) {
    for (;;) {
      anySpace();
      if (p >= n) giveUp();
      if (code(p) === 125) {
        close = p;
        break;
      }
      const item = bodyItem(undefined, false, keep);
      if (item) items.push(item);
    }
  } else {
    // A one-line block holds one attribute: `server_side_encryption { enabled = true }`.
    const item = bodyItem(undefined, true, keep);
    if (item) items.push(item);
    inlineSpace();
    if (code(p) !== 125) giveUp();
    close = p;
  }
  p = close + 1;
  const end = p;
  endOfLine();
  if (!build) return undefined;
  return new BlockNode(name, labels, start, end, open, close, items, rowOf(start), rowOf(close));
}

// ---------------------------------------------------------------- expressions

/**
 * The most common attribute values, with nothing after them on their line but spaces and a line
 * comment: a plain string (no escape, no template sequence), an unsigned number, true, false, null,
 * or a traversal of names (`var.x`, `aws_iam_role.r.arn`). One regular expression reads them
 * instead of the descent through expression() (the same result: no operator and no conditional can
 * follow). Anything else, or a form the descent refuses (a keyword, `true.x`), is left to it.
 */
const SIMPLE_VALUE =
  /(?:"([^"\\$%\n\r]*)"|(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_-]*)((?:\.[A-Za-z_][A-Za-z0-9_-]*)*))(?=[ \t]*(?:\n|\r\n|#|\/\/|$))/y;

/**
 * The literal of a simple value at p (null: a traversal), p after it; undefined (p unchanged) when it is not one.
 * SIMPLE_VALUE only tells where the value ends (`test`: no match array, no captured strings); its first character
 * says which form it is, and only what the literal holds is cut out of the text.
 */
function simpleValue(): Literal | null | undefined {
  SIMPLE_VALUE.lastIndex = p;
  if (!SIMPLE_VALUE.test(s)) return undefined;
  const end = SIMPLE_VALUE.lastIndex;
  const c = s.charCodeAt(p);
  if (c === 34 /* " */) {
    const value = s.slice(p + 1, end - 1);
    p = end;
    return new StringLit(value);
  }
  if (c >= 48 && c <= 57) {
    const value = s.slice(p, end);
    p = end;
    return new NumberLit(value);
  }
  // A name and its traversal: the name is a keyword or a literal only when it is that short (`endfor`, `false`).
  IDENTIFIER.lastIndex = p;
  IDENTIFIER.test(s);
  const nameEnd = IDENTIFIER.lastIndex;
  if (nameEnd - p <= MAX_WORD) {
    const word = s.slice(p, nameEnd);
    if (KEYWORDS.has(word)) return undefined;
    const literal = word === 'true' || word === 'false' || word === 'null';
    if (literal && nameEnd < end) return undefined;
    p = end;
    if (literal) return word === 'null' ? new NullLit() : new BoolLit(word === 'true');
    return null;
  }
  p = end;
  return null;
}

/**
 * An expression at p; leaves p just after its last token. Line breaks are allowed only inside
 * brackets (`nl`). Returns the literal it is, when it is one token of a literal.
 */
function expression(nl: boolean): Literal | null {
  const start = p;
  const lit = binary(nl, 0);
  const before = p;
  const seen = comments.length;
  space(nl);
  if (code(p) === 63 /* ? */) {
    p++;
    space(nl);
    expression(nl);
    space(nl);
    if (code(p) !== 58 /* : */) giveUp();
    p++;
    space(nl);
    expression(nl);
    return null;
  }
  p = before;
  comments.length = seen;
  return p === start ? giveUp() : lit;
}

function space(nl: boolean): void {
  if (nl) anySpace();
  else inlineSpace();
}

const PRECEDENCE: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 4,
  '>': 4,
  '<=': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
};

function operatorAt(): string | undefined {
  const c = code(p);
  const d = code(p + 1);
  switch (c) {
    case 124:
      return d === 124 ? '||' : undefined;
    case 38:
      return d === 38 ? '&&' : undefined;
    case 61:
      return d === 61 ? '==' : undefined;
    case 33:
      return d === 61 ? '!=' : undefined;
    case 60:
      return d === 61 ? '<=' : d === 60 ? undefined : '<';
    case 62:
      return d === 61 ? '>=' : '>';
    case 43:
      return '+';
    case 45:
      return '-';
    case 42:
      return '*';
    case 47:
      // `//` and `/*` start comments, handled by space().
      return d === 47 || d === 42 ? undefined : '/';
    case 37:
      return '%';
  }
  return undefined;
}

function binary(nl: boolean, min: number): Literal | null {
  let lit = unary(nl);
  for (;;) {
    const before = p;
    const seen = comments.length;
    space(nl);
    const op = operatorAt();
    const prec = op ? PRECEDENCE[op] : 0;
    if (!op || prec <= min) {
      p = before;
      comments.length = seen;
      return lit;
    }
    p += op.length;
    space(nl);
    binary(nl, prec);
    lit = null;
  }
}

function unary(nl: boolean): Literal | null {
  const c = code(p);
  if (c === 45 || c === 33) {
    p++;
    space(nl);
    const d = code(p);
    if (d === 45 || d === 33) giveUp(); // `- -x`, `!!x`: leave to tree-sitter
    term();
    return null;
  }
  return term();
}

const KEYWORDS = new Set(['for', 'in', 'if', 'else', 'endif', 'endfor']);
/** The longest of KEYWORDS and of the literals' names. */
const MAX_WORD = 6;

/** A term with its traversals (`.attr`, `.0`, `[i]`, `.*`, `[*]`). */
function term(): Literal | null {
  let lit = primary();
  for (;;) {
    const c = code(p);
    if (c === 46 /* . */) {
      const d = code(p + 1);
      if (d === 46) return lit; // `...`: the expansion after an argument or a grouped value
      if (d === 42 /* * */) p += 2;
      else if (d >= 48 && d <= 57) {
        p++;
        while (code(p) >= 48 && code(p) <= 57) p++;
      } else if (isIdStart(d)) {
        p++;
        identifier();
      } else giveUp();
      lit = null;
    } else if (c === 91 /* [ */) {
      p++;
      anySpace();
      if (code(p) === 42 && code(p + 1) !== 42) {
        p++;
      } else expression(true);
      anySpace();
      if (code(p) !== 93) giveUp();
      p++;
      lit = null;
    } else return lit;
  }
}

function primary(): Literal | null {
  const c = code(p);
  if (c >= 48 && c <= 57) {
    const start = p;
    while (code(p) >= 48 && code(p) <= 57) p++;
    if (code(p) === 46 && code(p + 1) >= 48 && code(p + 1) <= 57) {
      p++;
      while (code(p) >= 48 && code(p) <= 57) p++;
    }
    if (code(p) === 101 || code(p) === 69) {
      p++;
      if (code(p) === 43 || code(p) === 45) p++;
      if (!(code(p) >= 48 && code(p) <= 57)) giveUp();
      while (code(p) >= 48 && code(p) <= 57) p++;
    }
    if (isIdPart(code(p)) || code(p) === 46) giveUp();
    return new NumberLit(s.slice(start, p));
  }
  if (c === 34) return quoted();
  if (c === 60 /* < */ && code(p + 1) === 60) {
    heredoc();
    return null;
  }
  if (c === 40 /* ( */) {
    p++;
    anySpace();
    expression(true);
    anySpace();
    if (code(p) !== 41) giveUp();
    p++;
    return null;
  }
  if (c === 91) {
    tuple();
    return null;
  }
  if (c === 123) {
    object();
    return null;
  }
  if (isIdStart(c)) {
    const name = identifier();
    if (KEYWORDS.has(name)) giveUp();
    if (name === 'true' || name === 'false' || name === 'null') {
      const d = code(p);
      if (d === 46 || d === 91 || d === 40) giveUp();
      return name === 'null' ? new NullLit() : new BoolLit(name === 'true');
    }
    if (code(p) === 40) {
      p++;
      anySpace();
      if (code(p) !== 41) {
        for (;;) {
          expression(true);
          anySpace();
          if (code(p) === 44 /* , */) {
            p++;
            anySpace();
            if (code(p) === 41) break;
            continue;
          }
          if (code(p) === 46 && code(p + 1) === 46 && code(p + 2) === 46) {
            p += 3;
            anySpace();
          }
          break;
        }
      }
      if (code(p) !== 41) giveUp();
      p++;
    }
    return null;
  }
  return giveUp();
}

/** `for x, y in coll :` after the opening bracket, if it is a for expression. */
function forIntro(): boolean {
  if (!(s.startsWith('for', p) && (code(p + 3) === SP || code(p + 3) === TAB || atNewline(p + 3)))) return false;
  p += 3;
  anySpace();
  identifier();
  anySpace();
  if (code(p) === 44) {
    p++;
    anySpace();
    identifier();
    anySpace();
  }
  if (!(s.startsWith('in', p) && !isIdPart(code(p + 2)))) giveUp();
  p += 2;
  anySpace();
  expression(true);
  anySpace();
  if (code(p) !== 58) giveUp();
  p++;
  anySpace();
  return true;
}

function forCondition(): void {
  anySpace();
  if (s.startsWith('if', p) && !isIdPart(code(p + 2))) {
    p += 2;
    anySpace();
    expression(true);
    anySpace();
  }
}

function tuple(): void {
  p++;
  anySpace();
  if (forIntro()) {
    expression(true);
    forCondition();
  } else if (code(p) !== 93) {
    for (;;) {
      expression(true);
      anySpace();
      if (code(p) !== 44) break;
      p++;
      anySpace();
      if (code(p) === 93) break;
    }
  }
  if (code(p) !== 93) giveUp();
  p++;
}

function object(): void {
  p++;
  anySpace();
  if (forIntro()) {
    expression(true);
    anySpace();
    if (!(code(p) === 61 && code(p + 1) === 62)) giveUp(); // =>
    p += 2;
    anySpace();
    expression(true);
    anySpace();
    if (code(p) === 46 && code(p + 1) === 46 && code(p + 2) === 46) p += 3;
    forCondition();
  } else {
    while (code(p) !== 125) {
      objectKey();
      inlineSpace();
      const c = code(p);
      if (c === 61 && code(p + 1) !== 61 && code(p + 1) !== 62) p++;
      else if (c === 58) p++;
      else giveUp();
      anySpace();
      expression(true);
      // Elements are separated by a comma or a line break.
      inlineSpace();
      if (code(p) === 44) {
        p++;
        anySpace();
      } else if (atNewline(p)) anySpace();
      else if (code(p) !== 125) giveUp();
    }
  }
  if (code(p) !== 125) giveUp();
  p++;
}

/** An object key: an identifier, a quoted template or a parenthesized expression. */
function objectKey(): void {
  const c = code(p);
  if (c === 34) quoted();
  else if (c === 40) primary();
  else if (isIdStart(c)) {
    identifier();
    const d = code(p);
    if (d === 40 || d === 46 || d === 91) giveUp();
  } else giveUp();
}

// ---------------------------------------------------------------- templates

/** A quoted template; a string literal when it has no interpolation. */
/** Template text up to the next character that may end it or start an escape or a template sequence. */
const TEMPLATE_TEXT = /[^"\\$%\n\r]*/y;

function quoted(): Literal | null {
  const start = p;
  p++;
  let plain = true;
  for (;;) {
    TEMPLATE_TEXT.lastIndex = p;
    TEMPLATE_TEXT.test(s);
    p = TEMPLATE_TEXT.lastIndex;
    const c = code(p);
    if (c === -1 || c === LF || c === CR) giveUp();
    if (c === 34) break;
    if (c === 92) {
      const d = s[p + 1];
      if (d === 'n' || d === 'r' || d === 't' || d === '"' || d === '\\') p += 2;
      else if (d === 'u' && /^[0-9A-Fa-f]{4}$/.test(s.slice(p + 2, p + 6))) p += 6;
      else if (d === 'U' && /^[0-9A-Fa-f]{8}$/.test(s.slice(p + 2, p + 10))) p += 10;
      else giveUp();
      continue;
    }
    const t = templateSequence();
    if (t === INTERPOLATION) plain = false;
    else if (t === NONE) p++;
  }
  p++;
  return plain ? new StringLit(s.slice(start + 1, p - 1)) : null;
}

const NONE = 0;
const ESCAPED = 1;
const INTERPOLATION = 2;

/** At `${` (an interpolation, parsed) or `%{` (a directive: not supported); `$${` and `%%{` are text. Advances past what it read. */
function templateSequence(): number {
  const c = code(p);
  if ((c === 36 || c === 37) && code(p + 1) === c && code(p + 2) === 123) {
    p += 3;
    return ESCAPED;
  }
  if (c === 37 && code(p + 1) === 123) giveUp();
  if (c !== 36 || code(p + 1) !== 123) return NONE;
  p += 2;
  if (code(p) === 126 /* ~ */) p++;
  inlineSpace();
  expression(false);
  inlineSpace();
  if (code(p) === 126) p++;
  if (code(p) !== 125) giveUp();
  p++;
  return INTERPOLATION;
}

/** Heredoc text up to the end of its line or a possible template sequence. */
const HEREDOC_TEXT = /[^\n$%]*/y;

function heredoc(): void {
  p += 2;
  if (code(p) === 45) p++;
  const id = identifier();
  if (!atNewline(p)) giveUp();
  p += code(p) === CR ? 2 : 1;
  for (;;) {
    if (p >= n) giveUp();
    // A line that is the marker alone (after indentation) closes the heredoc.
    let q = p;
    while (code(q) === SP || code(q) === TAB) q++;
    if (s.startsWith(id, q) && (q + id.length >= n || atNewline(q + id.length))) {
      p = q + id.length;
      return;
    }
    // Template text to the end of the line, with its interpolations.
    for (;;) {
      HEREDOC_TEXT.lastIndex = p;
      HEREDOC_TEXT.test(s);
      p = HEREDOC_TEXT.lastIndex;
      const c = code(p);
      if (c === -1) giveUp();
      if (c === LF) {
        p++;
        break;
      }
      if (templateSequence() === NONE) p++;
    }
  }
}
