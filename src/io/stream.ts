/**
 * A fix in place that writes as it goes (issue 16: memory flat whatever the tree's size): the
 * engine hands over each batch of verified groups (src/engine/run.ts onVerified); once a chunk
 * holds CHUNK_FILES changed files or CHUNK_CHARS characters of new text, its diff is shown
 * (printed, or handed to the JSON report), its files are guarded (guard.ts: uncommitted changes,
 * links, read-only files; a group all or none) and written by group (write.ts: temp files, stamps
 * checked just before the renames, journals), and each changed outcome is replaced in the run's
 * result by one without texts. Nothing of a fixed text is held after its write. Every outcome,
 * changed or not, is then handed to the `settle` hook, which may keep less of it (the text report
 * keeps only what it prints, src/report/fold.ts).
 *
 * A preview (`fix --dry-run`, `--check`; `inPlace` false) goes the same way without the writes:
 * each chunk's diff is shown, and its files settled as in the output, not written.
 *
 * A stream that holds (`hold`) settles nothing during the run. Every outcome is kept without its
 * texts and tables; its tables, and each changed file's diff (and, in place, its new text), are
 * kept on disk (spool.ts FileTexts; `full` reads an outcome's tables back) until the caller has
 * decided what the output holds:
 *
 * - a fix in place that asks first (the prompt shows the whole diff before the first write) or
 *   commits (--commit refuses a whole repository before anything of it is written): `writeHeld`
 *   writes the files allowed, chunk by chunk from the disk;
 * - --patch and --patch-dir (`inPlace` false), whose patches are written at the end (`refuse`: the
 *   files left out of the patch).
 *
 * Then `settleHeld` hands every file to `settle` in the run's order, as a stream that writes as it
 * goes does file by file.
 *
 * Chunks rather than single groups: each chunk asks git which of its files are ignored (one
 * process per work tree), and writes in two phases (write.ts); git's status of each work tree is
 * taken once, at the first chunk, before this run wrote anything.
 *
 * A chunk is settled once its writes are done (write.ts; its renames are synchronous since the
 * fifty-fourth session, each right after its file's last check: on the thread pool they went on
 * while the run fixed the next chunk, and an edit saved in the wait was lost). One chunk is in flight at a time: the next flush
 * waits for it to settle first, and `finish` waits for the last; so at most two chunks' texts are
 * held, and every file is settled (written or not, and why) before the run reports.
 */
import type { FileError, FileOutcome, Replace, Watched } from '../core/result.js';
import type { GitStatus } from './git.js';
import { guardWrites } from './guard.js';
import type { FileTexts } from './spool.js';
import { type GroupWrite, wasWritten, writeGroups } from './write.js';
import { groupBy } from '../core/lists.js';
import { heapTick } from '../core/heap.js';
import { flatCopy } from '../core/text.js';
import { hasFixNote } from '../rule/evaluate.js';

const CHUNK_FILES = 256;
const CHUNK_CHARS = 4 * 1024 * 1024;
const NONE: ReadonlySet<FileOutcome> = new Set();

/** A changed file waiting in the chunk. */
interface Item {
  o: FileOutcome;
  replace: Replace;
  order: number;
}

export interface StreamHooks {
  /**
   * A chunk's changed files, before they are written (`orders`: each one's place in the run's order):
   * their diff to print, or to hand to `settle` (returned, one per file). A preview's `refused`: those
   * its output leaves out (refuse).
   */
  show(changed: FileOutcome[], orders: number[], refused?: ReadonlyMap<FileOutcome, FileError>): string[] | undefined;
  /** The bytes to write for a changed file (its new text, with its BOM). */
  content(o: FileOutcome): string;
  /**
   * A preview's changed files left out of its output, and why (--patch: those outside the current
   * directory; --patch-dir: those with uncommitted changes, guard.ts guardPatches). Asked before `show`.
   */
  refuse?(changed: FileOutcome[]): Map<FileOutcome, FileError> | Promise<Map<FileOutcome, FileError>>;
  /**
   * A file settled (`how`). What the run keeps of it (default: the outcome, without texts once
   * changed); undefined: nothing (the hook counted or spooled what its report needs,
   * src/report/fold.ts, src/report/jsonStream.ts).
   */
  settle?(o: FileOutcome, how: Settled): FileOutcome | undefined;
}

