/**
 * Editing object literals as text: set a property (replace its value or add it), set nested
 * settings, remove a property. Inserted properties follow the object's own layout.
 */
import { lineEndOf, lineIndentOf, lineStartOf } from '../../core/text.js';
import type { Edit } from '../../core/types.js';
import { inline, obj, propKey, raw, render, type Code } from './code.js';
import { lookup } from './lookup.js';
import { ts, unwrap } from './parse.js';
import type { TsStyle } from './style.js';

export interface EditCtx {
  sf: ts.SourceFile;
  text: string;
  style: TsStyle;
  edits: Edit[];
}

export type Setting =
  | { key: string; value: Code; keep?: (current: ts.Expression) => boolean }
  | { key: string; nested: Setting[] }
  | { key: string; remove: true };

function settingValue(s: Setting): Code {
  if ('nested' in s) return obj(s.nested.filter((n) => !('remove' in n)).map((n) => [n.key, settingValue(n)]));
  if ('remove' in s) throw new Error('no value for a removed property');
  return s.value;
}

/** A property `key: value` on a line of its own, followed there by its comma. */
function entryText(ctx: EditCtx, key: string, value: Code, indent: string): string {
  const k = `${propKey(key, ctx.style)}: `;
  return k + render(value, ctx.style, indent, k.length, 1);
}

/** The closing punctuation right after `pos` (`,`, `)`, `});`), which stays on the line of what ends there. */
const tailColumns = (text: string, pos: number) => /^[,;)\]}]*/.exec(text.slice(pos))![0].length;

/** Replace a property's value, laid out for the line the property starts on (a shorthand `{ key }` becomes `key: value`). */
function replaceValue(ctx: EditCtx, prop: ts.PropertyAssignment | ts.ShorthandPropertyAssignment, value: Code): void {
  const indent = lineIndentOf(ctx.text, prop.getStart(ctx.sf));
  if (ts.isShorthandPropertyAssignment(prop)) {
    const start = prop.name.getStart(ctx.sf);
    ctx.edits.push({ start, end: prop.name.end, text: entryText(ctx, prop.name.text, value, indent) });
    return;
  }
  const prefix = prop.initializer.getStart(ctx.sf) - lineStartOf(ctx.text, prop.getStart(ctx.sf)) - indent.length;
  // A string literal replaced by a string (`sseType: "kms"` made KMS) keeps the quotes it had.
  const q = ctx.text[prop.initializer.getStart(ctx.sf)];
  const style =
    value.kind === 'str' && (q === '"' || q === "'") && q !== ctx.style.quote ? { ...ctx.style, quote: q as '"' | "'" } : ctx.style;
  const text = render(value, style, indent, prefix, tailColumns(ctx.text, prop.initializer.end));
  ctx.edits.push({ start: prop.initializer.getStart(ctx.sf), end: prop.initializer.end, text });
}

