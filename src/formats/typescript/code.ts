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
  | { kind: 'call'; head: string; args: Code[] }
  /** Parts written one after the other on one line (a template literal around a call, an arrow function). */
  | { kind: 'seq'; parts: Code[] };

export const raw = (text: string): Code => ({ kind: 'raw', text });

/** `{ provider }` for `{ provider: provider }`: a variable of the property's name, written as such code writes it. */
const isShorthand = (k: string, v: Code) => v.kind === 'raw' && v.text === k && /^[A-Za-z_$][\w$]*$/.test(k);
/** `...base.Properties`: an entry whose key is a spread (its value empty), written as the key alone. */
const isSpread = (k: string, v: Code) => k.startsWith('...') && v.kind === 'raw' && v.text === '';
export const str = (value: string): Code => ({ kind: 'str', value });
export const obj = (entries: [string, Code][]): Code => ({ kind: 'obj', entries });
export const arr = (items: Code[]): Code => ({ kind: 'arr', items });
export const call = (head: string, ...args: Code[]): Code => ({ kind: 'call', head, args });
export const seq = (...parts: Code[]): Code => ({ kind: 'seq', parts });

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
  return (
    c.kind === 'raw' ||
    c.kind === 'str' ||
    c.kind === 'seq' ||
    (c.kind === 'call' && c.args.every((a) => a.kind === 'raw' || a.kind === 'str'))
  );
}

export function inline(c: Code, style: TsStyle): string {
  switch (c.kind) {
    case 'raw':
      return c.text;
    case 'str':
      return quote(c.value, style.quote);
    case 'obj':
      return c.entries.length === 0
        ? '{}'
        : `{ ${c.entries.map(([k, v]) => (isShorthand(k, v) || isSpread(k, v) ? k : `${propKey(k, style)}: ${inline(v, style)}`)).join(', ')} }`;
    case 'arr':
      return `[${c.items.map((i) => inline(i, style)).join(', ')}]`;
    case 'call':
      return `${c.head}(${c.args.map((a) => inline(a, style)).join(', ')})`;
    case 'seq':
      return c.parts.map((p) => inline(p, style)).join('');
  }
}

/** A string literal's code, or a chain of names (`cdk.RemovalPolicy.DESTROY`). */
const STRING_OR_CHAIN = /^(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+)$/;

/**
 * Prettier's layout of a property whose value does not fit after its key: a string or a chain of names goes on the
 * next line, one indent further (`description:` then the string), unless the key is shorter than the tab width and
 * three columns; other values break inside themselves.
 */
function breaksAfterColon(key: string, v: Code, value: string, before: number, style: TsStyle): boolean {
  if (!style.prettier || before + value.length <= style.width) return false;
  if (key.length - 2 < (style.tabWidth ?? style.indent.length) + 3) return false;
  return v.kind === 'str' || (v.kind === 'raw' && STRING_OR_CHAIN.test(v.text));
}

/** The columns `indent` takes, a tab counted as the style's tab width (Prettier's `tabWidth`). */
export const indentColumns = (indent: string, style: TsStyle): number =>
  style.tabWidth === undefined ? indent.length : indent.replace(/\t/g, ' '.repeat(style.tabWidth)).length;

/**
 * Render `c` as it would appear after `prefix` on a line indented by `indent`, followed on its last line
 * by `suffix` columns (the `,`, `)` or `;` after it, which Prettier counts in the line's width). Objects and
 * arrays of simple values stay on one line when they fit; everything else opens one line per entry.
 */
