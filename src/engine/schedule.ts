/**
 * Where each file read goes, and when. Three lanes, all running the same batches (batch.ts): this
 * thread; a pool of worker threads (pool.ts), started once PARALLEL_MIN_FILES files and
 * parallelMinBytes() were read, while this thread keeps reading (a batch that finds every worker
 * busy is done here); and, when the run holds enough of them and of other files, a worker of its
 * own for the TypeScript files (run.ts ownWorkerFamily).
 *
 * A scan sends files in batches as they are read. A fix (and a scan that plans fixes) sends whole
 * folders, each once its last candidate is read: fix groups never span folders (a Terraform module
 * is a folder, other families fix file by file), so a batch always holds whole groups, and memory
 * holds one folder's parse trees at a time, not the whole run's. A folder started in this thread
 * stays in it.
 */
import type { Dirent } from 'node:fs';
import type { FixOptions } from '../core/types.js';
import type { FileResult } from '../core/result.js';
import { type BatchFile, type Pass, processBatch } from './batch.js';
import { type Disk, type TreeFile, runDisk } from './disk.js';
import type { SharedReads } from '../io/read.js';
import { Pool } from './pool.js';

/** A batch for one worker message: this many files or bytes, whichever comes first. */
const BATCH_FILES = 16;
const BATCH_BYTES = 256 * 1024;

export interface Lanes {
  /** The built worker script; none: everything in this thread. */
  script?: string;
  /** Worker threads in all (the own worker is one of them). */
  workers: number;
  /** The family that gets a worker of its own, if any. */
  ownFamily?: string;
  /** The pool starts after more than this many files read... */
  minFiles: number;
  /** ...and this many characters. */
  minBytes: number;
  /** The run's tree files (DiskContext.treeFiles), for every lane. */
  tree?: TreeFile[];
  /** The folders the walk listed, with their entries (src/io/discover.ts Discovered.listed): this thread's Disk.entries start from them. */
  listed?: Map<string, Dirent[]>;
}

/**
 * The kind of a lane's workers, for their cached code (src/engine/workerStart.ts): the own worker runs one family's
 * code, the pool's workers every family's; a fix (and a scan that plans fixes) its fix code too.
 */
export function workerKind(lane: 'own' | 'pool', pass: Pass): string {
  return `${lane}-${pass === 'scan' ? 'scan' : 'fix'}`;
}

/**
 * Where each batch's results go once in, with the reads they are of (whole groups in a fix): the
 * scheduler keeps neither after handing them over. Called one batch at a time (the next waits for
 * the last to be done), so that a sink that writes as it goes holds one batch's texts at most.
 */
export type Sink = (indexes: number[], reads: BatchFile[], results: FileResult[]) => Promise<void> | void;

export class Scheduler {
  /** The files read and not yet settled, by read index (settled ones are handed to the sink and dropped). */
  private readonly reads: (BatchFile | undefined)[] = [];
  /** The sink's work so far: batches are handed over one at a time. */
  private sinking: Promise<void> = Promise.resolve();
  /** Tables found so far (progress). */
  tables = 0;
  private readBytes = 0;
  private pool: Pool | undefined;
  private readonly own: Pool | undefined;
  private readonly tasks: Promise<void>[] = [];
  private readonly disk: Disk;
  private readonly byFolder: boolean;
  /** Reads waiting for the pool, and for the own worker. */
  private readonly pending: number[] = [];
  private readonly ownPending: number[] = [];
  /** Reads of folders not complete yet: the own worker's (by folder only), and the others, with whether their folder is done here. */
  private readonly ownOpen = new Map<string, number[]>();
  private readonly open = new Map<string, { reads: number[]; inline: boolean }>();

  constructor(
    private readonly pass: Pass,
    private readonly options: FixOptions,
    private readonly lanes: Lanes,
    private readonly sink: Sink,
    writesSettled?: () => Promise<void>,
  ) {
    this.own = lanes.ownFamily && lanes.script ? new Pool(lanes.script, 1, lanes.tree, workerKind('own', pass)) : undefined;
    this.disk = runDisk(options.maxFileBytes, writesSettled, lanes.tree, pass === 'fix', lanes.listed);
    this.byFolder = pass !== 'scan';
  }

  /** The bytes of the folder being read, shared by the run's reader of candidates and this thread's reader of group files. */
  get sharedReads(): SharedReads | undefined {
    return this.disk.reads;
  }

  /** Whether workers are running (reading should then let their answers in now and then). */
  get threaded(): boolean {
    return this.pool !== undefined || this.own !== undefined;
  }

