/**
 * Editing YAML and JSON mappings by text ranges, in the file's own style: set keys (editing what is
 * there, adding what is missing, never editing an anchored node through an alias), insert entries
 * after or before a given one, pick unused names. Shared by the YAML/JSON families (CloudFormation,
 * Pulumi YAML). Every edit is a text range; nothing is re-serialized.
 */
import { applyEdits } from '../../core/apply.js';
import { lineEndOf, lineIndentOf, lineStartOf, trimBack } from '../../core/text.js';
import type { Edit, FilePlan } from '../../core/types.js';
import type { SseEdit } from './anchors.js';
import { jsonCompact, jsonValue, yamlBlock, yamlFlow, yamlInline, yamlPairs } from './render.js';
import { fileTexts, resolvedFileDifferences, type Allowance } from './resolved.js';
import type { FileStyle } from './style.js';
import { MERGE_KEY, ownPair, pair, parseYaml, resolveAlias, type CAlias, type CMap, type CNode, type CPair } from './tree.js';
import { YamlAlias, type Value } from './values.js';

/** What the edits of one file are made with: its text, its syntax and style, the edits so far. */
export interface Ctx {
  text: string;
  json: boolean;
  style: FileStyle;
  edits: Edit[];
}

/**
 * What a key must hold: a value (replaced when `replace` says so) or nested settings. `complete`:
 * the nested settings are the whole value (e.g. an SSESpecification), so they may replace what is
 * there instead of being merged into it.
 */
export type Setting =
  | { key: string; value: Value; replace: (node: CNode | null) => boolean }
  | { key: string; nested: Setting[]; complete?: boolean };

function settingValue(s: Setting): Value {
  return 'nested' in s ? Object.fromEntries(s.nested.map((n) => [n.key, settingValue(n)])) : s.value;
}

// ---------------------------------------------------------------- text positions

function colonAfter(text: string, p: CPair): number {
  const i = text.indexOf(':', p.keyEnd);
  return i === -1 ? p.keyEnd : i;
}

/** Where a pair's text ends (its value, or its colon when the value is empty). */
function pairEnd(ctx: Ctx, p: CPair): number {
  const v = p.value;
  if (!v || v.start === v.end) return colonAfter(ctx.text, p) + 1;
  return trimBack(ctx.text, v.end, v.start);
}

/** The last scalar of a value as written (a block collection ends with its last item's value). */
function lastLeaf(node: CNode | null): CNode | null {
  let n = node;
  for (let depth = 0; n && !n.flow && depth < 200; depth++) {
    if (n.kind === 'map') {
      const last = n.pairs[n.pairs.length - 1];
      if (!last?.value) return null;
      n = last.value;
    } else if (n.kind === 'seq') {
      n = n.items[n.items.length - 1] ?? null;
    } else break;
  }
  return n;
}

/** A `|+` or `>+` block scalar: its trailing blank lines are part of its value. */
function keepsTrailingLines(ctx: Ctx, node: CNode | null): boolean {
  if (node?.kind !== 'scalar' || node.quote !== 'block') return false;
  return /^[|>][1-9]?\+/.test(ctx.text.slice(node.start, node.start + 3));
}

/**
 * Where new lines go after a pair: at the end of its last line, or, when the pair ends with a
 * keep (`|+`) block scalar, after the blank lines that belong to that scalar's value.
 */
function insertionAfter(ctx: Ctx, p: CPair): { at: number; lineStart: boolean } {
  const leaf = lastLeaf(p.value);
  if (leaf && keepsTrailingLines(ctx, leaf)) {
    const at = leaf.end;
    return { at, lineStart: at > 0 && ctx.text[at - 1] === '\n' };
  }
  return {
    at: ownCommentsEnd(ctx.text, lineEndOf(ctx.text, pairEnd(ctx, p)), p.keyStart - lineStartOf(ctx.text, p.keyStart)),
    lineStart: false,
  };
}

/**
 * The end of the comment lines below a pair's last line that are indented deeper than its key (commented-out
 * entries of its value, `# GlobalSecondaryIndexes: ...` at a table's Properties level: by indentation they are
 * the pair's, and what is inserted after the pair goes after them, not between it and them, where they would
 * read as the new entry's: real-world round 37), with blank lines among them; else `at` (a line end). A run of
 * such lines after a blank line and right above what follows (no blank line between) is that next entry's header,
 * however indented (`\n          # IssueStatusListEntry Lambda\n  IssueStatusListEntryFunction:`, seen in the regression
 * corpus): not the pair's, and nothing is put between it and the entry it heads.
 */
