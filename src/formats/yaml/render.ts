/**
 * Writing CloudFormation values in the file's own style: YAML block or flow, short (`!GetAtt`) or
 * long (`Fn::GetAtt`) intrinsics, the file's quote character, indent unit and sequence indentation;
 * JSON with the file's indent. Lines are returned without line endings; callers join with the EOL.
 */
import { COMMENT, Intrinsic, YamlAlias, isConstant, subToJoin, type Value } from './values.js';

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
  /** Long-form intrinsic arguments in flow style (`Fn::GetAtt: [Key, Arn]`) rather than as block lists. */
  flowArgs: boolean;
  /** Strings with `${...}` unquoted where YAML allows it (`kmsKeyArn: ${key.arn}`), as the file writes them. */
  plainInterpolation: boolean;
  /** Lists of scalars in flow style (`Action: [kms:Get*, kms:List*]`) when they fit on the line. */
  flowScalars: boolean;
  /** Block keys with `${...}` (Fn::ForEach output keys) written plain (`${Name}Table:`), as the file writes its own; quoted when unset. */
  plainInterpolationKeys?: boolean;
}

/** Longest line a flow list of scalars is written on. */
const FLOW_WIDTH = 80;

export interface JsonStyle {
  indent: string;
  /** Small collections (`{ "Ref": "X" }`, `["K", "Arn"]`) go on one line when they fit in `width`. */
  inline: boolean;
  width: number;
  /** Spaces inside the braces / brackets of a one-line collection: `{ "a": 1 }`, `[ 1 ]`. */
  braceSpace: boolean;
  bracketSpace: boolean;
  /** Between a key and its value: `": "`, or `" : "` in files that write `"Type" : "..."`. */
  colon: string;
  /**
   * Arrays of scalars (`["K", "Arn"]`, `["kms:Encrypt", "kms:Decrypt"]`) on one line when they fit (true) or
   * one item a line (false), as the file writes its own, whatever its other collections do; undefined (the file
   * has none to go by): as `inline` says.
   */
  scalarArrays?: boolean;
  /** Between the items of a one-line array: `", "` (undefined), or `","` in files that write `["K","Arn"]`. */
  comma?: string;
  /** The Serverless Framework reads the file (serverless.json, a file of Resources it includes): `Fn::Sub` with `${...}` is written `Fn::Join`. */
  noSub?: boolean;
}

const SHORT: Record<string, string> = {
  Ref: '!Ref',
  'Fn::GetAtt': '!GetAtt',
  'Fn::Sub': '!Sub',
  'Fn::Join': '!Join',
  'Fn::Split': '!Split',
  'Fn::ImportValue': '!ImportValue',
};

/** A function's short tag: `!Ref`, `!Condition`, else `!` and its name after `Fn::` (`!If`, `!Select`). */
const shortTag = (fn: string): string => SHORT[fn] ?? (fn.startsWith('Fn::') ? `!${fn.slice(4)}` : `!${fn}`);

/** Whether a string holds a control character (below U+0020). */
function hasControl(v: string): boolean {
  for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) < 32) return true;
  return false;
}

const RESERVED = /^(true|false|yes|no|on|off|null|y|n|~)$/i;

export function yamlScalar(v: string | number | boolean, style: YamlStyle, flow = false): string {
  if (typeof v !== 'string') return String(v);
  const interpolation = !flow && style.plainInterpolation && v.includes('${');
  const plainSafe =
    (interpolation ? /^[A-Za-z$][A-Za-z0-9 ._:/\-*(){}$]*$/ : /^[A-Za-z][A-Za-z0-9 ._:/\-*()]*$/).test(v) &&
    !RESERVED.test(v) &&
    !/:( |$)/.test(v) &&
    !v.endsWith(' ') &&
    !(flow && /[:,]/.test(v));
  if (plainSafe) return v;
  // A line break or other control character (a copied block scalar's): escaped, which only double quotes can.
  if (hasControl(v)) return JSON.stringify(v);
  return style.quote === "'" ? `'${v.replace(/'/g, "''")}'` : JSON.stringify(v);
}

