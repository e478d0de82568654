/**
 * The pipeline on in-memory files, for tests and tools: same formats, same verification,
 * no disk. Files of one group (e.g. one Terraform module) are fixed together.
 */
import path from 'node:path';
import { formatFor, formatsFor, loadFormat } from '../formats/index.js';
import { stripBom } from '../core/text.js';
import { isTestPath } from '../io/discover.js';
import type { FixOptions } from '../core/types.js';
import { DEFAULT_FIX_OPTIONS, detectFile, fixGroup } from './pipeline.js';
import { groupKeyOf } from './groups.js';
import type { FileOutcome } from '../core/result.js';

export interface MemoryFile {
  /** Display path; its extension picks the transform. */
  path: string;
  text: string;
}

export interface MemoryResult {
  outcomes: FileOutcome[];
  /** path -> output text (BOM restored); unchanged files map to their input. */
  output: Map<string, string>;
}

export async function processMemory(files: MemoryFile[], mode: 'scan' | 'fix', options: Partial<FixOptions> = {}): Promise<MemoryResult> {
  const opts: FixOptions = { ...DEFAULT_FIX_OPTIONS, ...options };
  const groups = new Map<string, FileOutcome[]>();
  const outcomes: FileOutcome[] = [];
  for (const f of files) {
    const entry = formatFor(f.path, f.text) ?? formatsFor(f.path)[0];
    if (!entry) throw new Error(`no transform accepts ${f.path}`);
    const transform = await loadFormat(entry);
    const { text, bom } = stripBom(f.text);
    const absPath = path.resolve('/memory', f.path);
    const o = await detectFile(
      { path: f.path, absPath, text, ...(isTestPath(f.path) ? { test: true as const } : {}) },
      bom,
      transform,
      opts,
    );
    outcomes.push(o);
    const key = groupKeyOf(entry.name, transform, absPath);
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  if (mode === 'fix') {
    for (const [key, g] of groups) {
      await fixGroup(g, opts);
      for (const o of g) o.group = key;
    }
  }
  const output = new Map<string, string>();
  for (const o of outcomes) {
    const t = o.newText ?? o.file.text;
    output.set(o.file.path, (o.bom ? '\uFEFF' : '') + t);
  }
  return { outcomes, output };
}
