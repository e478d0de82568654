/**
 * What `kmsfix fix` does with the run's verified fixes, and its report. Every fix goes through a
 * stream (src/io/stream.ts), so no fixed text is held to the end (issue 16: memory flat whatever the
 * tree's size):
 *
 * - a fix in place without a prompt or --commit writes each chunk as it comes, its diff printed
 *   first; a preview (--dry-run, --check) shows it the same way without writing;
 * - a fix in place that asks first or commits, and --patch / --patch-dir, hold their files: their
 *   diffs and new texts kept on disk (src/io/spool.ts FileTexts), their outcomes without texts,
 *   until the run is over; then the patches are written, or the whole diff is shown, the prompt
 *   asked and the files allowed written (--commit: each repository's whole change or nothing), and
 *   every file is settled as a stream that writes as it goes settles it.
 *
 * Each settled file is folded: for the text report (report/fold.ts) the result keeps only what the
 * report prints and a tally counts the rest; the JSON report spools its tables and diff
 * (report/jsonStream.ts).
 */
import { noteLines } from '../report/noteLines.js';
import path from 'node:path';
import type { Io, Parsed } from '../cli.js';
import type { RunResult } from '../engine/run.js';
import type { FileError, FileOutcome } from '../core/result.js';
import { guardPatches, guardWrites } from '../io/guard.js';
import { type GitStatus, repoRootOf } from '../io/git.js';
import type { Head } from '../io/commit.js';
import { OutputError, checkPatchDir, realish } from '../io/outputs.js';
import { FileTexts, OrderedSpool } from '../io/spool.js';
import { FixStream } from '../io/stream.js';
import { SpooledOutput, UnflushedError } from '../io/write.js';
import {
  CommitSignals,
  clearUnwritten,
  commitRefusals,
  commitRepositories,
  recordPending,
  resumeRefusals,
  unfinishedCommits,
} from '../report/commit.js';
import type { Resume } from '../report/resume.js';
import { mailNow } from '../report/mail.js';
import type { MessageOptions } from '../report/messageTypes.js';
import type { FixOptions } from '../core/types.js';
import { colorDiff, fileDiff, fullText, outsideCwd, repoPath } from '../report/diff.js';
import { type Tally, emptyTally, fold, fixNotes } from '../report/fold.js';
import { JsonFixStream } from '../report/jsonStream.js';
import { PatchDirWriter } from '../report/patchdir.js';
import { ModuleFixes, type Output } from '../report/through.js';
import { allErrors, allTables, formatError, summarize } from '../report/summary.js';
import { colors, summaryLine, tableLine } from '../report/textReport.js';

/**
 * A fix's stream, and what its report keeps of the files let go: a text report's tally, or the JSON
 * report's spool; a text preview's spool; the patches' spools.
 */
export type Streamed = FixStream & {
  tally?: Tally;
  json?: JsonFixStream;
  patches?: Patches;
  preview?: OrderedSpool;
  /** The module calls a fix of their module's table reaches (report/through.ts). */
  modules?: ModuleFixes;
};

/** The diffs of `--patch` and `--patch-dir` kept on disk as the run goes, written in the run's order at its end. */
interface Patches {
  /** --patch: under 'patch'. */
  spool?: OrderedSpool;
  dir?: PatchDirWriter;
}

/** A fix in place writes after its run: it asks first (a terminal, text report, no --yes) or commits. */
function writesAfterRun(p: Parsed, io: Io, inPlace: boolean): boolean {
  return inPlace && (p.commit || (io.interactive && !p.yes && p.format === 'text'));
}

/**
 * The stream of a fix (`inPlace`: it writes its files). `clearProgress` erases the progress line
 * before a diff is printed.
 */