function ownCommentsEnd(text: string, at: number, keyColumn: number): number {
  let end = at;
  // Where the kept lines ended before the current run of comment lines, when that run came after a blank line.
  let beforeRun: number | undefined;
  let blank = false;
  for (let pos = at; ; ) {
    const nl = text.indexOf('\n', pos);
    if (nl === -1 || nl + 1 >= text.length) return end;
    const lineEnd = lineEndOf(text, nl + 1);
    const line = text.slice(nl + 1, lineEnd);
    const content = line.trimStart();
    pos = lineEnd;
    if (content === '') {
      blank = true;
      beforeRun = undefined;
      continue;
    }
    if (!content.startsWith('#') || line.length - content.length <= keyColumn) return beforeRun ?? end;
    if (blank && beforeRun === undefined) beforeRun = end;
    blank = false;
    end = lineEnd;
  }
}

/** The indentation of a map's keys, as text (keys after `- ` get spaces of the same width). */
function keyIndent(ctx: Ctx, keyStart: number): string {
  const prefix = ctx.text.slice(lineStartOf(ctx.text, keyStart), keyStart);
  return /^[ \t]*$/.test(prefix)
    ? prefix
    : lineIndentOf(ctx.text, keyStart) + ' '.repeat(prefix.length - lineIndentOf(ctx.text, keyStart).length);
}

/**
 * Whether a block mapping separates its entries with blank lines (most of them do, or not); a
 * mapping of one entry follows `fallback` (e.g. the template's sections for its Resources).
 */
function blankSeparated(ctx: Ctx, map: CMap, fallbacks: CMap[] = []): boolean {
  let yes = 0;
  let no = 0;
  for (let i = 1; i < map.pairs.length; i++) {
    const between = ctx.text.slice(lineEndOf(ctx.text, pairEnd(ctx, map.pairs[i - 1])), lineStartOf(ctx.text, map.pairs[i].keyStart));
    if (/\n[ \t]*\r?\n/.test(between)) yes++;
    else no++;
  }
  if (yes + no === 0) return fallbacks.length > 0 ? blankSeparated(ctx, fallbacks[0], fallbacks.slice(1)) : false;
  return yes > no;
}

/** The start of the comment lines right above a key (they belong to it), or of its own line. */
function startWithComments(text: string, keyStart: number): number {
  let start = lineStartOf(text, keyStart);
  while (start > 0) {
    const prev = lineStartOf(text, start - 1);
    if (!text.slice(prev, start).trim().startsWith('#')) break;
    start = prev;
  }
  return start;
}

// ---------------------------------------------------------------- edit operations

export interface Placement {
  /** Insert after this pair (default: the map's last pair). */
  after?: CPair;
  /** Insert before this pair (and the comment lines above it) instead. */
  before?: CPair;
  /** Whose blank-line convention a map of a single entry follows (the first that has two entries). */
  separatedLike?: CMap[];
}

