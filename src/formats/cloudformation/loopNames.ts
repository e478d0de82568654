/**
 * The logical IDs of a template's resources as CloudFormation sees them once AWS::LanguageExtensions has expanded its
 * Fn::ForEach loops: each output key with its loops' values put in, where each loop's collection is written as a
 * list. A loop whose values are not known when the template is read (a parameter, even one with a Default: a deploy
 * may pass others; any intrinsic function) makes IDs of a pattern, its placeholder standing for any text. A fix names
 * its keys and aliases apart from all of them (fix.ts), and verification refuses an output where two expanded IDs are
 * one (verify.ts).
 */
import { escapeRegExp } from '../../core/text.js';
import { resolveAlias, scalarString, type CMap, type CPair } from '../yaml/tree.js';

const FOR_EACH = 'Fn::ForEach::';

/** One loop as naming reads it: its identifier, and its values when written as a list. */
export interface NamingLoop {
  key: string;
  identifier: string;
  values?: string[];
}

/** A logical ID: the literal pieces between the placeholders of loops whose values are not known (one piece: a plain ID). */
export type IdPattern = string[];

/** A logical ID of the template and the loops that make it (outermost first; empty for a resource of Resources). */
export interface LogicalId {
  id: IdPattern;
  loops: NamingLoop[];
  /** The output key as written (for a loop's). */
  key: string;
}

/** An output key with the loop's values put in (`${Name}` as written, `&{Name}` without non-alphanumerics). */
export function expand(key: string, identifier: string, value: string): string {
  return key
    .split('${' + identifier + '}')
    .join(value)
    .split('&{' + identifier + '}')
    .join(value.replace(/[^A-Za-z0-9]/g, ''));
}

/** Stands for a placeholder of a loop whose values are not known, while the key is expanded. */
const ANY = '\u0000';

/**
 * The most logical IDs one output key is expanded to (CloudFormation takes 500 resources in a template, after the
 * loops are expanded): past it, the loops are read as loops whose values are not known, so nested loops of many values
 * cost no more than one (a template past it cannot deploy anyway).
 */
export const MAX_EXPANDED_IDS = 1000;

/** Whether a loop's values can be put into `names` already expanded, within MAX_EXPANDED_IDS. */
export function listable(names: readonly string[], values: readonly string[] | undefined): values is readonly string[] {
  return values !== undefined && values.length > 0 && names.length * values.length <= MAX_EXPANDED_IDS;
}

/** An output key as the logical IDs the loops (outermost first) make of it. */
export function expandedIds(key: string, loops: NamingLoop[]): IdPattern[] {
  let names = [key];
  for (const l of loops) {
    const values = l.values;
    names = listable(names, values)
      ? names.flatMap((n) => values.map((v) => expand(n, l.identifier, v)))
      : names.map((n) =>
          n
            .split('${' + l.identifier + '}')
            .join(ANY)
            .split('&{' + l.identifier + '}')
            .join(ANY),
        );
  }
  return [...new Set(names)].map((n) => n.split(ANY));
}

/** A `Fn::ForEach::X: [Identifier, Collection, Body]` pair as a loop, when it has the documented shape. */
export function namingLoop(p: CPair): { loop: NamingLoop; body: CMap } | undefined {
  if (!p.key.startsWith(FOR_EACH)) return undefined;
  const v = resolveAlias(p.value);
  if (v?.kind !== 'seq' || v.items.length !== 3) return undefined;
  const identifier = scalarString(resolveAlias(v.items[0]));
  const body = resolveAlias(v.items[2]);
  if (identifier === undefined || body?.kind !== 'map') return undefined;
  const collection = resolveAlias(v.items[1]);
  const values = collection?.kind === 'seq' ? collection.items.map((i) => scalarString(resolveAlias(i))) : undefined;
  const loop: NamingLoop = { key: p.key, identifier };
  if (values?.every((x) => x !== undefined)) loop.values = values as string[];
  return { loop, body };
}

