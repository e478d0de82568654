/**
 * The pipeline on in-memory files, for tests and tools: same formats, same batch (batch.ts), same
 * verification, no disk. Files of one group (e.g. one Terraform module) are fixed together. Files
 * that no format reads (a package.json, a `.terraform.lock.hcl`) are what the disk would hold beside
 * the inputs: formats get them as siblings and project files (DiskContext), as on disk.
 */
import path from 'node:path';
import { FORMATS, namedFormatFor, loadFormat } from '../formats/index.js';
import { stripBom } from '../core/text.js';
import { isTestPath } from '../io/discover.js';
import type { Edit, FixOptions, SourceFile } from '../core/types.js';
import type { FileError, FileOutcome } from '../core/result.js';
import { type BatchFile, processBatch } from './batch.js';
import type { Disk } from './disk.js';
import { groupsOf } from './groups.js';
import { DEFAULT_FIX_OPTIONS, type Detected, checkPlans, detectFile } from './pipeline.js';

export interface MemoryFile {
  /** Display path; its extension picks the format. */
  path: string;
  text: string;
}

export interface MemoryResult {
  /** One per file a format reads, in the order given. */
  outcomes: FileOutcome[];
  /** path -> output text (BOM restored), for every file given; unchanged files map to their input. */
  output: Map<string, string>;
}

const ROOT = '/memory';

function memoryInputs(files: MemoryFile[]): { all: SourceFile[]; inputs: BatchFile[] } {
  const all: SourceFile[] = [];
  const inputs: BatchFile[] = [];
  for (const f of files) {
    const { text, bom } = stripBom(f.text);
    const file: SourceFile = { path: f.path, absPath: path.resolve(ROOT, f.path), text };
    all.push(file);
    const entry = namedFormatFor(f.path, f.text);
    if (entry) inputs.push({ file: isTestPath(f.path) ? { ...file, test: true } : file, bom, entry: entry.name });
  }
  return { all, inputs };
}

export async function processMemory(files: MemoryFile[], mode: 'scan' | 'fix', options: Partial<FixOptions> = {}): Promise<MemoryResult> {
  const opts: FixOptions = { ...DEFAULT_FIX_OPTIONS, ...options };
  const { all, inputs } = memoryInputs(files);
  const results = await processBatch(inputs, mode, opts, memoryDisk(all));
  const outcomes = inputs.map((b, i): FileOutcome => ({ file: b.file, bom: b.bom, ...results[i] }));
  const output = new Map<string, string>(files.map((f) => [f.path, f.text]));
  for (const o of outcomes) if (o.newText !== undefined) output.set(o.file.path, (o.bom ? '\uFEFF' : '') + o.newText);
  return { outcomes, output };
}

/**
 * Verify given edits of in-memory files as a fix is verified (the edits applied once, re-detection,
 * the format's checks, the size limit), for tests and tools: e.g. the edits that serve one table,
 * alone. `edits`: path -> edits; `fixed`: path -> the tables they are to make customer-managed.
 * Returns path -> the file's error (absent: it would be written).
 */
export async function verifyMemory(
  files: MemoryFile[],
  edits: Map<string, Edit[]>,
  fixed: Map<string, string[]>,
  options: Partial<FixOptions> = {},
): Promise<Map<string, FileError>> {
  const opts: FixOptions = { ...DEFAULT_FIX_OPTIONS, ...options };
  const { all, inputs } = memoryInputs(files);
  const disk = memoryDisk(all);
  const detected: Detected[] = [];
  for (const b of inputs) {
    const entry = FORMATS.find((e) => e.name === b.entry)!;
    detected.push(await detectFile(b.file, b.bom, await loadFormat(entry), opts, disk));
  }
  const errors = new Map<string, FileError>();
  for (const d of detected) if (d.error) errors.set(d.file.path, d.error);
  for (const group of groupsOf(detected.filter((d) => d.detection)).values()) {
    const plans = new Map(
      group.map((d) => [d.file.path, { edits: edits.get(d.file.path) ?? [], fixed: fixed.get(d.file.path) ?? [] }] as const),
    );
    for (const [d, r] of await checkPlans(group, plans, opts, disk)) if (r.kind === 'error') errors.set(d.file.path, r.error);
  }
  return errors;
}

/** The in-memory files as the disk: a folder's other files, and the project files above a file. */
function memoryDisk(files: SourceFile[]): Disk {
  const byPath = new Map(files.map((f) => [f.absPath, f]));
  return {
    siblings: (members, format) => {
      const entry = FORMATS.find((e) => e.name === format.name);
      const wanted = (name: string) => (entry?.siblingFile ? entry.siblingFile(name) : (entry?.accepts(name) ?? false));
      const known = new Set(members.map((m) => m.absPath));
      const dirs = new Set(members.map((m) => path.dirname(m.absPath)));
      const found = files
        .filter((f) => dirs.has(path.dirname(f.absPath)) && !known.has(f.absPath) && wanted(path.basename(f.absPath)))
        .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      return { files: found, watched: [] };
    },
    projectFiles: (dir, _shown, name) => byPath.get(path.join(dir, name)),
    treeFiles: (name) => files.filter((f) => path.basename(f.absPath) === name),
    derived: new Map(),
    // The in-memory files directly in `dir`, and the folders that hold the others below it.
    entries: (dir) => {
      const out = new Map<string, boolean>();
      for (const f of files) {
        const rel = path.relative(dir, f.absPath);
        if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) continue;
        const [first, ...rest] = rel.split(path.sep);
        if (!out.get(first)) out.set(first, rest.length > 0);
      }
      return [...out].map(([name, folder]) => ({ name, folder })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
  };
}