export function fixStream(p: Parsed, io: Io, inPlace: boolean, clearProgress: () => void, unread?: Unread): Streamed {
  const c = colors(io.color);
  const patching = p.patch !== undefined || p.patchDir !== undefined;
  const hold = patching || writesAfterRun(p, io, inPlace);
  const tally = p.format === 'text' ? emptyTally() : undefined;
  const modules = new ModuleFixes();
  const json = p.format === 'json' ? new JsonFixStream(io.out, inPlace) : undefined;
  // A text preview prints at the end, in the run's order.
  const preview = !json && !inPlace && !patching && (p.check || !p.quiet) ? new OrderedSpool() : undefined;
  /** --patch-dir: each work tree's git status, taken once (guardPatches). */
  const statuses = new Map<string, Promise<GitStatus>>();
  const patches: Patches | undefined = patching
    ? {
        ...(p.patchDir ? { dir: new PatchDirWriter(p.patchDir, p.paths, io.cwd) } : {}),
        ...(p.patch ? { spool: new OrderedSpool() } : {}),
      }
    : undefined;
  /**
   * --patch inside a git work tree: paths from its root, as `git diff` writes them, so that `git apply`
   * applies the patch from the current folder or from the root (run in a subfolder, it skips, with exit 0,
   * every path it reads as outside that folder: cwd-relative paths from `infra/` were all skipped).
   * Outside a work tree, paths from the current folder (`git apply` there works as `patch -p1`).
   */
  const patchRoot = p.patch ? repoRootOf(io.cwd, true) : undefined;
  const stream: Streamed = new FixStream(
    p.force,
    {
      show(changed, orders, refused) {
        // Each diff is built only when something shows or writes it (not for `fix --yes --quiet`).
        const diffs = json || (patches?.spool && !patchRoot) || (inPlace && !p.quiet) ? changed.map((o) => fileDiff(o)) : undefined;
        if (patches) {
          // The files refused (below) are left out of the patches.
          const kept = changed.flatMap((o, k) => (refused?.has(o) ? [] : [k]));
          patches.dir?.add(
            kept.map((k) => changed[k]),
            kept.map((k) => orders[k]),
          );
          if (patches.spool)
            for (const k of kept)
              patches.spool.append(
                'patch',
                orders[k],
                patchRoot ? fileDiff(changed[k], repoPath(patchRoot, changed[k].file.absPath)) : diffs![k],
              );
          return json ? diffs : undefined;
        }
        // In place, each diff is printed once its file is written (settle): a file refused or not written is not in it.
        if (json || hold || inPlace) return diffs;
        if (preview) for (const [k, o] of changed.entries()) preview.append('out', orders[k], p.check ? `${o.file.path}\n` : fileDiff(o));
        else if (!p.quiet) {
          clearProgress();
          const d = changed.map((o) => fileDiff(o)).join('');
          io.out(io.color ? colorDiff(d, c) : d);
        }
        return undefined;
      },
      content: (o) => fullText(o, o.newText!),
      ...(p.patch
        ? { refuse: (changed: FileOutcome[]) => new Map(changed.filter((o) => outsideCwd(o.file.path)).map((o) => [o, outsidePatch(o)])) }
        : p.patchDir && !p.force
          ? { refuse: async (changed: FileOutcome[]) => unreadRefusals(changed, p, unread, await guardPatches(changed, statuses), io.cwd) }
          : p.patchDir && unread
            ? { refuse: (changed: FileOutcome[]) => unreadRefusals(changed, p, unread, new Map(), io.cwd) }
            : {}),
      settle(o, how) {
        modules.note(o, how.delivered);
        if (inPlace && !json && !hold && how.delivered && how.diff) {
          clearProgress();
          io.out(io.color ? colorDiff(how.diff, c) : how.diff);
        }
        if (json) return json.settle(o, how);
        return fold(o, how.delivered, how.error, tally!);
      },
    },
    inPlace,
    hold ? new FileTexts() : undefined,
  );
  stream.tally = tally;
  stream.json = json;
  stream.preview = preview;
  stream.patches = patches;
  stream.modules = modules;
  return stream;
}

/** Where a fix's output is, as report/through.ts says it. */
function moduleOutput(p: Parsed): Output {
  return p.patch !== undefined || p.patchDir !== undefined ? 'patch' : p.dryRun || p.check ? 'diff' : 'written';
}

/** Whatever a stream did not put in place: its spools, a patch's temp files. */
export function discardStream(stream: Streamed): void {
  stream.json?.discard();
  stream.patches?.spool?.discard();
  stream.patches?.dir?.discard();
  stream.preview?.discard();
  stream.hold?.discard();
}

