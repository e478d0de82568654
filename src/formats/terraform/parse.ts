/**
 * Parsing HCL with tree-sitter (exact source offsets), into a small plain model of blocks and
 * attributes with the offsets the fix needs. The tree itself is freed right after.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Node, Parser } from 'web-tree-sitter';
import { placeholderError } from '../../core/placeholders.js';
import { LineIndex } from '../../core/text.js';
import { ParseError } from '../../core/types.js';
import { parseHclFast } from './hclfast.js';
import { countParse, fastParserOn } from '../../core/fastparse.js';

export type Literal =
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'null' }
  | { type: 'number'; value: string };

export interface HAttr {
  kind: 'attr';
  name: string;
  start: number;
  end: number;
  /** End of the attribute's name. */
  nameEnd: number;
  /** Offset of its `=`. */
  eq: number;
  valueStart: number;
  valueEnd: number;
  /** The expression's source text. */
  value: string;
  /** Set when the value is a plain literal (a string without interpolation, a bool, null, a number). */
  lit?: Literal;
  /** 0-based rows of the attribute's first and last line. */
  row: number;
  endRow: number;
}

export interface HBlock {
  kind: 'block';
  type: string;
  labels: string[];
  start: number;
  end: number;
  /** Offsets of `{` and `}`. */
  open: number;
  close: number;
  items: (HAttr | HBlock)[];
  row: number;
  endRow: number;
}

export interface HComment {
  start: number;
  end: number;
  row: number;
  text: string;
}

export interface HFile {
  blocks: HBlock[];
  /** The comments inside the blocks kmsfix reads (tables, module calls, keys, providers, data sources), in order. */
  comments: HComment[];
}

let parserPromise: Promise<Parser> | undefined;

