/**
 * A batch of files already read, through the pipeline: build the fix groups (groups.ts), detect and
 * fix each group in turn (a scan only detects), and give each file its result as plain data, which
 * can cross a worker boundary. The one path every file takes: in the main thread, in the pool's workers
 * (src/engine/pool.ts) and in memory (memory.ts). A batch always holds whole fix groups (the
 * scheduler sends whole folders, and no format groups files across folders).
 */
import { FORMATS, loadFormat } from '../formats/index.js';
import type { FixOptions, Format, SourceFile } from '../core/types.js';
import type { FileResult } from '../core/result.js';
import { type Disk, runDisk } from './disk.js';
import { type Detected, type GroupFix, detectFile, fixGroup, fixedTables, notesOf } from './pipeline.js';
import { groupsOf } from './groups.js';

/**
 * What a batch does: `scan` detects; `fix` also plans, applies and verifies each group's fix;
 * `plan` is a scan that also plans the verified fix of each group, for SARIF's per-table fixes:
 * its edits only (its tables as a scan reports them, no error of its own).
 */
export type Pass = 'scan' | 'plan' | 'fix';

export interface BatchFile {
  file: SourceFile;
  bom: boolean;
  /** Name of the registry entry chosen by the prefilter. */
  entry: string;
}

export async function processBatch(
  files: BatchFile[],
  pass: Pass,
  options: FixOptions,
  disk: Disk = runDisk(options.maxFileBytes),
): Promise<FileResult[]> {
  const items: { index: number; file: SourceFile; bom: boolean; format: Format }[] = [];
  for (const [index, f] of files.entries()) {
    const entry = FORMATS.find((e) => e.name === f.entry);
    if (!entry) throw new Error(`unknown format ${f.entry}`);
    items.push({ index, file: f.file, bom: f.bom, format: await loadFormat(entry) });
  }
  const results: FileResult[] = new Array(files.length);
  if (pass === 'scan') {
    for (const it of items) {
      const d = await detectFile(it.file, it.bom, it.format, options, disk);
      results[it.index] = { tables: d.tables, error: d.error, ...notesOf(d) };
    }
    return results;
  }
  // One group at a time, detected, fixed and let go before the next: the parse trees of one group
  // are alive at a time, not the whole batch's (less for the garbage collector to copy and keep).
  for (const [key, group] of groupsOf(items)) {
    const detected: Detected[] = [];
    for (const it of group) detected.push(await detectFile(it.file, it.bom, it.format, options, disk));
    const fixes = await fixGroup(detected, options, disk);
    const failed = detected.some((d) => fixes.get(d)!.error);
    detected.forEach((d, k) => {
      results[group[k].index] = pass === 'fix' ? fixResult(d, fixes.get(d)!, key) : planResult(d, fixes.get(d)!, key, failed);
    });
  }
  return results;
}

function fixResult(d: Detected, fix: GroupFix, group: string): FileResult {
  return {
    tables: fixedTables(d.tables, fix),
    error: d.error ?? fix.error,
    newText: fix.newText,
    edits: fix.edits,
    group,
    watched: fix.watched,
    ...notesOf(d),
  };
}

/** A scan's view of its group's fix: the edits (and planned tables) of a group fixed whole, nothing else. */
function planResult(d: Detected, fix: GroupFix, group: string, failed: boolean): FileResult {
  if (failed || !fix.edits) return { tables: d.tables, error: d.error, ...notesOf(d) };
  return {
    // In place, as fixedTables: the file's own tables, held by nothing else.
    tables: d.tables.map((t) => {
      if (fix.planned.includes(t.address)) t.planned = true;
      return t;
    }),
    error: d.error,
    edits: fix.edits,
    group,
    ...notesOf(d),
  };
}
