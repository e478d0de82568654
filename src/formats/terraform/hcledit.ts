/**
 * Text edits on existing HCL blocks: replace attribute values, add attributes and blocks, and keep
 * `=` (and trailing comments) aligned the way `terraform fmt` does when the block was aligned.
 */
import { detectEol, detectIndentUnit, lineEndOf, lineIndentOf, lineStartOf, trimBack } from '../../core/text.js';
import type { Edit } from '../../core/types.js';
import type { HAttr, HBlock, HComment, HFile } from './parse.js';
import { renderBlockLines, type RBlock } from './render.js';

export interface HclDoc {
  text: string;
  hcl: HFile;
  eol: string;
  unit: string;
  edits: Edit[];
}

export function hclDoc(text: string, hcl: HFile): HclDoc {
  return { text, hcl, eol: detectEol(text), unit: detectIndentUnit(text, '  '), edits: [] };
}

export interface AttrSetting {
  name: string;
  value: string;
  /** Should an existing value be replaced? */
  replace(a: HAttr): boolean;
}

/** The indentation of a block's body. */
export function bodyIndent(doc: HclDoc, b: HBlock): string {
  const first = b.items[0];
  if (first && lineStartOf(doc.text, first.start) !== lineStartOf(doc.text, b.open)) return lineIndentOf(doc.text, first.start);
  return lineIndentOf(doc.text, b.start) + doc.unit;
}

function trailingComment(doc: HclDoc, a: HAttr): HComment | undefined {
  return doc.hcl.comments.find((c) => c.row === a.endRow && c.start >= a.end);
}

/** An attribute alone on its line (but for a trailing comment), on one line: what fmt aligns. */
function isRow(doc: HclDoc, a: HAttr): boolean {
  if (a.row !== a.endRow) return false;
  const start = lineStartOf(doc.text, a.start);
  if (doc.text.slice(start, a.start).trim() !== '') return false;
  const end = lineEndOf(doc.text, a.end);
  const rest = doc.text.slice(a.end, end).trim();
  const c = trailingComment(doc, a);
  return rest === '' || (c !== undefined && rest === doc.text.slice(c.start, c.end).trim() && !/^\/\*/.test(rest));
}

interface Row {
  attr?: HAttr;
  name: string;
  /** Columns before the name (indent). */
  indent: string;
  value: string;
  comment?: HComment;
  /** Adjacent to the row before it (no other line between). */
  joined: boolean;
  isNew: boolean;
}

/**
 * Set attributes of a block: replace values, insert missing attributes after `anchor` (an existing
 * attribute), or at the end of the body after a blank line (`separate`), or at its start.
 */
