/** A mapping's keys read so far, as the fast parsers (YAML and JSON) look for a repeated one. */
import type { CPair } from './tree.js';

/**
 * Whether `key` is among the keys of a mapping parsed so far (a duplicate is left to the reference
 * parser). Most mappings of a template hold a few keys: a look at each is cheaper than a Set made
 * for every mapping (a Set per mapping was 3.5% of what a dense fix allocated). Past KEYS_SCANNED
 * keys, the caller's Set (`keys`, made here once and then given every key) answers.
 */
const KEYS_SCANNED = 16;
export function isDuplicate(pairs: CPair[], key: string, keys: Set<string> | undefined): boolean {
  if (keys) return keys.has(key);
  for (let i = 0; i < pairs.length; i++) if (pairs[i].key === key) return true;
  return false;
}

/** The Set of a mapping's keys once it has KEYS_SCANNED of them (`keys` until then: undefined). */
export function keySet(pairs: CPair[], keys: Set<string> | undefined): Set<string> | undefined {
  if (keys) {
    keys.add(pairs[pairs.length - 1].key);
    return keys;
  }
  return pairs.length >= KEYS_SCANNED ? new Set(pairs.map((p) => p.key)) : undefined;
}
