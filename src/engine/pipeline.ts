/**
 * The pipeline of one group of files: detect, plan edits, apply them once, verify the result
 * (verify.ts), and decide what each file of the group gets (all or none). Values in, values out;
 * what it reads beside its files comes from a Disk (disk.ts).
 */
import path from 'node:path';
import { FIX_NOTE, judge } from '../rule/evaluate.js';
import { keyArnProblem } from '../rule/keyArn.js';
import { ParseError } from '../core/types.js';
import { LineIndex, deepestNesting } from '../core/text.js';
import { MAX_FILE_BYTES, formatMb } from '../io/read.js';
import type { Detection, DiskContext, Edit, FilePlan, FixOptions, GroupMember, SourceFile, Format } from '../core/types.js';
import type { FileError, TableReport, Watched } from '../core/result.js';
import { detectWithEmbedded } from './embedded.js';
import { type Disk, contextFor } from './disk.js';
import { verifyGroup } from './verify.js';

let applyModule: typeof import('../core/apply.js') | undefined;

export const DEFAULT_FIX_OPTIONS: FixOptions = { keyStrategy: 'per-table', acceptAwsManaged: false };

/** Nesting below this many levels does not run a parser out of stack (that takes thousands). */
export const STACK_DEEP = 100;

export function errorOf(file: SourceFile, err: unknown): FileError {
  if (err instanceof ParseError) {
    return { file: file.path, line: err.line, column: err.column, message: err.message };
  }
  // A parser (or a walk over its tree) that recursed past the stack: input too deeply nested, reported
  // like any other bad input, at the deepest point of the text. Only where the text nests that deep: the same
  // RangeError from a shallow file is kmsfix's own fault (an array of a million values spread into a call's
  // arguments: a serverless.yml of 2 levels was "nested too deeply to parse (10 levels...)", adversarial pass of session 63).
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    const deepest = deepestNesting(file.text);
    if (deepest.depth >= STACK_DEEP) {
      const pos = new LineIndex(file.text).position(deepest.offset);
      return { file: file.path, ...pos, message: `nested too deeply to parse (${deepest.depth} levels at this point)` };
    }
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
    if (j.cautions) report.cautions = j.cautions;
    if (j.cautionKinds) report.cautionKinds = j.cautionKinds;
    report.reason = j.reason;
    if (j.notScannedBy) report.notScannedBy = j.notScannedBy;
    if (t.projen) report.projen = t.projen;
    if (t.units) report.units = t.units;
    if (t.deployRoles && j.fixable) report.deployRoles = t.deployRoles;
    if (t.deployRegions && j.fixable) report.deployRegions = t.deployRegions;
    if (t.deploySessionPolicy && j.fixable) report.deploySessionPolicy = t.deploySessionPolicy;
    if (t.keptKey !== undefined && j.fixable) report.keptKey = t.keptKey;
    if (t.keyRetained && j.fixable) report.keyRetained = true;
    if (j.choices) report.choices = j.choices;
    if (j.parameters) report.parameters = j.parameters;
    if (!j.compliant) {
      // Display paths have / separators (the JSON report's `file`), as the module's file is written from the call's folder.
      const literal = t.encryption.obstacles.find((o) => o.kind === 'module-literal');
      if (literal)
        report.through = { file: path.posix.join(path.posix.dirname(file.path), literal.module.file), address: literal.module.address };
    }
    return report;
  });
}

/**
 * A file read and detected, for the engine's own use: its detection keeps the format's parse nodes
 * (whole templates, syntax trees), so it never leaves the batch that made it (memory, threads).
 */
export interface Detected {
  file: SourceFile;
  bom: boolean;
  format: Format;
  detection?: Detection;
  tables: TableReport[];
  error?: FileError;
  /** Detection.notes. */
  notes?: string[];
}

/** A detection's notes, as a result carries them (none: no field). */
export function notesOf(d: { notes?: string[] }): { notes?: string[] } {
  return d.notes?.length ? { notes: d.notes } : {};
}

export async function detectFile(
  file: SourceFile,
  bom: boolean,
  format: Format,
  options: Partial<FixOptions>,
  disk?: Disk,
): Promise<Detected> {
  try {
    const context = disk ? contextFor(disk, [file], format) : undefined;
    if (context && options.keyPolicy === 'iam' && !options.kmsKeyArn) context.iamRoles = true;
    const detection = await detectWithEmbedded(format, file, context);
    // A file read in part (Detection.error): its readable tables and its error; planGroup never fixes it.
    const error = detection.error ? errorOf(file, detection.error) : undefined;
    return { file, bom, format, detection, tables: reportTables(file, detection, options), error, ...notesOf(detection) };
  } catch (err) {
    return { file, bom, format, detection: undefined, tables: [], error: errorOf(file, err) };
  }
}

export type Declined = { address: string; reason: string };

