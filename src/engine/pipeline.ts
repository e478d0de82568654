/**
 * The in-memory pipeline for one group of files: detect, plan edits, apply them, verify the
 * result by re-parsing and re-detecting. Nothing here touches the disk.
 */
import { judge } from '../rule/evaluate.js';
import { ParseError } from '../core/types.js';
import { LineIndex, deepestNesting } from '../core/text.js';
import { MAX_FILE_BYTES, formatMb } from '../io/read.js';
import { NO_SIBLINGS, type SiblingSource } from '../io/siblings.js';
import type { Detection, Edit, FilePlan, FixOptions, GroupMember, SourceFile, Format } from '../core/types.js';
import type { FileError, FileOutcome, TableReport, Watched } from '../core/result.js';

let editsModule: typeof import('../core/edits.js') | undefined;

export const DEFAULT_FIX_OPTIONS: FixOptions = { keyStrategy: 'per-table', acceptAwsManaged: false };

export function errorOf(file: SourceFile, err: unknown): FileError {
  if (err instanceof ParseError) {
    return { file: file.path, line: err.line, column: err.column, message: err.message };
  }
  // A parser (or a walk over its tree) that recursed past the stack: input too deeply nested, reported
  // like any other bad input, at the deepest point of the text.
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    const deepest = deepestNesting(file.text);
    const pos = new LineIndex(file.text).position(deepest.offset);
    return { file: file.path, ...pos, message: `nested too deeply to parse (${deepest.depth} levels at this point)` };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { file: file.path, message: `internal error: ${message}` };
}

export function reportTables(file: SourceFile, detection: Detection, options: Partial<FixOptions>): TableReport[] {
  const judging = { ...options, test: file.test === true };
  return detection.tables.map((t) => {
    // The rules decide (src/rule/evaluate.ts); a table carries only the report's own fields, not a
    // format's parse nodes (whole templates, syntax trees), which must not outlive the detection
    // (memory) nor cross to the main thread.
    const j = judge(t, judging);
    const { line, column, format, type, address } = t;
    const report: TableReport = {
      line,
      column,
      format,
      type,
      address,
      status: j.status,
      message: j.message,
      file: file.path,
      compliant: j.compliant,
      fixable: j.fixable,
      peers: j.peers,
      suppressions: t.suppressions,
    };
    if (j.blocker !== undefined) report.blocker = j.blocker;
    if (j.testCode) report.testCode = true;
    return report;
  });
}

export async function detectFile(
  file: SourceFile,
  bom: boolean,
  transform: Format,
  options: Partial<FixOptions>,
  siblings?: SiblingSource,
): Promise<FileOutcome> {
  try {
    const context = siblings ? { siblings: async () => siblings([file], transform).files } : undefined;
    const detection = await transform.detect(file, context);
    return { file, bom, transform, detection, tables: reportTables(file, detection, options) };
  } catch (err) {
    return { file, bom, transform, tables: [], error: errorOf(file, err) };
  }
}

/** What planning, applying and verifying gave for one file of a group. */
export type FileResult =
  | { kind: 'ok'; edits: Edit[]; newText: string; fixed: string[]; declined: { address: string; reason: string }[]; watched: Watched[] }
  | { kind: 'error'; error: FileError };

/**
 * Plan the fixes of one group of files (all of one transform) for the given targets, apply them and
 * verify each result. Mutates nothing: `fixGroup` applies the results, SARIF uses them per table.
 */
