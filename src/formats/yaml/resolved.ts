/**
 * Verification of a YAML (or JSON) fix on the documents as YAML resolves them: aliases expanded and
 * merge keys (`<<: *defaults`) applied. A text edit inside an anchored node changes every place that
 * aliases it, which a re-detection of the fixed tables alone does not see; comparing the resolved
 * documents before and after does: outside what the fix was meant to change (each fixed table's
 * encryption settings, the resources and variables it adds), nothing may differ.
 *
 * Format-independent: a format describes what may change as an `Allowance` per document and
 * calls `resolvedDifferences` from its `verify`, so the check can move to wherever verification
 * lives without change.
 */
import { spell } from './anchors.js';
import { MERGE_KEY, mergedMaps, resolveAlias, type CMap, type CNode } from './tree.js';

/** What may differ at one place of a resolved document. */
export interface Allowance {
  /** Anything at or under this place. */
  any?: boolean;
  /** Mapping keys that may be added here (`true`: any key absent before). */
  newKeys?: boolean | Set<string>;
  /** Allowances under some keys of a mapping. */
  keys?: Map<string, Allowance>;
  /** Allowance under every item of a sequence. */
  items?: Allowance;
}

const NOTHING: Allowance = {};

/** Merge keys followed at most from one mapping (a recursion each), beyond which verification fails. */
const MERGE_DEPTH = 1_000;

const TOO_LARGE = 'the documents are too large to compare once their aliases are expanded';

/** Nodes compared at most (aliases can expand a small document exponentially): beyond, verification fails. */
const BUDGET = 2_000_000;

/** Build an allowance from nested paths: each path's last step gets `leaf`; `*` stands for every item. */
export function allow(paths: { path: string[]; leaf: Allowance }[]): Allowance {
  const root: Allowance = {};
  for (const { path, leaf } of paths) {
    let at = root;
    for (const step of path) {
      if (step === '*') at = at.items ??= {};
      else {
        at.keys ??= new Map();
        let next = at.keys.get(step);
        if (!next) at.keys.set(step, (next = {}));
        at = next;
      }
    }
    Object.assign(at, leaf);
  }
  return root;
}

/**
 * What a comparison may still spend, and the mappings whose entries it resolved already. Shared by
 * the documents before and after (their nodes are distinct objects), so one budget bounds the whole
 * comparison.
 */
export interface Resolution {
  /** Nodes and entries that may still be visited: below zero, the comparison gives up (and fails). */
  budget: number;
  /** The resolved entries of each mapping with merge keys, once computed; null while they are being computed. */
  entries: Map<CMap, Map<string, CNode | null> | null>;
}

export function resolution(budget = BUDGET): Resolution {
  return { budget, entries: new Map() };
}

/**
 * A mapping's entries as YAML resolves them: its own keys, then those its merge keys bring in; or
 * undefined when `res`'s budget runs out. Each mapping's entries are computed once: merge sources
 * form a DAG (an alias names a node complete before it, in both parsers), and one mapping merged
 * by many (`m2: {<<: [*m1, *m0]}`, `m3: {<<: [*m2, *m1]}`, ...) was resolved again under each, so
 * that 36 such mappings in a 2 KB file took fib(32) calls. Every entry a merge key copies is
 * charged to the budget (a chain of n mappings each adding a key still copies n²/2); a mapping's
 * own keys are not, as they are written in the file, each resolved once. Should a mapping merge
 * itself after all, the cycle spends the budget: the comparison fails, rather than pass on
 * entries left out. So does a chain of more than MERGE_DEPTH merge keys resolved from its far end
 * first (a comparison walks the document in order, so that each link is resolved before the next,
 * but not inside what an allowance skips): 20,000 links overflowed the stack.
 */
export function resolvedEntries(map: CMap, res: Resolution = resolution(), depth = 0): Map<string, CNode | null> | undefined {
  const known = res.entries.get(map);
  if (known) return known;
  if (known === null) {
    res.budget = -1;
    return undefined;
  }
  const out = new Map<string, CNode | null>();
  const merges: CNode[] = [];
  for (const p of map.pairs) {
    if (p.key === MERGE_KEY) {
      if (p.value) merges.push(p.value);
    } else if (!out.has(p.key)) out.set(p.key, p.value);
  }
  // A mapping without merge keys is its own keys: not kept (most of a file), as it costs no more to read again.
  if (merges.length === 0) return out;
  if (depth > MERGE_DEPTH) {
    res.budget = -1;
    return undefined;
  }
  res.entries.set(map, null);
  for (const m of merges) {
    for (const source of mergedMaps(m)) {
      const entries = res.budget < 0 ? undefined : resolvedEntries(source, res, depth + 1);
      if (!entries) return undefined;
      res.budget -= entries.size;
      for (const [k, v] of entries) if (!out.has(k)) out.set(k, v);
    }
  }
  if (res.budget < 0) return undefined;
  res.entries.set(map, out);
  return out;
}

function describe(path: string): string {
  return path === '' ? 'the document' : path;
}

/**
 * The texts of a file before and after, and where its aliases start before: a node written with the
 * same text in both, and with no alias inside it, has the same value, so its subtree need not be
 * walked (most of a file is outside the edits). A node that holds an alias is walked: the alias's
 * value is written elsewhere, where an edit may have changed it.
 */
export interface FileTexts {
  before: string;
  after: string;
  /** Where the aliases of `before` start, in text order. */
  aliases: readonly number[];
}