/** Why a changed file is not in `--patch`'s patch. */
function outsidePatch(o: FileOutcome): FileError {
  return {
    file: o.file.path,
    message:
      'outside the current directory: left out of the patch (git apply works only below the folder it runs in; run kmsfix from a folder that holds it, or use --patch-dir)',
  };
}

/** --patch's diffs kept as the run went, in the run's order: to stdout (`-`), or to the file, atomically. */
function writeSpooled(patch: string, spool: OrderedSpool, io: Io): void {
  if (patch === '-') {
    for (const d of spool.texts('patch')) io.out(d);
    return;
  }
  const out = new SpooledOutput(path.resolve(io.cwd, patch), patch);
  for (const d of spool.texts('patch')) out.write(d);
  out.commit();
}

/** The changed files a stream kept, in the run's order (the stream has them in the order they came, which workers may change). */
function inRunOrder(result: RunResult, kept: FileOutcome[]): FileOutcome[] {
  const order = new Map(result.outcomes.map((o, i) => [o, i]));
  return [...kept].sort((a, b) => order.get(a)! - order.get(b)!);
}

/** Said by a text fix that changed tables and wrote no commit message (--commit and --patch-dir do). */
export const BEFORE_DEPLOYING =
  'before deploying: the commit message of --commit or --patch-dir holds the checklist (who can use the new keys, what the deploying ' +
  'role needs); roll back in two deploys, never by a revert alone: a revert deletes each key in the deploy that moves its table off ' +
  'it, and a Terraform revert leaves the table on it ' +
  '(https://github.com/kmsfix/kmsfix#rolling-back)';

/**
 * Said instead of BEFORE_DEPLOYING when every table fixed kept the key it named, its switch alone turned on
 * (TableReport.keptKey): no key is created, so nothing about new keys or a two-deploy roll back holds, and the
 * key's policy, which kmsfix did not write, is what to check (as the commit message's key line says).
 */
export const BEFORE_DEPLOYING_KEPT =
  "before deploying: each table fixed switches to the key it already named, whose policy kmsfix did not write: check that it lets DynamoDB and the tables' " +
  'users use it (the commit message of --commit or --patch-dir holds the checklist); roll back in one deploy by switching each table back off: ' +
  'no key is created or deleted (https://github.com/kmsfix/kmsfix#rolling-back)';

/** A repository's commit message options, by its root, and each file's scope's (a run of several configuration scopes). */
type MessageOf = Pick<MessageOptions, 'of' | 'scopeOf'>;

/** A repository's root to the configuration file with problems that kept part of it unread (src/cli/scopes.ts unreadRepositories). */
type Unread = (root: string) => string | undefined;

/**
 * --commit and --patch-dir: the changed files of a repository part of which a configuration file with problems kept
 * unread, refused (added to `refused`): a commit, patch or mail of the folders read alone would look like the
 * repository's whole change. Its error says why (a fix in place without --commit writes them, as before).
 */
function unreadRefusals(
  changed: FileOutcome[],
  p: Parsed,
  unread: Unread | undefined,
  refused: Map<FileOutcome, FileError>,
  cwd: string,
): Map<FileOutcome, FileError> {
  if (!unread) return refused;
  const what = p.commit
    ? 'not written: --commit makes one commit of the whole change of a repository'
    : "left out of its repository's patch and mail, which hold the whole change of a repository";
  // Outside a work tree, --patch-dir's patch is the path given's holding the file (src/report/patchdir.ts place).
  const inputs = (p.paths.length ? p.paths : ['.']).map((i) => path.resolve(cwd, i));
  for (const o of changed) {
    const abs = o.file.absPath;
    const input = inputs.filter((i) => abs === i || abs.startsWith(i + path.sep)).sort((a, b) => b.length - a.length)[0];
    const root = repoRootOf(abs) ?? (p.commit ? undefined : !input || input === abs ? path.dirname(abs) : input);
    const file = root === undefined ? undefined : unread(root);
    if (file !== undefined)
      refused.set(o, {
        file: o.file.path,
        message: `${what}, and ${file} has problems (said above): the folders it governs were not read; correct it and run again`,
      });
  }
  return refused;
}

