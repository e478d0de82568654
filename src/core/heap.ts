/**
 * The main thread's heap kept near what it holds (issue 16: a fix's memory flat whatever the
 * tree's size). V8 lets its old generation grow to about four times the live heap of its last full
 * collection before it collects again (its largest growing factor, used when the heap may grow to
 * gigabytes): a fix of the bench's corpus held about 50 MB (tenth session), and its heap grew to
 * 200 MB and more once the run was long enough (4x and 8x the corpus), where a short run stopped
 * before that.
 * Between batches of a fix, run.ts asks `heapTick()` (`heapCheck()` every 20 ms at most), and so do
 * the loops of a fix that holds its files once its run is over (src/io/stream.ts settleHeld and
 * writeHeld, src/report/patchdir.ts finish), which otherwise let the heap grow to V8's own limit
 * (235 MB at 8x the bench's corpus, against 112 MB during the run). Past FLOOR, once
 * the heap has grown by the slack (48 MB, or half the heap the last forced collection left if
 * more) past what that collection left, a full collection is forced. So the heap stays near what
 * a fix of the bench's corpus reaches by itself, however large the tree (docs/performance.md,
 * tenth and nineteenth sessions): such a fix leaves 15 to 25 MB live after each full collection,
 * and V8's own three collections of a 1x fix come at 15, 58 and 87 MB in use; at 80 MB, the last is
 * forced a little sooner (the same count), and 8x the corpus peaks 25 to 30 MB lower. Nothing is
 * capped: a run that holds more collects less often, and never runs out of memory sooner (a
 * --max-old-space-size would).
 *
 * V8 hands scripts a `gc` function only under --expose-gc. Any V8 flag set for the whole run would
 * also change V8's flag hash, and the TypeScript compiler's code cache (made under the default
 * flags, src/formats/typescript/compiler.ts) would be rejected; so the flag is turned on just long
 * enough to take the function from a new context, and off again, before any worker starts.
 * KMSFIX_HEAP_SLACK_MB sets the slack (0: never force a collection).
 */
import { lazyRequire } from './lazy.js';

// node:v8 loads about thirty of Node's own modules (streams among them): required on first use, by a fix.
const v8 = lazyRequire<typeof import('node:v8')>('node:v8');
const vm = lazyRequire<typeof import('node:vm')>('node:vm');

const MB = 1024 * 1024;

/** Below this much heap in use, V8 is left alone (112 MB until the nineteenth session). */
const FLOOR = 80 * MB;

/** The slack, in bytes: at least this much, or half the heap left by the last collection if more. */
function slackMin(): number {
  const env = process.env.KMSFIX_HEAP_SLACK_MB;
  if (env !== undefined && /^\d+$/.test(env)) return Number(env) * MB;
  return 48 * MB;
}

let gc: (() => void) | undefined;
let taken = false;
let budget = 0;

/** Take V8's `gc` function (once per process; before any worker starts). Quietly nothing when V8 refuses. */
export function watchHeap(): void {
  if (taken) return;
  taken = true;
  if (slackMin() === 0) return;
  if (typeof globalThis.gc === 'function') {
    gc = globalThis.gc;
    return;
  }
  try {
    v8().setFlagsFromString('--expose-gc');
    const f: unknown = vm().runInNewContext('gc');
    if (typeof f === 'function') gc = f as () => void;
  } catch {
    gc = undefined;
  } finally {
    v8().setFlagsFromString('--no-expose-gc');
  }
}

let lastCheck = 0;

/**
 * `heapCheck()`, at most every 20 ms: V8's heap statistics walk every space (22 ms of a fix of the
 * bench's dense corpus when asked after each of its batches). Nothing until `watchHeap()` was called.
 */
export function heapTick(): void {
  if (!gc) return;
  const now = Date.now();
  if (now - lastCheck < 20) return;
  lastCheck = now;
  heapCheck();
}

/** Between batches: a full collection once the heap has grown by the slack since the last one. */
export function heapCheck(): void {
  if (!gc) return;
  const used = v8().getHeapStatistics().used_heap_size;
  if (budget === 0) budget = Math.max(FLOOR, used + slackMin());
  if (used < budget) return;
  gc();
  const live = v8().getHeapStatistics().used_heap_size;
  budget = Math.max(FLOOR, live + Math.max(slackMin(), live / 2));
}