export async function planGroup(
  group: FileOutcome[],
  targetsOf: (o: FileOutcome) => string[],
  options: FixOptions,
  siblings: SiblingSource = NO_SIBLINGS,
): Promise<Map<FileOutcome, FileResult>> {
  const results = new Map<FileOutcome, FileResult>();
  const members = group.filter((o) => o.detection && !o.error);
  if (members.length === 0) return results;
  const transform = members[0].transform!;
  const gm: GroupMember[] = members.map((o) => ({ file: o.file, detection: o.detection!, targets: targetsOf(o) }));
  if (gm.every((m) => m.targets.length === 0)) return results;
  // A plan must not rest on a file of the group it could not parse (its declarations are unknown).
  const broken = group.find((o) => o.error || !o.detection);
  if (broken) {
    const message = `fix not written: ${broken.file.path}, a file of the same group, could not be read${broken.error ? ` (${broken.error.message})` : ''}`;
    for (const m of members) if (targetsOf(m).length > 0) results.set(m, { kind: 'error', error: { file: m.file.path, message } });
    return results;
  }
  let watched: Watched[] = [];
  const context = {
    siblings: async () => {
      const read = siblings(
        members.map((m) => m.file),
        transform,
      );
      watched = read.watched;
      return read.files;
    },
  };
  let plans: Map<string, FilePlan>;
  try {
    plans = await transform.fix(gm, options, context);
  } catch (err) {
    for (const m of members) if (targetsOf(m).length > 0) results.set(m, { kind: 'error', error: errorOf(m.file, err) });
    return results;
  }
  for (const o of members) {
    const plan = plans.get(o.file.path);
    if (!plan) continue;
    const declined = plan.declined ?? [];
    if (plan.edits.length === 0) {
      results.set(o, { kind: 'ok', edits: [], newText: o.file.text, fixed: [], declined, watched });
      continue;
    }
    try {
      const { applyEdits } = (editsModule ??= await import('../core/edits.js')); // loaded by fix only, once
      const newText = applyEdits(o.file.text, plan.edits);
      const problems = await verify(transform, o, newText, plan.fixed, options, siblings);
      const limit = options.maxFileBytes ?? MAX_FILE_BYTES;
      const bytes = Buffer.byteLength(newText) + (o.bom ? 3 : 0);
      if (problems.length > 0) {
        results.set(o, {
          kind: 'error',
          error: { file: o.file.path, message: `fix not written, verification failed: ${problems.join('; ')}` },
        });
      } else if (bytes > limit) {
        // The limit is on input: a file kmsfix writes must stay readable by the next run.
        const message = `fix not written: the fixed file would be ${formatMb(bytes)}, above the ${formatMb(limit)} input limit, so later runs could not read it (raise the limit with --max-file-size, for this run and later ones)`;
        results.set(o, { kind: 'error', error: { file: o.file.path, message } });
      } else {
        results.set(o, { kind: 'ok', edits: plan.edits, newText, fixed: plan.fixed, declined, watched });
      }
    } catch (err) {
      results.set(o, { kind: 'error', error: { ...errorOf(o.file, err), message: `fix not written: ${errorOf(o.file, err).message}` } });
    }
  }
  return results;
}

/**
 * Fix every fixable table of a group: sets `newText` on changed files, or `error` when planning or
 * verification fails. All or none: when one file of the group cannot be fixed, no file of it is.
 */
export async function fixGroup(group: FileOutcome[], options: FixOptions, siblings: SiblingSource = NO_SIBLINGS): Promise<void> {
  const results = await planGroup(group, (o) => o.tables.filter((t) => t.fixable).map((t) => t.address), options, siblings);
  const failed = [...results].find(([, r]) => r.kind === 'error') as [FileOutcome, Extract<FileResult, { kind: 'error' }>] | undefined;
  for (const [o, r] of results) {
    if (r.kind === 'error') {
      o.error = r.error;
      continue;
    }
    for (const d of r.declined) {
      const t = o.tables.find((x) => x.address === d.address);
      if (t) {
        t.fixable = false;
        t.message = `${t.message}. Not fixable automatically: ${d.reason}`;
      }
    }
    if (r.newText !== o.file.text) {
      if (failed) {
        o.error = {
          file: o.file.path,
          message: `fix not written: the files of its group are fixed all or none, and ${failed[0].file.path} could not be fixed (${failed[1].error.message})`,
        };
        continue;
      }
      o.newText = r.newText;
      o.edits = r.edits;
      o.watched = r.watched;
      for (const t of o.tables) if (r.fixed.includes(t.address)) t.planned = t.fixed = true;
    }
  }
  // A fixable table that no plan fixed, in a file without an error, would be reported as neither:
  // never leave it silent.
  for (const o of group) {
    if (o.error) continue;
    const missed = o.tables.filter((t) => t.fixable && !t.planned);
    if (missed.length > 0)
      o.error = {
        file: o.file.path,
        message: `not fixed: no fix was planned for ${missed.map((t) => t.address).join(', ')} (a kmsfix bug: please report it)`,
      };
  }
}

/** Re-parse and re-detect the fixed text: it must parse, and every fixed table must be customer-managed. */
async function verify(
  transform: Format,
  before: FileOutcome,
  newText: string,
  fixed: string[],
  options: FixOptions,
  siblings: SiblingSource,
): Promise<string[]> {
  const file: SourceFile = { ...before.file, text: newText };
  let detection: Detection;
  try {
    detection = await transform.detect(file, { siblings: async () => siblings([file], transform).files });
  } catch (err) {
    const e = errorOf(file, err);
    return [`the fixed file does not parse (${e.line ?? '?'}:${e.column ?? '?'}: ${e.message})`];
  }
  const problems: string[] = [];
  const after = new Map(reportTables(file, detection, options).map((t) => [t.address, t]));
  for (const t of before.tables) {
    const now = after.get(t.address);
    if (!now) problems.push(`table ${t.address} is no longer found`);
    else if (fixed.includes(t.address) && now.status !== 'customer-managed') {
      problems.push(`table ${t.address} is ${now.status}, not customer-managed`);
    } else if (!fixed.includes(t.address) && now.status !== t.status) {
      problems.push(`table ${t.address} changed from ${t.status} to ${now.status} though it was not to be fixed`);
    }
  }
  if (transform.verify) problems.push(...transform.verify(file, detection, fixed, options, before.detection!));
  return problems;
}