/** How a file settled. */
export interface Settled {
  /** Its change is in the output (written, for a fix in place); false for an unchanged file, or an `error`. */
  delivered: boolean;
  /** Why its change is not. */
  error?: FileError;
  /** What `show` returned for it. */
  diff?: string;
  /** Its place in the run's order (its read's index, src/engine/run.ts), whatever the order files settle in. */
  order: number;
}

export class FixStream {
  /** Every changed file kept so far (settle), without texts, in the order handed over. */
  readonly changed: FileOutcome[] = [];
  /** Of those, the ones in the output (written, for a fix in place), and the ones not with why. */
  readonly delivered = new Set<FileOutcome>();
  readonly failed = new Map<FileOutcome, FileError>();
  /** Changed files, and written ones (a fix in place), kept or not. */
  changedCount = 0;
  writtenCount = 0;
  /** Whether some file was allowed to be written (the guard refused not all). */
  attempted = false;
  private chunk: Item[] = [];
  private chars = 0;
  /** Outcomes handed over so far (their order when the caller gives none). */
  private handed = 0;
  /** The chunk whose renames are under way, settled once they are done; what went wrong settling it. */
  private inFlight: Promise<void> | undefined;
  private failure: { error: unknown } | undefined;
  private readonly statuses = new Map<string, Promise<GitStatus>>();

  constructor(
    private readonly force: boolean,
    private readonly hooks: StreamHooks,
    /** False for a preview: nothing is guarded or written. */
    readonly inPlace = true,
    /** A stream that holds every outcome until the end (settleHeld): where each file's tables, and each changed file's diff and new text, are kept. */
    readonly hold?: FileTexts,
  ) {}

  /** A stream that holds: the changed files so far (without texts), in the order handed over. */
  readonly held: FileOutcome[] = [];
  /** A stream that holds: some table it parked was planned with a note (src/rule/evaluate.ts hasFixNote), said before the prompt. */
  noted = false;
  /** A stream that holds, in place: per changed file, the other files its group's plan read (checked before writing). */
  private readonly watched = new Map<FileOutcome, Watched[]>();

  /** The changed files written (kept ones): those delivered, for a fix in place; none for a preview. */
  get written(): ReadonlySet<FileOutcome> {
    return this.inPlace ? this.delivered : NONE;
  }

  /**
   * A batch of verified outcomes (whole groups): the changed ones join the chunk, written once it is
   * full. `orderOf`: each one's place in the run's order (default: the order handed over).
   */
  async add(outcomes: FileOutcome[], replace: Replace, orderOf: (o: FileOutcome) => number = () => this.handed++): Promise<void> {
    for (const o of outcomes) {
      const order = orderOf(o);
      if (o.newText === undefined) {
        if (this.hold) replace(o, this.park(o));
        else replace(o, this.hooks.settle ? this.hooks.settle(o, { delivered: false, order }) : o);
        continue;
      }
      this.chunk.push({ o, replace, order });
      this.chars += o.newText.length + o.file.text.length;
    }
    if (this.chunk.length >= CHUNK_FILES || this.chars >= CHUNK_CHARS) await this.flush();
  }

  /** The end of the run: the last chunk, written and settled. */
  async finish(): Promise<void> {
    await this.flush();
    await this.settled();
  }

  /** Resolves once the chunk in flight (if any) is written and settled; what went wrong is thrown by the next flush or by finish. */
  async idle(): Promise<void> {
    await this.inFlight;
  }

  /** The chunk in flight settled (rethrowing what went wrong settling it). */
  private async settled(): Promise<void> {
    await this.inFlight;
    this.inFlight = undefined;
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure.error;
  }

