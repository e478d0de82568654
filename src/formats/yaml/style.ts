/** The style of one template, read from its own text: what inserted YAML or JSON must look like. */
import { detectEol, detectIndentUnit, LineIndex, lineStartOf } from '../../core/text.js';
import type { JsonStyle, YamlStyle } from './render.js';
import type { CNode } from './tree.js';

export interface FileStyle {
  eol: '\n' | '\r\n';
  yaml: YamlStyle;
  json: JsonStyle;
}

function column(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/** The offset of the first character after the indent of the line holding `offset`. */
function indentEnd(text: string, offset: number): number {
  let i = lineStartOf(text, offset);
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i;
}

function allScalars(items: CNode[]): boolean {
  for (let i = 0; i < items.length; i++) if (items[i].kind !== 'scalar') return false;
  return true;
}

function mostCommon<T>(counts: Map<T, number>, fallback: T): T {
  let best = fallback;
  let n = 0;
  for (const [k, c] of counts) if (c > n) [best, n] = [k, c];
  return best;
}

/**
 * `bare`: the file is a mapping of resources alone (a file a serverless.yml includes, or a snippet
 * CloudFormation's AWS::Include inserts, where the short `!Ref` form is not allowed): intrinsics
 * are written in their long form unless the file already writes short ones.
 */
export function detectStyle(text: string, roots: (CNode | null)[], flavor: string, json: boolean, bare = false): FileStyle {
  const eol = detectEol(text);
  if (json) {
    return { eol, json: { ...jsonStyle(text, roots), noSub: flavor === 'serverless' }, yaml: defaultYaml(flavor) };
  }
  // The layout counts of the part being walked: each entry of a top-level map (a resource of
  // `Resources`, a function of `functions`) counts apart and gives one vote (its most common), so that a
  // large document embedded in one resource (an OpenAPI `Body` of 950 lines nesting by 2, in a template
  // whose resources nest by 4: aws-connected-vehicle-solution) does not set the layout of new resources.
  const top = { steps: new Map<number, number>(), seq: new Map<boolean, number>(), dash: new Map<number, number>() };
  // One set of maps for every entry in turn, emptied after its vote.
  const entry = { steps: new Map<number, number>(), seq: new Map<boolean, number>(), dash: new Map<number, number>() };
  let { steps, seq, dash } = top;
  const votes = { steps: new Map<number, number>(), seq: new Map<boolean, number>(), dash: new Map<number, number>() };
  const vote = <T>(into: Map<T, number>, counts: Map<T, number>) => {
    if (counts.size === 0) return;
    const k = mostCommon(counts, undefined as T);
    into.set(k, (into.get(k) ?? 0) + 1);
    counts.clear();
  };
  // Intrinsic function arguments (`Fn::GetAtt: [A, Arn]`), and other lists of scalars, in flow style or not.
  const argsFlow = new Map<boolean, number>();
  const scalarsFlow = new Map<boolean, number>();
  let single = 0;
  let double = 0;
  // Strings holding `${...}` (Sub templates, Pulumi interpolations): written plain, or quoted. A
  // plain scalar holds `${` only where the text does (no escapes); without one, plainInterpolation
  // is false whatever the quoted ones hold, so they need not be counted.
  const subs = text.includes('${');
  let plainSubs = 0;
  let quotedSubs = 0;
  // Block keys holding `${...}` (Fn::ForEach output keys), plain or quoted.
  let plainSubKeys = 0;
  let quotedSubKeys = 0;
  let short = 0;
  let long = 0;
  // One walk of every node; written with indexed loops and each property read once (it runs over
  // every node of each fixed template: 3 to 4% of a YAML fix's main thread with for...of and every()).
  const visit = (node: CNode | null, depth: number): void => {
    if (!node) return;
    if (node.tag) short++;
    const kind = node.kind;
    if (kind === 'scalar') {
      if (node.start !== node.end) {
        const quote = node.quote;
        if (quote === 'single') single++;
        else if (quote === 'double') double++;
        if (subs && typeof node.value === 'string' && node.value.includes('${')) {
          if (quote === 'plain') plainSubs++;
          else if (quote !== 'block') quotedSubs++;
        }
      }
    } else if (kind === 'map') {
      const block = !node.flow;
      const pairs = node.pairs;
      // The entries of a top-level map: each its own counts, a vote once walked (above).
      const apart = depth === 1;
      if (apart) ({ steps, seq, dash } = entry);
      for (let i = 0; i < pairs.length; i++) {
        const p = pairs[i];
        const key = p.key;
        if (subs && block && key.includes('${')) {
          const q = text.charCodeAt(p.keyStart);
          if (q === 34 /* " */ || q === 39 /* ' */) quotedSubKeys++;
          else plainSubKeys++;
        }
        const fn = key.charCodeAt(0) === 70 /* F */ && key.startsWith('Fn::');
        if (fn || key === 'Ref') long++;
        const v = p.value;
        if (!v) continue;
        const vk = v.kind;
        if (vk === 'seq' && v.items.length > 0 && block) {
          const counts = fn ? argsFlow : allScalars(v.items) ? scalarsFlow : undefined;
          counts?.set(v.flow, (counts.get(v.flow) ?? 0) + 1);
        }
        // A block collection under a block key: the indentation step, or whether the sequence is
        // indented. The key's line start is looked up once (a backward search of the text), and
        // only here: most values are scalars.
        if (block && !v.flow && (vk === 'map' ? v.pairs.length > 0 : vk === 'seq' && v.items.length > 0)) {
          const keyLine = lineStartOf(text, p.keyStart);
          const keyColumn = p.keyStart - keyLine;
          if (vk === 'map') {
            const inner = v.pairs[0].keyStart;
            const innerLine = lineStartOf(text, inner);
            const d = inner - innerLine - keyColumn;
            if (d > 0 && innerLine !== keyLine) steps.set(d, (steps.get(d) ?? 0) + 1);
          } else {
            const indented = column(text, v.start) > keyColumn;
            seq.set(indented, (seq.get(indented) ?? 0) + 1);
          }
        }
        visit(v, depth + 1);
        if (apart) {
          vote(votes.steps, steps);
          vote(votes.seq, seq);
          vote(votes.dash, dash);
        }
      }
      if (apart) ({ steps, seq, dash } = top);
    } else if (kind === 'seq') {
      const block = !node.flow;
      const items = node.items;
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        if (block && item.kind === 'map' && !item.flow && item.pairs[0]) {
          // The key's column less its line's indent: the dash and the spaces after it.
          const key = item.pairs[0].keyStart;
          const d = key - indentEnd(text, key);
          if (d >= 2 && text[key - d] === '-') dash.set(d, (dash.get(d) ?? 0) + 1);
        }
        visit(item, depth + 1);
      }
    }
  };
  for (const root of roots) visit(root, 0);
  // What lies outside the top-level maps' entries (the file's first two levels) votes once too.
  vote(votes.steps, steps);
  vote(votes.seq, seq);
  vote(votes.dash, dash);
  const tabs = /^\t/m.test(text);
  const unit = mostCommon(votes.steps, 2);
  return {
    eol,
    json: { indent: '  ', inline: false, width: 80, braceSpace: true, bracketSpace: false, colon: ': ' },
    yaml: {
      indent: tabs ? '  ' : ' '.repeat(unit),
      quote: double > single ? '"' : "'",
      shortTags: short > 0 || (long === 0 && !bare),
      seqIndent: mostCommon(votes.seq, true),
      dashWidth: mostCommon(votes.dash, 2),
      noSub: flavor === 'serverless',
      flowArgs: argsFlow.size > 0 ? mostCommon(argsFlow, true) : mostCommon(scalarsFlow, true),
      flowScalars: mostCommon(scalarsFlow, false),
      plainInterpolation: plainSubs > quotedSubs,
      plainInterpolationKeys: plainSubKeys > quotedSubKeys,
    },
  };
}