/** What planning, applying and verifying gave for one file of a group. */
export type FileFix =
  | { kind: 'ok'; edits: Edit[]; newText: string; fixed: string[]; declined: Declined[]; watched: Watched[] }
  | { kind: 'error'; error: FileError };

/**
 * Plan the fixes of one group of files (all of one format) for the given targets, apply each file's
 * edits once and verify the group (verify.ts). Mutates nothing.
 */
export async function planGroup(
  group: Detected[],
  targetsOf: (o: Detected) => string[],
  options: FixOptions,
  disk: Disk = NO_DISK,
): Promise<Map<Detected, FileFix>> {
  const results = new Map<Detected, FileFix>();
  const members = group.filter((o) => o.detection && !o.error);
  if (members.length === 0) return results;
  const format = members[0].format;
  const gm: GroupMember[] = members.map((o) => ({ file: o.file, detection: o.detection!, targets: targetsOf(o) }));
  if (gm.every((m) => m.targets.length === 0)) return results;
  // A plan must not rest on a file of the group it could not parse (its declarations are unknown).
  const broken = group.find((o) => o.error || !o.detection);
  if (broken) {
    const message = `fix not written: ${broken.file.path}, a file of the same group, could not be read${broken.error ? ` (${broken.error.message})` : ''}`;
    for (const m of members) if (targetsOf(m).length > 0) results.set(m, { kind: 'error', error: { file: m.file.path, message } });
    return results;
  }
  // --kms-key-arn written in a syntax this family does not have: its tables are declined, not broken.
  const unusable = options.kmsKeyArn === undefined ? undefined : keyArnProblem(options.kmsKeyArn, format.name);
  if (unusable) {
    for (const m of gm) {
      const o = members.find((x) => x.file === m.file)!;
      const declined = m.targets.map((address) => ({ address, reason: unusable }));
      results.set(o, { kind: 'ok', edits: [], newText: o.file.text, fixed: [], declined, watched: [] });
    }
    return results;
  }
  let watched: Watched[] = [];
  const context = contextFor(
    disk,
    members.map((m) => m.file),
    format,
    (read) => {
      watched = read.watched;
    },
  );
  let plans: Map<string, FilePlan>;
  try {
    plans = await format.fix(gm, options, context);
  } catch (err) {
    for (const m of members) if (targetsOf(m).length > 0) results.set(m, { kind: 'error', error: errorOf(m.file, err) });
    return results;
  }
  for (const [o, r] of await checkPlans(members, plans, options, disk, context)) {
    if (r.kind === 'ok') r.watched = watched;
    results.set(o, r);
  }
  return results;
}

/**
 * Apply each file's planned edits once and verify the group (verify.ts); then the size limit.
 * `members`: every file of the group (all of one format, all detected).
 */
export async function checkPlans(
  members: Detected[],
  plans: Map<string, FilePlan>,
  options: FixOptions,
  disk: Disk,
  context: DiskContext = contextFor(
    disk,
    members.map((m) => m.file),
    members[0].format,
  ),
): Promise<Map<Detected, FileFix>> {
  const results = new Map<Detected, FileFix>();
  // Each file's edits, applied once: verification and the write both take this text.
  const applied = new Map<Detected, { edits: Edit[]; newText: string; fixed: string[]; declined: Declined[] }>();
  for (const o of members) {
    const plan = plans.get(o.file.path);
    if (!plan) continue;
    const declined = plan.declined ?? [];
    if (plan.edits.length === 0) {
      results.set(o, { kind: 'ok', edits: [], newText: o.file.text, fixed: [], declined, watched: [] });
      continue;
    }
    try {
      const { applyEdits } = (applyModule ??= await import('../core/apply.js')); // loaded by fix only, once (magic-string)
      applied.set(o, { edits: plan.edits, newText: applyEdits(o.file.text, plan.edits), fixed: plan.fixed, declined });
    } catch (err) {
      results.set(o, { kind: 'error', error: notWritten(o.file, err) });
    }
  }
  if (applied.size === 0) return results;
  let problems: Map<Detected, string[]>;
  try {
    problems = await verifyGroup(members[0].format, members, applied, options, disk, context);
  } catch (err) {
    for (const o of applied.keys()) results.set(o, { kind: 'error', error: notWritten(o.file, err) });
    return inOrder(members, results);
  }
  const limit = options.maxFileBytes ?? MAX_FILE_BYTES;
  for (const [o, a] of applied) {
    const found = problems.get(o) ?? [];
    const bytes = Buffer.byteLength(a.newText) + (o.bom ? 3 : 0);
    if (found.length > 0) {
      results.set(o, { kind: 'error', error: { file: o.file.path, message: `fix not written, verification failed: ${found.join('; ')}` } });
    } else if (bytes > limit) {
      // The limit is on input: a file kmsfix writes must stay readable by the next run.
      const message = `fix not written: the fixed file would be ${formatMb(bytes)}, above the ${formatMb(limit)} input limit, so later runs could not read it (raise the limit with --max-file-size, for this run and later ones)`;
      results.set(o, { kind: 'error', error: { file: o.file.path, message } });
    } else {
      results.set(o, { kind: 'ok', edits: a.edits, newText: a.newText, fixed: a.fixed, declined: a.declined, watched: [] });
    }
  }
  return inOrder(members, results);
}