function normalize(v: Value, style: YamlStyle): Value {
  if (v instanceof Intrinsic && v.fn === 'Fn::Sub' && !v.copied && style.noSub && typeof v.arg === 'string' && v.arg.includes('${')) {
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
    if (v.fn === 'Fn::GetAtt' && style.shortTags && Array.isArray(v.arg) && typeof v.arg[0] === 'string') {
      const [r, a] = v.arg as string[];
      return `!GetAtt ${r}.${a}`;
    }
    if (v.fn === 'Fn::Join') {
      const body = yamlFlow(v.arg, style);
      return style.shortTags ? `!Join ${body}` : flow ? `{${v.fn}: ${body}}` : undefined;
    }
    const arg = typeof v.arg === 'object' ? yamlFlow(v.arg, style) : yamlScalar(v.arg, style, flow);
    if (style.shortTags) return `${shortTag(v.fn)} ${arg}`;
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
  return `{${withoutComments(v)
    .map(([k, x]) => `${k}: ${yamlFlow(x, style)}`)
    .join(', ')}}`;
}

/** `key: value` pairs as block lines at `indent`. */
export function yamlPairs(entries: [string, Value][], indent: string, style: YamlStyle): string[] {
  const lines: string[] = [];
  pairsInto(lines, entries, indent, style);
  return lines;
}

/**
 * The lines of yamlPairs, yamlBlock and one pair are pushed to one array that the caller made
 * (nested collections no longer return arrays for their parent to copy).
 */
function pairsInto(lines: string[], entries: [string, Value][], indent: string, style: YamlStyle): void {
  for (const [k, v] of entries) {
    if (k === COMMENT) lines.push(`${indent}# ${String(v)}`);
    else pairInto(lines, k, v, indent, style);
  }
}

/** A mapping's entries without comment lines (for JSON and flow style, which have none). */
function withoutComments(v: { [key: string]: Value }): [string, Value][] {
  return Object.entries(v).filter(([k]) => k !== COMMENT);
}

/**
 * A key as written: one holding `${...}` / `&{...}` (a Fn::ForEach output key) quoted, as such keys are
 * usually written, or plain where the file writes its own so and YAML reads it plain (`&{...}` never is).
 */
function yamlKey(key: string, style: YamlStyle): string {
  return key.includes('{') ? yamlScalar(key, { ...style, plainInterpolation: style.plainInterpolationKeys === true }) : key;
}

/**
 * What the renderers wrote for each constant value (values.ts `constant`), by place and style: the
 * same key policy goes into every fixed template of a run, and was built and written again for each
 * (about 2% of a dense fix's main thread). At most MEMO_SIZE texts per value.
 */
const memos = new WeakMap<object, Map<string, string | string[]>>();
const styleKeys = new WeakMap<object, string>();
const MEMO_SIZE = 64;

/** The text `make` writes for constant `v` at `at` (the place: syntax, key, indent...) in `style`, made once. */
function memoized<T extends string | string[]>(v: object, at: string, style: YamlStyle | JsonStyle, make: () => T): T {
  let sk = styleKeys.get(style);
  if (sk === undefined) styleKeys.set(style, (sk = JSON.stringify(style)));
  const key = `${at}\u0000${sk}`;
  let map = memos.get(v);
  if (!map) memos.set(v, (map = new Map()));
  let done = map.get(key) as T | undefined;
  if (done === undefined) {
    if (map.size >= MEMO_SIZE) map.clear();
    map.set(key, (done = make()));
  }
  return done;
}

function pairInto(lines: string[], key0: string, v0: Value, indent: string, style: YamlStyle): void {
  if (isConstant(v0)) {
    const done = memoized(v0, `yaml\u0000${key0}\u0000${indent}`, style, () => {
      const out: string[] = [];
      writePair(out, key0, v0, indent, style);
      return out;
    });
    for (const line of done) lines.push(line);
    return;
  }
  writePair(lines, key0, v0, indent, style);
}

function writePair(lines: string[], key0: string, v0: Value, indent: string, style: YamlStyle): void {
  const key = yamlKey(key0, style);
  const v = normalize(v0, style);
  let inline = Array.isArray(v) && style.flowArgs && key0.startsWith('Fn::') ? yamlFlow(v, style) : yamlInline(v, style);
  if (inline === undefined && Array.isArray(v) && style.flowScalars && v.every((x) => typeof x !== 'object')) {
    const flow = yamlFlow(v, style);
    if (indent.length + key.length + 2 + flow.length <= FLOW_WIDTH) inline = flow;
  }
  if (inline !== undefined) {
    lines.push(`${indent}${key}: ${inline}`);
    return;
  }
  lines.push(`${indent}${key}:`);
  blockInto(lines, v, indent, style);
}

/** The block lines of a value that goes under `key:` at `indent`. */
export function yamlBlock(v0: Value, indent: string, style: YamlStyle): string[] {
  const lines: string[] = [];
  blockInto(lines, v0, indent, style);
  return lines;
}

function blockInto(lines: string[], v0: Value, indent: string, style: YamlStyle): void {
  const v = normalize(v0, style);
  const inner = indent + style.indent;
  if (v instanceof Intrinsic) {
    pairInto(lines, v.fn, v.arg, inner, { ...style, shortTags: false });
    return;
  }
  if (Array.isArray(v)) {
    const dash = style.seqIndent ? inner : indent;
    for (const item0 of v) {
      const item = normalize(item0, style);
      // A long-form intrinsic in a file that writes intrinsic arguments as block lists (what `sam package` and
      // yaml.dump write) is a block mapping item, `- Fn::Split:` with its arguments below, as the file's own are:
      // not `- {Fn::Split: [...]}` (real-world round 38 F2: the dot-safe alias name). Flow-args files keep flow.
      const blockIntrinsic = item instanceof Intrinsic && !style.shortTags && !style.flowArgs;
      if (isPlainObject(item) || blockIntrinsic) {
        // The item's first line gets the dash in place of its indent's last columns.
        const first = lines.length;
        const entries: [string, Value][] = item instanceof Intrinsic ? [[item.fn, item.arg]] : Object.entries(item as object);
        pairsInto(lines, entries, dash + ' '.repeat(style.dashWidth), style);
        lines[first] = dash + '-'.padEnd(style.dashWidth) + lines[first].slice(dash.length + style.dashWidth);
      } else {
        const one = yamlInline(item, style, false) ?? yamlFlow(item, style);
        lines.push(`${dash}- ${one}`);
      }
    }
    return;
  }
  if (isPlainObject(v)) pairsInto(lines, Object.entries(v), inner, style);
  else lines.push(inner + yamlInline(v, style)!);
}

// ---------------------------------------------------------------- JSON

const ALIAS_IN_JSON = 'a YAML alias cannot be written in JSON';

/** A value as plain JSON data (for jsonCompact). */
function toJson(v: Value): unknown {
  if (v instanceof YamlAlias) throw new Error(ALIAS_IN_JSON);
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'object') return Object.fromEntries(jsonEntries(v).map(([k, x]) => [k, toJson(x)]));
  return v;
}

