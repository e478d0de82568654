/**
 * TypeScript code to insert, as a small tree rendered in the file's style (indent, quotes,
 * trailing commas). Only what kmsfix writes: no general printer.
 */
import type { TsStyle } from './style.js';

export type Code =
  | { kind: 'raw'; text: string }
  | { kind: 'str'; value: string }
  | { kind: 'obj'; entries: [string, Code][] }
  | { kind: 'arr'; items: Code[] }
  /** `head(` args `)`: e.g. `new iam.PolicyStatement(` {...} `)`. */
  | { kind: 'call'; head: string; args: Code[] };

export const raw = (text: string): Code => ({ kind: 'raw', text });
export const str = (value: string): Code => ({ kind: 'str', value });
export const obj = (entries: [string, Code][]): Code => ({ kind: 'obj', entries });
export const arr = (items: Code[]): Code => ({ kind: 'arr', items });
export const call = (head: string, ...args: Code[]): Code => ({ kind: 'call', head, args });

/** A string literal in the file's quote style. */
export function quote(value: string, q: "'" | '"'): string {
  let out = '';
  for (const ch of value) {
    if (ch === q || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else out += ch;
  }
  return q + out + q;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

export function propKey(key: string, style: TsStyle): string {
  return IDENT.test(key) ? key : quote(key, style.quote);
}

const INLINE_WIDTH = 80;

function isSimple(c: Code): boolean {
  return c.kind === 'raw' || c.kind === 'str' || (c.kind === 'call' && c.args.every((a) => a.kind === 'raw' || a.kind === 'str'));
}

export function inline(c: Code, style: TsStyle): string {
  switch (c.kind) {
    case 'raw':
      return c.text;
    case 'str':
      return quote(c.value, style.quote);
    case 'obj':
      return c.entries.length === 0 ? '{}' : `{ ${c.entries.map(([k, v]) => `${propKey(k, style)}: ${inline(v, style)}`).join(', ')} }`;
    case 'arr':
      return `[${c.items.map((i) => inline(i, style)).join(', ')}]`;
    case 'call':
      return `${c.head}(${c.args.map((a) => inline(a, style)).join(', ')})`;
  }
}

/**
 * Render `c` as it would appear after `prefix` on a line indented by `indent`. Objects and arrays of
 * simple values stay on one line when they fit; everything else opens one line per entry.
 */
export function render(c: Code, style: TsStyle, indent: string, prefix = 0): string {
  // The one-line form, when its parts are simple and it fits (built only then: rendering a deep
  // tree level by level must not print every subtree again at each level).
  const oneLine = (simple: boolean): string | undefined => {
    if (!simple) return undefined;
    const one = inline(c, style);
    return indent.length + prefix + one.length <= INLINE_WIDTH && !one.includes('\n') ? one : undefined;
  };
  const tc = style.trailingComma ? ',' : '';
  const inner = indent + style.indent;
  switch (c.kind) {
    case 'raw':
    case 'str':
      return inline(c, style);
    case 'obj': {
      if (c.entries.length === 0) return inline(c, style);
      const one = oneLine(c.entries.every(([, v]) => isSimple(v)));
      if (one !== undefined) return one;
      const lines = c.entries.map(([k, v]) => {
        const key = `${propKey(k, style)}: `;
        return inner + key + render(v, style, inner, key.length);
      });
      return `{${style.eol}${lines.join(',' + style.eol)}${tc}${style.eol}${indent}}`;
    }
    case 'arr': {
      if (c.items.length === 0) return inline(c, style);
      const one = oneLine(c.items.every(isSimple));
      if (one !== undefined) return one;
      const lines = c.items.map((i) => inner + render(i, style, inner));
      return `[${style.eol}${lines.join(',' + style.eol)}${tc}${style.eol}${indent}]`;
    }
    case 'call': {
      const one = oneLine(c.args.every(isSimple));
      if (one !== undefined) return one;
      // `f(a, b, {...})`: a last object or array argument hugs the parentheses.
      const last = c.args[c.args.length - 1];
      if (last && (last.kind === 'obj' || last.kind === 'arr') && c.args.slice(0, -1).every(isSimple)) {
        const lead = c.args.slice(0, -1).map((a) => inline(a, style) + ', ').join('');
        return `${c.head}(${lead}${render(last, style, indent, prefix + c.head.length + 1 + lead.length)})`;
      }
      const lines = c.args.map((a) => inner + render(a, style, inner));
      return `${c.head}(${style.eol}${lines.join(',' + style.eol)}${tc}${style.eol}${indent})`;
    }
  }
}