/** What a held stream's output added: the files delivered and why others were not, errors, and notes for after the report's own. */
interface Delivery {
  delivered: Set<FileOutcome>;
  failed: Map<FileOutcome, FileError>;
  errors: FileError[];
  after: string[];
  declined?: boolean;
  /** --patch -: stdout failed, the patch on it is cut (cli.ts says why, last). */
  cut?: boolean;
  /** --patch FILE: written, but its folder could not be flushed to disk (UnflushedError): the patch is there, not surely on disk. */
  unflushed?: boolean;
  /** --commit interrupted by a signal: the exit code, and where each repository is left. */
  interrupted?: { code: number; lines: string[] };
}

/** The fix's output put in place (a held stream's), and its report; the exit code. */
/**
 * `scopes`: when the run has several configuration scopes, the settings of a repository's root's scope
 * (src/cli/scopes.ts optionsFor) and of the scope that read each file (messageScopes).
 */
export async function fix(
  p: Parsed,
  result: RunResult,
  io: Io,
  notes: string[],
  stream: Streamed,
  version: string,
  scopes?: { of: (root: string) => FixOptions; scopeOf: MessageOptions['scopeOf'] },
  unread?: Unread,
  /** --patch-dir: each error of a configuration file with problems, to the repositories it left unread (summary.json rows). */
  unreadIn?: ReadonlyMap<FileError, string[]>,
  /** --commit: each repository's HEAD when the run started (src/io/commit.ts headsAt). */
  started?: ReadonlyMap<string, Head>,
): Promise<number> {
  const text = p.format === 'text';
  // A parameter no longer controls what --fix-parameterised wrote explicitly, terraform apply
  // re-creates the replicas --recreate-replicas gave keys, a local DynamoDB plugin's migration fails:
  // said once per table (src/rule/evaluate.ts words it). A held stream has every table
  // yet, on disk: said before the diff and the prompt (the JSON report has them from its stream, as
  // a stream's folded files).
  const say = (outcomes: FileOutcome[]) => {
    for (const t of allTables(outcomes)) {
      for (const note of fixNotes(t)) {
        notes.push(note);
        if (text) io.err(`note: ${note}\n`);
      }
    }
  };
  if (!stream.hold) {
    say(result.outcomes);
    return streamed(p, result, io, notes, stream);
  }
  if (text && stream.noted) for (const o of result.outcomes) say([stream.full(o)]);
  // A repository's commit message explains its own scope's settings.
  const of: MessageOf | undefined = scopes && { of: (root) => ({ ...scopes.of(root), version }), scopeOf: scopes.scopeOf };
  const d = stream.patches
    ? await writePatches(p, result, io, stream, version, of, unreadIn)
    : await writeHeld(p, result, io, stream, version, of, unread, started);
  if (d.interrupted) {
    for (const line of d.interrupted.lines) io.err(`${line}\n`);
    return d.interrupted.code;
  }
  const outcomes = stream.settleHeld(result.outcomes, d.delivered, d.failed);
  if (text) for (const line of d.after) io.err(`${line}\n`);
  return streamed(p, { ...result, outcomes, errors: d.errors }, io, notes, stream, d);
}