  private async flush(): Promise<void> {
    const items = this.chunk;
    this.chunk = [];
    this.chars = 0;
    if (items.length === 0) return;
    await this.settled();
    const list = items.map((x) => x.o);
    const orders = items.map((x) => x.order);
    if (!this.inPlace) {
      const refused = (await this.hooks.refuse?.(list)) ?? new Map<FileOutcome, FileError>();
      const shown = this.hooks.show(list, orders, refused);
      if (this.hold) return this.keep(items, shown, refused);
      return this.settle(items, refused, new Set(list.filter((o) => !refused.has(o))), shown);
    }
    const shown = this.hooks.show(list, orders);
    if (this.hold) return this.keep(items, shown, new Map());
    const guarded = await guardWrites(list, this.force, this.statuses);
    const failed = new Map(guarded.refused);
    if (guarded.allowed.length === 0) return this.settle(items, failed, new Set(), shown);
    this.attempted = true;
    const byGroup = groupBy(guarded.allowed, (o, i) => o.group ?? `\0file${i}`);
    const groups = [...byGroup.values()].map((members) => ({
      members,
      write: {
        files: members.map((o) => ({ absPath: o.file.absPath, path: o.file.path, content: this.hooks.content(o), stamp: o.stamp })),
        watch: members[0].watched,
      } satisfies GroupWrite,
    }));
    // writeGroups writes the temp files (TEMPS_OPEN at a time, each synced to disk), then makes every
    // rename (synchronous calls); the chunk is settled when its promise resolves.
    this.inFlight = writeGroups(groups.map((g) => g.write))
      .then((outcome) => {
        const written = new Set<FileOutcome>();
        for (const g of groups) {
          for (const [i, f] of g.write.files.entries()) {
            const err = outcome.get(f);
            if (err) failed.set(g.members[i], { file: f.path, message: err.message });
            if (wasWritten(err)) written.add(g.members[i]);
          }
        }
        this.settle(items, failed, written, shown);
      })
      .catch((error: unknown) => {
        this.failure = { error };
      });
  }

  /** A held file's outcome: without texts, and its tables on disk (memory keeps no table of a held file). */
  private park(o: FileOutcome): FileOutcome {
    const light = parked(o);
    if (o.tables.length > 0) this.hold!.keep(light, 'tables', JSON.stringify(o.tables));
    if (!this.noted) this.noted = o.tables.some(hasFixNote);
    return light;
  }

  /** A held outcome with its tables read back from the disk: a new object, the held one stays as it is. Others as they are. */
  full(o: FileOutcome): FileOutcome {
    const tables = this.hold?.get(o, 'tables');
    return tables === undefined ? o : { ...o, tables: JSON.parse(tables) };
  }

  /** A chunk held: each file's diff (and new text, in place) on disk, its outcome without texts; `refused`: left out of a preview's output. */
  private keep(items: Item[], shown: string[] | undefined, refused: Map<FileOutcome, FileError>): void {
    const hold = this.hold!;
    for (const [k, { o, replace }] of items.entries()) {
      const light = this.park(o);
      if (shown?.[k] !== undefined) hold.keep(light, 'diff', shown[k]);
      if (this.inPlace) hold.keep(light, 'content', this.hooks.content(o));
      if (this.inPlace && o.watched) this.watched.set(light, o.watched);
      const err = refused.get(o);
      if (err) this.failed.set(light, err);
      replace(o, light);
      this.held.push(light);
    }
  }

  /**
   * A fix in place that held its files, after the run: writes those that may be written (`allowed`:
   * the guard, --commit and the prompt said yes), by group, chunk by chunk from the disk (at most one
   * chunk's texts in memory). Which were written, and why each other one was not.
   */
  async writeHeld(allowed: FileOutcome[]): Promise<{ written: Set<FileOutcome>; failed: Map<FileOutcome, FileError> }> {
    const written = new Set<FileOutcome>();
    const failed = new Map<FileOutcome, FileError>();
    if (allowed.length > 0) this.attempted = true;
    const byGroup = groupBy(allowed, (o, i) => o.group ?? `\0file${i}`);
    let chunk: { members: FileOutcome[]; write: GroupWrite }[] = [];
    let chars = 0;
    const write = async () => {
      const outcome = await writeGroups(chunk.map((g) => g.write));
      for (const g of chunk)
        for (const [i, f] of g.write.files.entries()) {
          const err = outcome.get(f);
          if (err) failed.set(g.members[i], { file: f.path, message: err.message });
          if (wasWritten(err)) written.add(g.members[i]);
        }
      chunk = [];
      chars = 0;
      heapTick();
    };
    for (const members of byGroup.values()) {
      let files: GroupWrite['files'];
      try {
        files = members.map((o) => {
          const content = this.hold!.get(o, 'content');
          if (content === undefined) throw new Error('it was not kept');
          return { absPath: o.file.absPath, path: o.file.path, content, stamp: o.stamp };
        });
      } catch (err) {
        // The spool cannot give a fixed text back (a disk error): the group is not written, and says why.
        const message = `not written: its fixed text could not be read back from kmsfix's temp file (${(err as Error).message})`;
        for (const o of members) failed.set(o, { file: o.file.path, message });
        continue;
      }
      chunk.push({ members, write: { files, watch: this.watched.get(members[0]) } });
      for (const f of files) chars += f.content.length;
      if (chars >= CHUNK_CHARS) await write();
    }
    if (chunk.length > 0) await write();
    return { written, failed };
  }

