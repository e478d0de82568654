/**
 * The registry of format families. Entries are cheap (path and substring tests); each
 * transform's module, with its parser, is imported only when a file needs it.
 */
import type { Transform, TransformEntry } from '../core/types.js';
import { cloudformationEntry } from './cloudformation/entry.js';
import { terraformEntry } from './terraform/entry.js';
import { typescriptEntry } from './typescript/entry.js';
import { pulumiYamlEntry } from './pulumi-yaml/entry.js';

export const TRANSFORMS: TransformEntry[] = [cloudformationEntry, terraformEntry, typescriptEntry, pulumiYamlEntry];

/** The transforms that want a path, in registry order. */
export function entriesFor(path: string): TransformEntry[] {
  return TRANSFORMS.filter((e) => e.accepts(path));
}

const loaded = new Map<string, Promise<Transform>>();

export function loadTransform(entry: TransformEntry): Promise<Transform> {
  let p = loaded.get(entry.name);
  if (!p) {
    p = entry.load();
    loaded.set(entry.name, p);
  }
  return p;
}
