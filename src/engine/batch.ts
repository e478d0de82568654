/**
 * Detect (and for `fix`, plan, apply and verify) a batch of files that were already read, with
 * plain-data results that can cross a worker boundary. Used by the worker pool (src/engine/pool.ts);
 * a batch always holds whole fix groups (the pool batches by folder, and no format groups files
 * across folders), so the results are those of the single-thread path.
 */
import { FORMATS, loadFormat } from '../formats/index.js';
import type { Edit, FixOptions, SourceFile } from '../core/types.js';
import { detectFile, fixGroup } from './pipeline.js';
import { groupKeyOf } from './groups.js';
import { diskSiblings } from '../io/siblings.js';
import type { FileError, FileOutcome, TableReport, Watched } from '../core/result.js';

export interface BatchFile {
  file: SourceFile;
  bom: boolean;
  /** Name of the registry entry chosen by the prefilter. */
  entry: string;
}

export interface BatchResult {
  tables: TableReport[];
  error?: FileError;
  newText?: string;
  /** The edits that made `newText`, for its diff (built from them when it is shown or written). */
  edits?: Edit[];
  /** The file's fix group (fix only) and the other files its plan read. */
  group?: string;
  watched?: Watched[];
}

export async function processBatch(files: BatchFile[], mode: 'scan' | 'fix', options: FixOptions): Promise<BatchResult[]> {
  const outcomes: FileOutcome[] = [];
  const groups = new Map<string, FileOutcome[]>();
  const siblings = diskSiblings(options.maxFileBytes);
  for (const f of files) {
    const entry = FORMATS.find((e) => e.name === f.entry);
    if (!entry) throw new Error(`unknown transform ${f.entry}`);
    const transform = await loadFormat(entry);
    const o = await detectFile(f.file, f.bom, transform, options, siblings);
    outcomes.push(o);
    const key = groupKeyOf(entry.name, transform, f.file.absPath);
    const g = groups.get(key);
    if (g) g.push(o);
    else groups.set(key, [o]);
  }
  if (mode === 'fix') {
    for (const [key, g] of groups) {
      await fixGroup(g, options, siblings);
      for (const o of g) o.group = key;
    }
  }
  return outcomes.map((o) => ({
    tables: o.tables,
    error: o.error,
    newText: o.newText,
    edits: o.edits,
    group: o.group,
    watched: o.watched,
  }));
}
