/**
 * A whole run: discover, read (prefilter first), detect, and for `fix` plan, apply and verify
 * by group. Returns outcomes; writing and reporting are the CLI's business.
 */
import { discover } from '../discovery.js';
import { TRANSFORMS, entriesFor, loadTransform } from '../../transforms/index.js';
import type { FixOptions, TransformEntry } from '../types.js';
import { detectFile, fixGroup, type FileError, type FileOutcome } from './pipeline.js';
import { readCandidate } from './read.js';

export interface RunOptions extends FixOptions {
  cwd: string;
  mode: 'scan' | 'fix';
  /** Called after each candidate file is read (and detected), for progress displays. */
  onProgress?: (p: RunProgress) => void;
}

export interface RunProgress {
  /** Candidate files looked at so far, of `candidates`. */
  scanned: number;
  candidates: number;
  tables: number;
  /** Absolute path of the file just looked at. */
  current: string;
}

export interface RunResult {
  outcomes: FileOutcome[];
  /** Errors not tied to a parsed file (missing paths, unreadable files). */
  errors: FileError[];
  /** Git work tree roots found while walking the given folders. */
  repos: string[];
}

function pickEntry(path: string, raw: string): TransformEntry | undefined {
  const entries = entriesFor(path);
  return entries.find((e) => e.prefilter(raw));
}

export async function run(paths: string[], options: RunOptions): Promise<RunResult> {
  const accepts = (p: string) => TRANSFORMS.some((e) => e.accepts(p));
  const { candidates, errors, repos } = await discover(paths.length ? paths : ['.'], options.cwd, accepts);
  const outcomes: FileOutcome[] = [];
  const groups = new Map<string, FileOutcome[]>();

  let scanned = 0;
  let tables = 0;
  for (const c of candidates) {
    scanned++;
    if (options.onProgress) options.onProgress({ scanned, candidates: candidates.length, tables, current: c.absPath });
    let chosen: TransformEntry | undefined;
    const read = await readCandidate(c.absPath, c.path, c.explicit, (raw) => (chosen = pickEntry(c.path, raw)) !== undefined);
    if (read.kind === 'skip') continue;
    if (read.kind === 'error') {
      errors.push(read.error);
      continue;
    }
    // Explicitly named files are read even when no prefilter matched: parse errors still count.
    chosen ??= pickEntry(c.path, read.file.text) ?? entriesFor(c.path)[0];
    if (!chosen) continue;
    const transform = await loadTransform(chosen);
    const outcome = await detectFile(read.file, read.bom, transform, options);
    outcomes.push(outcome);
    tables += outcome.tables.length;
    const key = `${chosen.name}\0${transform.groupKey ? transform.groupKey(c.absPath) : c.absPath}`;
    const g = groups.get(key);
    if (g) g.push(outcome);
    else groups.set(key, [outcome]);
  }

  if (options.mode === 'fix') {
    for (const group of groups.values()) await fixGroup(group, options);
  }
  return { outcomes, errors, repos };
}