export function render(c: Code, style: TsStyle, indent: string, prefix = 0, suffix = 0): string {
  const at = indentColumns(indent, style) + prefix;
  // The one-line form, when its parts are simple and it fits (built only then: rendering a deep
  // tree level by level must not print every subtree again at each level).
  const oneLine = (simple: boolean): string | undefined => {
    if (!simple) return undefined;
    const one = inline(c, style);
    return at + one.length + suffix <= style.width && !one.includes('\n') ? one : undefined;
  };
  const tc = style.trailingComma ? ',' : '';
  const inner = indent + style.indent;
  /** What follows entry `i` of `n` on its line: its comma. */
  const comma = (i: number, n: number, trailing: string) => (i < n - 1 || trailing ? 1 : 0);
  switch (c.kind) {
    case 'raw':
    case 'str':
    case 'seq':
      return inline(c, style);
    case 'obj': {
      if (c.entries.length === 0) return inline(c, style);
      const one = oneLine(c.entries.every(([, v]) => isSimple(v)));
      if (one !== undefined) return one;
      const lines = c.entries.map(([k, v], i) => {
        if (isShorthand(k, v) || isSpread(k, v)) return inner + k;
        const key = `${propKey(k, style)}: `;
        const after = comma(i, c.entries.length, tc);
        const value = render(v, style, inner, key.length, after);
        return breaksAfterColon(key, v, value, indentColumns(inner, style) + key.length + after, style)
          ? `${inner}${key.trimEnd()}${style.eol}${inner}${style.indent}${value}`
          : inner + key + value;
      });
      return `{${style.eol}${lines.join(',' + style.eol)}${tc}${style.eol}${indent}}`;
    }
    case 'arr': {
      if (c.items.length === 0) return inline(c, style);
      const one = oneLine(c.items.every(isSimple));
      if (one !== undefined) return one;
      const lines = c.items.map((item, i) => inner + render(item, style, inner, 0, comma(i, c.items.length, tc)));
      return `[${style.eol}${lines.join(',' + style.eol)}${tc}${style.eol}${indent}]`;
    }
    case 'call': {
      const one = oneLine(c.args.every(isSimple));
      if (one !== undefined) return one;
      // `f(a, b, {...})`, `f(a, {...}, { parent: this })`: the one object or array argument among
      // simple ones hugs the parentheses, when the line up to its opening bracket fits (else Prettier
      // puts each argument on a line of its own; in a Prettier project, only the last argument hugs).
      const big = c.args.filter((a) => !isSimple(a));
      const i = c.args.indexOf(big[0]);
      if (big.length === 1 && (big[0].kind === 'obj' || big[0].kind === 'arr') && (!style.prettier || i === c.args.length - 1)) {
        const lead = c.args
          .slice(0, i)
          .map((a) => inline(a, style) + ', ')
          .join('');
        const trail = c.args
          .slice(i + 1)
          .map((a) => ', ' + inline(a, style))
          .join('');
        const opening = prefix + c.head.length + 1 + lead.length;
        if (at - prefix + opening + 1 <= style.width)
          return `${c.head}(${lead}${render(big[0], style, indent, opening, trail.length + 1 + suffix)}${trail})`;
      }
      const ta = style.trailingCommaArgs ? ',' : '';
      const lines = c.args.map((a, i) => inner + render(a, style, inner, 0, comma(i, c.args.length, ta)));
      return `${c.head}(${style.eol}${lines.join(',' + style.eol)}${ta}${style.eol}${indent})`;
    }
  }
}

/**
 * A function declaration that returns `value`, with an optional doc comment, at the file's top
 * level: `function name(params): Type {` on one line when it fits, one parameter per line otherwise
 * (its return type written, as `@typescript-eslint/explicit-function-return-type` asks).
 */
export function renderFunction(
  spec: { comment?: string; name: string; params: string[]; returns: string; value: Code },
  style: TsStyle,
): string {
  const tc = style.trailingCommaArgs ? ',' : '';
  const semi = style.semi ? ';' : '';
  const oneLine = `function ${spec.name}(${spec.params.join(', ')}): ${spec.returns} {`;
  const head =
    oneLine.length <= style.width
      ? oneLine
      : `function ${spec.name}(${style.eol}${spec.params.map((p) => style.indent + p).join(',' + style.eol)}${tc}${style.eol}): ${spec.returns} {`;
  const ret = `${style.indent}return `;
  const lines = [
    ...(spec.comment ? docComment(spec.comment) : []),
    head,
    `${ret}${render(spec.value, style, style.indent, ret.length - style.indent.length, semi.length)}${semi}`,
    '}',
  ];
  return lines.join(style.eol);
}

/** A doc comment: one line when it fits, else wrapped at the inline width. */
function docComment(text: string): string[] {
  if (text.length + 7 <= INLINE_WIDTH) return [`/** ${text} */`];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length + 3 > INLINE_WIDTH) {
      lines.push(` * ${line}`);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(` * ${line}`);
  return ['/**', ...lines, ' */'];
}