/** Every logical ID of a Resources mapping, loops' output keys expanded (a loop's body inside a loop's too). */
export function logicalIdsOf(resources: CMap, outer: NamingLoop[] = []): LogicalId[] {
  return resources.pairs.flatMap((p) => {
    const l = namingLoop(p);
    if (l) return logicalIdsOf(l.body, [...outer, l.loop]);
    return expandedIds(p.key, outer).map((id) => ({ id, loops: outer, key: p.key }));
  });
}

/**
 * Whether two logical IDs may be one: a plain ID against a pattern, exactly; two patterns, where neither's literal
 * start and end rule it out (which is how a fix's names are kept apart: a numbered end no pattern's end can give).
 */
export function mayBeOne(a: IdPattern, b: IdPattern): boolean {
  if (a.length === 1 && b.length === 1) return a[0] === b[0];
  if (a.length === 1 || b.length === 1) {
    const [plain, pattern] = a.length === 1 ? [a[0]!, b] : [b[0]!, a];
    return new RegExp(`^${pattern.map(escapeRegExp).join('[\\s\\S]*')}$`).test(plain);
  }
  const fits = (x: string, y: string, f: (s: string, t: string) => boolean) => f(x, y) || f(y, x);
  return fits(a[0]!, b[0]!, (s, t) => s.startsWith(t)) && fits(a[a.length - 1]!, b[b.length - 1]!, (s, t) => s.endsWith(t));
}

/** Where a pattern of logical IDs comes from, why its IDs are not listed, and what would list them. */
export interface PatternSource {
  /** `the output key ${Name} of Fn::ForEach::Topics` */
  where: string;
  why: string;
  step: string;
}

/**
 * The names a template has (its sections' keys, its loops' IDs expanded) and those a fix gives: a Set of the plain
 * names, whose `has` also answers for the patterns of loops whose values are not known.
 */
export class TakenIds extends Set<string> {
  private readonly patterns: { id: IdPattern; from?: PatternSource }[] = [];

  /** `from`: where a pattern comes from, for the reason of a decline. */
  addId(id: IdPattern, from?: PatternSource): void {
    if (id.length === 1) this.add(id[0]!);
    else this.patterns.push(from === undefined ? { id } : { id, from });
  }

  mayHold(id: IdPattern): boolean {
    if (id.length === 1 && super.has(id[0]!)) return true;
    if (id.length > 1 && [...this].some((n) => mayBeOne(id, [n]))) return true;
    return this.patterns.some((p) => mayBeOne(id, p.id));
  }

  override has(name: string): boolean {
    return this.mayHold([name]);
  }

  /** A loop's pattern whose IDs may be any name ending as a fix's do (a placeholder at its end): no free name is sure. */
  openEnded(): PatternSource | undefined {
    return this.patterns.find((p) => p.id[p.id.length - 1] === '')?.from;
  }
}

/**
 * `base`, or `base2`, `base3`...: the first whose IDs (with the loops' values put in, for a name in a loop body) may
 * be none taken; `taken` then holds them. Undefined where none of the first thousand is free.
 */
export function freeName(base: string, loops: NamingLoop[], taken: TakenIds): string | undefined {
  for (let i = 1; i <= 1000; i++) {
    const name = i === 1 ? base : `${base}${i}`;
    const ids = expandedIds(name, loops);
    if (ids.some((id) => taken.mayHold(id))) continue;
    for (const id of ids) taken.addId(id);
    return name;
  }
  return undefined;
}

/** Duplicate logical IDs once the loops are expanded (plain names only: what a deploy is sure to reject). */
export function duplicateIds(resources: CMap): string[] {
  const seen = new Set<string>();
  const out = new Set<string>();
  for (const { id } of logicalIdsOf(resources)) {
    if (id.length !== 1) continue;
    if (seen.has(id[0]!)) out.add(id[0]!);
    seen.add(id[0]!);
  }
  return [...out];
}
