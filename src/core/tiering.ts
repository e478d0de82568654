/**
 * V8's optimizing compiler (TurboFan) left off during a light run (issue 16: a one-file scan's latency).
 *
 * V8 compiles a hot function again, optimized, on a background thread, and Node waits for every such
 * compile before the process exits. In a run of a few hundred kilobytes the optimized code comes too
 * late to pay back, and its compiles take one of the machine's two cores from the run: the fast JSON
 * parser's `object()` became hot while a 62 KB template was read, its compile took 20-30 ms, and the
 * process sat idle that long at exit (a CPU profile's last 37 ms of a 128 ms run); the TypeScript
 * compiler's first parse of a 16 KB CDK stack took 18-28 ms with TurboFan and 14 ms without (8 runs
 * each). With TurboFan off (against on; medians of 25 alternating runs, `node -e 0` 116-126 ms):
 * `kmsfix scan` of that template 213 -> 189 ms, of 14 YAML templates (100 KB) 323 -> 301 ms, of 5
 * CDK stacks (100 KB) 432 -> 404 ms; of one small YAML, Terraform, CDK or Pulumi file the same within
 * 5 ms (node:v8 costs about 4 ms to load). Larger runs need TurboFan: scans of 1 MB of CDK stacks took
 * 1.4-1.9x as long without it, of 3 MB of YAML or Terraform 1.1-1.5x. So run.ts turns it off for a run
 * of at most 32 files and 256 KB (docs/performance.md, eighteenth session).
 *
 * V8's flags are the process's. V8 checks a code cache against a hash of them, which it computes the
 * first time a cache is read or made in the process and keeps: were that first time in a light run
 * (kmsfix's own code cache is off, or was not read), the caches the process reads would be rejected
 * and those it makes rejected by every other run. So code caches (src/io/codeCache.ts) are read and
 * made under the default flags (`underDefaultFlags`). A run turns TurboFan on again when it ends.
 */
import { processBinding } from './binding.js';
import { lazyRequire } from './lazy.js';

const nodeV8 = lazyRequire<typeof import('node:v8')>('node:v8');

/** What sets V8's flags: `setFlagsFromString` of node:v8 or of the binding behind it. */
interface FlagSetter {
  setFlagsFromString(flags: string): void;
}

let setter: FlagSetter | undefined;

/**
 * V8's flag setter. node:v8 requires Node's heap utilities and through them all of Node's streams, and
 * uses none of them to set a flag: its `setFlagsFromString` hands the string to its binding (binding.ts).
 */
function v8(): FlagSetter {
  if (setter) return setter;
  const binding = processBinding<FlagSetter>('v8');
  if (typeof binding?.setFlagsFromString === 'function') setter = binding as FlagSetter;
  setter ??= nodeV8();
  return setter;
}

let off = false;

/** A V8 flag choosing the compilers, set when the process started: then kmsfix leaves them as they are. */
const COMPILER_FLAG = /--(?:no[-_])?(?:jitless|turbofan|opt|maglev|sparkplug|max[-_]opt)\b/;

/** Turn TurboFan off until `optimizeAgain()` (nothing when Node was started with a compiler flag). */
export function optimizeLess(): void {
  if (off || COMPILER_FLAG.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`)) return;
  v8().setFlagsFromString('--no-turbofan');
  off = true;
}

/** Turn TurboFan on again (nothing when `optimizeLess()` was not called). */
export function optimizeAgain(): void {
  if (!off) return;
  v8().setFlagsFromString('--turbofan');
  off = false;
}

/** `fn()` with V8's flags as the process started with them (V8 hashes them into a code cache). */
export function underDefaultFlags<T>(fn: () => T): T {
  if (!off) return fn();
  v8().setFlagsFromString('--turbofan');
  try {
    return fn();
  } finally {
    v8().setFlagsFromString('--no-turbofan');
  }
}