/** Depth of a collection's nesting (a scalar 0), stopping past 3. */
function nesting(node: CNode | null): number {
  if (!node || node.kind === 'scalar' || node.kind === 'alias') return 0;
  const n = node.kind === 'map' ? node.pairs.length : node.items.length;
  let d = 0;
  for (let i = 0; i < n && d < 3; i++) d = Math.max(d, nesting(node.kind === 'map' ? node.pairs[i].value : node.items[i]));
  return 1 + d;
}

/**
 * A JSON template's layout: its indent, and whether it writes small collections (two levels deep
 * at most, such as `{ "Ref": "X" }` or `[{ "AttributeName": "id", "KeyType": "HASH" }]`) on one line,
 * with or without spaces inside the braces, up to what line length.
 */
function jsonStyle(text: string, roots: (CNode | null)[]): JsonStyle {
  let inline = 0;
  let multi = 0;
  let width = 80;
  const brace = new Map<boolean, number>();
  const bracket = new Map<boolean, number>();
  // `"Type" : "..."` (a space before the colon) or `"Type": "..."`.
  const spaced = new Map<boolean, number>();
  // Where a small collection's line starts and ends, from the line starts found once: searching the
  // text for line breaks from each node scanned its whole line, so that a one-line template (minified
  // JSON) took the square of its length (4.8 MB: minutes).
  const index = LineIndex.of(text);
  const lines = index.starts;
  // Arrays of scalars (`"Action": ["kms:Encrypt", "kms:Decrypt"]`, `"Fn::GetAtt": ["K", "Arn"]`) count apart:
  // on one line, or one item a line though they would fit on one (the length that line would have, compared
  // with the width once it is known). A file's objects do not tell how it writes these: Prettier keeps an
  // object expanded where its author wrote it so (`{\n "NoEcho": true\n}`) but puts every array that fits
  // on one line (miccolis/morton-ddb). An array too long for a line tells nothing; nor does an array of
  // collections (a Statement list), which stays as `inline` says.
  let flatInline = 0;
  const flatExpanded: number[] = [];
  // After the comma between two items of a one-line array of scalars: a space (`["K", "Arn"]`) or none.
  const comma = new Map<boolean, number>();
  const visit = (node: CNode | null): void => {
    if (!node || node.kind === 'scalar' || node.kind === 'alias') return;
    const n = node.kind === 'map' ? node.pairs.length : node.items.length;
    if (node.kind === 'seq' && n > 0 && allScalars(node.items)) {
      const items = node.items;
      const line = index.lineOf(node.start);
      if (line + 1 >= lines.length || lines[line + 1] > node.end) {
        flatInline++;
        if (n > 1) {
          let i = items[0].end;
          while (i < items[1].start && text[i] !== ',') i++;
          const spaced = text[i + 1] === ' ';
          comma.set(spaced, (comma.get(spaced) ?? 0) + 1);
        }
      } else {
        // `[`, the items, `, ` between them, `]` and a comma after, from the column of the `[`.
        let length = node.start - lines[line] + 2 * n + 1;
        for (let i = 0; i < n; i++) length += items[i].end - items[i].start;
        flatExpanded.push(length);
      }
    }
    if (node.kind === 'map')
      for (const p of node.pairs) {
        const before = text[p.keyEnd] === ' ' || text[p.keyEnd] === '\t';
        spaced.set(before, (spaced.get(before) ?? 0) + 1);
      }
    if (n > 0 && node.end - node.start <= 120 && nesting(node) <= 2) {
      // On one line: no line break in [start, end), that is no line starting in (start, end].
      const line = index.lineOf(node.start);
      if (line + 1 >= lines.length || lines[line + 1] > node.end) {
        inline++;
        const counts = node.kind === 'map' ? brace : bracket;
        counts.set(text[node.start + 1] === ' ', (counts.get(text[node.start + 1] === ' ') ?? 0) + 1);
        // The line's end: its line break (the next line's start, less one), or the text's end.
        const lineEnd = line + 1 < lines.length ? lines[line + 1] - 1 : text.length;
        width = Math.max(width, Math.min(120, lineEnd - lines[line]));
      } else multi++;
    }
    for (let i = 0; i < n; i++) visit(node.kind === 'map' ? node.pairs[i].value : node.items[i]);
  };
  roots.forEach(visit);
  const expanded = flatExpanded.filter((length) => length <= width).length;
  const style: JsonStyle = {
    indent: detectIndentUnit(text, '  '),
    inline: inline > multi,
    width,
    braceSpace: mostCommon(brace, true),
    bracketSpace: mostCommon(bracket, false),
    colon: mostCommon(spaced, false) ? ' : ' : ': ',
  };
  // Without arrays of scalars to go by (or as many each way), such arrays are written as `inline` says.
  if (flatInline !== expanded) style.scalarArrays = flatInline > expanded;
  if (!mostCommon(comma, true)) style.comma = ',';
  return style;
}

function defaultYaml(flavor: string): YamlStyle {
  return {
    indent: '  ',
    quote: "'",
    shortTags: true,
    seqIndent: true,
    dashWidth: 2,
    noSub: flavor === 'serverless',
    flowArgs: true,
    flowScalars: false,
    plainInterpolation: false,
  };
}
