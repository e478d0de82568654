/**
 * serverless-plugin-ifelse (IFELSE_PLUGIN), whatever the service file's form: before the Framework
 * packages a service, the plugin changes its configuration from `custom.serverlessIfElse`, a list of
 * items: with an `If` (a JavaScript condition), `Set` / `Exclude` when it holds and `ElseSet` /
 * `ElseExclude` when not; `ExcludeIf` (path: condition) on its own. A path is the configuration's
 * keys joined with dots (no wildcards; the plugin ignores a one-key path); `Exclude` deletes it,
 * `Set` overwrites it. What the entries do to one table:
 * - a path that removes the table (`resources.Resources.<Id>`, `resources.Resources`), or that sets
 *   or removes its Condition, in some stages: the key and alias a fix adds would stay, the alias
 *   referring to a table the stack lacks (blockers.ts ifElseExclude, naming the entry);
 * - a path that sets or removes its encryption (Properties, SSESpecification, a global table's
 *   Replicas, or sets the whole resource): the deployed encryption is decided per stage: unknown.
 * A key of a path holding a Serverless variable (`${...}`) matches any one key.
 * The formats read the entries (src/formats/cloudformation/ifElse.ts, src/formats/typescript/ifElse.ts).
 */
import { ifElseExclude } from './blockers.js';
import type { EncryptionFacts, Obstacle } from './facts.js';

export const IFELSE_CONFIG = 'custom.serverlessIfElse';

/** The lists of an item the plugin applies: all of them with an If, only ExcludeIf without. */
export const ifElseLists = (hasIf: boolean) => (hasIf ? ['Set', 'ElseSet', 'Exclude', 'ElseExclude', 'ExcludeIf'] : ['ExcludeIf']);

/** Set, ElseSet and ExcludeIf map paths to a value or a condition; Exclude and ElseExclude list them. */
export const keyedList = (list: string) => list === 'Set' || list === 'ElseSet' || list === 'ExcludeIf';

/** One path of an item's list, with the entry that names it (as written, for messages). */
export interface IfElseEntry {
  path: string[];
  entry: string;
  set: boolean;
}

/** What the entries do to one table: an obstacle to its fix, and why its encryption is not known. */
export interface IfElseEffect {
  obstacle?: Obstacle;
  unknown?: string;
}

/** The entry of `path` in the list `list` (`where`: the list's place in the configuration, `custom.serverlessIfElse[0].Exclude`). */
export function ifElseEntry(where: string, list: string, path: string): IfElseEntry {
  return { path: split(path), entry: `${where}: ${path}`, set: list.endsWith('Set') };
}

const ANY = '\u0000';

/** A path's keys; a key holding a Serverless variable (`${...}`, dots and all) is ANY. */
function split(path: string): string[] {
  let masked = path;
  for (let prev = ''; prev !== masked; ) {
    prev = masked;
    masked = masked.replace(/\$\{[^{}]*\}/g, ANY);
  }
  return masked.split('.').map((k) => (k.includes(ANY) ? ANY : k.trim()));
}

/** Does `path` start with `prefix`, key by key? */
function startsWith(path: string[], prefix: string[]): boolean {
  return prefix.length <= path.length && prefix.every((k, i) => k === path[i] || k === ANY || path[i] === ANY);
}

/** What the entries do to a table the plugin may see at any of `tables` (paths, as keys). */
export function ifElseEffect(entries: IfElseEntry[], tables: string[][], global: boolean): IfElseEffect | undefined {
  const out: IfElseEffect = {};
  for (const { path, entry, set } of entries) {
    // The plugin does not change a top-level key.
    if (path.length <= 1) continue;
    for (const table of tables) {
      const settings = [[...table, 'Properties', 'SSESpecification'], ...(global ? [[...table, 'Properties', 'Replicas']] : [])];
      const whole = startsWith(table, path);
      if (whole && !set) out.obstacle ??= ifElseExclude(entry, 'removes', table);
      else if (startsWith(path, [...table, 'Condition'])) out.obstacle ??= ifElseExclude(entry, 'condition', table);
      else if (whole || settings.some((s) => startsWith(s, path) || startsWith(path, s)))
        out.unknown ??= `${entry} (serverless-plugin-ifelse) changes the table's encryption in some stages`;
    }
  }
  return out.obstacle || out.unknown ? out : undefined;
}

/** Applies an effect: its obstacle, and (`unknown`) the encryption made unknown. */
export function applyIfElse(e: EncryptionFacts, effect: IfElseEffect | undefined): void {
  if (effect?.unknown) unknownEncryption(e, effect.unknown);
  if (effect?.obstacle) e.obstacles.push(effect.obstacle);
}

/**
 * The table's encryption, made unknown by an entry that sets it (`why`): its block reads as
 * unreadable (the replicas' list too, for a global table), while peer scanners still read the
 * settings as written.
 */
function unknownEncryption(e: EncryptionFacts, why: string): void {
  const s = e.settings;
  const unreadable = { state: 'unreadable' as const, source: why };
  if (s.model === 'sse') {
    const { branches: _, ...rest } = s;
    const b = s.block;
    const peerBlock = s.peerBlock ?? (!b || b.state === 'literal' ? 'present' : b.state === 'absent' ? 'missing' : 'unresolved');
    e.settings = { ...rest, block: unreadable, peerBlock };
  } else e.settings = { model: 'unreadable', container: unreadable };
  if (e.replicas) e.replicas = { ...e.replicas, list: unreadable };
}