async function loadParser(): Promise<Parser> {
  // Loaded only for files outside the fast parser's subset (and to report their errors).
  const { Language, Parser } = await import('web-tree-sitter');
  await Parser.init();
  const pkg = createRequire(import.meta.url).resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json');
  const language = await Language.load(path.join(path.dirname(pkg), 'tree-sitter-terraform.wasm'));
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

export function hclParser(): Promise<Parser> {
  parserPromise ??= loadParser();
  return parserPromise;
}

// ---------------------------------------------------------------- errors

function firstProblem(root: Node): Node | undefined {
  let found: Node | undefined;
  const visit = (n: Node): void => {
    if (found && n.startIndex > found.startIndex) return;
    if (n.isMissing) {
      if (!found || n.startIndex < found.startIndex) found = n;
      return;
    }
    if (n.isError) {
      // The innermost error says more than the block it spoils.
      const before = found;
      for (const c of n.children) if (c.hasError || c.isError || c.isMissing) visit(c);
      if (found === before && (!found || n.startIndex <= found.startIndex)) found = n;
      return;
    }
    for (const c of n.children) if (c.hasError || c.isError || c.isMissing) visit(c);
  };
  visit(root);
  return found;
}

/** The error of a file that does not parse: at the template placeholder that broke it, if any (src/core/placeholders.ts). */
function errorFor(text: string, root: Node, lines: LineIndex): ParseError {
  return placeholderError(text, syntaxError(text, root, lines));
}

function syntaxError(text: string, root: Node, lines: LineIndex): ParseError {
  // A heredoc whose closing marker never comes.
  const opener = /<<-?([A-Za-z_][\w-]*)\r?\n/g;
  for (let m = opener.exec(text); m; m = opener.exec(text)) {
    const close = new RegExp(`^[ \\t]*${m[1]}[ \\t]*\r?$`, 'm');
    if (!close.test(text.slice(m.index + m[0].length))) {
      const p = lines.position(m.index);
      return new ParseError(`HCL: unterminated heredoc <<${m[1]} (no closing ${m[1]} line)`, p.line, p.column);
    }
  }
  const n = firstProblem(root);
  if (!n) return new ParseError('HCL: syntax error', 1, 1);
  const at = lines.position(n.startIndex);
  if (n.isMissing) {
    if (n.type === 'heredoc_identifier') {
      const opener = /<<-?\s*([A-Za-z_][\w-]*)/g;
      let last: RegExpExecArray | undefined;
      for (let m = opener.exec(text); m && m.index < n.startIndex; m = opener.exec(text)) last = m;
      const where = last ? ` <<${last[1]} opened at line ${lines.position(last.index).line}` : '';
      return new ParseError(`HCL: unterminated heredoc${where}`, at.line, at.column);
    }
    if (n.type === '}' || n.type === 'block_end') {
      const block = n.parent?.parent ?? n.parent;
      const where = block ? ` (opened at line ${lines.position(block.startIndex).line})` : '';
      return new ParseError(`HCL: unclosed block${where}`, at.line, at.column);
    }
    return new ParseError(`HCL: missing ${JSON.stringify(n.type)}`, at.line, at.column);
  }
  // An invalid escape inside a string on the error's line.
  const lineText = text.slice(n.startIndex, text.indexOf('\n', n.startIndex) === -1 ? text.length : text.indexOf('\n', n.startIndex));
  const esc = /\\(?![nrt"\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})./.exec(lineText);
  if (esc) {
    const p = lines.position(n.startIndex + esc.index);
    return new ParseError(`HCL: invalid escape sequence ${esc[0]} in a string`, p.line, p.column);
  }
  const near = text.slice(n.startIndex, n.startIndex + 20).split(/\r?\n/)[0];
  return new ParseError(`HCL: syntax error near ${JSON.stringify(near)}`, at.line, at.column);
}

// ---------------------------------------------------------------- model

function literalOf(expr: Node): Literal | undefined {
  const lv = expr.firstNamedChild;
  if (!lv || expr.namedChildCount !== 1) return undefined;
  if (lv.type === 'literal_value') {
    const v = lv.firstNamedChild;
    if (!v) return undefined;
    switch (v.type) {
      case 'bool_lit':
        return { type: 'bool', value: v.text === 'true' };
      case 'null_lit':
        return { type: 'null' };
      case 'numeric_lit':
        return { type: 'number', value: v.text };
      case 'string_lit':
        return { type: 'string', value: v.text.slice(1, -1) };
    }
    return undefined;
  }
  if (lv.type === 'template_expr') {
    const q = lv.firstNamedChild;
    if (
      q?.type === 'quoted_template' &&
      q.namedChildren.every((c) => c?.type !== 'template_interpolation' && c?.type !== 'template_directive')
    ) {
      return { type: 'string', value: q.text.slice(1, -1) };
    }
  }
  return undefined;
}

function attrOf(n: Node): HAttr {
  const name = n.namedChildren[0]!;
  const eq = n.children.find((c) => c?.type === '=')!;
  const expr = n.namedChildren[1]!;
  return {
    kind: 'attr',
    name: name.text,
    start: n.startIndex,
    end: n.endIndex,
    nameEnd: name.endIndex,
    eq: eq.startIndex,
    valueStart: expr.startIndex,
    valueEnd: expr.endIndex,
    value: expr.text,
    lit: literalOf(expr),
    row: n.startPosition.row,
    endRow: n.endPosition.row,
  };
}

/**
 * Blocks kmsfix reads inside (variables and outputs: for evaluate.ts; moved, removed and import: the
 * addresses they name are taken, module.ts; zero-ETL integrations: their source_arn, resourcePolicy.ts); of the others only the type and labels matter (names taken).
 */
export function deep(type: string, labels: string[]): boolean {
  if (type === 'resource')
    return /^aws_(dynamodb_table|dynamodb_table_replica|dynamodb_global_table|dynamodb_resource_policy|kms_key|kms_alias|kms_replica_key)$|^aws(?:cc)?_\w+_integration$/.test(
      labels[0] ?? '',
    );
  return (
    type === 'module' ||
    type === 'provider' ||
    type === 'data' ||
    type === 'terraform' ||
    type === 'locals' ||
    type === 'variable' ||
    type === 'output' ||
    type === 'moved' ||
    type === 'removed' ||
    type === 'import'
  );
}

function blockOf(n: Node, top = false): HBlock {
  const labels: string[] = [];
  let type = '';
  let open = -1;
  let close = -1;
  const items: (HAttr | HBlock)[] = [];
  for (const c of n.children) {
    if (!c) continue;
    if (c.type === 'identifier' && type === '') type = c.text;
    else if (c.type === 'identifier') labels.push(c.text);
    else if (c.type === 'string_lit') labels.push(c.text.slice(1, -1));
    else if (c.type === 'block_start') open = c.startIndex;
    else if (c.type === 'block_end') close = c.startIndex;
    else if (c.type === 'body') {
      if (top && !deep(type, labels)) continue;
      for (const b of c.namedChildren) {
        if (b?.type === 'attribute') items.push(attrOf(b));
        else if (b?.type === 'block') items.push(blockOf(b));
      }
    }
  }
  return {
    kind: 'block',
    type,
    labels,
    start: n.startIndex,
    end: n.endIndex,
    open,
    close,
    items,
    row: n.startPosition.row,
    endRow: n.endPosition.row,
  };
}

/**
 * The models tree-sitter parsed last, by text, least recently used first: a fixed file is parsed
 * for HashiCorp's check (hclcheck.ts) and again when it is verified, and a module's files are read
 * by each of its files' fixes. Only tree-sitter's models are kept (the texts the fast parser leaves
 * to it, 1 to 2 MB/s): the fast parser reads a text again faster than the run keeps its model. Kept
 * models outlive two young-generation collections and are copied by both, and the cache let go of
 * one every time it took one: with the fast parser's models kept too (1 M characters), a scan of
 * the bench's Terraform took 7% more time and a fix of it 4% more, for about 900 parses saved
 * (docs/performance.md, fifteenth session). Bounded by the text it holds, not by a count:
 * HCL_CACHE_CHARS characters in all (a model takes a few times its text), and a text larger than
 * a quarter of that is not kept. Models are never modified after parsing.
 */
export const HCL_CACHE_CHARS = 1024 * 1024;
const recent = new Map<string, HFile>();
let recentChars = 0;

function remember(text: string, model: HFile): void {
  if (text.length > HCL_CACHE_CHARS / 4) return;
  recent.set(text, model);
  recentChars += text.length;
  while (recentChars > HCL_CACHE_CHARS) {
    const oldest = recent.keys().next().value!;
    recent.delete(oldest);
    recentChars -= oldest.length;
  }
}

/** What the model cache holds (for tests): entries and characters of text. */
export function hclCacheSize(): { entries: number; chars: number } {
  return { entries: recent.size, chars: recentChars };
}

/**
 * The first attribute or block that something other than a comment follows on its line, which
 * Terraform rejects ("Missing newline after argument"; after a block: "... block definition"), and
 * where that is: tree-sitter's grammar takes `enabled = true }` closing a block on the argument's line
 * (scan read such a file silently, and fix failed HashiCorp's check with a location in the piece it
 * checked: adversarial pass on input shapes, session 50). The fast parser gives such a text up (an
 * item ends at its line's end), so only tree-sitter's models need the check. Allowed: the one
 * attribute of a one-line block (`server_side_encryption { enabled = true }`).
 */
function unendedItem(text: string, root: Node): { kind: 'attribute' | 'block'; at: number } | undefined {
  // Spaces and comments `/* */` after it, one over several lines too (`} /* a<newline>b */` and a newline: Terraform
  // accepts it; adversarial pass of session 58, F8), then the newline (such a comment is not one: `b */ c = 1` fails).
  const AFTER = /(?:[ \t]+|\/\*(?:(?!\*\/)[\s\S])*\*\/)*/y;
  for (const body of root.descendantsOfType('body')) {
    if (!body) continue;
    const items = body.namedChildren.filter((c) => c?.type === 'attribute' || c?.type === 'block');
    for (const item of items) {
      if (!item) continue;
      AFTER.lastIndex = item.endIndex;
      AFTER.test(text);
      const q = AFTER.lastIndex;
      const c = text[q];
      if (c === undefined || c === '\n' || c === '#' || text.startsWith('\r\n', q) || text.startsWith('//', q)) continue;
      // A one-line block's single attribute: its block's `{` and `}` on the attribute's line.
      const block = body.parent;
      const oneLine =
        c === '}' &&
        item.type === 'attribute' &&
        items.length === 1 &&
        block?.type === 'block' &&
        block.startPosition.row === item.startPosition.row &&
        block.endPosition.row === item.endPosition.row;
      if (!oneLine) return { kind: item.type as 'attribute' | 'block', at: q };
    }
  }
  return undefined;
}

export async function parseHcl(text: string): Promise<HFile> {
  const known = recent.get(text);
  if (known) {
    // Used again: now the most recent.
    recent.delete(text);
    recent.set(text, known);
    return known;
  }
  const nul = text.indexOf('\0');
  if (nul !== -1) {
    const p = new LineIndex(text).position(nul);
    throw new ParseError('binary file (NUL byte): not HCL', p.line, p.column);
  }
  // A carriage return alone (old Mac OS line ends): an invalid character to Terraform ("a lone CR is not used within the language").
  for (let cr = text.indexOf('\r'); cr !== -1; cr = text.indexOf('\r', cr + 1)) {
    if (text[cr + 1] === '\n') continue;
    const p = new LineIndex(text).position(cr);
    throw new ParseError(
      'HCL: a carriage return without a line feed, which Terraform rejects (it reads LF or CRLF line ends)',
      p.line,
      p.column,
    );
  }
  const fast = fastParserOn('hcl') ? parseHclFast(text, deep) : undefined;
  countParse('hcl', fast ? 'fast' : 'reference');
  if (fast) return fast;
  const model = await parseHclReference(text);
  if (!recent.has(text)) remember(text, model);
  return model;
}

/** The reference path: tree-sitter, for every file, including those the fast parser leaves to it. */
export async function parseHclReference(text: string): Promise<HFile> {
  const lines = new LineIndex(text);
  const parser = await hclParser();
  const tree = parser.parse(text);
  if (!tree) throw new ParseError('HCL: the parser gave no result', 1, 1);
  try {
    const root = tree.rootNode;
    if (root.hasError) throw errorFor(text, root, lines);
    const unended = unendedItem(text, root);
    if (unended) {
      const at = lines.position(unended.at);
      throw new ParseError(
        `HCL: missing newline after ${unended.kind === 'attribute' ? 'argument' : 'block definition'} (Terraform: ${unended.kind === 'attribute' ? 'an argument definition' : 'a block definition'} must end with a newline): start a new line ${text[unended.at] === '}' ? 'before the "}"' : 'after it'}`,
        at.line,
        at.column,
      );
    }
    const blocks: HBlock[] = [];
    const comments: HComment[] = [];
    const body = root.namedChildren.find((c) => c?.type === 'body');
    for (const b of body?.namedChildren ?? []) if (b?.type === 'block') blocks.push(blockOf(b, true));
    // Comments matter inside the blocks kmsfix reads (suppressions, alignment of what it edits).
    const ranges = blocks.filter((b) => deep(b.type, b.labels));
    let k = 0;
    for (const c of root.descendantsOfType('comment')) {
      if (!c) continue;
      while (k < ranges.length && ranges[k].end <= c.startIndex) k++;
      if (k < ranges.length && ranges[k].start <= c.startIndex)
        comments.push({ start: c.startIndex, end: c.endIndex, row: c.startPosition.row, text: c.text });
    }
    return { blocks, comments };
  } finally {
    tree.delete();
  }
}

// ---------------------------------------------------------------- queries

export function attr(block: HBlock | undefined, name: string): HAttr | undefined {
  return block?.items.find((i): i is HAttr => i.kind === 'attr' && i.name === name);
}

export function blocks(block: HBlock | undefined, type: string): HBlock[] {
  return (block?.items ?? []).filter((i): i is HBlock => i.kind === 'block' && i.type === type);
}

/** `dynamic "<name>"` blocks. */
export function dynamicBlocks(block: HBlock, name: string): HBlock[] {
  return blocks(block, 'dynamic').filter((b) => b.labels[0] === name);
}