export function setAttrs(doc: HclDoc, b: HBlock, settings: AttrSetting[], mode: 'join' | 'separate' = 'join'): void {
  const { text, eol } = doc;
  const direct = b.items.filter((i): i is HAttr => i.kind === 'attr');
  const newValue = new Map<HAttr, string>();
  const missing: AttrSetting[] = [];
  for (const s of settings) {
    const a = direct.find((x) => x.name === s.name);
    if (!a) missing.push(s);
    else if (s.replace(a)) newValue.set(a, s.value);
  }
  // A block on one line: `x {}` or `x { a = 1 }`: write its body out on lines.
  if (lineStartOf(text, b.open) === lineStartOf(text, b.close)) {
    const indent = lineIndentOf(text, b.start);
    const inner = indent + doc.unit;
    const attrs = [
      ...direct.map((a) => ({ attr: a.name, value: newValue.get(a) ?? a.value })),
      ...missing.map((s) => ({ attr: s.name, value: s.value })),
    ];
    const lines = renderBlockLines({ type: 'x', labels: [], body: attrs }, indent, doc.unit).slice(1, -1);
    if (b.items.some((i) => i.kind === 'block')) throw new Error(`cannot expand the one-line block at offset ${b.start}`);
    doc.edits.push({ start: b.open + 1, end: b.close, text: eol + lines.join(eol) + eol + indent });
    void inner;
    return;
  }
  for (const [a, v] of newValue) doc.edits.push({ start: a.valueStart, end: a.valueEnd, text: v });
  if (missing.length === 0 && newValue.size === 0) return;

  // The rows fmt aligns, in order, with the new ones in place.
  const rows: Row[] = [];
  const indent = bodyIndent(doc, b);
  let prevRow = -2;
  for (const a of direct) {
    if (!isRow(doc, a)) {
      prevRow = -2;
      continue;
    }
    const joined = a.row === prevRow + 1 && rows.length > 0 && !!rows[rows.length - 1].attr;
    rows.push({
      attr: a,
      name: a.name,
      indent: text.slice(lineStartOf(text, a.start), a.start),
      value: newValue.get(a) ?? a.value,
      comment: trailingComment(doc, a),
      joined,
      isNew: false,
    });
    prevRow = a.endRow;
  }
  const anchorAttr =
    [...direct].reverse().find((a) => settings.some((s) => s.name === a.name) && isRow(doc, a)) ??
    (mode === 'join' ? [...direct].reverse().find((a) => isRow(doc, a)) : undefined);
  let insertAt: number;
  let lead = '';
  const newRows: Row[] = missing.map((s, i) => ({ name: s.name, indent, value: s.value, joined: i > 0, isNew: true }));
  if (missing.length > 0) {
    if (anchorAttr) {
      insertAt = lineEndOf(text, anchorAttr.end);
      const k = rows.findIndex((r) => r.attr === anchorAttr);
      newRows[0].joined = true;
      rows.splice(k + 1, 0, ...newRows);
    } else if (mode === 'separate' || b.items.length > 0) {
      insertAt = trimBack(text, b.close, b.open + 1);
      const empty = insertAt === b.open + 1;
      lead = empty ? '' : eol;
      rows.push(...newRows);
    } else {
      insertAt = lineEndOf(text, b.open);
      rows.push(...newRows);
    }
  } else {
    insertAt = -1;
  }

  // Align each run of joined rows that holds a change, if fmt had aligned it.
  const changed = (r: Row) => r.isNew || (r.attr !== undefined && newValue.has(r.attr));
  const pad = new Map<Row, number>();
  for (let i = 0; i < rows.length; ) {
    let j = i + 1;
    while (j < rows.length && rows[j].joined) j++;
    const run = rows.slice(i, j);
    i = j;
    if (!run.some(changed)) continue;
    const old = run.filter((r) => !r.isNew);
    const oldMax = Math.max(0, ...old.map((r) => r.indent.length + r.name.length));
    const aligned = old.every((r) => r.attr!.eq - r.attr!.nameEnd === oldMax - r.indent.length - r.name.length + 1);
    if (!aligned) continue;
    const max = Math.max(...run.map((r) => r.indent.length + r.name.length));
    for (const r of run) {
      const gap = max - r.indent.length - r.name.length + 1;
      pad.set(r, gap);
      if (r.attr && r.attr.eq - r.attr.nameEnd !== gap) doc.edits.push({ start: r.attr.nameEnd, end: r.attr.eq, text: ' '.repeat(gap) });
    }
    // Trailing comments of consecutive rows line up too.
    for (let k = 0; k < run.length; ) {
      if (!run[k].comment) {
        k++;
        continue;
      }
      let l = k;
      while (l < run.length && run[l].comment) l++;
      const width = (r: Row) => r.indent.length + r.name.length + gap(r) + 2 + r.value.length;
      const gap = (r: Row) => pad.get(r) ?? 1;
      const cm = Math.max(...run.slice(k, l).map(width));
      for (const r of run.slice(k, l)) {
        const want = ' '.repeat(cm - width(r) + 1);
        if (text.slice(r.attr!.valueEnd, r.comment!.start) !== want)
          doc.edits.push({ start: r.attr!.valueEnd, end: r.comment!.start, text: want });
      }
      k = l;
    }
  }
  if (missing.length > 0) {
    const lines = newRows.map((r) => `${r.indent}${r.name}${' '.repeat(pad.get(r) ?? 1)}= ${r.value}`);
    doc.edits.push({ start: insertAt, end: insertAt, text: lead + eol + lines.join(eol) });
  }
}

/** Add a nested block at the end of a block's body, after a blank line. */
export function appendBlock(doc: HclDoc, b: HBlock, nested: RBlock): void {
  const { text, eol } = doc;
  if (lineStartOf(text, b.open) === lineStartOf(text, b.close)) {
    throw new Error(`cannot extend the one-line block at line ${lineStartOf(text, b.start)}`);
  }
  const at = trimBack(text, b.close, b.open + 1);
  const empty = at === b.open + 1;
  const lines = renderBlockLines(nested, bodyIndent(doc, b), doc.unit);
  doc.edits.push({ start: at, end: at, text: (empty ? '' : eol) + eol + lines.join(eol) });
}

/** Insert top-level blocks right after block `b`, each after a blank line. */
export function insertAfter(doc: HclDoc, b: HBlock, rendered: RBlock[]): void {
  const indent = lineIndentOf(doc.text, b.start);
  const parts = rendered.map((r) => renderBlockLines(r, indent, doc.unit).join(doc.eol));
  // After a comment that trails the closing brace (`} # orders`), which stays with its block.
  const rest = doc.text.slice(b.end, lineEndOf(doc.text, b.end)).trim();
  const at = /^(#|\/\/)/.test(rest) ? lineEndOf(doc.text, b.end) : b.end;
  doc.edits.push({ start: at, end: at, text: parts.map((p) => doc.eol + doc.eol + p).join('') });
}