/** A collection's members as JSON writes them: an intrinsic is a one-key object; comment lines are left out. */
function jsonEntries(v: Intrinsic | { [key: string]: Value }): [string, Value][] {
  return v instanceof Intrinsic ? [[v.fn, v.arg]] : withoutComments(v);
}

/** A scalar as JSON, or an error for what JSON cannot hold. */
function jsonScalar(v: Value): string {
  if (v instanceof YamlAlias) throw new Error(ALIAS_IN_JSON);
  return JSON.stringify(v);
}

/**
 * Whether a value nests collections at most `limit` deep (a scalar 0, `["a"]` 1,
 * `{"Fn::GetAtt": ["K", "Arn"]}` 2); stops at the first branch deeper than that.
 */
function nestsAtMost(v: Value, limit: number): boolean {
  if (typeof v !== 'object' || v instanceof YamlAlias) return true;
  if (limit === 0) return false;
  if (Array.isArray(v)) {
    for (const x of v) if (!nestsAtMost(x, limit - 1)) return false;
  } else for (const [, x] of jsonEntries(v)) if (!nestsAtMost(x, limit - 1)) return false;
  return true;
}

function jsonInline(v: Value, style: JsonStyle): string {
  if (typeof v !== 'object' || v instanceof YamlAlias) return jsonScalar(v);
  if (Array.isArray(v)) {
    const s = style.bracketSpace ? ' ' : '';
    return v.length === 0 ? '[]' : `[${s}${v.map((x) => jsonInline(x, style)).join(style.comma ?? ', ')}${s}]`;
  }
  const entries = jsonEntries(v);
  const s = style.braceSpace ? ' ' : '';
  return entries.length === 0
    ? '{}'
    : `{${s}${entries.map(([k, x]) => `${JSON.stringify(k)}${style.colon}${jsonInline(x, style)}`).join(', ')}${s}}`;
}

/**
 * A value laid out like the file, as pieces pushed to `out` (joined once by the caller): small
 * collections on one line if it writes them so and they fit.
 */