/** The results in the group's order (the first file that fails is the one the others name). */
function inOrder<T>(members: Detected[], results: Map<Detected, T>): Map<Detected, T> {
  return new Map(members.flatMap((o) => (results.has(o) ? [[o, results.get(o)!] as const] : [])));
}

function notWritten(file: SourceFile, err: unknown): FileError {
  const e = errorOf(file, err);
  return { ...e, message: `fix not written: ${e.message}` };
}

/** A disk with nothing on it beside the files passed (a group fixed on its own). */
const NO_DISK: Disk = { siblings: () => ({ files: [], watched: [] }), projectFiles: () => undefined };

/** What fixing a group gives one of its files: values, from which its outcome is built (batch.ts). */
export interface GroupFix {
  error?: FileError;
  newText?: string;
  edits?: Edit[];
  watched?: Watched[];
  /** Tables the verified fix makes customer-managed. */
  planned: string[];
  /** Tables the format declined while planning, and why. */
  declined: Declined[];
}

/**
 * Fix every fixable table of a group: for each file, its verified new text and edits, or its error
 * when planning or verification fails. All or none: when one file of the group cannot be fixed, no
 * file of it is.
 */
export async function fixGroup(group: Detected[], options: FixOptions, disk: Disk = NO_DISK): Promise<Map<Detected, GroupFix>> {
  const results = await planGroup(group, (o) => o.tables.filter((t) => t.fixable).map((t) => t.address), options, disk);
  const failed = [...results].find(([, r]) => r.kind === 'error') as [Detected, Extract<FileFix, { kind: 'error' }>] | undefined;
  const out = new Map<Detected, GroupFix>();
  for (const o of group) {
    const r = results.get(o);
    let error: FileError | undefined;
    let declined: Declined[] = [];
    let changed: Extract<FileFix, { kind: 'ok' }> | undefined;
    if (r?.kind === 'error') error = r.error;
    else if (r) {
      declined = r.declined;
      if (r.newText !== o.file.text) {
        if (failed) {
          error = {
            file: o.file.path,
            message: `fix not written: the files of its group are fixed all or none, and ${failed[0].file.path} could not be fixed (${failed[1].error.message})`,
          };
        } else changed = r;
      }
    }
    const planned = changed ? o.tables.filter((t) => changed.fixed.includes(t.address)).map((t) => t.address) : [];
    // A fixable table that no plan fixed, in a file without an error, would be reported as neither:
    // never leave it silent.
    if (!o.error && !error) {
      const missed = o.tables.filter((t) => t.fixable && !declined.some((d) => d.address === t.address) && !planned.includes(t.address));
      if (missed.length > 0)
        error = {
          file: o.file.path,
          message: `not fixed: no fix was planned for ${missed.map((t) => t.address).join(', ')} (a kmsfix bug: please report it)`,
        };
    }
    const fix: GroupFix = { error, newText: changed?.newText, edits: changed?.edits, watched: changed?.watched, planned, declined };
    out.set(o, fix);
  }
  return out;
}

/**
 * A file's tables once its group is fixed: declined tables not fixable (and why), planned ones
 * planned. In place: the tables are the file's own, made by reportTables for this detection and
 * held by nothing else, and a copy of each (an object spread, on tables of many shapes) was 24 to
 * 40 ms of a dense fix's main thread. The fields keep their order: those set here are either
 * already there (fixable, message) or added last (planned, then fixed), as a spread puts them.
 */
/** The note of a table fixed through a waived obstacle (src/rule/evaluate.ts FIX_NOTE), with the sentence break before it. */
const WAIVED_NOTE = new RegExp(`\\. ${FIX_NOTE.source}`);

export function fixedTables(tables: TableReport[], fix: GroupFix): TableReport[] {
  for (const t of tables) {
    const d = fix.declined.find((x) => x.address === t.address);
    if (d) {
      t.fixable = false;
      // What a waived obstacle's flag would have done (src/rule/evaluate.ts) did not happen.
      let message = t.message.replace(WAIVED_NOTE, '');
      // Nor what it would have changed beyond the table.
      for (const c of t.cautions ?? []) message = message.replace(`. ${c}`, '');
      delete t.cautions;
      delete t.cautionKinds;
      t.message = `${message}. Not fixable automatically: ${d.reason}`;
    } else if (fix.planned.includes(t.address)) {
      t.planned = true;
      t.fixed = true;
    }
  }
  return tables;
}