/** The offset just after the comma that follows `node`, if one does (skipping white space and comments). */
function commaAfter(text: string, pos: number): number | undefined {
  const m = /^(\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*,/.exec(text.slice(pos));
  return m ? pos + m[0].length : undefined;
}

function onOneLine(text: string, a: number, b: number): boolean {
  return !text.slice(a, b).includes('\n');
}

export function insertProps(ctx: EditCtx, o: ts.ObjectLiteralExpression, entries: [string, Code][]): void {
  if (entries.length === 0) return;
  const { text, sf, style } = ctx;
  const props = o.properties;
  if (props.length === 0) {
    const indent = lineIndentOf(text, o.getStart(sf));
    const prefix = o.getStart(sf) - lineStartOf(text, o.getStart(sf)) - indent.length;
    ctx.edits.push({ start: o.getStart(sf), end: o.end, text: render(obj(entries), style, indent, prefix, tailColumns(text, o.end)) });
    return;
  }
  const last = props[props.length - 1];
  const comma = props.hasTrailingComma ? commaAfter(text, last.end) : undefined;
  if (onOneLine(text, o.getStart(sf), props[0].getStart(sf))) {
    // `{ a: 1, b: 2 }`: stay on one line.
    const body = entries.map(([k, v]) => `${propKey(k, style)}: ${inline(v, style)}`).join(', ');
    if (comma !== undefined) ctx.edits.push({ start: comma, end: comma, text: ` ${body},` });
    else ctx.edits.push({ start: last.end, end: last.end, text: `, ${body}` });
    return;
  }
  const indent = lineIndentOf(text, props[0].getStart(sf));
  const lines = entries.map(([k, v]) => style.eol + indent + entryText(ctx, k, v, indent));
  const trailing = comma !== undefined;
  let at = comma ?? last.end;
  const lineEnd = lineEndOf(text, at);
  const rest = text.slice(at, lineEnd);
  // A comment ends the line, or blank space does (`billingMode: ..., `): the new properties go after it, and the
  // line stays as the user wrote it (real-world round 35: its trailing space had moved to the new last line).
  if ((/^[ \t]+$/.test(rest) || (rest.trim() !== '' && /^\s*(\/\/.*|\/\*.*\*\/\s*)$/.test(rest))) && lineEnd < o.end - 1) {
    if (!trailing) ctx.edits.push({ start: last.end, end: last.end, text: ',' });
    at = lineEnd;
    ctx.edits.push({ start: at, end: at, text: lines.join(',') + (trailing ? ',' : '') });
    return;
  }
  ctx.edits.push({ start: at, end: at, text: (trailing ? '' : ',') + lines.join(',') + (trailing ? ',' : '') });
}

function removeProp(ctx: EditCtx, o: ts.ObjectLiteralExpression, p: ts.ObjectLiteralElementLike): void {
  const { text, sf } = ctx;
  const start = p.getStart(sf);
  const comma = commaAfter(text, p.end);
  const ls = lineStartOf(text, start);
  if (/^[ \t]*$/.test(text.slice(ls, start))) {
    // On its own line: remove the whole line.
    const end = comma ?? p.end;
    const le = lineEndOf(text, end);
    if (text.slice(end, le).trim() === '' && le < text.length) {
      const next = text[le] === '\r' ? le + 2 : le + 1;
      if (comma !== undefined || p !== o.properties[o.properties.length - 1]) {
        ctx.edits.push({ start: ls, end: next, text: '' });
        return;
      }
    }
  }
  if (comma !== undefined) {
    const m = /^[ \t]*/.exec(text.slice(comma))!;
    ctx.edits.push({ start, end: comma + m[0].length, text: '' });
    return;
  }
  // The last property, no comma after it: remove from the end of the previous one.
  const i = o.properties.indexOf(p);
  ctx.edits.push({ start: i > 0 ? o.properties[i - 1].end : start, end: p.end, text: '' });
}

/**
 * Props held in a `const` that cannot change for this table alone (src/formats/typescript/detect.ts
 * `spreadOf`): the table gets its own props where it names the const, `{ ...name, <settings> }` one
 * entry a line, and the const stays as it is. `held`: the const's literal, what the table has now;
 * a setting it already satisfies (`keep`) is left out. Nothing is removed: detection declines a
 * table whose const holds what a fix would remove.
 */
export function spreadProps(ctx: EditCtx, name: ts.Identifier, held: ts.ObjectLiteralExpression, settings: Setting[]): void {
  const { text, sf, style } = ctx;
  const start = name.getStart(sf);
  // One entry a line, as a formatter lays out what would not fit on the line (none of these does);
  // an entry too long for its line on several, as everywhere a fix writes props.
  const indent = lineIndentOf(text, start);
  const inner = indent + style.indent;
  const entries = [`...${name.text}`];
  for (const s of settings) {
    if ('remove' in s) continue;
    const l = lookup(sf, held, s.key);
    if (l.kind === 'value' && 'keep' in s && s.keep?.(l.value)) continue;
    entries.push(entryText(ctx, s.key, settingValue(s), inner));
  }
  const lines = entries.map((e) => style.eol + inner + e);
  ctx.edits.push({ start, end: name.end, text: `{${lines.join(',')}${style.trailingComma ? ',' : ''}${style.eol}${indent}}` });
}

/**
 * A nested setting's object written after the spread that gives the object its current value: that value spread first
 * (`Properties: { ...base.Properties, SSESpecification }`), or every other property the spread gave (a table's KeySchema,
 * its TableName) would be lost.
 */
function inheritedValue(ctx: EditCtx, s: Setting, spread: ts.Expression | undefined): Code {
  const value = settingValue(s);
  // Only a container of other settings (a resource's Properties): a setting of leaves (SSESpecification) is written whole.
  if (!spread || !('nested' in s) || !s.nested.some((n) => 'nested' in n) || value.kind !== 'obj') return value;
  const e = unwrap(spread);
  const chain = ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) ? e.getText(ctx.sf) : `(${spread.getText(ctx.sf)})`;
  return obj([[`...${chain}.${s.key}`, raw('')], ...value.entries]);
}

export function applySettings(ctx: EditCtx, o: ts.ObjectLiteralExpression, settings: Setting[]): void {
  const missing: [string, Code][] = [];
  const removals: (ts.PropertyAssignment | ts.ShorthandPropertyAssignment)[] = [];
  for (const s of settings) {
    const l = lookup(ctx.sf, o, s.key);
    // A value read through a spread (`{ ...base }`, src/formats/typescript/consts.ts) is not edited
    // there (other tables may spread it too): the object gets its own property after the spread.
    const inherited = l.kind === 'value' && l.prop.parent !== o;
    if ('remove' in s) {
      if (l.kind === 'value' && !inherited) removals.push(l.prop);
      continue;
    }
    if (inherited) {
      if (!('keep' in s && s.keep?.(l.value))) missing.push([s.key, inheritedValue(ctx, s, l.via)]);
    } else if (l.kind !== 'value') {
      missing.push([s.key, settingValue(s)]);
    } else if ('nested' in s) {
      const inner = unwrap(l.value);
      if (ts.isObjectLiteralExpression(inner)) applySettings(ctx, inner, s.nested);
      else replaceValue(ctx, l.prop, settingValue(s));
    } else if (!s.keep?.(l.value)) {
      replaceValue(ctx, l.prop, s.value);
    }
  }
  // A removed property makes room for the first missing one, in its place.
  for (const p of removals) {
    const m = missing.shift();
    if (m) {
      const indent = lineIndentOf(ctx.text, p.getStart(ctx.sf));
      ctx.edits.push({ start: p.getStart(ctx.sf), end: p.end, text: entryText(ctx, m[0], m[1], indent) });
    } else removeProp(ctx, o, p);
  }
  insertProps(ctx, o, missing);
}
