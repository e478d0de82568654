/** The top-level blocks of a module's files, HCL or JSON alike: what names are taken, what exists. */
import type { DiskContext, SourceFile } from '../../core/types.js';
import type { TfDetection } from './detect.js';
import { attr, parseHcl, type HFile, type Literal } from './parse.js';

export interface TopValue {
  /** The expression as HCL source text. */
  value: string;
  lit?: Literal;
}

export interface TopBlock {
  type: string;
  labels: string[];
  attr(name: string): TopValue | undefined;
  /** The block's source text. */
  text: string;
  /** Its offset in the file (HCL). */
  start?: number;
}

/** Each HCL model's top blocks (a model is shared by every parse of its text, parse.ts; detection and evaluation both ask). */
const summaries = new WeakMap<HFile, TopBlock[]>();

/** A file's top blocks (the same array for the same model: not to be modified). */
export function summarize(det: TfDetection, text: string): TopBlock[] {
  if (det.json) return det.json.tops;
  if (!det.hcl) return [];
  let tops = summaries.get(det.hcl);
  if (!tops) summaries.set(det.hcl, (tops = summarizeHcl(det.hcl, text)));
  return tops;
}

function summarizeHcl(hcl: HFile, text: string): TopBlock[] {
  return hcl.blocks.map((b) => ({
    type: b.type,
    labels: b.labels,
    attr: (name: string) => attr(b, name),
    text: text.slice(b.start, b.end),
    start: b.start,
  }));
}

/** Whether a Terraform file is in JSON syntax (`*.tf.json`), by its name: the one test detection, parsing and HashiCorp's check share. */
export function jsonSyntax(name: string): boolean {
  return name.toLowerCase().endsWith('.json');
}

/** A Terraform file's blocks (HCL or JSON by its name), without looking for tables. */
export async function parseTerraform(name: string, text: string): Promise<TfDetection> {
  return jsonSyntax(name) ? { tables: [], json: (await import('./tfjson.js')).jsonModel(text) } : { tables: [], hcl: await parseHcl(text) };
}

/**
 * The blocks of each sibling file, per file object: the engine hands the same objects to every
 * file and group of a folder (DiskContext.siblings), so each is parsed once. null: unparsable.
 */
const siblingTops = new WeakMap<SourceFile, TopBlock[] | null>();

/**
 * The module's other files: those the engine did not pass because they hold no table (the
 * prefilter skipped them) still declare names, data sources and providers; and the lock file
 * says which hashicorp/aws version the module runs with. The engine reads them
 * (DiskContext.siblings); files that cannot be parsed are left out. Detection passes only the
 * files that may hold the few blocks a table's blocker depends on.
 */
export async function siblingBlocks(files: SourceFile[]): Promise<TopBlock[]> {
  const out: TopBlock[] = [];
  for (const file of files) {
    let tops = siblingTops.get(file);
    if (tops === undefined) {
      try {
        tops = summarize(await parseTerraform(file.path, file.text), file.text);
      } catch {
        tops = null; /* unparsable: it is not ours to report */
      }
      siblingTops.set(file, tops);
    }
    if (tops) out.push(...tops);
  }
  return out;
}

/** Which words a file's text holds, as asked (per file object: each of a module's files asks it of all the others). */
const wordsHeld = new WeakMap<SourceFile, Map<string, boolean>>();

/** Whether `f`'s text holds `word`, the answer kept per file object. */
export function holdsWord(f: SourceFile, word: string): boolean {
  let words = wordsHeld.get(f);
  if (!words) wordsHeld.set(f, (words = new Map()));
  let held = words.get(word);
  if (held === undefined) words.set(word, (held = f.text.includes(word)));
  return held;
}

/**
 * The top blocks of a table's module where `word` may stand: the table's file's, when its text holds the word,
 * then those of the module's other files that hold it (the cautions read there: boundaries.ts, backupCautions.ts).
 */
export async function moduleBlocksWith(
  word: string,
  file: SourceFile,
  det: TfDetection,
  context: DiskContext | undefined,
): Promise<TopBlock[]> {
  const own = file.text.includes(word) ? summarize(det, file.text) : [];
  const siblings = context ? (await context.siblings()).filter((f) => holdsWord(f, word)) : [];
  return siblings.length > 0 ? [...own, ...(await siblingBlocks(siblings))] : own;
}