/** --patch and --patch-dir: the patches written from the spools; the files in a patch written are delivered. */
async function writePatches(
  p: Parsed,
  result: RunResult,
  io: Io,
  stream: Streamed,
  version: string,
  of?: MessageOf,
  unreadIn?: ReadonlyMap<FileError, string[]>,
): Promise<Delivery> {
  const d: Delivery = { delivered: new Set(), failed: new Map(stream.failed), errors: [...result.errors], after: [] };
  const patches = stream.patches!;
  if (p.patch) {
    /** The patch is in place: its files are delivered. */
    let placed = false;
    try {
      writeSpooled(p.patch, patches.spool!, io);
      // A patch cut on stdout delivers no file: the summary must not say it was written.
      d.cut = p.patch === '-' && (await io.outFailed?.()) !== undefined;
      placed = !d.cut;
    } catch (err) {
      // Written, its folder not flushed (EIO): the patch is there, whole, not surely on disk; the run still fails
      // (exit 2), as a fix in place whose folder cannot be flushed does.
      if (err instanceof UnflushedError) placed = d.unflushed = true;
      d.errors.push({
        file: p.patch,
        message: err instanceof UnflushedError ? `the patch is written, but ${err.why}` : (err as Error).message,
      });
    }
    if (placed) for (const o of stream.held) if (!d.failed.has(o)) d.delivered.add(o);
  }
  const writer = patches.dir;
  if (p.patchDir && writer) {
    const changed = new Set(stream.held);
    try {
      checkPatchDir(p.patchDir, p.paths, io.cwd, new Set(result.outcomes.map((o) => realish(o.file.absPath))));
      const r = await writer.finish(
        result.outcomes,
        d.errors,
        result.repos,
        (o) => changed.has(o),
        { ...p.options, version, date: mailNow(), ...of, stages: result.stages },
        (o) => stream.full(o),
        d.failed,
        unreadIn,
      );
      for (const o of r.delivered) d.delivered.add(o);
      d.errors.push(...r.unwritten);
      d.after.push(...r.notes);
      if (p.format === 'text') io.out(r.table);
    } catch (err) {
      if (!(err instanceof OutputError)) throw err;
      d.errors.push({ file: p.patchDir, message: err.message });
    } finally {
      writer.discard();
    }
  }
  return d;
}

/**
 * The interactive prompt: this run's planned changes and, where an interrupted --commit run is finished, the files it
 * wrote that this run will commit (shown by no diff: their bytes are already the planned ones), so a yes is asked
 * before any commit, not only before a write.
 */
function applyQuestion(allowed: readonly FileOutcome[], resumes: ReadonlyMap<string, Resume>, stream: Streamed): string {
  let count = 0;
  for (const o of allowed) count += stream.full(o).tables.filter((t) => t.planned).length;
  let theirs = 0;
  for (const r of resumes.values()) for (const s of r.state.values()) if (s === 'planned') theirs++;
  const apply = `Apply ${count} change${count === 1 ? '' : 's'}`;
  if (theirs === 0) return `${apply}? [y/N] `;
  const files = `${theirs} file${theirs === 1 ? '' : 's'} an interrupted kmsfix fix --commit run wrote`;
  return count === 0 ? `Commit the ${files}? [y/N] ` : `${apply} and commit them with the ${files}? [y/N] `;
}

/**
 * A fix in place that held its files: the whole diff shown, the files guarded (and, with --commit,
 * each repository's whole change or none of it), the prompt asked, the files allowed written from
 * the disk, then one commit per repository (--commit).
 */