export function insertPairs(ctx: Ctx, map: CMap, entries: [string, Value][], where: Placement = {}): void {
  const { text, style } = ctx;
  const eol = style.eol;
  const anchor = where.after ?? map.pairs[map.pairs.length - 1];
  if (!anchor) {
    // An empty flow mapping: `{}`.
    const body = ctx.json
      ? entries.map(([k, v]) => `${JSON.stringify(k)}${style.json.colon}${jsonCompact(v, style.json.colon, style.json.noSub)}`).join(', ')
      : entries.map(([k, v]) => `${k}: ${yamlFlow(v, style.yaml)}`).join(', ');
    ctx.edits.push({ start: map.start, end: map.end, text: ctx.json ? `{ ${body} }` : `{${body}}` });
    return;
  }
  const at = pairEnd(ctx, anchor);
  if (ctx.json) {
    const multiline = lineStartOf(text, map.pairs[0].keyStart) !== lineStartOf(text, map.start);
    if (multiline) {
      const indent = lineIndentOf(text, map.pairs[0].keyStart);
      const body = entries
        .map(([k, v]) => {
          const head = `${indent}${JSON.stringify(k)}${style.json.colon}`;
          return `,${eol}${head}${jsonValue(v, indent, style.json, eol, head.length)}`;
        })
        .join('');
      ctx.edits.push({ start: at, end: at, text: body });
    } else {
      ctx.edits.push({
        start: at,
        end: at,
        text: entries
          .map(([k, v]) => `, ${JSON.stringify(k)}${style.json.colon}${jsonCompact(v, style.json.colon, style.json.noSub)}`)
          .join(''),
      });
    }
    return;
  }
  if (map.flow) {
    ctx.edits.push({ start: at, end: at, text: entries.map(([k, v]) => `, ${k}: ${yamlFlow(v, style.yaml)}`).join('') });
    return;
  }
  const indent = keyIndent(ctx, map.pairs[0].keyStart);
  const blocks = entries.map(([k, v]) => yamlPairs([[k, v]], indent, style.yaml).join(eol));
  const gap = blankSeparated(ctx, map, where.separatedLike) ? eol + eol : eol;
  if (where.before) {
    const start = startWithComments(text, where.before.keyStart);
    // A pair set apart from the one above it by a blank line stays so: the new entries go after that
    // line, and one follows them.
    const apart = start > 0 && text.slice(lineStartOf(text, start - 1), start).trim() === '';
    ctx.edits.push({ start, end: start, text: blocks.join(gap) + (apart ? eol + eol : gap) });
    return;
  }
  const { at: pos, lineStart } = insertionAfter(ctx, anchor);
  if (lineStart) {
    // After a keep scalar's blank lines, which stay its value: the same blank lines follow the new
    // entries, so that what came next keeps its distance.
    let blanks = 0;
    for (let at = pos; at > 0; blanks++) {
      const prev = lineStartOf(text, at - 1);
      if (text.slice(prev, at).trim() !== '') break;
      at = prev;
    }
    const after = pos === text.length ? eol : blanks > 0 ? eol.repeat(blanks + 1) : gap;
    ctx.edits.push({ start: pos, end: pos, text: blocks.join(gap) + after });
  } else {
    ctx.edits.push({ start: pos, end: pos, text: blocks.map((b) => gap + b).join('') });
  }
}

function replaceValue(ctx: Ctx, map: CMap, p: CPair, v: Value): void {
  const { text, style } = ctx;
  const colon = colonAfter(text, p);
  const end = pairEnd(ctx, p);
  if (ctx.json) {
    const start = p.value ? p.value.start : colon + 1;
    ctx.edits.push({
      start,
      end,
      text: jsonValue(v, lineIndentOf(text, p.keyStart), style.json, style.eol, start - lineStartOf(text, start)),
    });
    return;
  }
  if (map.flow) {
    ctx.edits.push({ start: colon + 1, end, text: ' ' + (quotedAsBefore(p.value, v) ?? yamlFlow(v, style.yaml)) });
    return;
  }
  const inline = quotedAsBefore(p.value, v) ?? yamlInline(v, style.yaml);
  const replacement =
    inline !== undefined ? ' ' + inline : style.eol + yamlBlock(v, keyIndent(ctx, p.keyStart), style.yaml).join(style.eol);
  ctx.edits.push({ start: colon + 1, end, text: replacement });
}

/**
 * A plain word (`KMS`) replacing a quoted scalar, in the quotes it had: `SSEType: 'KMS '` becomes `SSEType: 'KMS'`.
 * Undefined where the rendering decides (another value, a plain or block scalar before).
 */
function quotedAsBefore(before: CNode | null, v: Value): string | undefined {
  if (typeof v !== 'string' || !/^[A-Za-z0-9]+$/.test(v) || before?.kind !== 'scalar' || before.tag) return undefined;
  return before.quote === 'single' ? `'${v}'` : before.quote === 'double' ? `"${v}"` : undefined;
}

/**
 * `Key: *x` whose settings must change: `<<: *x` (the anchored mapping, unchanged, for this key only)
 * and the settings, which win over what the merge brings.
 */
function mergeOverride(alias: CAlias, nested: Setting[]): Value {
  const out: { [key: string]: Value } = { [MERGE_KEY]: new YamlAlias(alias.source) };
  for (const n of nested) {
    if ('nested' in n && !n.complete) throw new Error(`cannot set ${n.key} through the YAML alias *${alias.source}`);
    const found = pair(alias, n.key);
    if ('nested' in n || !found || n.replace(resolveAlias(found.value))) out[n.key] = settingValue(n);
  }
  return out;
}

