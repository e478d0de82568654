/**
 * Writing CloudFormation values in the file's own style: YAML block or flow, short (`!GetAtt`) or
 * long (`Fn::GetAtt`) intrinsics, the file's quote character, indent unit and sequence indentation;
 * JSON with the file's indent. Lines are returned without line endings; callers join with the EOL.
 */
import { Intrinsic, YamlAlias, subToJoin, type Value } from './values.js';

export interface YamlStyle {
  indent: string;
  quote: "'" | '"';
  shortTags: boolean;
  /** Block sequences under a key are indented (`key:\n  - a`) rather than flush (`key:\n- a`). */
  seqIndent: boolean;
  /** Width of `- ` before a sequence item's content (`-   Key` in some 4-space files). */
  dashWidth: number;
  /** Write Fn::Sub as Fn::Join (Serverless Framework files). */
  noSub: boolean;
}

export interface JsonStyle {
  indent: string;
}

const SHORT: Record<Intrinsic['fn'], string> = { Ref: '!Ref', 'Fn::GetAtt': '!GetAtt', 'Fn::Sub': '!Sub', 'Fn::Join': '!Join' };

const RESERVED = /^(true|false|yes|no|on|off|null|y|n|~)$/i;

export function yamlScalar(v: string | number | boolean, style: YamlStyle, flow = false): string {
  if (typeof v !== 'string') return String(v);
  const plainSafe =
    /^[A-Za-z][A-Za-z0-9 ._:/\-*()]*$/.test(v) &&
    !RESERVED.test(v) &&
    !/:( |$)/.test(v) &&
    !v.endsWith(' ') &&
    !(flow && /[:,]/.test(v));
  if (plainSafe) return v;
  return style.quote === "'" ? `'${v.replace(/'/g, "''")}'` : JSON.stringify(v);
}

function normalize(v: Value, style: YamlStyle): Value {
  if (v instanceof Intrinsic && v.fn === 'Fn::Sub' && style.noSub && typeof v.arg === 'string' && v.arg.includes('${')) {
    return subToJoin(v.arg);
  }
  return v;
}

function isPlainObject(v: Value): v is { [key: string]: Value } {
  return typeof v === 'object' && !Array.isArray(v) && !(v instanceof Intrinsic) && !(v instanceof YamlAlias);
}

/** A value on one line, if it can be (scalars, short intrinsics, flow collections). */
export function yamlInline(v0: Value, style: YamlStyle, flow = false): string | undefined {
  const v = normalize(v0, style);
  if (typeof v !== 'object') return yamlScalar(v, style, flow);
  if (v instanceof YamlAlias) return `*${v.name}`;
  if (v instanceof Intrinsic) {
    if (v.fn === 'Fn::GetAtt' && style.shortTags) {
      const [r, a] = v.arg as string[];
      return `!GetAtt ${r}.${a}`;
    }
    if (v.fn === 'Fn::Join') {
      const body = yamlFlow(v.arg, style);
      return style.shortTags ? `!Join ${body}` : flow ? `{${v.fn}: ${body}}` : undefined;
    }
    const arg = typeof v.arg === 'object' ? yamlFlow(v.arg, style) : yamlScalar(v.arg, style, flow);
    if (style.shortTags) return `${SHORT[v.fn]} ${arg}`;
    return flow ? `{${v.fn}: ${yamlFlow(v.arg, style)}}` : undefined;
  }
  return flow ? yamlFlow(v, style) : undefined;
}

/** A value in YAML flow style. */
export function yamlFlow(v0: Value, style: YamlStyle): string {
  const v = normalize(v0, style);
  if (typeof v !== 'object') return yamlScalar(v, style, true);
  if (v instanceof Intrinsic || v instanceof YamlAlias) return yamlInline(v, style, true)!;
  if (Array.isArray(v)) return `[${v.map((x) => yamlFlow(x, style)).join(', ')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${k}: ${yamlFlow(x, style)}`).join(', ')}}`;
}

/** `key: value` pairs as block lines at `indent`. */
export function yamlPairs(entries: [string, Value][], indent: string, style: YamlStyle): string[] {
  const lines: string[] = [];
  for (const [k, v] of entries) lines.push(...yamlPair(k, v, indent, style));
  return lines;
}

function yamlPair(key: string, v0: Value, indent: string, style: YamlStyle): string[] {
  const v = normalize(v0, style);
  const inline = yamlInline(v, style);
  if (inline !== undefined) return [`${indent}${key}: ${inline}`];
  return [`${indent}${key}:`, ...yamlBlock(v, indent, style)];
}

/** The block lines of a value that goes under `key:` at `indent`. */
export function yamlBlock(v0: Value, indent: string, style: YamlStyle): string[] {
  const v = normalize(v0, style);
  const inner = indent + style.indent;
  if (v instanceof Intrinsic) return yamlPair(v.fn, v.arg, inner, { ...style, shortTags: false });
  if (Array.isArray(v)) {
    const dash = style.seqIndent ? inner : indent;
    const lines: string[] = [];
    for (const item of v) {
      if (isPlainObject(item)) {
        const pad = ' '.repeat(style.dashWidth);
        const sub = yamlPairs(Object.entries(item), dash + pad, style);
        sub[0] = dash + '-'.padEnd(style.dashWidth) + sub[0].slice(dash.length + style.dashWidth);
        lines.push(...sub);
      } else {
        const one = yamlInline(item, style, false) ?? yamlFlow(item, style);
        lines.push(`${dash}- ${one}`);
      }
    }
    return lines;
  }
  if (isPlainObject(v)) return yamlPairs(Object.entries(v), inner, style);
  return [inner + yamlInline(v, style)!];
}

// ---------------------------------------------------------------- JSON

function toJson(v: Value): unknown {
  if (v instanceof YamlAlias) throw new Error('a YAML alias cannot be written in JSON');
  if (v instanceof Intrinsic) return { [v.fn]: toJson(v.arg) };
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
  return v;
}

/** A JSON value whose first line continues a line that starts with `indent`; later lines are re-indented. */
export function jsonValue(v: Value, indent: string, style: JsonStyle, eol: string): string {
  const text = JSON.stringify(toJson(v), null, style.indent);
  return text.split('\n').join(eol + indent);
}

export function jsonCompact(v: Value): string {
  return JSON.stringify(toJson(v), null, 1).replace(/\n\s*/g, ' ').replace(/\[ /g, '[').replace(/ \]/g, ']').replace(/\{ /g, '{').replace(/ \}/g, '}');
}