async function writeHeld(
  p: Parsed,
  result: RunResult,
  io: Io,
  stream: Streamed,
  version: string,
  of?: MessageOf,
  unread?: Unread,
  started?: ReadonlyMap<string, Head>,
): Promise<Delivery> {
  const text = p.format === 'text';
  const d: Delivery = { delivered: new Set(), failed: new Map(), errors: [...result.errors], after: [] };
  // --commit where an earlier run's fix sits uncommitted (an interrupted --commit, a group completed from a journal): exit 2, said what to do.
  // A repository a killed --commit run left half written, which this run proves that run's and finishes (src/report/resume.ts): `resumes`.
  const { errors: unfinished, resumes } = p.commit
    ? await unfinishedCommits(
        result.outcomes,
        (result.cleanup?.completed ?? []).map((f) => path.resolve(io.cwd, f)),
        io.cwd,
      )
    : { errors: new Map<string, FileError>(), resumes: new Map<string, Resume>() };
  d.errors.push(...unfinished.values());
  const changed = inRunOrder(result, stream.held);
  if (changed.length === 0 && resumes.size === 0) return d;
  if (text && !p.quiet) {
    const c = colors(io.color);
    for (const o of changed) {
      const diff = stream.hold!.get(o, 'diff') ?? '';
      io.out(io.color ? colorDiff(diff, c) : diff);
    }
  }
  const guarded = await guardWrites(changed, p.force);
  for (const [o, e] of guarded.refused) d.failed.set(o, e);
  let allowed = guarded.allowed;
  let heads: Awaited<ReturnType<typeof commitRefusals>>['heads'] = new Map();
  if (p.commit && unread) {
    const refused = unreadRefusals(allowed, p, unread, new Map(), io.cwd);
    for (const [o, e] of refused) d.failed.set(o, e);
    allowed = allowed.filter((o) => !refused.has(o));
  }
  const content = (o: FileOutcome) => stream.hold!.get(o, 'content');
  if (p.commit && allowed.length > 0) {
    const c = await commitRefusals(allowed, guarded.refused, unfinished, started);
    for (const [o, e] of c.refused) d.failed.set(o, e);
    allowed = c.allowed;
    heads = c.heads;
  }
  if (resumes.size > 0) {
    // Finished only with the bytes the killed run planned: else refused, the files named.
    const r = await resumeRefusals(allowed, resumes, content, io.cwd);
    d.errors.push(...r.errors);
    for (const [root, h] of r.heads) if (!heads.has(root)) heads.set(root, started?.get(root) ?? h);
    for (const [o, e] of r.refused) d.failed.set(o, e);
    allowed = allowed.filter((o) => !r.refused.has(o));
  }
  if ((allowed.length > 0 || resumes.size > 0) && io.interactive && !p.yes && text) {
    const answer = await io.ask(applyQuestion(allowed, resumes, stream));
    if (!/^y(es)?$/i.test(answer.trim())) {
      d.declined = true;
      return d;
    }
  }
  // --commit: a signal from the first write to the last commit says where each repository is left.
  const signals = p.commit && (allowed.length > 0 || resumes.size > 0) ? new CommitSignals((line) => io.err(line)) : undefined;
  // --commit: the files recorded in each repository's git dir before the first is written (a run killed during its writes is found by the next).
  const pending =
    p.commit && allowed.length > 0
      ? recordPending(allowed, {
          outcomes: result.outcomes,
          options: { ...p.options, version, ...of, stages: result.stages },
          full: (o) => stream.full(o),
          heads,
          content,
          resumes,
        })
      : undefined;
  if (pending) {
    for (const [o, e] of pending.refused) d.failed.set(o, e);
    allowed = allowed.filter((o) => !pending.refused.has(o));
  }
  try {
    const w = await stream.writeHeld(allowed);
    if (pending) clearUnwritten(pending.roots, w.written);
    for (const [o, e] of w.failed) d.failed.set(o, e);
    for (const o of w.written) d.delivered.add(o);
    if (p.commit && (w.written.size > 0 || resumes.size > 0)) {
      const r = await commitRepositories(
        result.outcomes,
        w.written,
        { ...p.options, version, ...of, stages: result.stages },
        io.cwd,
        (o) => stream.full(o),
        heads,
        signals,
        { resumes, messages: pending?.messages },
      );
      d.errors.push(...r.errors);
      d.after.push(...r.notes);
      if (r.interrupted) d.interrupted = r.interrupted;
    }
  } finally {
    signals?.release();
  }
  return d;
}

/**
 * The report of a fix once every file is settled: the text report (its diffs printed already, or a
 * preview's printed now) or the JSON report printed from its spool. The result holds only what the
 * report prints, and the stream's tally counts the rest.
 */