  /**
   * The end of a stream that held: every outcome of the run (`outcomes`, in the run's order) handed
   * to `settle`, as a stream that writes as it goes does file by file. `delivered`: the changed files
   * whose change is in the output; `failed`: why each other one's is not. What the run keeps, in order.
   */
  settleHeld(outcomes: FileOutcome[], delivered: ReadonlySet<FileOutcome>, failed: ReadonlyMap<FileOutcome, FileError>): FileOutcome[] {
    const changed = new Set(this.held);
    this.delivered.clear();
    this.failed.clear();
    const kept: FileOutcome[] = [];
    for (const [order, o] of outcomes.entries()) {
      // A long loop after the run: the heap watch goes on (core/heap.ts).
      heapTick();
      if (!changed.has(o)) {
        const full = this.full(o);
        const k = this.hooks.settle ? this.hooks.settle(full, { delivered: false, order }) : full;
        if (k) kept.push(k);
        continue;
      }
      const k = this.count(this.full(o), { delivered: delivered.has(o), error: failed.get(o), diff: this.hold?.get(o, 'diff'), order });
      if (k) kept.push(k);
    }
    return kept;
  }

  /** A chunk's files settled: each outcome replaced by what the run keeps of it, counted. */
  private settle(items: Item[], failed: Map<FileOutcome, FileError>, delivered: Set<FileOutcome>, shown: string[] | undefined): void {
    for (const [k, { o, replace, order }] of items.entries())
      replace(o, this.count(lighten(o), { delivered: delivered.has(o), error: failed.get(o), diff: shown?.[k], order }));
  }

  /** A changed file settled (`light`: without texts): counted, handed to `settle`, and what the run keeps of it listed. */
  private count(light: FileOutcome, how: Settled): FileOutcome | undefined {
    const kept = this.hooks.settle ? this.hooks.settle(light, how) : light;
    this.changedCount++;
    if (how.delivered && this.inPlace) this.writtenCount++;
    if (!kept) return undefined;
    this.changed.push(kept);
    if (how.error) this.failed.set(kept, how.error);
    if (how.delivered) this.delivered.add(kept);
    return kept;
  }
}

/**
 * What a stream that holds keeps of a file until the end of the run, one per file of the tree: its
 * outcome without texts, tables, edits or watched files, with no key for what it lacks and its path,
 * stamp and group each one flat string, not the pieces they were joined from (about 0.6 KB a file in
 * a heap snapshot, against 1.1 KB as `lighten` left it).
 */
function parked(o: FileOutcome): FileOutcome {
  const file: FileOutcome['file'] = { path: flatCopy(o.file.path), absPath: flatCopy(o.file.absPath), text: '' };
  if (o.file.test) file.test = true;
  const light: FileOutcome = { file, bom: o.bom, tables: [] };
  if (o.error !== undefined) light.error = o.error;
  if (o.group !== undefined) light.group = flatCopy(o.group);
  if (o.stamp !== undefined) light.stamp = flatCopy(o.stamp);
  if (o.link !== undefined) light.link = o.link;
  return light;
}

/** An outcome without its texts: what a stream keeps of a changed file once it is written or kept on disk. */
function lighten(o: FileOutcome): FileOutcome {
  return { ...o, file: { ...o.file, text: '' }, newText: undefined, edits: undefined, watched: undefined };
}
