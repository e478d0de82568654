/**
 * Setting one path of a Terraform JSON document, in place: the property is inserted (or its value
 * replaced) and nothing else is touched, written in the layout of the object it goes into.
 *
 * Why not jsonc-parser's `modify` with formatting options (what tfjson.ts used until session 50): it
 * formats the whole lines its edit touches, so in a minified `main.tf.json` (one line) the whole
 * document came out pretty-printed, the unrelated `provider` block spread over lines and a final
 * newline added, and a `"resource"` object written on one line inside an indented file was spread
 * too (adversarial pass on input shapes, session 50). docs/safety.md ("Your file stays yours") promises kmsfix never re-serializes a
 * document. Here an object written on one line gets the new property on that line, with the
 * separators it uses (`,` / `:` packed, or `, ` / `: `, and `{ ` padding); an object written over
 * lines gets it on a line of its own, at the indentation of its other properties, the value spread
 * over lines with the file's indent unit (as the formatter wrote it, and as `terraform fmt`-like JSON
 * tools do).
 */
import { type JSONPath, type Node as JNode, parseTree } from 'jsonc-parser';

export interface JsonLayout {
  /** The file's indent unit (`'  '`, `'\t'`...). */
  unit: string;
  eol: '\n' | '\r\n';
}

/** How the object a property goes into writes its members. */
interface Style {
  oneLine: boolean;
  colon: string;
  comma: string;
  /** Space just inside a one-line object's braces (`{ "a": 1 }`), or none. */
  pad: string;
}

/** `text` with `path` set to `value`: the value replaced where the path exists, else the missing part inserted. */
export function setInPlace(text: string, path: JSONPath, value: unknown, layout: JsonLayout): string {
  const root = parseTree(text);
  if (!root) throw new Error('kmsfix: a Terraform JSON document to edit did not parse');
  let node = root;
  let i = 0;
  for (; i < path.length; i++) {
    const child = childAt(node, path[i]);
    if (!child) break;
    node = child;
  }
  if (i === path.length) {
    // Replace the value: in the layout of the object (or array) holding it.
    const holder = node.parent?.type === 'property' ? node.parent.parent : node.parent;
    const style = styleOf(text, holder ?? node);
    const out = render(value, style, lineIndent(text, node.offset), layout);
    return text.slice(0, node.offset) + out + text.slice(node.offset + node.length);
  }
  const key = path[i];
  if (node.type !== 'object' || typeof key !== 'string')
    throw new Error(`kmsfix: cannot insert ${JSON.stringify(path)} into a JSON ${node.type}`);
  let nested = value;
  for (let j = path.length - 1; j > i; j--) nested = { [path[j] as string]: nested };
  return insertProperty(text, node, key, nested, layout);
}

function childAt(node: JNode, seg: string | number): JNode | undefined {
  if (node.type === 'object' && typeof seg === 'string') {
    // The last of repeated keys is the one JSON parsers keep.
    const p = (node.children ?? []).filter((c) => c.children?.[0]?.value === seg).pop();
    return p?.children?.[1];
  }
  if (node.type === 'array' && typeof seg === 'number') return node.children?.[seg];
  return undefined;
}

function insertProperty(text: string, obj: JNode, key: string, value: unknown, layout: JsonLayout): string {
  const style = styleOf(text, obj);
  const members = obj.children ?? [];
  const last = members[members.length - 1];
  const prop = (indent: string) => `${JSON.stringify(key)}${style.colon}${render(value, style, indent, layout)}`;
  if (style.oneLine) {
    if (!last) return `${text.slice(0, obj.offset)}{${style.pad}${prop('')}${style.pad}}${text.slice(obj.offset + obj.length)}`;
    const at = last.offset + last.length;
    return `${text.slice(0, at)}${style.comma}${prop('')}${text.slice(at)}`;
  }
  const objIndent = lineIndent(text, obj.offset);
  if (!last) {
    const inner = objIndent + layout.unit;
    return `${text.slice(0, obj.offset)}{${layout.eol}${inner}${prop(inner)}${layout.eol}${objIndent}}${text.slice(obj.offset + obj.length)}`;
  }
  // At the indentation of the last member when it starts its line, else one unit in from the object's line.
  const indent = startsLine(text, last.offset) ? lineIndent(text, last.offset) : objIndent + layout.unit;
  const at = last.offset + last.length;
  return `${text.slice(0, at)},${layout.eol}${indent}${prop(indent)}${text.slice(at)}`;
}

/**
 * An object's layout: on one line when its braces are (an empty `{}` only in a document written on
 * one line); its separators as its first members write them, else as the nearest enclosing object's.
 */
function styleOf(text: string, node: JNode): Style {
  const own = text.slice(node.offset, node.offset + node.length);
  const empty = (node.children ?? []).length === 0;
  const oneLine = empty ? !text.trimEnd().includes('\n') : !own.includes('\n');
  for (let n: JNode | undefined = node; n; n = n.parent) {
    const members = n.type === 'object' ? (n.children ?? []) : [];
    const first = members[0]?.children;
    if (!first || first.length < 2) continue;
    const colon = text.slice(first[0].offset + first[0].length, first[1].offset);
    if (colon.includes('\n')) break;
    const second = members[1];
    const comma = second ? text.slice(members[0].offset + members[0].length, second.offset) : undefined;
    const pad = text.slice(n.offset + 1, members[0].offset);
    return {
      oneLine,
      colon,
      comma: comma !== undefined && !comma.includes('\n') ? comma : colon.endsWith(' ') ? ', ' : ',',
      pad: pad === ' ' ? ' ' : '',
    };
  }
  return { oneLine, colon: ': ', comma: ', ', pad: '' };
}

/** A value written on one line in `style`, or over lines from `indent` (the indentation of its property's line). */
function render(v: unknown, style: Style, indent: string, layout: JsonLayout): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const entries: [string | undefined, unknown][] = Array.isArray(v)
    ? v.map((x) => [undefined, x])
    : Object.entries(v as Record<string, unknown>);
  const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return open + close;
  const inner = indent + layout.unit;
  const member = ([k, x]: [string | undefined, unknown], at: string) =>
    `${k === undefined ? '' : JSON.stringify(k) + style.colon}${render(x, style, at, layout)}`;
  if (style.oneLine) {
    const pad = Array.isArray(v) ? '' : style.pad;
    return `${open}${pad}${entries.map((e) => member(e, '')).join(style.comma)}${pad}${close}`;
  }
  return `${open}${layout.eol}${entries.map((e) => inner + member(e, inner)).join(`,${layout.eol}`)}${layout.eol}${indent}${close}`;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineIndent(text: string, offset: number): string {
  const s = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(s, offset))![0];
}

function startsLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
}
