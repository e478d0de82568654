/**
 * The start of a `kmsfix` process: bin/kmsfix.cjs (package.json "bin"; bin/kmsfix.js too) runs the build
 * of this file (dist/bundle/start.cjs, scripts/bundle.mjs), which runs the CLI as one CommonJS file (dist/bundle/cli.cjs) with V8's compiled
 * code for it from kmsfix's cache folder (src/io/codeCache.ts, src/io/cache.ts), else as ES modules
 * (dist/bundle/cli.js).
 *
 * Node 20's ES module loader and the compile of kmsfix's own code were about 50 ms of every run, and Node
 * 20 keeps no compiled code for modules (`module.enableCompileCache` is Node 22's); a one-file scan's
 * latency is a target (issue 16, docs/performance.md "Eleventh session"). The CommonJS file is run through
 * vm.Script, which has no `import()` of an ES module on every Node 20: scripts/bundle.mjs bundles the
 * ES-only packages into it and turns every other `import()` into require().
 *
 * The cached code is written after a scan or fix that had none (or had it rejected), so that it holds what
 * such a run compiles: of a few files (src/engine/run.ts ranLightOnly) for the kinds named by files, of any
 * size for the `tree` kind (src/cli.ts ranCommand). The ES modules run
 * instead (same behaviour, slower start) when `KMSFIX_CJS=off`, when caching is off
 * (`KMSFIX_CACHE_DIR=off`), when there is no cached code and none can be written (a read-only cache
 * folder), or when loading the CommonJS file fails: always before the CLI's main() ran, so it runs once.
 * This file is bundled with the two cache modules it imports and codeVariant.ts (which kind of run's cached
 * code it loads): the start loads no ES module of kmsfix's, and the cache folder's rule stays in src/io/cache.ts.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cachePath, cacheWritable } from '../io/cache.js';
import { codeCacheName, runCached } from '../io/codeCache.js';
import { codeVariant } from './codeVariant.js';

/** The content hash of dist/bundle/cli.cjs, written here by scripts/bundle.mjs (the cache file's name). */
declare const KMSFIX_CLI_HASH: string;

type Main = (argv: string[]) => Promise<number>;
interface Cli {
  main: Main;
  /** Whether to save the cached code of `kind` (the file's kind, codeVariant.ts) after this run (src/cli.ts). */
  ranCommand(kind: string): boolean;
  /** Whether this process ran a run of more than a few files (src/engine/run.ts ranLarge). */
  ranLarge(): boolean;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** Run the CLI on `argv`; its exit code becomes the process's. */
export function start(argv: string[]): void {
  const cjs = commonJsCli(argv);
  if (cjs) {
    cjs.cli.main(argv).then((code) => {
      process.exitCode = code;
      // After a scan or fix: the cached code then has the functions such a run compiles too (V8 compiles
      // a function on its first call); the code `--version` runs is too little. A kind of a few files' only
      // after a run of a few files (a whole tree's code, every format's and the fix's, is too much for the
      // one-file runs that load it after); the `tree` kind's after any (src/cli.ts ranCommand).
      // A `tree` file loaded by a large tree's run is written again when that run compiled functions it
      // lacked (another format's, the fix's): the first tree run wrote it with only the formats it read.
      if (cjs.cli.ranCommand(cjs.kind)) (cjs.save ?? (cjs.kind === 'tree' && cjs.cli.ranLarge() ? cjs.grow : undefined))?.();
    });
    return;
  }
  import(pathToFileURL(path.join(here, 'cli.js')).href)
    .then((cli: Cli) => cli.main(argv))
    .then((code) => {
      process.exitCode = code;
    });
}

/**
 * dist/bundle/cli.cjs run with cached code, or undefined (the ES modules then). The cached code is the file
 * of this build for the kind of run (codeVariant.ts): `cli-<hash>-<kind>-node<version>-<arch>.v8cache`, each
 * written by the first scan or fix of a few files of its kind (the `tree` kind's by the first of any size). A command line that names no path
 * (`--version`, `help`, a scan of the current folder) loads the `tree` file, else any other of this build's
 * files, without writing it: a file written after a run that loaded another kind's code would hold that code
 * too.
 */
function commonJsCli(argv: string[]): { cli: Cli; kind: string; save?: () => void; grow?: () => void } | undefined {
  if (process.env.KMSFIX_CJS === 'off') return undefined;
  const build = `cli-${KMSFIX_CLI_HASH}-`;
  const kind = codeVariant(argv);
  const cacheFile = cachePath(codeCacheName(`${build}${kind ?? 'tree'}`));
  if (!cacheFile) return undefined;
  const dir = path.dirname(cacheFile);
  const readFrom = kind === undefined && !existsSync(cacheFile) ? otherKind(dir, build) : undefined;
  if (!(readFrom || existsSync(cacheFile) || cacheWritable(dir))) return undefined;
  try {
    const { exports, save, grow } = runCached(path.join(here, 'cli.cjs'), cacheFile, { build, readFrom });
    const cli = exports as Partial<Cli>;
    return typeof cli.main === 'function' && typeof cli.ranCommand === 'function' && typeof cli.ranLarge === 'function'
      ? { cli: cli as Cli, kind: kind ?? 'tree', save, grow }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Another kind's cached code of this build in `dir` (the first by name), if any. */
function otherKind(dir: string, build: string): string | undefined {
  try {
    const name = readdirSync(dir)
      .filter((n) => n.startsWith(build) && n.endsWith(codeCacheName('')))
      .sort()[0];
    return name === undefined ? undefined : path.join(dir, name);
  } catch {
    return undefined;
  }
}
