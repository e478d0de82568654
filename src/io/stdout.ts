/**
 * Standard output: every byte kmsfix prints there (a report, a diff, `--patch -`'s patch, the help,
 * the version) goes through one writer, which knows whether all of it was written. A run whose
 * stdout fails (a full disk or a file-size limit under `> report.json`, EIO, a reader that closed the
 * pipe) drops the rest of its output, goes on to its end (a fix's writes complete, each atomic: a
 * tree is never left half-written by it), and ends with exit 2 and one line saying so (src/cli.ts).
 *
 * Why not process.stdout alone: to a file (`> report.json`) Node writes with one writeSync per call and
 * does not look at what it returns. A file-size limit (`ulimit -f`) or a nearly full disk takes part of
 * a write and no error, so a report written in one call (JSON, SARIF) was cut without a word and the
 * run exited 1 as for findings; a later write's EFBIG or ENOSPC came as an 'error' event on the next
 * tick, after the summary had said "patch written to stdout", and crashed the run. Here a file or a
 * pipe is written with writeSync until every byte is taken (the write after a short one fails with
 * the reason), and a failure is known when the call returns. Node ignores SIGPIPE and SIGXFSZ, so
 * a closed pipe is EPIPE and a file-size limit EFBIG, not a signal that kills the process.
 *
 * A terminal still goes through process.stdout: its tty stream is synchronous where kmsfix runs (Node
 * makes it blocking), turns UTF-8 into the console's text on Windows, and is the stream the prompt
 * (readline) writes to; its failures are kept from the write callbacks. process.stdout is never made
 * otherwise: making it sets a pipe non-blocking (libuv), and costs a run's start a few milliseconds.
 */
import { writeSync } from 'node:fs';
import { isTerminal } from './terminal.js';
import { describeError } from './read.js';

/** Why stdout failed, as the user reads it: `no space left on device (ENOSPC)`. */
export function stdoutReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EPIPE') return 'the reader closed the pipe before the end (EPIPE)';
  if (code === 'EFBIG') return 'file too large for the file-size limit (ulimit -f) or the file system (EFBIG)';
  if (code === 'EAGAIN') return 'the reader does not take the output (EAGAIN)';
  return describeError(err);
}

/** A pipe set non-blocking by another process: waited on this long (ms) each time it is full, up to WAIT_LIMIT in all. */
const WAIT_STEP = 5;
/** Ten minutes without a byte taken: the reader is gone in all but name. */
const WAIT_LIMIT = 10 * 60 * 1000;

export class Stdout {
  /** Why the output stopped (stdoutReason), once a write failed: the rest is dropped. */
  private failure: string | undefined;
  private stream: NodeJS.WriteStream | undefined;

  constructor(
    private readonly fd = 1,
    private readonly terminal = isTerminal(fd),
  ) {}

  write(text: string): void {
    if (this.failure !== undefined || text.length === 0) return;
    if (this.terminal) {
      this.tty().write(text, (err) => {
        if (err) this.fail(err);
      });
      return;
    }
    try {
      writeFully(this.fd, Buffer.from(text));
    } catch (err) {
      this.fail(err);
    }
  }

  /**
   * Why what went to stdout is not all written (stdoutReason), or undefined: asked once the writes
   * that count are made (a terminal's are done when their callbacks have run).
   */
  async failed(): Promise<string | undefined> {
    const tty = this.stream;
    if (tty && this.failure === undefined && !tty.destroyed) {
      await new Promise<void>((resolve) =>
        tty.write('', (err) => {
          if (err) this.fail(err);
          resolve();
        }),
      );
    }
    return this.failure;
  }

  private fail(err: unknown): void {
    this.failure ??= stdoutReason(err);
  }

  /** process.stdout, made on the first write to a terminal, with the listener that keeps its errors from crashing the run. */
  private tty(): NodeJS.WriteStream {
    if (!this.stream) {
      this.stream = process.stdout;
      this.stream.on('error', (err) => this.fail(err));
    }
    return this.stream;
  }
}

/**
 * Writes every byte of `bytes` to `fd`: writeSync may take part of them (a file-size limit, a nearly
 * full disk: the next write fails with the reason). A pipe that another process made non-blocking
 * says EAGAIN while it is full: waited on, as a blocking write would wait.
 */
function writeFully(fd: number, bytes: Buffer): void {
  let waited = 0;
  for (let at = 0; at < bytes.length; ) {
    let n: number;
    try {
      n = writeSync(fd, bytes, at, bytes.length - at);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || waited >= WAIT_LIMIT) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, WAIT_STEP);
      waited += WAIT_STEP;
      continue;
    }
    // A write that takes nothing and says nothing: stopped here rather than tried forever.
    if (n === 0) throw Object.assign(new Error('the output took no more bytes'), { code: 'EIO' });
    at += n;
    waited = 0;
  }
}
