/**
 * HashiCorp's own parser (hcl2json, Go compiled to WASM) on what a fix changed, before anything is
 * written. It reads about 160 KB/s here, so it gets only what needs it:
 *
 * - the text around each edit, from the item before it to the item after it: the attributes
 *   and nested blocks it inserted or changed (as the body of a dummy block), or the top-level
 *   blocks it inserted, with the separators on both sides; the rest of the file is byte for
 *   byte the input;
 * - each distinct shape once per run: identifiers and plain string contents are replaced by one
 *   placeholder before the cache lookup (an identifier can stand wherever another one stands, and
 *   so can plain string text, and the width of a run of spaces never matters), so the key and
 *   alias blocks of a thousand tables are checked once.
 *   Text with a heredoc is checked as it is (its closing marker is an identifier);
 * - and the shapes it accepted are kept in kmsfix's cache folder (src/io/cache.ts) for the next runs,
 *   per hcl2json version: the key and alias blocks kmsfix writes have the same shapes in every
 *   repository, so that a later fix meets HashiCorp's parser only for new shapes. Loading it costs
 *   about half a second (its WASM compiles, its Go runtime starts): most of a one-module fix.
 *   A rejected shape is never kept (it is checked again, for its message).
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { appendCache, cachePath, readCache } from '../../io/cache.js';
import { packageVersion } from '../../io/packages.js';
import type { Edit } from '../../core/types.js';
import { parseHcl, type HAttr, type HBlock, type HFile } from './parse.js';
import { jsonSyntax } from './topBlocks.js';
import { LineIndex } from '../../core/text.js';

type Hcl2Json = typeof import('@cdktf/hcl2json');
let hcl2json: Promise<Hcl2Json> | undefined;

/** Why HashiCorp's parser rejects a file, or undefined if it accepts it. Loads the parser lazily. */
export async function hcl2jsonProblem(file: string, text: string): Promise<string | undefined> {
  if (jsonSyntax(file)) {
    try {
      JSON.parse(text);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }
  hcl2json ??= import('@cdktf/hcl2json');
  try {
    await (await hcl2json).parse(file.replace(/^.*\//, '') || 'main.tf', text);
    return undefined;
  } catch (e) {
    return String((e as Error).message ?? e);
  }
}

const KEEP = new Set(['true', 'false', 'null', 'for', 'in', 'if', 'else', 'endif', 'endfor']);

/** The syntactic shape of HCL text without heredocs: every identifier and plain word becomes `x`, every run of spaces one space. */
export function shapeOf(text: string): string {
  if (text.includes('<<')) return text;
  return text.replace(/(?<![\\\w-])[A-Za-z_][\w-]*/g, (w) => (KEEP.has(w) ? w : 'x')).replace(/[ \t]+/g, ' ');
}

const checked = new Map<string, string | undefined>();

/** Bump when shapeOf or the pieces change: shapes kept by an older kmsfix are then not read. */
const SHAPES_FORMAT = 1;
/** Shapes kept at most (a hash of 43 characters each). */
const SHAPES_MAX = 20_000;

/**
 * The kept shapes: their cache file (one hash per line, new ones appended), the hashes of the shapes
 * HashiCorp's parser accepted, and whether the file read did not end with a line break.
 */
let kept: { file: string | undefined; accepted: Set<string>; open: boolean } | undefined;

function keptShapes(): NonNullable<typeof kept> {
  if (!kept) {
    const version = packageVersion(createRequire(import.meta.url).resolve('@cdktf/hcl2json'));
    const file = cachePath(`hcl2json-${version}-shapes-${SHAPES_FORMAT}.txt`);
    const text = readCache(file)?.toString('utf8') ?? '';
    kept = { file, accepted: new Set(text.split('\n').filter((l) => /^[\w-]{43}$/.test(l))), open: text !== '' && !text.endsWith('\n') };
  }
  return kept;
}

/** Keep an accepted shape's hash: one line added to the file (not the whole file written again). */
function keep(hash: string): void {
  const k = keptShapes();
  k.accepted.add(hash);
  appendCache(k.file, `${k.open ? '\n' : ''}${hash}\n`);
  k.open = false;
}

const hashOf = (shape: string) => createHash('sha256').update(shape).digest('base64url');

/** Calls of HashiCorp's parser in this process (tests read it). */
export let hcl2jsonCalls = 0;

async function pieceProblem(file: string, text: string): Promise<string | undefined> {
  const key = shapeOf(text);
  if (!checked.has(key)) {
    if (checked.size > 10_000) checked.clear();
    const { accepted } = keptShapes();
    const hash = hashOf(key);
    if (accepted.has(hash)) checked.set(key, undefined);
    else {
      hcl2jsonCalls++;
      const problem = await hcl2jsonProblem(file, text);
      checked.set(key, problem);
      if (!problem && accepted.size < SHAPES_MAX) keep(hash);
    }
  }
  return checked.get(key);
}

type Item = HAttr | HBlock;
type Range = { start: number; end: number };

/** Whether an edit's text meets a node's text (an insertion right after a node does not). */
const overlaps = (r: Range, i: Range) => (r.start === r.end ? r.start >= i.start && r.start <= i.end : r.start < i.end && r.end > i.start);

/**
 * The text to check for an edit at `r` among `items` (the top-level blocks, or a block's body
 * between `lo0` and `hi0`): from the end of the last item before the edit to the start of the
 * first item after it, so that the separators around the edit are checked too. When the edit lies
 * inside one nested block's braces, the span is taken inside that block instead.
 */
function spanOf(items: Item[], r: Range, lo0: number, hi0: number): { block?: HBlock; lo: number; hi: number } {
  const touched = items.filter((i) => overlaps(r, i));
  const one = touched.length === 1 ? touched[0] : undefined;
  if (one?.kind === 'block' && one.items.length > 0 && r.start > one.open && r.end <= one.close) {
    return spanOf(one.items, r, one.open + 1, one.close);
  }
  const first = touched[0];
  const last = touched[touched.length - 1];
  let lo = lo0;
  let hi = hi0;
  for (const i of items) {
    if (i.end <= (first ? first.start : r.start) && i.end > lo) lo = i.end;
    if (i.start >= (last ? last.end : r.end) && i.start < hi) hi = i.start;
  }
  return { lo, hi };
}

/**
 * Why HashiCorp's parser rejects the fixed text `out`, made by `edits`, or undefined. JSON files
 * are parsed whole; HCL files piece by piece (see above), after kmsfix's own parser read the whole
 * (`model`: its model of `out`, when the caller has it).
 */
export async function outputProblem(file: string, out: string, edits: Edit[], model?: HFile, input?: string): Promise<string | undefined> {
  if (jsonSyntax(file)) return hcl2jsonProblem(file, out);
  let tops: HBlock[];
  try {
    tops = (model ?? (await parseHcl(out))).blocks;
  } catch (e) {
    return (e as Error).message;
  }
  let shift = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start || a.end - b.end)) {
    // Where the edit's text is in the output.
    const r = { start: e.start + shift, end: e.start + shift + e.text.length };
    shift += e.text.length - (e.end - e.start);
    const top = tops.filter((b) => overlaps(r, b));
    const inBlock = top.length === 1 && top[0].items.length > 0 && r.start > top[0].open && r.end <= top[0].close;
    const span = inBlock ? spanOf(top[0].items, r, top[0].open + 1, top[0].close) : spanOf(tops, r, 0, out.length);
    // Inside a block, the span is a body: check it as the body of a dummy block.
    const piece = inBlock ? `x {${out.slice(span.lo, span.hi)}}\n` : out.slice(span.lo, span.hi);
    const problem = await pieceProblem(file, piece);
    if (problem) return input === undefined ? problem : inFile(problem, piece, span.lo - (inBlock ? 3 : 0), input, edits);
  }
  return undefined;
}

/**
 * HashiCorp's message about a piece, its positions (`main.tf:3,37-38`, in the piece) made the user's
 * file's line:column (`main.tf:14:34`): before, a fix's error named a place in the piece
 * (adversarial pass on input shapes, session 50). `base`: where the piece's text starts in the
 * output (before it by the dummy block's `x {`); a place in text an edit wrote is the edit's place
 * in `input`.
 */
export function inFile(problem: string, piece: string, base: number, input: string, edits: Edit[]): string {
  const pieceLines = new LineIndex(piece);
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  return problem.replace(/([^\s:[\]]+):(\d+),(\d+)(?:-(?:\d+,)?\d+)?/g, (all, name: string, line: string, column: string) => {
    const row = Number(line) - 1;
    if (row >= pieceLines.starts.length) return all;
    const o = Math.max(0, base + pieceLines.starts[row] + Number(column) - 1);
    // Back through the edits: text outside what they wrote is where it was, shifted; inside, at the edit.
    let shift = 0;
    let at: number | undefined;
    for (const e of sorted) {
      const outStart = e.start + shift;
      if (o < outStart) break;
      if (o < outStart + e.text.length) {
        at = e.start;
        break;
      }
      shift += e.text.length - (e.end - e.start);
    }
    const p = new LineIndex(input).position(Math.min(input.length, at ?? o - shift));
    return `${name}:${p.line}:${p.column}`;
  });
}