/** Whether an alias starts in [start, end). */
function holdsAlias(aliases: readonly number[], start: number, end: number): boolean {
  let lo = 0;
  let hi = aliases.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (aliases[mid] < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < aliases.length && aliases[lo] < end;
}

/**
 * Where two documents differ, once resolved, outside what `allowance` permits: one message per
 * place (at most 10), empty when they are the same.
 */
export function resolvedDifferences(
  before: CNode | null,
  after: CNode | null,
  allowance: Allowance = NOTHING,
  texts?: FileTexts,
  budget = BUDGET,
): string[] {
  const out: string[] = [];
  const res = resolution(budget);
  let gaveUp = false;
  const tooLarge = (): void => {
    if (!gaveUp) out.push(TOO_LARGE);
    gaveUp = true;
  };
  // The steps from the root to the place compared; its path is spelled only for a message (a path
  // string for every place compared was 1.5% of what a dense fix allocated).
  const steps: (string | number)[] = [];
  const here = (): string => describe(spell(steps));
  const under = (k: string): string => spell([...steps, k]);
  // Pairs of nodes reached through an alias whose comparison found nothing, by allowance. Comparing
  // the resolved nodes a and b under the allowance al is a function of those three alone (the text
  // check below looks at the same nodes each time; the steps only spell messages), so comparing them
  // again, wherever else an alias leads to them, would find nothing again: it is not done, and a
  // sequence of 1000 aliases of a sequence of 1000 aliases of ... is compared once per anchor, not
  // once per leaf of its expansion. Only recorded while nothing differs: once something does (the
  // verification fails), a pair is compared again at each place, to name every place it changed.
  const same = new Map<CNode, Map<CNode, Set<Allowance>>>();
  const walk = (a0: CNode | null, b0: CNode | null, al: Allowance): void => {
    if (out.length >= 10 || gaveUp) return;
    if (al.any) return;
    // Every node visited is charged, those the text check skips too: reached through an alias, the
    // same leaves are visited once per place the alias expands to.
    if (--res.budget < 0) {
      tooLarge();
      return;
    }
    if (
      texts &&
      a0 &&
      b0 &&
      a0.kind === b0.kind &&
      a0.tag === b0.tag &&
      a0.end - a0.start === b0.end - b0.start &&
      !holdsAlias(texts.aliases, a0.start, a0.end) &&
      texts.before.slice(a0.start, a0.end) === texts.after.slice(b0.start, b0.end)
    ) {
      return;
    }
    const a = resolveAlias(a0);
    const b = resolveAlias(b0);
    if (!a || !b) {
      if (!a !== !b || (a0?.kind === 'alias') !== (b0?.kind === 'alias')) out.push(`${here()} changed`);
      return;
    }
    if ((a === a0 && b === b0) || a.kind === 'scalar') compare(a, b, al);
    else if (!same.get(a)?.get(b)?.has(al)) {
      compare(a, b, al);
      if (out.length === 0 && !gaveUp) {
        let bs = same.get(a);
        if (!bs) same.set(a, (bs = new Map()));
        let als = bs.get(b);
        if (!als) bs.set(b, (als = new Set()));
        als.add(al);
      }
    }
  };
  const compare = (a: CNode, b: CNode, al: Allowance): void => {
    if (a.kind !== b.kind || (a.tag ?? '') !== (b.tag ?? '')) {
      out.push(`${here()} changed`);
      return;
    }
    if (a.kind === 'scalar' && b.kind === 'scalar') {
      if (a.value !== b.value && !(a.value == null && b.value == null)) out.push(`${here()} changed`);
      return;
    }
    if (a.kind === 'seq' && b.kind === 'seq') {
      if (a.items.length !== b.items.length) {
        out.push(`${here()} changed`);
        return;
      }
      for (let i = 0; i < a.items.length; i++) {
        steps.push(i);
        walk(a.items[i], b.items[i], al.items ?? NOTHING);
        steps.pop();
      }
      return;
    }
    if (a.kind === 'map' && b.kind === 'map') {
      const ea = resolvedEntries(a, res);
      const eb = ea && resolvedEntries(b, res);
      if (!ea || !eb) {
        tooLarge();
        return;
      }
      for (const [k, va] of ea) {
        if (!eb.has(k)) {
          if (!al.keys?.get(k)?.any) out.push(`${under(k)} was removed`);
        } else {
          steps.push(k);
          walk(va, eb.get(k)!, al.keys?.get(k) ?? NOTHING);
          steps.pop();
        }
      }
      for (const k of eb.keys()) {
        if (ea.has(k)) continue;
        const newOk = al.newKeys === true || (al.newKeys instanceof Set && al.newKeys.has(k)) || al.keys?.get(k)?.any;
        if (!newOk) out.push(`${under(k)} was added`);
      }
    }
  };
  walk(before, after, allowance);
  return out;
}

/**
 * The differences of every document of a file (by position), each with its own allowance. `texts`:
 * the file's texts before and after (`fileTexts`), so that what they write the same is not walked.
 */
export function resolvedFileDifferences(
  before: (CNode | null)[],
  after: (CNode | null)[],
  allowances: Allowance[],
  texts?: FileTexts,
): string[] {
  if (before.length !== after.length) return [`the file has ${after.length} YAML documents instead of ${before.length}`];
  const out: string[] = [];
  before.forEach((root, i) => {
    const prefix = before.length > 1 ? `document ${i + 1}: ` : '';
    out.push(...resolvedDifferences(root, after[i], allowances[i] ?? NOTHING, texts).map((d) => prefix + d));
  });
  return out;
}

/** The texts of a file before and after, and where its aliases started, for `resolvedFileDifferences`. */
export function fileTexts(before: { text: string; aliases: readonly number[] }, after: { text: string }): FileTexts {
  return { before: before.text, after: after.text, aliases: before.aliases };
}