function streamed(p: Parsed, result: RunResult, io: Io, notes: string[], stream: Streamed, d?: Delivery): number {
  if (stream.preview) {
    const c = colors(io.color);
    for (const t of stream.preview.texts('out')) io.out(io.color && !p.check ? colorDiff(t, c) : t);
    stream.preview.discard();
  }
  const tally = (stream.tally ?? stream.json?.tally)!;
  const { outcomes } = result;
  let { errors } = result;
  const planned = allTables(outcomes).filter((t) => t.planned).length + tally.planned;
  const delivered = stream.delivered;
  // The outcomes as the output left them: planned is what the verified fix holds; fixed, what the
  // output holds (the disk for a fix in place, then also written); a file whose output failed has that error.
  const shown = outcomes.map((o) => ({
    ...o,
    ...(stream.failed.has(o) ? { error: stream.failed.get(o) } : {}),
    tables: o.tables.map((t) => {
      const fixed = t.planned === true && delivered.has(o);
      return stream.inPlace ? { ...t, fixed, written: fixed } : { ...t, fixed };
    }),
  }));
  const c = colors(io.color);
  const fixed = allTables(shown).filter((t) => t.fixed).length + tally.fixed;
  // The text report (the diff) is all on stdout by now: --output's file put in place before the summary, which counts its failure.
  const outputError = p.format === 'text' ? io.settle?.() : undefined;
  if (outputError)
    errors = [
      ...errors,
      {
        file: p.output!,
        message:
          outputError instanceof UnflushedError
            ? `the report is written, but ${outputError.why}`
            : `the report is not written: ${outputError.message.replace(/^cannot write [^:]*: /, '')}`,
      },
    ];
  const allErrs = allErrors(shown, errors);
  const write = stream.attempted;
  if (p.format === 'text') {
    // A module call that the fix of its module's table reaches is said so, after the tables not fixed.
    // A planned table of a patch cut on stdout: said once, by the error that ends the run (cli.ts).
    for (const t of allTables(shown))
      if (!t.compliant && !t.fixed && !stream.modules?.reaches(t) && !(d?.cut && t.planned))
        io.err(`not fixed: ${tableLine(t, c, { verbose: p.verbose, full: true })}\n`);
    for (const line of stream.modules?.lines(moduleOutput(p)) ?? []) io.err(`note: ${line}\n`);
    for (const e of allErrs) io.err(`error: ${formatError(e)}\n`);
    const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
    const patchName = p.patch === '-' ? 'stdout' : p.patch;
    // A patch (or a folder of them) holds the change when a changed file's diff went in, or nothing changed.
    const patched = (d?.delivered.size ?? 0) > 0 || stream.changedCount === 0;
    const verb = p.patchDir
      ? patched
        ? `patches written to ${p.patchDir}`
        : 'no patch written'
      : p.check
        ? 'check, nothing written'
        : d?.cut
          ? 'the patch on stdout is incomplete'
          : p.patch
            ? patched
              ? `patch written to ${patchName}${d?.unflushed ? ' (not surely on disk: its folder could not be flushed)' : ''}`
              : 'no patch written'
            : write
              ? `${files(stream.writtenCount)} written`
              : p.dryRun
                ? 'dry run, nothing written'
                : d?.declined
                  ? 'nothing written (answered no)'
                  : 'nothing written';
    // Says what the output holds: a dry run, a check or a "no" at the prompt fixed nothing.
    const done =
      p.dryRun || p.check
        ? `${planned} would be fixed in ${files(stream.changedCount)}`
        : fixed === planned
          ? `${planned} fixed in ${files(stream.changedCount)}`
          : `${planned} planned in ${files(stream.changedCount)}, ${fixed} fixed`;
    // The reviewer's checklist is in the commit message, which only --commit and --patch-dir write.
    // -q prints only what needs action (a pre-commit hook's `fix --check -q`): not this note.
    // Every table planned, those kept and those counted and let go (tally), kept the key it named.
    const keptAll = (tally.keptKeys ?? 0) === tally.planned && allTables(outcomes).every((t) => !t.planned || t.keptKey !== undefined);
    if (planned > 0 && !p.commit && !p.patchDir && !p.quiet) io.err(`${keptAll ? BEFORE_DEPLOYING_KEPT : BEFORE_DEPLOYING}\n`);
    // The notes, counted when text folded those said once per unread app (src/report/noteLines.ts).
    const notesNote = noteLines(notes, p.verbose).folded > 0 ? `, ${notes.length} notes` : '';
    io.err(summaryLine(summarize(shown, errors, tally), `${notesNote}; ${done}, ${verb}`) + '\n');
  } else {
    const through = stream.modules?.lines(moduleOutput(p)) ?? [];
    stream.json!.end(
      shown,
      errors,
      [...notes, ...stream.json!.notes, ...through, ...(d?.after ?? [])],
      stream.changedCount,
      stream.writtenCount,
    );
  }
  if (allErrs.length > 0) return 2;
  // A fixable table left unfixed is an error's doing, unless the user said no at the prompt.
  if (write && fixed < planned) return 2;
  if ((p.dryRun || p.check) && stream.changedCount > 0) return 1;
  return 0;
}