  /** A file read, of folder `dir`. */
  async add(read: BatchFile, dir: string): Promise<void> {
    const i = this.reads.push(read) - 1;
    this.readBytes += read.file.text.length;
    if (this.own && read.entry === this.lanes.ownFamily) {
      if (this.byFolder) this.ownOpen.set(dir, [...(this.ownOpen.get(dir) ?? []), i]);
      else {
        this.ownPending.push(i);
        this.ownFlush(false);
      }
      return;
    }
    const folder = this.open.get(dir) ?? { reads: [], inline: !this.pool };
    this.open.set(dir, folder);
    folder.reads.push(i);
    const poolWorkers = this.lanes.workers - (this.own ? 1 : 0);
    if (
      !this.pool &&
      this.lanes.script &&
      poolWorkers > 0 &&
      this.reads.length > this.lanes.minFiles &&
      this.readBytes >= this.lanes.minBytes
    )
      this.pool = new Pool(this.lanes.script, poolWorkers, this.lanes.tree, workerKind('pool', this.pass));
    if (this.byFolder) return;
    if (folder.inline) await this.inline([i]);
    else {
      this.pending.push(i);
      await this.flush(false);
    }
  }

  /** The last candidate of folder `dir` was looked at (read or not): its files can go. */
  async folderDone(dir: string): Promise<void> {
    this.ownPending.push(...(this.ownOpen.get(dir) ?? []));
    this.ownOpen.delete(dir);
    this.ownFlush(false);
    const folder = this.open.get(dir);
    this.open.delete(dir);
    if (!folder || !this.byFolder) return;
    if (folder.inline) await this.inline(folder.reads);
    else {
      this.pending.push(...folder.reads);
      await this.flush(false);
    }
  }

  /** Files read so far. */
  get count(): number {
    return this.reads.length;
  }

  /** Every candidate was looked at: send what is left, wait for every answer (and the sink), close the workers. */
  async finish(): Promise<void> {
    // Folders left open (none, unless a candidate list ends inside a folder).
    for (const dir of [...this.ownOpen.keys(), ...this.open.keys()]) await this.folderDone(dir);
    this.ownFlush(true);
    if (this.threaded) {
      try {
        if (this.pool) await this.flush(true);
        // Every batch is sent: the workers save their cached code after their last ones, while this thread works on.
        this.own?.save();
        this.pool?.save();
        await Promise.all(this.tasks);
      } finally {
        await Promise.all([this.pool?.close(), this.own?.close()]);
      }
    }
    await this.sinking;
  }

  private async inline(indexes: number[]): Promise<void> {
    await this.settle(indexes, await processBatch(this.batch(indexes), this.pass, this.options, this.disk));
  }

  private submit(indexes: number[], to: Pool): void {
    if (indexes.length === 0) return;
    const files = this.batch(indexes);
    this.tasks.push(
      to
        .run(files, this.pass, this.options)
        // A worker that dies must not lose files: do its batch here instead.
        .catch(() => processBatch(files, this.pass, this.options, this.disk))
        .then((rs) => this.settle(indexes, rs)),
    );
  }

  /** A batch's results are in: to the sink (after the batches before it), and the reads dropped here. */
  private settle(indexes: number[], rs: FileResult[]): Promise<void> {
    const reads = this.batch(indexes);
    for (const [k, i] of indexes.entries()) {
      this.tables += rs[k].tables.length;
      this.reads[i] = undefined;
    }
    this.sinking = this.sinking.then(() => this.sink(indexes, reads, rs));
    return this.sinking;
  }

  private batch(indexes: number[]): BatchFile[] {
    return indexes.map((i) => this.reads[i]!);
  }

  private bytesOf(indexes: number[]): number {
    return indexes.reduce((n, i) => n + this.reads[i]!.file.text.length, 0);
  }

  /** Send the pool its batches: a scan's in fixed-size batches, whole folders otherwise (at most a batch more). */
  private async flush(all: boolean): Promise<void> {
    const p = this.pending;
    while (p.length >= BATCH_FILES || this.bytesOf(p) >= BATCH_BYTES || (all && p.length > 0)) {
      const batch = this.byFolder ? p.splice(0) : p.splice(0, BATCH_FILES);
      if (this.pool!.hasRoom()) this.submit(batch, this.pool!);
      else await this.inline(batch);
    }
  }

  /** The own worker queues what it cannot take yet. */
  private ownFlush(all: boolean): void {
    const p = this.ownPending;
    if (p.length >= BATCH_FILES || this.bytesOf(p) >= BATCH_BYTES || (all && p.length > 0)) this.submit(p.splice(0), this.own!);
  }
}