function jsonLayout(out: string[], v: Value, indent: string, column: number, style: JsonStyle, eol: string): void {
  if (isConstant(v)) {
    out.push(
      memoized(v, `json\u0000${indent}\u0000${column}\u0000${eol}`, style, () => {
        const parts: string[] = [];
        writeJson(parts, v, indent, column, style, eol);
        return parts.join('');
      }),
    );
    return;
  }
  writeJson(out, v, indent, column, style, eol);
}

const isScalar = (x: Value): boolean => typeof x !== 'object';

/** A non-empty array of scalars (`["K", "Arn"]`), whose layout the file's own such arrays set (JsonStyle.scalarArrays). */
const isScalarArray = (v: Value): v is Value[] => Array.isArray(v) && v.length > 0 && v.every(isScalar);

/** Whether a collection holds an array of scalars, or is one. */
function holdsScalarArray(v: Value): boolean {
  if (typeof v !== 'object' || v instanceof YamlAlias) return false;
  if (isScalarArray(v)) return true;
  const members = Array.isArray(v) ? v : jsonEntries(v).map(([, x]) => x);
  return members.some(holdsScalarArray);
}

/**
 * Whether a collection goes on one line (if it fits): an array of scalars as the file writes its own; another
 * small collection where the file writes those on one line, unless it holds an array of scalars the file would
 * write one item a line.
 */
function oneLine(v: Value, style: JsonStyle): boolean {
  if (style.scalarArrays !== undefined && isScalarArray(v)) return style.scalarArrays;
  return style.inline && nestsAtMost(v, 2) && !(style.scalarArrays === false && holdsScalarArray(v));
}

function writeJson(out: string[], v: Value, indent: string, column: number, style: JsonStyle, eol: string): void {
  if (typeof v !== 'object' || v instanceof YamlAlias) {
    out.push(jsonScalar(v));
    return;
  }
  if (oneLine(v, style)) {
    const one = jsonInline(v, style);
    if (column + one.length + 1 <= style.width) {
      out.push(one);
      return;
    }
  }
  const inner = indent + style.indent;
  if (Array.isArray(v)) {
    if (v.length === 0) {
      out.push('[]');
      return;
    }
    for (let i = 0; i < v.length; i++) {
      out.push(i === 0 ? `[${eol}${inner}` : `,${eol}${inner}`);
      jsonLayout(out, v[i], inner, inner.length, style, eol);
    }
    out.push(`${eol}${indent}]`);
    return;
  }
  const entries = jsonEntries(v);
  if (entries.length === 0) {
    out.push('{}');
    return;
  }
  for (let i = 0; i < entries.length; i++) {
    const head = `${inner}${JSON.stringify(entries[i][0])}${style.colon}`;
    out.push(i === 0 ? `{${eol}${head}` : `,${eol}${head}`);
    jsonLayout(out, entries[i][1], inner, head.length, style, eol);
  }
  out.push(`${eol}${indent}}`);
}

/**
 * A JSON value that starts at `column` of a line indented by `indent`: nested lines are indented
 * from there, small collections kept on one line when the file does so.
 */
export function jsonValue(v: Value, indent: string, style: JsonStyle, eol: string, column = indent.length): string {
  const out: string[] = [];
  jsonLayout(out, style.noSub ? joinsForSubs(v) : v, indent, column, style, eol);
  return out.join('');
}

/** `Fn::Sub` with `${...}` as `Fn::Join` throughout a value (YAML does it as it writes: normalize). */
function joinsForSubs(v: Value): Value {
  if (v instanceof Intrinsic) {
    if (v.fn === 'Fn::Sub' && !v.copied && typeof v.arg === 'string' && v.arg.includes('${')) return subToJoin(v.arg);
    return new Intrinsic(v.fn, joinsForSubs(v.arg), v.copied);
  }
  if (Array.isArray(v)) return v.map(joinsForSubs);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, joinsForSubs(x)]));
  return v;
}

/** A value on one line, without spaces inside brackets and braces; `colon` as the file writes it; `noSub` as JsonStyle's. */
export function jsonCompact(v0: Value, colon = ': ', noSub = false): string {
  const v = noSub ? joinsForSubs(v0) : v0;
  if (colon !== ': ') return jsonInline(v, { indent: '', inline: true, width: 0, braceSpace: false, bracketSpace: false, colon });
  return JSON.stringify(toJson(v), null, 1)
    .replace(/\n\s*/g, ' ')
    .replace(/\[ /g, '[')
    .replace(/ \]/g, ']')
    .replace(/\{ /g, '{')
    .replace(/ \}/g, '}');
}