/**
 * Make `map` hold the settings, editing only what this map owns: a value that is an alias is
 * replaced (never the anchored node it names), a key that a merge key brings in is set in the map
 * itself (its own keys win).
 */
export function applySettings(ctx: Ctx, map: CMap, settings: Setting[]): void {
  const missing: [string, Value][] = [];
  for (const s of settings) {
    const own = ownPair(map, s.key);
    const found = own ?? pair(map, s.key);
    if ('nested' in s) {
      if (!own) {
        if (found && !s.complete) throw new Error(`${s.key} comes from a YAML merge key: set it by hand`);
        missing.push([s.key, settingValue(s)]);
      } else if (own.value?.kind === 'map') {
        applySettings(ctx, own.value, s.nested);
      } else if (own.value?.kind === 'alias' && !s.complete) {
        replaceValue(ctx, map, own, mergeOverride(own.value, s.nested));
      } else {
        replaceValue(ctx, map, own, settingValue(s));
      }
    } else if (!found || s.replace(resolveAlias(found.value))) {
      if (own) replaceValue(ctx, map, own, s.value);
      else missing.push([s.key, s.value]);
    }
  }
  if (missing.length > 0) insertPairs(ctx, map, missing);
}

/**
 * In a file with YAML aliases, the tables whose fix would change other places through an anchor
 * (an alias that the fix does not replace: another table left as it is, say): the plan is tried on
 * the resolved documents, and if they differ beyond what `allowances` permit, the tables that edit
 * an anchored node are declined. Shared with Pulumi YAML. `before`: the file's detection (its text,
 * documents and where its aliases start).
 */
export function declinedThroughAnchors(
  before: { text: string; roots: (CNode | null)[]; aliases: readonly number[] },
  plan: FilePlan,
  allowances: Allowance[],
  tables: { address: string; shared: SseEdit['shared'] }[],
  setting: string,
): { address: string; reason: string }[] {
  const culprits = tables.filter((t) => t.shared.length > 0);
  if (culprits.length === 0) return [];
  const text = applyEdits(before.text, plan.edits);
  const after = parseYaml(text).map((d) => d.root);
  if (resolvedFileDifferences(before.roots, after, allowances, fileTexts(before, { text })).length === 0) return [];
  return culprits.map((t) => {
    const { anchored, sites } = t.shared[0];
    return {
      address: t.address,
      reason: `its settings are in the YAML anchor &${anchored.anchor ?? ''}, which ${sites.map((x) => x.path).join(', ')} also use${sites.length === 1 ? 's' : ''}, and they would not all get the same change: set ${setting} by hand`,
    };
  });
}

/** A table as joinThroughAnchors sees it: its address, YAML document, dotted path and anchored nodes its fix edits. */
export interface AnchoredTable {
  address: string;
  doc: number;
  /** Keys from the document's root to the table's resource, joined with dots (as AliasSite.path). */
  path: string;
  shared: SseEdit['shared'];
}

/**
 * A table whose fix edits an anchored node changes, through the anchor, every place that aliases
 * it; its plan is made only when the fix replaces those aliases, on the way to other fixed tables'
 * settings. So those tables' edits serve it too (Edit.tables): its fix applied alone must replace
 * the aliases as well, or its edit would change those tables (and so on, through their anchors).
 */
export function joinThroughAnchors(edits: Edit[], tables: AnchoredTable[]): void {
  /** Table -> the tables whose fix needs its edits. */
  const needs = new Map<string, Set<string>>();
  for (const t of tables)
    for (const { sites } of t.shared)
      for (const site of sites) {
        const u = tables.find((x) => x !== t && x.doc === t.doc && (site.path === x.path || site.path.startsWith(`${x.path}.`)));
        if (u) needs.set(u.address, (needs.get(u.address) ?? new Set()).add(t.address));
      }
  if (needs.size === 0) return;
  // Through chains of anchors: whoever needs a table needs what that table needs.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [u, ts] of needs)
      for (const t of [...ts])
        for (const [v, vs] of needs)
          if (vs.has(u) && !vs.has(t) && v !== t) {
            vs.add(t);
            changed = true;
          }
  }
  for (const e of edits) {
    if (!e.tables) continue;
    const more = e.tables.flatMap((a) => [...(needs.get(a) ?? [])]);
    if (more.length > 0) e.tables = [...new Set([...e.tables, ...more])];
  }
}
